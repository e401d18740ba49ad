//! `plasma fork-test`: runs the forge fork tests (`solidity/test/fork/`) against a fork of
//! Ethereum mainnet when `MAINNET_RPC_URL` is set, else of the local mainnet stand-in
//! (USDC/USDT stand-ins at their mainnet addresses). The fork is a second anvil
//! (`--fork-url <upstream> --no-storage-caching`); forge runs with `--fork-url` on it.

use std::time::Duration;

use eyre::{WrapErr, bail};
use serde::Serialize;

use plasma_devnet::standin;

use crate::Output;

/// Arguments of `plasma fork-test`.
#[derive(Debug, Clone, clap::Args)]
pub struct ForkTestArgs {
    /// The forge tests to run.
    #[arg(long, default_value = "solidity/test/fork/*")]
    pub match_path: String,
    /// Extra arguments for `forge test` (after `--`).
    #[arg(last = true)]
    pub forge_args: Vec<String>,
}

/// What `plasma fork-test` ran.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForkRun {
    /// The upstream the fork was taken from.
    pub upstream: String,
    /// forge's exit code.
    pub forge_exit_code: Option<i32>,
}

impl ForkTestArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let dir = std::env::temp_dir().join(format!("plasma-fork-test-{}", std::process::id()));
        let upstream = standin::upstream(&dir).await?;
        tracing::info!(upstream = upstream.label, "fork upstream");
        let (fork, fork_url) = standin::fork(&upstream.url, &dir).await?;
        let mut args = vec![
            "test".to_owned(),
            "--match-path".into(),
            self.match_path.clone(),
            "--fork-url".into(),
            fork_url,
            "-vv".into(),
        ];
        args.extend(self.forge_args.iter().cloned());
        let status = tokio::process::Command::new(standin::forge_bin()?)
            .args(&args)
            .env("PLASMA_FORK_UPSTREAM", &upstream.label)
            .current_dir(standin::repo_root()?)
            .kill_on_drop(true)
            .status()
            .await
            .wrap_err("running forge (source tools/setup.sh first)")?;
        for anvil in [Some(fork), upstream.standin].into_iter().flatten() {
            anvil.stop(Duration::from_secs(5)).await?;
        }
        let run = ForkRun {
            upstream: upstream.label,
            forge_exit_code: status.code(),
        };
        out.emit(&run, |r| format!("fork tests ran against {}", r.upstream))?;
        if !status.success() {
            bail!("forge fork tests failed ({status})");
        }
        Ok(())
    }
}
