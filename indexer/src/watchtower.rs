//! The watchtower: finds active exits of outputs the indexer knows are spent, raises
//! `invalid_exit`, challenges them with the challenger key (the bond goes to the
//! challenger's own address), and raises `unchallenged_invalid_exit_near_maturity` when
//! such an exit is still active close to its exitable time.

use crate::{
    metrics::Metrics,
    proofs::ProofCache,
    store::{AnyStore, ByzantineKind, IndexerStore, StoreError},
};
use alloy::{
    primitives::{Address, B256},
    providers::{DynProvider, Provider},
};
use plasma_bindings::RootChain;
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// A provider that signs with the challenger key, and the challenger's address.
#[derive(Debug, Clone)]
pub struct Challenger {
    /// Provider with the challenger's wallet.
    pub provider: DynProvider,
    /// The challenger's address (receives the bonds).
    pub address: Address,
}

/// The watchtower, over any [`IndexerStore`].
#[derive(Debug, Clone)]
pub struct Watchtower<S = AnyStore> {
    /// The database.
    pub store: S,
    /// The RootChain contract.
    pub root_chain: Address,
    /// Sends challenges when set.
    pub challenger: Option<Challenger>,
    /// Warn when an invalid exit is active this close (seconds) to its exitable time.
    pub maturity_warning: u64,
    /// Metrics (also the source of the root chain's time).
    pub metrics: Arc<Metrics>,
    /// The contract's `MIN_EXIT_PERIOD` (the in-flight first phase is half of it).
    pub min_exit_period: u64,
    /// Proofs for in-flight challenges and responses.
    pub proofs: Arc<ProofCache>,
}

/// Whether a transaction the watchtower sent is still mined: false once a reorganisation
/// removed it, so the action is taken again (an RPC error counts as mined: better one
/// round late than twice).
pub(crate) async fn still_mined(provider: &DynProvider, tx_hash: B256) -> bool {
    match provider.get_transaction_receipt(tx_hash).await {
        Ok(Some(_)) | Err(_) => true,
        Ok(None) => {
            tracing::warn!(%tx_hash, "our transaction left the chain; acting again");
            false
        }
    }
}

impl<S: IndexerStore> Watchtower<S> {
    /// Checks every active invalid exit and every in-flight exit once. Returns the number
    /// of transactions sent.
    pub async fn step(&self) -> Result<usize, StoreError> {
        let mut sent = 0;
        let now = match self.metrics.root_head_timestamp() {
            0 => crate::store::now_secs_u64(),
            t => t,
        };
        // Every challenge is sent before any receipt is awaited: a backlog of invalid
        // exits (a mass attack, or a stretch without the root chain) is cleared in one
        // root block, not one block per exit.
        let mut pending = Vec::new();
        for exit in self.store.invalid_active_exits().await? {
            let pos = exit.utxo_pos;
            let Some(spend) = self.store.spend_of(pos).await? else {
                continue;
            };
            let detail = format!(
                "exit of {pos} by {:#x} but the output is spent by tx {:#x} (input {})",
                exit.owner, spend.spending_tx_hash, spend.input_index
            );
            if self
                .store
                .raise_exit_event(ByzantineKind::InvalidExit, pos, &detail)
                .await?
            {
                tracing::warn!(pos, "BYZANTINE: invalid exit");
                self.metrics.byzantine();
            }
            if exit.exitable_at.saturating_sub(now) <= self.maturity_warning {
                let detail = format!(
                    "invalid exit of {pos} is still active; exitable at {}",
                    exit.exitable_at
                );
                let kind = ByzantineKind::UnchallengedInvalidExitNearMaturity;
                if self.store.raise_exit_event(kind, pos, &detail).await? {
                    tracing::warn!(pos, "BYZANTINE: unchallenged invalid exit near maturity");
                    self.metrics.byzantine();
                }
            }
            let Some(challenger) = &self.challenger else {
                continue;
            };
            if let Some(ours) = exit.our_challenge_tx
                && still_mined(&challenger.provider, ours).await
            {
                continue;
            }
            let contract = RootChain::new(self.root_chain, challenger.provider.clone());
            let call = contract.challengeStandardExit(
                pos,
                spend.spending_tx,
                spend.input_index,
                spend.signature,
                challenger.address,
            );
            match call.send().await {
                Ok(tx) => pending.push((pos, tx)),
                Err(e) => tracing::warn!(pos, error = %e, "challenge not sent"),
            }
        }
        for (pos, tx) in pending {
            if let Some(tx_hash) = crate::inflight::confirmed("challenge", Ok(tx)).await {
                tracing::info!(pos, %tx_hash, "challenged invalid exit");
                self.store.record_challenge_sent(pos, tx_hash).await?;
                self.metrics.challenge_sent();
                sent += 1;
            }
        }
        sent += crate::inflight::watch(self, now).await?;
        Ok(sent)
    }

    /// Runs until cancelled: after every stored block or batch, and every `poll`.
    pub async fn run(self, poll: Duration, wake: Arc<Notify>) {
        loop {
            if let Err(e) = self.step().await {
                tracing::error!(error = %e, "watchtower");
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}
