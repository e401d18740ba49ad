//! The one way the toolkit signs root-chain transactions from a long-lived process (the
//! watchtower, wallets, `plasma watch`, the soak): gas estimated, chain id fetched, and the
//! nonce read from the node's pending count for every transaction. alloy's default nonce
//! cache advances on a send that failed (an RPC outage, a reverted estimate) and survives a
//! reorganisation, after which every later transaction carries a nonce the node will
//! never mine.

use alloy::{
    network::EthereumWallet,
    providers::{DynProvider, Provider, ProviderBuilder},
    signers::local::PrivateKeySigner,
    transports::http::reqwest::Url,
};

/// A provider on `url` that signs with `signer`, reading the nonce afresh for every
/// transaction (one sender must not send two transactions at once through it).
pub fn signing_provider(url: Url, signer: PrivateKeySigner) -> DynProvider {
    ProviderBuilder::new()
        .disable_recommended_fillers()
        .with_gas_estimation()
        .with_simple_nonce_management()
        .fetch_chain_id()
        .wallet(EthereumWallet::from(signer))
        .connect_http(url)
        .erased()
}
