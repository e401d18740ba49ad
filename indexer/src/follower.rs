//! Following the root chain through [`plasma_follower`] (one reorganisation algorithm for
//! both services): the contract's events are decoded into [`RootEvent`]s and stored by
//! the [`SyncStore`] with the cursor in one transaction; a reorganisation rolls the
//! database back to the common ancestor and clears the proof cache.

use crate::{
    metrics::Metrics,
    proofs::ProofCache,
    store::{InFlightEvent, RootBatch, RootEvent, StoreError, SyncStore},
};
use alloy::primitives::B256;
use plasma_follower::{Batch, FollowError, Follower, Journal, Outcome, RootChainEvents, Step};
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// The indexer's storage as the follower's [`Journal`].
#[derive(Debug, Clone)]
pub struct RootJournal<S>(pub S);

impl<S: SyncStore + Send + Sync> Journal for RootJournal<S> {
    type Error = StoreError;

    async fn cursor(&self) -> Result<Option<(u64, B256)>, StoreError> {
        self.0.cursor().await
    }

    async fn headers(&self, below: u64, limit: usize) -> Result<Vec<(u64, B256)>, StoreError> {
        self.0.root_headers(below, limit).await
    }

    async fn apply(&self, batch: &Batch) -> Result<(), StoreError> {
        let events = batch
            .logs
            .iter()
            .filter_map(|log| Some((log.block, decode(&log.event)?)))
            .collect();
        let batch = RootBatch {
            events,
            to_block: batch.to,
            to_hash: batch.to_hash,
        };
        self.0.apply_root_batch(&batch).await
    }

    async fn rollback_to(&self, ancestor: u64, hash: B256) -> Result<(), StoreError> {
        self.0.rollback_to(ancestor, hash).await
    }
}

/// Follows until cancelled: metrics after every step, the proof cache cleared after a
/// rollback, `advanced` woken after every stored batch.
pub async fn run<S: SyncStore + Send + Sync>(
    follower: Follower,
    store: S,
    poll: Duration,
    metrics: Arc<Metrics>,
    proofs: Arc<ProofCache>,
    advanced: Arc<Notify>,
) {
    let journal = RootJournal(store);
    follower
        .run(&journal, poll, |step| {
            match step {
                Ok(_) => {
                    metrics.health.root_chain_reached();
                    metrics.health.storage::<StoreError>("follower", Ok(()));
                }
                Err(FollowError::Journal(err)) => metrics.health.storage("follower", Err(err)),
                Err(_) => {}
            }
            let Ok(Step {
                head,
                head_timestamp,
                cursor,
                outcome,
            }) = *step
            else {
                return;
            };
            metrics.set_root_head(head, head_timestamp);
            metrics.set_root_block(cursor);
            match outcome {
                Outcome::Advanced(_) => advanced.notify_one(),
                Outcome::RolledBack(_) => {
                    proofs.clear();
                    metrics.reorg();
                }
                Outcome::Idle => {}
            }
        })
        .await;
}

/// Decodes one of the contract's events into the events the indexer follows.
pub fn decode(event: &RootChainEvents) -> Option<RootEvent> {
    Some(match event {
        RootChainEvents::BlockSubmitted(e) => RootEvent::BlockSubmitted {
            blknum: e.blknum.try_into().ok()?,
            root: e.root,
            timestamp: e.timestamp.try_into().ok()?,
        },
        RootChainEvents::DepositCreated(e) => RootEvent::Deposit {
            blknum: e.blknum.try_into().ok()?,
            owner: e.owner,
            token: e.token,
            amount: e.amount,
            root: e.root,
            timestamp: e.timestamp.try_into().ok()?,
        },
        RootChainEvents::ExitStarted(e) => RootEvent::ExitStarted {
            pos: e.utxoPos,
            owner: e.owner,
            token: e.token,
            amount: e.amount,
            exitable_at: e.exitableAt,
        },
        RootChainEvents::ExitChallenged(e) => RootEvent::ExitChallenged {
            pos: e.utxoPos,
            challenger: e.challenger,
            spending_tx_hash: e.spendingTxHash,
        },
        RootChainEvents::ExitProcessed(e) => RootEvent::ExitProcessed {
            pos: e.utxoPos,
            paid: !e.deferred,
        },
        RootChainEvents::InFlightExitStarted(e) => {
            if e.inputUtxoPos.len() != e.inputIds.len() {
                return None;
            }
            RootEvent::InFlight(InFlightEvent::Started {
                exit_id: e.exitId,
                starter: e.starter,
                inputs: e
                    .inputUtxoPos
                    .iter()
                    .copied()
                    .zip(e.inputIds.iter().copied())
                    .collect(),
                exitable_at: e.exitableAt,
                youngest_pos: e.youngestPos,
            })
        }
        RootChainEvents::InFlightExitPiggybacked(e) => {
            RootEvent::InFlight(InFlightEvent::Piggybacked {
                exit_id: e.exitId,
                owner: e.owner,
                is_output: e.isOutput,
                index: e.index,
                token: e.token,
                amount: e.amount,
            })
        }
        RootChainEvents::InFlightExitChallenged(e) => {
            RootEvent::InFlight(InFlightEvent::Challenged {
                exit_id: e.exitId,
                challenger: e.challenger,
                competing_tx_hash: e.competingTxHash,
                competitor_pos: e.competitorPos,
            })
        }
        RootChainEvents::InFlightExitChallengeResponded(e) => {
            RootEvent::InFlight(InFlightEvent::Responded {
                exit_id: e.exitId,
                responder: e.responder,
                tx_pos: e.txPos,
            })
        }
        RootChainEvents::InFlightExitInputBlocked(e) => {
            RootEvent::InFlight(InFlightEvent::Blocked {
                exit_id: e.exitId,
                challenger: e.challenger,
                is_output: false,
                index: e.index,
            })
        }
        RootChainEvents::InFlightExitOutputBlocked(e) => {
            RootEvent::InFlight(InFlightEvent::Blocked {
                exit_id: e.exitId,
                challenger: e.challenger,
                is_output: true,
                index: e.index,
            })
        }
        RootChainEvents::InFlightExitInputWithdrawn(e) => {
            RootEvent::InFlight(InFlightEvent::Withdrawn {
                exit_id: e.exitId,
                owner: e.owner,
                is_output: false,
                index: e.index,
                token: e.token,
                paid: e.paid,
                deferred: e.deferred,
            })
        }
        RootChainEvents::InFlightExitOutputWithdrawn(e) => {
            RootEvent::InFlight(InFlightEvent::Withdrawn {
                exit_id: e.exitId,
                owner: e.owner,
                is_output: true,
                index: e.index,
                token: e.token,
                paid: e.paid,
                deferred: e.deferred,
            })
        }
        RootChainEvents::InFlightExitCanonicityDecided(e) => {
            RootEvent::InFlight(InFlightEvent::CanonicityDecided {
                exit_id: e.exitId,
                canonical: e.canonical,
            })
        }
        RootChainEvents::InFlightExitFinalized(e) => {
            RootEvent::InFlight(InFlightEvent::Finalized {
                exit_id: e.exitId,
                bond_owner: e.bondOwner,
            })
        }
        _ => return None,
    })
}
