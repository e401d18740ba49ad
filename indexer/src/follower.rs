//! The root-chain follower: reads the contract's events up to `head − confirmations`,
//! stores them with the new cursor in one database transaction, and detects
//! reorganisations by comparing the stored hash of the cursor block with the chain's;
//! on a mismatch it walks back through stored hashes to the common ancestor and rolls the
//! database back to it.

use crate::{
    metrics::Metrics,
    proofs::ProofCache,
    store::{InFlightEvent, IndexerStore, RootBatch, RootEvent, Store, StoreError},
};
use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256},
    providers::{DynProvider, Provider},
    rpc::types::Filter,
    sol_types::SolEventInterface,
};
use plasma_bindings::RootChain::RootChainEvents;
use std::{sync::Arc, time::Duration};
use tokio::sync::Notify;

/// Errors of the follower.
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    /// RPC failure.
    #[error("rpc: {0}")]
    Rpc(String),
    /// Database failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A block the node should have is missing.
    #[error("root-chain block {0} not found")]
    MissingBlock(u64),
}

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowStep {
    /// Nothing new beyond the confirmation margin.
    Idle,
    /// Stored events up to this root-chain block.
    Advanced(u64),
    /// Rolled back to this ancestor after a reorganisation.
    RolledBack(u64),
}

/// The follower, over any [`IndexerStore`].
#[derive(Debug, Clone)]
pub struct Follower<S = Store> {
    /// Root-chain provider.
    pub provider: DynProvider,
    /// The database.
    pub store: S,
    /// The RootChain contract.
    pub root_chain: Address,
    /// Blocks to wait after the head.
    pub confirmations: u64,
    /// Block of the deployment (events start there).
    pub deploy_block: u64,
    /// Largest range per `eth_getLogs`.
    pub max_range: u64,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// Proof cache, cleared on rollback.
    pub proofs: Arc<ProofCache>,
    /// Woken after every stored batch.
    pub advanced: Arc<Notify>,
}

fn rpc<E: std::fmt::Display>(e: E) -> FollowError {
    FollowError::Rpc(e.to_string())
}

impl<S: IndexerStore> Follower<S> {
    async fn header(&self, number: u64) -> Result<(B256, B256, u64), FollowError> {
        let block = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await
            .map_err(rpc)?
            .ok_or(FollowError::MissingBlock(number))?;
        Ok((
            block.header.hash,
            block.header.parent_hash,
            block.header.timestamp,
        ))
    }

    /// One step: reorg check, then the next range of events.
    pub async fn step(&self) -> Result<FollowStep, FollowError> {
        let head = self.provider.get_block_number().await.map_err(rpc)?;
        let (_, _, head_ts) = self.header(head).await?;
        self.metrics.set_root_head(head, head_ts);
        let start = self.deploy_block.saturating_sub(1);
        let (cursor, cursor_hash) = match self.store.cursor().await? {
            Some(c) => c,
            None => (start, self.header(start).await?.0),
        };
        self.metrics.set_root_block(cursor);
        if cursor > head || self.header(cursor).await?.0 != cursor_hash {
            let ancestor = self.rollback(cursor.min(head)).await?;
            return Ok(FollowStep::RolledBack(ancestor));
        }
        let safe = head.saturating_sub(self.confirmations);
        if safe <= cursor {
            return Ok(FollowStep::Idle);
        }
        let to = safe.min(cursor + self.max_range);
        let (to_hash, _, _) = self.header(to).await?;
        let (_, first_parent, _) = self.header(cursor + 1).await?;
        if first_parent != cursor_hash {
            return Ok(FollowStep::Idle);
        }
        let filter = Filter::new()
            .address(self.root_chain)
            .from_block(cursor + 1)
            .to_block(to);
        let logs = self.provider.get_logs(&filter).await.map_err(rpc)?;
        let mut batch = RootBatch {
            events: Vec::with_capacity(logs.len()),
            to_block: to,
            to_hash,
        };
        for log in logs {
            let number = log.block_number.unwrap_or(to);
            if number == to && log.block_hash.is_some_and(|h| h != to_hash) {
                return Ok(FollowStep::Idle);
            }
            if let Some(event) = decode(&log.inner) {
                batch.events.push((number, event));
            }
        }
        if self.header(to).await?.0 != to_hash {
            return Ok(FollowStep::Idle);
        }
        self.store.apply_root_batch(&batch).await?;
        self.metrics.set_root_block(to);
        self.advanced.notify_one();
        Ok(FollowStep::Advanced(to))
    }

    async fn rollback(&self, below: u64) -> Result<u64, FollowError> {
        let mut ancestor = None;
        for (number, hash) in self.store.root_headers(below, 10_000).await? {
            if self.header(number).await?.0 == hash {
                ancestor = Some((number, hash));
                break;
            }
        }
        let (number, hash) = match ancestor {
            Some(found) => found,
            None => {
                let start = self.deploy_block.saturating_sub(1);
                (start, self.header(start).await?.0)
            }
        };
        tracing::warn!(ancestor = number, "root-chain reorganisation: rolling back");
        self.store.rollback_to(number, hash).await?;
        self.proofs.clear();
        self.metrics.reorg();
        Ok(number)
    }

    /// Runs until cancelled.
    pub async fn run(self, poll: Duration) {
        loop {
            match self.step().await {
                Ok(FollowStep::Advanced(_)) | Ok(FollowStep::RolledBack(_)) => continue,
                Ok(FollowStep::Idle) => {}
                Err(e) => tracing::warn!(error = %e, "root-chain follower"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}

/// Decodes one of the contract's logs into the events the indexer follows.
pub fn decode(log: &alloy::primitives::Log) -> Option<RootEvent> {
    let event = RootChainEvents::decode_log(log).ok()?.data;
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
                inputs: e.inputUtxoPos.into_iter().zip(e.inputIds).collect(),
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
            blocked(e.exitId, e.challenger, false, e.index)
        }
        RootChainEvents::InFlightExitOutputBlocked(e) => {
            blocked(e.exitId, e.challenger, true, e.index)
        }
        RootChainEvents::InFlightExitInputWithdrawn(e) => withdrawn(
            (e.exitId, e.owner, false, e.index),
            (e.token, e.paid, e.deferred),
        ),
        RootChainEvents::InFlightExitOutputWithdrawn(e) => withdrawn(
            (e.exitId, e.owner, true, e.index),
            (e.token, e.paid, e.deferred),
        ),
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

/// `InFlightExitInputBlocked` / `InFlightExitOutputBlocked`.
fn blocked(exit_id: B256, challenger: Address, is_output: bool, index: u8) -> RootEvent {
    RootEvent::InFlight(InFlightEvent::Blocked {
        exit_id,
        challenger,
        is_output,
        index,
    })
}

/// `InFlightExitInputWithdrawn` / `InFlightExitOutputWithdrawn`.
fn withdrawn(
    (exit_id, owner, is_output, index): (B256, Address, bool, u8),
    (token, paid, deferred): (Address, alloy::primitives::U256, bool),
) -> RootEvent {
    RootEvent::InFlight(InFlightEvent::Withdrawn {
        exit_id,
        owner,
        is_output,
        index,
        token,
        paid,
        deferred,
    })
}
