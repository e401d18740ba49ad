//! Artifact generation and the drift check (feature `gen`): compiles `solidity/src` with
//! foundry-compilers through the pinned solc shim (`tools/solc`), with the settings of the
//! root `foundry.toml`, and writes or compares the trimmed artifacts in
//! `bindings/artifacts/` (ABI + creation and runtime bytecode) that the `sol!` bindings
//! expand. Only the bytes that reach the bindings are compared, so a contract change that
//! alters an ABI or any bytecode without regenerated bindings fails the check.

use foundry_compilers::{
    ConfigurableArtifacts, ProjectBuilder, ProjectPathsConfig,
    artifacts::{
        BytecodeHash, EvmVersion, Optimizer, Settings, SettingsMetadata, remappings::Remapping,
    },
    solc::{Solc, SolcCompiler, SolcLanguage, SolcSettings},
};
use serde_json::{Value, json};
use std::{
    fs,
    path::{Path, PathBuf},
};

/// The contracts the bindings carry: `(source file under solidity/src, contract name)`.
pub const CONTRACTS: &[(&str, &str)] = &[
    ("RootChain.sol", "RootChain"),
    ("exits/StandardExitGame.sol", "StandardExitGame"),
    ("exits/inflight/InFlightExitGame.sol", "InFlightExitGame"),
    (
        "exits/inflight/InFlightExitChallenges.sol",
        "InFlightExitChallenges",
    ),
    ("harness/CoreHarness.sol", "CoreHarness"),
    ("test-helpers/ERC20Mock.sol", "ERC20Mock"),
    ("test-helpers/NoBoolToken.sol", "NoBoolToken"),
    ("test-helpers/FeeOnTransferToken.sol", "FeeOnTransferToken"),
];

/// Contracts whose artifact ABI is widened with an interface's: `(contract, source of the
/// interface, interface)`. The RootChain serves its exit games' functions through
/// DELEGATECALL from `fallback`, so its callable ABI is `IRootChain`, not what solc sees.
pub const WIDENED_ABI: &[(&str, &str, &str)] =
    &[("RootChain", "interfaces/IRootChain.sol", "IRootChain")];

/// Optimizer runs of the root `foundry.toml` (`optimizer_runs`).
pub const OPTIMIZER_RUNS: usize = 10_000;

/// The remappings of the root `foundry.toml`, relative to the workspace root.
pub const REMAPPINGS: &[(&str, &str)] = &[
    (
        "forge-std/",
        "node_modules/@layerzerolabs/toolbox-foundry/lib/forge-std/",
    ),
    (
        "@openzeppelin/contracts/",
        "node_modules/@openzeppelin/contracts/",
    ),
];

/// The `foundry.toml` lines the settings above mirror; [`compile`] refuses to run when one
/// is missing, so the bindings' bytecode never silently departs from forge's.
pub const MIRRORED_FOUNDRY_SETTINGS: &[&str] = &[
    "optimizer = true",
    "optimizer_runs = 10_000",
    "evm_version = \"prague\"",
    "via_ir = false",
    "bytecode_hash = \"none\"",
    "cbor_metadata = false",
    "\"forge-std/=node_modules/@layerzerolabs/toolbox-foundry/lib/forge-std/\"",
    "\"@openzeppelin/contracts/=node_modules/@openzeppelin/contracts/\"",
];

/// Errors of generation and checking.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// The compiler driver failed.
    #[error("compiling solidity/src failed: {0}")]
    Compile(#[from] foundry_compilers::error::SolcError),
    /// solc reported errors.
    #[error("solc reported errors:\n{0}")]
    CompilerErrors(String),
    /// `foundry.toml` no longer has a setting the generator mirrors.
    #[error("foundry.toml no longer contains `{0}`: update bindings/src/generate.rs to match it")]
    SettingsChanged(&'static str),
    /// A contract is missing from the output.
    #[error("contract {0} not found in the compiler output")]
    MissingContract(String),
    /// Reading or writing an artifact failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Committed artifacts differ from the sources.
    #[error(
        "bindings are stale for {0:?}: run `cargo run -p plasma-bindings --features gen --bin bindings-gen`"
    )]
    Drift(Vec<String>),
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crate has a parent")
        .to_path_buf()
}

/// Where the trimmed artifact of `name` lives.
pub fn artifact_path(root: &Path, name: &str) -> PathBuf {
    root.join("bindings")
        .join("artifacts")
        .join(format!("{name}.json"))
}

