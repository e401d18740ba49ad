//! A connection to every part of a deployed system: the root chain (through a provider
//! that signs when a key is given), the RootChain contract, the operator and the indexer.

use alloy::primitives::Address;
use alloy::providers::{DynProvider, Provider};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, bail, eyre};
use plasma_bindings::Deployment;

use crate::api::{IndexerClient, OperatorClient};
use crate::chain;
use crate::user::RootChainContract;

/// A connection to every part of a deployed system.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The deployment.
    pub deployment: Deployment,
    /// A provider (signing when a key was given).
    pub provider: DynProvider,
    /// The RootChain contract through `provider`.
    pub root: RootChainContract,
    /// The operator's API.
    pub operator: OperatorClient,
    /// The indexer's API.
    pub indexer: IndexerClient,
    /// The signer, if any.
    pub signer: Option<PrivateKeySigner>,
}

impl Ctx {
    /// A context for `deployment` on `rpc_url`, signing with `signer` when given. Nothing
    /// is contacted yet: [`Ctx::check_chain`] checks the chain.
    pub fn new(
        deployment: Deployment,
        rpc_url: &str,
        operator_url: &str,
        indexer_url: &str,
        signer: Option<PrivateKeySigner>,
    ) -> eyre::Result<Self> {
        let provider = match &signer {
            Some(s) => chain::wallet_provider(rpc_url, s.clone())?,
            None => chain::read_provider(rpc_url)?,
        };
        let root = RootChainContract::new(deployment.root_chain, provider.clone());
        Ok(Self {
            deployment,
            provider,
            root,
            operator: OperatorClient::new(operator_url),
            indexer: IndexerClient::new(indexer_url),
            signer,
        })
    }

    /// Checks that the RPC serves the deployment's chain (and is reachable at all).
    pub async fn check_chain(self) -> eyre::Result<Self> {
        let chain_id = self
            .provider
            .get_chain_id()
            .await
            .wrap_err("cannot reach the root chain")?;
        if chain_id != self.deployment.chain_id {
            bail!(
                "the root chain serves chain {chain_id}, but the deployment is on chain {}",
                self.deployment.chain_id
            );
        }
        Ok(self)
    }

    /// The signer's address, or an error when the command needs a key.
    pub fn me(&self) -> eyre::Result<Address> {
        Ok(self.signer()?.address())
    }

    /// The signer, or an error when the command needs a key.
    pub fn signer(&self) -> eyre::Result<&PrivateKeySigner> {
        self.signer
            .as_ref()
            .ok_or_else(|| eyre!("this command needs --private-key"))
    }

    /// The EIP-712 domain of this deployment.
    pub fn domain(&self) -> alloy::sol_types::Eip712Domain {
        plasma_core::sign::domain(self.deployment.chain_id, self.deployment.root_chain)
    }
}
