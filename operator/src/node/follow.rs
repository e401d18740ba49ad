//! Following the root chain (through `plasma-follower`): deposits credited and exit
//! events recorded after the confirmation margin, and both undone when a deeper
//! reorganisation rolls the node back to the common ancestor.

use std::sync::atomic::Ordering;

use alloy::primitives::B256;
use plasma_core::deposit::deposit_position;

use plasma_core::Output;
use plasma_follower::{Batch, Journal, RootChainEvents};

use super::{Deposit, Node, NodeError};
use crate::store::{Cursor, ExitEvent, ExitKind, OutputPiggyback};

/// The node as the root-chain follower's journal: a batch's deposits are credited and
/// its exit events recorded; a rollback takes back what came after the ancestor.
impl Journal for Node {
    type Error = NodeError;

    async fn cursor(&self) -> Result<Option<(u64, B256)>, NodeError> {
        Ok(self
            .store
            .cursor()
            .await?
            .map(|c| (c.eth_block, c.eth_hash)))
    }

    async fn headers(&self, below: u64, limit: usize) -> Result<Vec<(u64, B256)>, NodeError> {
        Ok(self.store.root_headers(below, limit).await?)
    }

    async fn apply(&self, batch: &Batch) -> Result<(), NodeError> {
        let (deposits, exits, piggybacks) = records(batch);
        self.apply_root_events(&deposits, &exits, &piggybacks, (batch.to, batch.to_hash))
            .await
    }

    async fn rollback_to(&self, ancestor: u64, hash: B256) -> Result<(), NodeError> {
        let dropped: Vec<u64> = self
            .store
            .deposits()
            .await?
            .into_iter()
            .filter(|d| d.eth_block > ancestor)
            .map(|d| d.blknum)
            .collect();
        let undone: Vec<ExitEvent> = self
            .store
            .exit_events()
            .await?
            .into_iter()
            .filter(|e| e.eth_block > ancestor)
            .collect();
        let unpiggybacked: Vec<OutputPiggyback> = self
            .store
            .output_piggybacks()
            .await?
            .into_iter()
            .filter(|p| p.eth_block > ancestor)
            .collect();
        self.undo_root_events(&dropped, &undone, &unpiggybacked, (ancestor, hash))
            .await?;
        Ok(())
    }
}

/// The deposits, exit events and output piggybacks of a batch, in log order: an in-flight
/// exit's start takes each of its inputs off the child chain like a standard exit's start,
/// and a piggyback takes an output of the in-flight transaction off (docs/SPEC.md "Exits
/// remove outputs from the child chain"). Other events are not the operator's concern.
fn records(batch: &Batch) -> (Vec<Deposit>, Vec<ExitEvent>, Vec<OutputPiggyback>) {
    let mut deposits = Vec::new();
    let mut exits = Vec::new();
    let mut piggybacks = Vec::new();
    for log in &batch.logs {
        let (eth_block, eth_block_hash) = (log.block, log.block_hash);
        let exit = |utxo_pos, kind| ExitEvent {
            utxo_pos,
            kind,
            eth_block,
            eth_block_hash,
        };
        match &log.event {
            RootChainEvents::DepositCreated(e) => {
                // Beyond u64 is outside the position space: refused as `BadDeposit`.
                let blknum = u64::try_from(e.blknum).unwrap_or(u64::MAX);
                deposits.push(Deposit {
                    blknum,
                    output: Output {
                        owner: e.owner,
                        token: e.token,
                        amount: e.amount,
                    },
                    eth_block,
                    eth_block_hash,
                });
            }
            RootChainEvents::ExitStarted(e) => exits.push(exit(e.utxoPos, ExitKind::Started)),
            RootChainEvents::ExitChallenged(e) => exits.push(exit(e.utxoPos, ExitKind::Challenged)),
            RootChainEvents::ExitProcessed(e) => exits.push(exit(e.utxoPos, ExitKind::Processed)),
            RootChainEvents::InFlightExitStarted(e) => exits.extend(
                e.inputUtxoPos
                    .iter()
                    .map(|&pos| exit(pos, ExitKind::InFlight)),
            ),
            RootChainEvents::InFlightExitPiggybacked(e) if e.isOutput => {
                piggybacks.push(OutputPiggyback {
                    tx_hash: e.exitId,
                    oindex: e.index,
                    eth_block,
                    eth_block_hash,
                });
            }
            _ => {}
        }
    }
    (deposits, exits, piggybacks)
}

