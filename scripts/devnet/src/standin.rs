//! The "mainnet" that fork tests run against: `MAINNET_RPC_URL` when set, else a local
//! stand-in — an anvil with chain id 1 where tokens behaving like USDC (6 decimals) and
//! USDT (no bool returns) sit at their mainnet addresses (runtime code from the forge
//! artifacts of `solidity/test/fork/StandInTokens.sol`, placed with `anvil_setCode`).
//! Tests then fork it with a second anvil (`--fork-url … --no-storage-caching`).

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, Bytes, U256, address, keccak256};
use alloy::providers::ext::AnvilApi;
use alloy::providers::{DynProvider, Provider};
use alloy::sol_types::SolValue;
use eyre::{WrapErr, bail, eyre};

use plasma_client::chain;
use plasma_client::user::IERC20;

use crate::procs::{self, Service};

/// USDC on Ethereum mainnet.
pub const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
/// USDT on Ethereum mainnet.
pub const USDT: Address = address!("dAC17F958D2ee523a2206206994597C13D831ec7");

/// Where the fork's state comes from.
#[derive(Debug)]
pub struct Upstream {
    /// Printed by every fork test: which upstream it used.
    pub label: String,
    /// Its RPC URL.
    pub url: String,
    /// The stand-in anvil, when no `MAINNET_RPC_URL` was given.
    pub standin: Option<Service>,
}

/// `MAINNET_RPC_URL` if set, else a freshly started stand-in with its logs in `dir`.
pub async fn upstream(dir: &Path) -> eyre::Result<Upstream> {
    if let Some(url) = std::env::var("MAINNET_RPC_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        return Ok(Upstream {
            label: "Ethereum mainnet (MAINNET_RPC_URL)".into(),
            url,
            standin: None,
        });
    }
    let port = procs::free_port()?;
    let args = ["--chain-id", "1"].map(String::from);
    let anvil = procs::spawn_anvil(port, &args, &dir.join("standin.log")).await?;
    let url = format!("http://127.0.0.1:{port}");
    let provider = chain::read_provider(&url)?;
    for (token, contract) in [(USDC, "UsdcStandIn"), (USDT, "UsdtStandIn")] {
        provider
            .anvil_set_code(token, runtime_code(contract)?)
            .await?;
    }
    Ok(Upstream {
        label: format!(
            "local mainnet stand-in at {url} (USDC/USDT stand-ins at their mainnet addresses; no MAINNET_RPC_URL)"
        ),
        url,
        standin: Some(anvil),
    })
}

/// Starts an anvil forking `upstream_url` without on-disk fork caching.
pub async fn fork(upstream_url: &str, dir: &Path) -> eyre::Result<(Service, String)> {
    let port = procs::free_port()?;
    let args = ["--fork-url", upstream_url, "--no-storage-caching"].map(String::from);
    let anvil = procs::spawn_anvil(port, &args, &dir.join("fork.log")).await?;
    Ok((anvil, format!("http://127.0.0.1:{port}")))
}

/// The repository root (the directory holding foundry.toml).
pub fn repo_root() -> eyre::Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::current_dir()
        .ok()
        .into_iter()
        .chain([manifest])
        .flat_map(|d| d.ancestors().map(Path::to_owned).collect::<Vec<_>>())
        .find(|d| d.join("foundry.toml").is_file())
        .ok_or_else(|| eyre!("foundry.toml not found above the current directory"))
}

/// The forge executable: `forge` in `node_modules/.bin` of the repository, else on PATH.
pub fn forge_bin() -> eyre::Result<PathBuf> {
    let local = repo_root()?.join("node_modules/.bin/forge");
    Ok(if local.is_file() {
        local
    } else {
        PathBuf::from("forge")
    })
}

/// Runtime bytecode of a stand-in contract from the forge artifacts, building them with
/// `forge build` when they are missing.
fn runtime_code(contract: &str) -> eyre::Result<Bytes> {
    let root = repo_root()?;
    let artifact = root.join(format!("solidity/out/StandInTokens.sol/{contract}.json"));
    if !artifact.is_file() {
        tracing::info!("building the contracts (forge build) for the stand-in tokens");
        let status = std::process::Command::new(forge_bin()?)
            .arg("build")
            .current_dir(&root)
            .status()
            .wrap_err("running forge build (source tools/setup.sh first)")?;
        if !status.success() {
            bail!("forge build failed ({status})");
        }
    }
    let text = std::fs::read_to_string(&artifact)
        .wrap_err_with(|| format!("reading {}", artifact.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)?;
    let hex = json["deployedBytecode"]["object"]
        .as_str()
        .ok_or_else(|| eyre!("{} has no deployedBytecode", artifact.display()))?;
    Ok(hex.parse()?)
}

/// Sets `who`'s balance of `token` to `amount` by finding the balance mapping's slot
/// (the first 32 slots, Solidity layout), like forge-std's `deal`: works for the real
/// USDC (slot 9) and USDT (slot 2) as for the stand-ins.
pub async fn deal(
    provider: &DynProvider,
    token: Address,
    who: Address,
    amount: U256,
) -> eyre::Result<()> {
    let erc20 = IERC20::new(token, provider.clone());
    for slot in 0u64..32 {
        let key: U256 = keccak256((who, U256::from(slot)).abi_encode()).into();
        let old = provider.get_storage_at(token, key).await?;
        provider
            .anvil_set_storage_at(token, key, B256::from(amount))
            .await?;
        if erc20.balanceOf(who).call().await? == amount {
            return Ok(());
        }
        provider
            .anvil_set_storage_at(token, key, B256::from(old))
            .await?;
    }
    bail!("no balance slot found for {token} among the first 32 storage slots")
}
