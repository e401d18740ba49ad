//! `plasma deploy`: deploys the exit-game modules and the RootChain that serves them
//! (`plasma_client::deploy`) with a key and parameters, waits for confirmations and
//! writes the deployment file.

use std::path::PathBuf;

use alloy::primitives::{Address, U256};
use plasma_client::{DeployParams, chain, deploy_root_chain};

use crate::Output;

/// Arguments of `plasma deploy`.
#[derive(Debug, Clone, clap::Args)]
pub struct DeployArgs {
    /// Root-chain JSON-RPC URL.
    #[arg(long, env = "PLASMA_RPC_URL", default_value = "http://127.0.0.1:8545")]
    pub rpc_url: String,
    /// Private key (hex) of the deployer.
    #[arg(long, env = "PLASMA_DEPLOYER_KEY", hide_env_values = true)]
    pub private_key: String,
    /// The operator; defaults to the deployer.
    #[arg(long)]
    pub operator: Option<Address>,
    #[command(flatten)]
    /// Contract parameters.
    pub params: ParamArgs,
    /// Confirmations to wait for before writing the file.
    #[arg(long, default_value_t = 1)]
    pub confirmations: u64,
    /// Where to write the deployment file.
    #[arg(long, default_value = "deployment.json")]
    pub out: PathBuf,
}

/// The exit-game parameters (the operator aside), fixed at deployment.
#[derive(Debug, Clone, clap::Args)]
pub struct ParamArgs {
    /// Minimum exit period in seconds (a week on mainnet; at least 60).
    #[arg(long, default_value_t = 604_800)]
    pub min_exit_period: u64,
    /// Gas price in wei at which bonds repay a challenge's and a processing's gas; the
    /// bond is derived from it (docs/CONTRACTS.md).
    #[arg(long, default_value = "20000000000")]
    pub bond_gas_price: U256,
}

impl From<&ParamArgs> for DeployParams {
    fn from(p: &ParamArgs) -> Self {
        Self {
            min_exit_period: p.min_exit_period,
            bond_gas_price: p.bond_gas_price,
        }
    }
}

impl DeployArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let signer = chain::parse_key(&self.private_key)?;
        let operator = self.operator.unwrap_or(signer.address());
        let provider = chain::wallet_provider(&self.rpc_url, signer)?;
        let params = DeployParams::from(&self.params);
        let deployment =
            deploy_root_chain(&provider, operator, &params, self.confirmations).await?;
        deployment.write(&self.out)?;
        tracing::info!(file = %self.out.display(), "deployment written");
        out.emit(&deployment, |d| {
            format!(
                "RootChain {:#x} on chain {} (block {})\noperator {:#x}\ndeployment file {}",
                d.root_chain,
                d.chain_id,
                d.deploy_block,
                d.operator,
                self.out.display()
            )
        })
    }
}