impl Node {
    /// Credits confirmed deposits and records confirmed exit events and output piggybacks
    /// (an exiting or exited output is no longer spendable): durable, with the cursor,
    /// first; in memory after.
    pub async fn apply_root_events(
        &self,
        deposits: &[Deposit],
        exits: &[ExitEvent],
        piggybacks: &[OutputPiggyback],
        cursor: (u64, B256),
    ) -> Result<(), NodeError> {
        let outs = deposits
            .iter()
            .map(|d| {
                Ok((
                    deposit_position(d.blknum).ok_or(NodeError::BadDeposit(d.blknum))?,
                    d.output,
                ))
            })
            .collect::<Result<Vec<_>, NodeError>>()?;
        let c = Cursor {
            eth_block: cursor.0,
            eth_hash: cursor.1,
        };
        let _applying = self.root_events_lock.lock().await;
        self.storage_failed(
            self.store
                .credit_deposits(deposits, exits, piggybacks, &c)
                .await,
        )?;
        {
            let mut l = self.ledger();
            for (pos, out) in outs {
                l.credit(pos, out);
            }
        }
        self.mark_exits(exits, piggybacks, true);
        self.deposit_cursor.store(cursor.0, Ordering::SeqCst);
        self.metrics
            .deposits_credited
            .fetch_add(deposits.len() as u64, Ordering::Relaxed);
        for d in deposits {
            tracing::info!(blknum = d.blknum, owner = %d.output.owner, amount = %d.output.amount, "deposit credited");
        }
        Ok(())
    }

    /// Takes back deposits and undoes exit events and output piggybacks a root-chain
    /// reorganisation removed
    /// (the rescan re-applies what is still canonical) and rewinds the cursor. A deposit
    /// already spent cannot be taken back: it is logged and reported in the answer (the
    /// operator's own loss if the reorganisation outran the margin).
    pub async fn undo_root_events(
        &self,
        blknums: &[u64],
        exits: &[ExitEvent],
        piggybacks: &[OutputPiggyback],
        cursor: (u64, B256),
    ) -> Result<Vec<u64>, NodeError> {
        let mut removed = Vec::new();
        let mut stuck = Vec::new();
        let _undoing = self.root_events_lock.lock().await;
        {
            let mut l = self.ledger();
            for &b in blknums {
                let pos = deposit_position(b).ok_or(NodeError::BadDeposit(b))?;
                if l.uncredit(pos) {
                    removed.push(b);
                } else {
                    stuck.push(b);
                }
            }
        }
        let c = Cursor {
            eth_block: cursor.0,
            eth_hash: cursor.1,
        };
        // The ledger changed first (only it knows which deposits are unspent): a failed
        // write leaves memory ahead of the disk, which `storage_failed` has rebuilt.
        self.storage_failed(
            self.store
                .uncredit_deposits(&removed, exits, piggybacks, &c)
                .await,
        )?;
        self.mark_exits(exits, piggybacks, false);
        self.deposit_cursor.store(cursor.0, Ordering::SeqCst);
        self.metrics
            .deposits_uncredited
            .fetch_add(removed.len() as u64, Ordering::Relaxed);
        for b in &removed {
            tracing::warn!(
                blknum = b,
                "deposit removed by a root-chain reorganisation: un-credited"
            );
        }
        for b in &stuck {
            tracing::error!(
                blknum = b,
                "deposit removed by a root-chain reorganisation was already spent"
            );
        }
        Ok(stuck)
    }

    /// Records (`seen`) or undoes exit events and output piggybacks in memory, and logs
    /// them.
    fn mark_exits(&self, exits: &[ExitEvent], piggybacks: &[OutputPiggyback], seen: bool) {
        {
            let mut l = self.ledger();
            for e in exits {
                l.set_exit_event(e.utxo_pos, e.kind, seen);
            }
            for p in piggybacks {
                l.set_piggyback(p.tx_hash, p.oindex, seen);
            }
        }
        for p in piggybacks {
            let (tx_hash, oindex) = (p.tx_hash, p.oindex);
            if seen {
                tracing::info!(%tx_hash, oindex, "output piggyback recorded");
            } else {
                tracing::warn!(%tx_hash, oindex, "output piggyback removed by a root-chain reorganisation: undone");
            }
        }
        for e in exits {
            let (utxo_pos, kind) = (e.utxo_pos, e.kind.as_str());
            if seen {
                tracing::info!(utxo_pos, kind, "exit event recorded");
            } else {
                tracing::warn!(
                    utxo_pos,
                    kind,
                    "exit event removed by a root-chain reorganisation: undone"
                );
            }
        }
    }
}
