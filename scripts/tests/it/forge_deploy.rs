//! The forge deploy script (`solidity/script/Deploy.s.sol`) and `plasma deploy` produce the
//! same deployment: run for real against one anvil with the same parameters, both files read
//! as a `Deployment` and differ only in address and block; both contracts answer the same
//! parameters and carry identical runtime bytecode (the forge build and the bindings agree).

use std::path::{Path, PathBuf};
use std::process::Command;

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use plasma_bindings::Deployment;
use plasma_client::chain::{DEV_KEYS, dev_signer, read_provider};
use plasma_client::user::RootChainContract;

use crate::harness::bare_anvil;

const MIN_EXIT_PERIOD: u64 = 90;
const BOND_GAS_PRICE: u64 = 1_250_000_000_000;
/// 2 · 70,000 + 60,000 gas at BOND_GAS_PRICE.
const EXIT_BOND: u64 = 250_000_000_000_000_000;
/// 60,000 gas at BOND_GAS_PRICE.
const PROCESS_BOUNTY: u64 = 75_000_000_000_000_000;

/// A file forge writes inside the repository (foundry.toml lets scripts write only under
/// `./deployments`); removed, with the folder if it is left empty, when dropped.
struct RepoFile(PathBuf);

impl Drop for RepoFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Runs the forge deploy script with its own build output, cache and broadcast log in `tmp`
/// (nothing of the shared `solidity/out` is reused or written); returns the deployment.
fn forge_deploy(root: &Path, tmp: &Path, rpc: &str, operator: Address) -> Deployment {
    let unique = tmp.file_name().unwrap().to_string_lossy();
    let relative = format!("deployments/forge-e2e-{unique}.json");
    let file = RepoFile(root.join(&relative));
    std::fs::create_dir_all(root.join("deployments")).unwrap();
    let out = Command::new(plasma_devnet::standin::forge_bin().unwrap())
        .current_dir(root)
        .args(["script", "solidity/script/Deploy.s.sol", "--rpc-url", rpc])
        .args(["--private-key", DEV_KEYS[0], "--broadcast"])
        .env("FOUNDRY_OUT", tmp.join("out"))
        .env("FOUNDRY_CACHE_PATH", tmp.join("cache"))
        .env("FOUNDRY_BROADCAST", tmp.join("broadcast"))
        .env("PLASMA_OPERATOR", operator.to_string())
        .env("PLASMA_MIN_EXIT_PERIOD", MIN_EXIT_PERIOD.to_string())
        .env("PLASMA_BOND_GAS_PRICE", BOND_GAS_PRICE.to_string())
        .env("PLASMA_DEPLOYMENT_OUT", &relative)
        .output()
        .unwrap();
    // forge exits 0 even when the script reverts: the missing file is the failure.
    let read = Deployment::read(&file.0);
    read.unwrap_or_else(|e| {
        panic!(
            "forge script wrote no deployment ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Runs `plasma deploy` with the same parameters; returns the deployment.
fn plasma_deploy(tmp: &Path, rpc: &str, operator: Address) -> Deployment {
    let file = tmp.join("plasma-deployment.json");
    let (period, gas_price) = (MIN_EXIT_PERIOD.to_string(), BOND_GAS_PRICE.to_string());
    let params = ["--min-exit-period", &period, "--bond-gas-price", &gas_price];
    crate::harness::plasma_deploy(rpc, operator, &params, &file);
    Deployment::read(&file).unwrap()
}

/// The deployment's module addresses: the RootChain keeps them as immutables, each module
/// its own (to refuse direct calls) and the in-flight game its challenge module's.
fn modules(d: &Deployment) -> [Address; 3] {
    [
        d.standard_exit_game,
        d.in_flight_exit_game,
        d.in_flight_exit_challenges,
    ]
}

/// The runtime code with every occurrence of a module address zeroed, and how many were
/// found: two deployments differ exactly there.
fn without_address(code: &[u8], d: &Deployment) -> (Vec<u8>, usize) {
    let mut code = code.to_vec();
    let mut found = 0;
    for address in modules(d) {
        let pattern = &address[..];
        let mut i = 0;
        while i + pattern.len() <= code.len() {
            if code[i..i + pattern.len()] == *pattern {
                code[i..i + pattern.len()].fill(0);
                found += 1;
                i += pattern.len();
            } else {
                i += 1;
            }
        }
    }
    (code, found)
}

#[tokio::test(flavor = "multi_thread")]
async fn forge_script_and_plasma_deploy_make_the_same_deployment() {
    let (dir, anvil, rpc) = bare_anvil().await;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let operator = dev_signer(1).address();

    let forge = forge_deploy(root, dir.path(), &rpc, operator);
    let plasma = plasma_deploy(dir.path(), &rpc, operator);

    assert_ne!(forge.root_chain, plasma.root_chain);
    assert_eq!(
        Deployment {
            root_chain: plasma.root_chain,
            standard_exit_game: plasma.standard_exit_game,
            in_flight_exit_game: plasma.in_flight_exit_game,
            in_flight_exit_challenges: plasma.in_flight_exit_challenges,
            deploy_block: plasma.deploy_block,
            ..forge.clone()
        },
        plasma,
        "only the addresses and the deploy block differ"
    );
    assert_eq!(plasma.chain_id, 31337);
    assert_eq!(plasma.operator, operator);
    assert_eq!(plasma.min_exit_period, MIN_EXIT_PERIOD);
    assert_eq!(plasma.exit_bond, U256::from(EXIT_BOND));
    assert_eq!(plasma.process_bounty, U256::from(PROCESS_BOUNTY));

    let provider = read_provider(&rpc).unwrap();
    let (mut codes, mut games) = (Vec::new(), Vec::new());
    for d in [&forge, &plasma] {
        let code = provider.get_code_at(d.root_chain).await.unwrap();
        assert!(!code.is_empty(), "no code at {}", d.root_chain);
        let mut module_codes = Vec::new();
        for module in modules(d) {
            let code = provider.get_code_at(module).await.unwrap();
            module_codes.push(without_address(&code, d));
        }
        games.push(module_codes);
        let root_chain = RootChainContract::new(d.root_chain, provider.clone());
        assert_eq!(root_chain.operator().call().await.unwrap(), operator);
        assert_eq!(
            root_chain.MIN_EXIT_PERIOD().call().await.unwrap(),
            U256::from(MIN_EXIT_PERIOD)
        );
        assert_eq!(
            root_chain.EXIT_BOND().call().await.unwrap(),
            U256::from(EXIT_BOND)
        );
        assert_eq!(
            root_chain.PROCESS_BOUNTY().call().await.unwrap(),
            U256::from(PROCESS_BOUNTY)
        );
        codes.push(without_address(&code, d));
    }
    assert!(
        codes[0].1 >= 3 && codes[1].1 >= 3,
        "module addresses found in the RootChain"
    );
    assert!(
        games[0] == games[1],
        "the forge build and the bindings deploy different module bytecode"
    );
    assert!(
        codes[0] == codes[1],
        "the forge build and the bindings deploy different runtime bytecode: {} and {} bytes, \
         address-dependent immutables blanked in {} and {} places",
        codes[0].0.len(),
        codes[1].0.len(),
        codes[0].1,
        codes[1].1
    );
    anvil.stop(std::time::Duration::from_secs(5)).await.unwrap();
}
