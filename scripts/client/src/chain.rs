//! Root-chain access: providers with and without a signing wallet, the well-known anvil
//! development keys, amounts in human units, and sending a call to its receipt.

use std::time::Duration;

use alloy::primitives::{U256, utils::parse_units};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::signers::local::PrivateKeySigner;
use eyre::{WrapErr, bail, eyre};

/// Private keys of anvil's default mnemonic (`test test … junk`), accounts 0–9. Public
/// development keys: never use them on a real network.
pub const DEV_KEYS: [&str; 10] = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];

/// The signer of development account `index` (0–9).
pub fn dev_signer(index: usize) -> PrivateKeySigner {
    DEV_KEYS[index]
        .parse()
        .expect("anvil development keys are valid")
}

/// Parses a hex private key (with or without `0x`), without echoing it in the error.
pub fn parse_key(key: &str) -> eyre::Result<PrivateKeySigner> {
    key.trim()
        .parse()
        .map_err(|_| eyre!("the private key is not 32 bytes of hex"))
}

/// A read-only provider.
pub fn read_provider(rpc_url: &str) -> eyre::Result<DynProvider> {
    let url = rpc_url
        .parse()
        .wrap_err_with(|| format!("bad RPC URL {rpc_url:?}"))?;
    Ok(ProviderBuilder::new().connect_http(url).erased())
}

/// A provider that signs and sends transactions with `signer` (nonce, gas and chain id
/// filled in).
pub fn wallet_provider(rpc_url: &str, signer: PrivateKeySigner) -> eyre::Result<DynProvider> {
    let url = rpc_url
        .parse()
        .wrap_err_with(|| format!("bad RPC URL {rpc_url:?}"))?;
    Ok(plasma_bindings::signing::signing_provider(url, signer))
}

/// Parses a human amount (`1.5`) into base units of a token with `decimals` decimals.
pub fn parse_amount(amount: &str, decimals: u8) -> eyre::Result<U256> {
    let value = parse_units(amount, decimals)
        .wrap_err_with(|| format!("bad amount {amount:?} (expected a decimal number)"))?;
    let value: U256 = value.into();
    if value.is_zero() {
        bail!("the amount must be positive");
    }
    Ok(value)
}

/// Waits for a sent transaction's receipt (with `confirmations`) and fails if it reverted.
pub async fn confirm<N>(
    pending: alloy::providers::PendingTransactionBuilder<N>,
    what: &str,
    confirmations: u64,
) -> eyre::Result<N::ReceiptResponse>
where
    N: alloy::network::Network,
{
    use alloy::network::ReceiptResponse;
    let receipt = pending
        .with_required_confirmations(confirmations)
        .with_timeout(Some(Duration::from_secs(120)))
        .get_receipt()
        .await
        .wrap_err_with(|| format!("waiting for the {what} receipt"))?;
    if !receipt.status() {
        bail!(
            "the {what} transaction {} reverted",
            receipt.transaction_hash()
        );
    }
    Ok(receipt)
}
