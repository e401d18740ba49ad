//! One module per `plasma` subcommand, plus the connection arguments they share. Each
//! parses its arguments, calls `plasma-client` or `plasma-devnet`, and prints through
//! [`Output`](crate::Output).

pub mod balance;
pub mod challenge;
pub mod cost_report;
pub mod deploy;
pub mod deposit;
pub mod devnet;
pub mod exit;
pub mod fork_test;
pub mod history;
pub mod piggyback;
pub mod process;
pub mod send;
pub mod soak;
pub mod status;
pub mod utxos;
pub mod watch;

#[cfg(test)]
mod shapes;

use std::path::PathBuf;

use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, bail};
use plasma_bindings::Deployment;
use plasma_client::api::IndexerClient;
use plasma_client::journal::Journal;
use plasma_client::{Ctx, chain};

/// Where the root chain, the deployment, the operator and the indexer are.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnArgs {
    /// Root-chain JSON-RPC URL.
    #[arg(long, env = "PLASMA_RPC_URL", default_value = "http://127.0.0.1:8545")]
    pub rpc_url: String,
    /// The deployment file written by `plasma deploy` / `plasma devnet`.
    #[arg(
        long,
        env = "PLASMA_DEPLOYMENT",
        default_value = ".devnet/deployment.json"
    )]
    pub deployment: PathBuf,
    /// The operator's HTTP API.
    #[arg(
        long,
        env = "PLASMA_OPERATOR_URL",
        default_value = "http://127.0.0.1:8550"
    )]
    pub operator_url: String,
    /// The indexer's HTTP API.
    #[arg(
        long,
        env = "PLASMA_INDEXER_URL",
        default_value = "http://127.0.0.1:8551"
    )]
    pub indexer_url: String,
}

/// The user's key, for commands that sign.
#[derive(Debug, Clone, clap::Args)]
pub struct KeyArgs {
    /// Private key (hex) of the account that signs.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: String,
}

/// The wallet's directory: its journal of every transaction `plasma send` signs.
#[derive(Debug, Clone, clap::Args)]
pub struct WalletArgs {
    /// Directory of the wallet's journal (`journal.jsonl`).
    #[arg(long, env = "PLASMA_WALLET_DIR", default_value = ".plasma")]
    pub wallet_dir: PathBuf,
}

impl WalletArgs {
    /// The journal, seen for `ctx`'s deployment.
    pub fn journal(&self, ctx: &Ctx) -> eyre::Result<Journal> {
        Ok(Journal::open(
            &self.wallet_dir,
            ctx.deployment.chain_id,
            ctx.deployment.root_chain,
        )?)
    }
}

/// A user acting with their key and their journal: connection, key, wallet directory.
#[derive(Debug, Clone, clap::Args)]
pub struct UserArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// The user's key.
    pub key: KeyArgs,
    #[command(flatten)]
    /// The journal.
    pub wallet: WalletArgs,
}

impl UserArgs {
    /// Connects with the key and opens the journal for the deployment.
    pub async fn connect(&self) -> eyre::Result<(Ctx, Journal)> {
        let ctx = self.conn.connect(Some(self.key.signer()?)).await?;
        let journal = self.wallet.journal(&ctx)?;
        Ok((ctx, journal))
    }
}

impl KeyArgs {
    /// The signer.
    pub fn signer(&self) -> eyre::Result<PrivateKeySigner> {
        chain::parse_key(&self.private_key)
    }
}

impl ConnArgs {
    /// Reads the deployment, connects, and checks that the RPC serves the deployment's chain.
    pub async fn connect(&self, signer: Option<PrivateKeySigner>) -> eyre::Result<Ctx> {
        let deployment = Deployment::read(&self.deployment)
            .wrap_err("no deployment: start `plasma devnet` or pass --deployment <file>")?;
        Ctx::new(
            deployment,
            &self.rpc_url,
            &self.operator_url,
            &self.indexer_url,
            signer,
        )?
        .check_chain()
        .await
    }
}

/// An address to look up at the indexer: `--address`, else the key's address.
#[derive(Debug, Clone, clap::Args)]
pub struct AddressArgs {
    /// The indexer's HTTP API.
    #[arg(
        long,
        env = "PLASMA_INDEXER_URL",
        default_value = "http://127.0.0.1:8551"
    )]
    pub indexer_url: String,
    /// The address; defaults to the key's address.
    #[arg(long)]
    pub address: Option<Address>,
    /// Private key whose address to use when --address is not given.
    #[arg(long, env = "PLASMA_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
}

impl AddressArgs {
    /// The address and a client for the indexer.
    pub fn resolve(&self) -> eyre::Result<(Address, IndexerClient)> {
        Ok((
            address_or_key(self.address, self.private_key.as_deref())?,
            IndexerClient::new(&self.indexer_url),
        ))
    }
}

/// Resolves `--address`, falling back to the key's address.
pub fn address_or_key(address: Option<Address>, key: Option<&str>) -> eyre::Result<Address> {
    match (address, key) {
        (Some(a), _) => Ok(a),
        (None, Some(k)) => Ok(chain::parse_key(k)?.address()),
        (None, None) => bail!("give --address or --private-key (PLASMA_PRIVATE_KEY)"),
    }
}
