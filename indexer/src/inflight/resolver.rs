//! The [`Resolver`]: each new in-flight exit's transaction bytes, found in the start's
//! calldata ([`find_tx_bytes`]), and its start time.

use crate::store::{AnyStore, IndexerStore, StoreError};
use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256, Bytes, keccak256},
    providers::{DynProvider, Provider},
    rpc::types::Filter,
    sol_types::SolEvent,
    transports::TransportError,
};
use plasma_bindings::RootChain;
use std::time::Duration;

/// Why a resolver step stopped (it is retried on the next poll).
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The root-chain RPC failed.
    #[error("root-chain RPC: {0}")]
    Rpc(#[from] TransportError),
    /// The start's root-chain block is gone (a reorganisation the follower has not yet
    /// rolled back).
    #[error("root-chain block {0} not found")]
    BlockMissing(u64),
}

/// Recovers the transaction bytes and start time of newly started in-flight exits.
#[derive(Debug, Clone)]
pub struct Resolver<S = AnyStore> {
    /// Root-chain provider.
    pub provider: DynProvider,
    /// The database.
    pub store: S,
    /// The RootChain contract.
    pub root_chain: Address,
}

impl<S: IndexerStore> Resolver<S> {
    /// Resolves every exit not resolved yet; returns how many.
    pub async fn step(&self) -> Result<usize, ResolveError> {
        let mut done = 0;
        for (exit_id, root_block) in self.store.unresolved_inflight_exits().await? {
            let block = self
                .provider
                .get_block_by_number(BlockNumberOrTag::Number(root_block))
                .await?
                .ok_or(ResolveError::BlockMissing(root_block))?;
            let tx = match self.tx_in_calldata(exit_id, root_block).await? {
                Some(found) => Some(found),
                None => match self.store.tx_by_hash(exit_id).await {
                    Ok(Some(known)) => Some((known.bytes, known.signatures)),
                    _ => None,
                },
            };
            self.store
                .resolve_inflight_exit(exit_id, tx, block.header.timestamp)
                .await?;
            done += 1;
        }
        Ok(done)
    }

    /// The in-flight transaction (and its signatures, for a direct call) found in the
    /// calldata of the start's transaction.
    async fn tx_in_calldata(
        &self,
        exit_id: B256,
        root_block: u64,
    ) -> Result<Option<(Bytes, Vec<Bytes>)>, ResolveError> {
        let filter = Filter::new()
            .address(self.root_chain)
            .from_block(root_block)
            .to_block(root_block)
            .event_signature(RootChain::InFlightExitStarted::SIGNATURE_HASH)
            .topic1(exit_id);
        let logs = self.provider.get_logs(&filter).await?;
        for log in logs {
            let Some(hash) = log.transaction_hash else {
                continue;
            };
            let tx = self.provider.get_transaction_by_hash(hash).await?;
            if let Some(tx) = tx {
                use alloy::{consensus::Transaction as _, sol_types::SolCall};
                let input = tx.inner.input();
                if let Ok(call) = RootChain::startInFlightExitCall::abi_decode(input)
                    && keccak256(&call.a.inFlightTx) == exit_id
                {
                    return Ok(Some((call.a.inFlightTx, call.a.inputSignatures)));
                }
                if let Some(found) = find_tx_bytes(input, exit_id) {
                    return Ok(Some((found, Vec::new())));
                }
            }
        }
        Ok(None)
    }

    /// Runs until cancelled.
    pub async fn run(self, poll: Duration) {
        loop {
            if let Err(e) = self.step().await {
                tracing::warn!(error = %e, "in-flight resolver");
            }
            tokio::time::sleep(poll).await;
        }
    }
}

/// Finds, in ABI-encoded calldata, a `bytes` value (length word then data) hashing to
/// `exit_id`. It does not rely on the call's shape, so a start sent through a wallet
/// contract (the calldata nested in another call's) is found as well.
pub fn find_tx_bytes(calldata: &[u8], exit_id: B256) -> Option<Bytes> {
    let plausible =
        |len: usize| (1..=4).any(|i| (1..=4).any(|o| plasma_core::tx::encoded_len(i, o) == len));
    for at in 0..calldata.len().saturating_sub(32) {
        let word = &calldata[at..at + 32];
        if word[..30].iter().any(|b| *b != 0) {
            continue;
        }
        let len = usize::from(u16::from_be_bytes([word[30], word[31]]));
        let end = at + 32 + len;
        if !plausible(len) || end > calldata.len() {
            continue;
        }
        let data = &calldata[at + 32..end];
        if keccak256(data) == exit_id {
            return Some(Bytes::copy_from_slice(data));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::U256;
    use plasma_core::{position::UtxoPos, tx::Transaction};

    #[test]
    fn the_in_flight_tx_is_found_in_nested_calldata() {
        let tx = Transaction::payment(
            vec![UtxoPos(1_000_000_000)],
            vec![plasma_core::tx::Output {
                owner: Address::repeat_byte(1),
                token: Address::ZERO,
                amount: U256::from(5),
            }],
            B256::ZERO,
        )
        .unwrap();
        let bytes = tx.encode();
        let mut calldata = vec![0xaa, 0xbb, 0xcc, 0xdd, 0x01];
        calldata.extend_from_slice(&U256::from(bytes.len()).to_be_bytes::<32>());
        calldata.extend_from_slice(&bytes);
        calldata.extend_from_slice(&[0; 7]);
        assert_eq!(find_tx_bytes(&calldata, tx.hash()), Some(bytes));
        assert_eq!(find_tx_bytes(&calldata, B256::ZERO), None);
        assert_eq!(find_tx_bytes(&calldata[..40], tx.hash()), None);
    }
}