fn settings(remappings: Vec<Remapping>) -> SolcSettings {
    let settings = Settings {
        optimizer: Optimizer {
            enabled: Some(true),
            runs: Some(OPTIMIZER_RUNS),
            details: None,
        },
        evm_version: Some(EvmVersion::Prague),
        via_ir: Some(false),
        metadata: Some(SettingsMetadata::new(BytecodeHash::None, false)),
        remappings,
        ..Default::default()
    };
    SolcSettings {
        settings,
        ..Default::default()
    }
}

/// Compiles the bound contracts and returns `(name, trimmed artifact JSON text)`.
pub fn compile(root: &Path) -> Result<Vec<(String, String)>, GenError> {
    let toml_path = root.join("foundry.toml");
    let toml = fs::read_to_string(&toml_path).map_err(|source| GenError::Io {
        path: toml_path,
        source,
    })?;
    if let Some(missing) = MIRRORED_FOUNDRY_SETTINGS.iter().find(|line| {
        !toml
            .lines()
            .any(|l| l.trim().trim_end_matches(',') == **line)
    }) {
        return Err(GenError::SettingsChanged(missing));
    }
    let remappings: Vec<Remapping> = REMAPPINGS
        .iter()
        .map(|(from, to)| Remapping {
            context: None,
            name: (*from).to_string(),
            path: root.join(to).to_string_lossy().into_owned(),
        })
        .collect();
    let src = root.join("solidity").join("src");
    let paths = ProjectPathsConfig::builder()
        .root(root)
        .sources(&src)
        .tests(root.join("solidity").join("test"))
        .scripts(root.join("solidity").join("script"))
        .lib(root.join("node_modules"))
        .remappings(remappings.clone())
        .build::<SolcLanguage>()
        .map_err(foundry_compilers::error::SolcError::from)?;
    let solc = Solc::new(root.join("tools").join("solc"))?;
    let project = ProjectBuilder::<SolcCompiler, ConfigurableArtifacts>::new(
        ConfigurableArtifacts::default(),
    )
    .paths(paths)
    .settings(settings(remappings))
    .ephemeral()
    .no_artifacts()
    .offline()
    .build(SolcCompiler::Specific(solc))?;
    let files: Vec<PathBuf> = CONTRACTS
        .iter()
        .map(|(file, _)| src.join(file))
        .chain(WIDENED_ABI.iter().map(|(_, file, _)| src.join(file)))
        .collect();
    let output = project.compile_files(files)?;
    if output.has_compiler_errors() {
        return Err(GenError::CompilerErrors(output.to_string()));
    }
    CONTRACTS
        .iter()
        .map(|(_, name)| {
            let artifact = output
                .find_first(name)
                .ok_or_else(|| GenError::MissingContract((*name).into()))?;
            let mut full = serde_json::to_value(artifact).expect("artifacts serialize");
            if let Some((_, _, iface)) = WIDENED_ABI.iter().find(|(c, _, _)| c == name) {
                let extra = output
                    .find_first(iface)
                    .ok_or_else(|| GenError::MissingContract((*iface).into()))?;
                let extra = serde_json::to_value(extra).expect("artifacts serialize");
                widen_abi(&mut full["abi"], &extra["abi"]);
            }
            Ok(((*name).to_string(), render(&full)))
        })
        .collect()
}

/// Appends the entries of `extra` that `abi` lacks (entries are compared whole).
fn widen_abi(abi: &mut Value, extra: &Value) {
    let (Some(abi), Some(extra)) = (abi.as_array_mut(), extra.as_array()) else {
        return;
    };
    for entry in extra {
        if !abi.contains(entry) {
            abi.push(entry.clone());
        }
    }
}

/// Keeps what the bindings need: the ABI and both bytecodes, in Foundry's artifact shape.
fn render(full: &Value) -> String {
    let trimmed = json!({
        "abi": full["abi"],
        "bytecode": { "object": full["bytecode"]["object"] },
        "deployedBytecode": { "object": full["deployedBytecode"]["object"] },
    });
    let mut text = serde_json::to_string_pretty(&trimmed).expect("json serializes");
    text.push('\n');
    text
}

/// Writes every artifact.
pub fn write(root: &Path) -> Result<(), GenError> {
    for (name, text) in compile(root)? {
        let path = artifact_path(root, &name);
        fs::write(&path, text).map_err(|source| GenError::Io { path, source })?;
    }
    Ok(())
}

/// Fails with [`GenError::Drift`] naming every artifact that differs from the sources.
pub fn check(root: &Path) -> Result<(), GenError> {
    let mut stale = Vec::new();
    for (name, text) in compile(root)? {
        let path = artifact_path(root, &name);
        let committed =
            fs::read_to_string(&path).map_err(|source| GenError::Io { path, source })?;
        if committed != text {
            stale.push(name);
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(GenError::Drift(stale))
    }
}
