//! The root-chain client (alloy over HTTP, signing with the operator key): the calls and
//! queries the submitter needs, through the `RootChain` bindings of `plasma-bindings`.
//! The follower reads the contract's events through `plasma-follower`.

use std::time::Duration;

use alloy::{
    eips::BlockNumberOrTag,
    network::EthereumWallet,
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
};
use plasma_bindings::RootChain;

/// A root on the root chain: what `BlockSubmitted` recorded, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Submission {
    /// The root recorded.
    pub root: B256,
    /// Root-chain block holding the event.
    pub eth_block: u64,
    /// Its hash.
    pub eth_block_hash: B256,
}

/// A root-chain failure (all are retried by the callers).
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The RPC endpoint failed or answered an error.
    #[error("rpc: {0}")]
    Rpc(String),
    /// The RPC URL does not parse.
    #[error("bad rpc url {0}")]
    BadUrl(String),
}

fn rpc(e: impl std::fmt::Display) -> ChainError {
    ChainError::Rpc(e.to_string())
}

/// Connection to the root chain and the RootChain contract.
#[derive(Debug, Clone)]
pub struct Chain {
    provider: DynProvider,
    contract: RootChain::RootChainInstance<DynProvider>,
    operator: Address,
}

impl Chain {
    /// Connects to `rpc_url`, signing with `key`.
    pub fn connect(
        rpc_url: &str,
        key: PrivateKeySigner,
        root_chain: Address,
    ) -> Result<Self, ChainError> {
        let url = rpc_url
            .parse()
            .map_err(|_| ChainError::BadUrl(rpc_url.to_owned()))?;
        let operator = key.address();
        let provider = ProviderBuilder::new()
            .wallet(EthereumWallet::from(key))
            .connect_http(url)
            .erased();
        let contract = RootChain::new(root_chain, provider.clone());
        Ok(Self {
            provider,
            contract,
            operator,
        })
    }

    /// The operator account.
    pub fn operator(&self) -> Address {
        self.operator
    }

    /// The chain id the endpoint reports.
    pub async fn chain_id(&self) -> Result<u64, ChainError> {
        self.provider.get_chain_id().await.map_err(rpc)
    }

    /// The operator registered in the contract.
    pub async fn contract_operator(&self) -> Result<Address, ChainError> {
        self.contract.operator().call().await.map_err(rpc)
    }

    /// The contract's `nextChildBlock`.
    pub async fn next_child_block(&self) -> Result<u64, ChainError> {
        let n: U256 = self.contract.nextChildBlock().call().await.map_err(rpc)?;
        u64::try_from(n).map_err(rpc)
    }

    /// The root the contract recorded for child block `blknum`, with the root-chain block
    /// that holds its `BlockSubmitted` event.
    pub async fn submitted_root(
        &self,
        blknum: u64,
        from_block: u64,
    ) -> Result<Option<Submission>, ChainError> {
        let logs = self
            .contract
            .BlockSubmitted_filter()
            .topic1(U256::from(blknum))
            .from_block(from_block)
            .to_block(BlockNumberOrTag::Latest)
            .query()
            .await
            .map_err(rpc)?;
        Ok(logs.last().and_then(|(ev, log)| {
            Some(Submission {
                root: ev.root,
                eth_block: log.block_number?,
                eth_block_hash: log.block_hash?,
            })
        }))
    }

    /// Confirmed nonce (transactions mined) of the operator account.
    pub async fn nonce_latest(&self) -> Result<u64, ChainError> {
        self.provider
            .get_transaction_count(self.operator)
            .latest()
            .await
            .map_err(rpc)
    }

    /// Next nonce including the operator's pending transactions.
    pub async fn nonce_pending(&self) -> Result<u64, ChainError> {
        self.provider
            .get_transaction_count(self.operator)
            .pending()
            .await
            .map_err(rpc)
    }

    /// Sends `submitBlock(root)` with an explicit nonce; returns the transaction hash.
    pub async fn send_submit_block(&self, root: B256, nonce: u64) -> Result<B256, ChainError> {
        let pending = self
            .contract
            .submitBlock(root)
            .nonce(nonce)
            .send()
            .await
            .map_err(rpc)?;
        Ok(*pending.tx_hash())
    }

    /// Waits up to `timeout` for a transaction to be mined; true if it was.
    pub async fn wait_mined(&self, tx: B256, timeout: Duration) -> Result<bool, ChainError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self
                .provider
                .get_transaction_receipt(tx)
                .await
                .map_err(rpc)?
                .is_some()
            {
                return Ok(true);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The newest block number.
    pub async fn head(&self) -> Result<u64, ChainError> {
        self.provider.get_block_number().await.map_err(rpc)
    }

    /// The hash of the canonical block `number`, if it exists.
    pub async fn block_hash(&self, number: u64) -> Result<Option<B256>, ChainError> {
        let block = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await
            .map_err(rpc)?;
        Ok(block.map(|b| b.header.hash))
    }

    /// The provider (the follower reads the contract's logs through it).
    pub fn provider(&self) -> DynProvider {
        self.provider.clone()
    }
}
