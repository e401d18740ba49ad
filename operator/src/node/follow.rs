//! Following the root chain: deposits credited and exit events recorded after the
//! confirmation margin, and both undone after a deeper reorganisation.

use std::sync::atomic::Ordering;

use alloy::primitives::B256;
use plasma_core::deposit::deposit_position;

use super::{Deposit, Node, NodeError};
use crate::store::{Cursor, ExitEvent};

impl Node {
    /// The last root-chain block fully processed, if any.
    pub(crate) async fn root_cursor(&self) -> Result<Option<Cursor>, NodeError> {
        Ok(self.store.cursor().await?)
    }

    /// Every credited deposit and every recorded exit event (to re-check after a
    /// reorganisation).
    pub(crate) async fn root_events(&self) -> Result<(Vec<Deposit>, Vec<ExitEvent>), NodeError> {
        Ok((
            self.store.deposits().await?,
            self.store.exit_events().await?,
        ))
    }

    /// Credits confirmed deposits and records confirmed exit events (an exiting or exited
    /// output is no longer spendable): durable, with the cursor, first; in memory after.
    pub async fn apply_root_events(
        &self,
        deposits: &[Deposit],
        exits: &[ExitEvent],
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
        self.store.credit_deposits(deposits, exits, &c).await?;
        {
            let mut l = self.ledger();
            for (pos, out) in outs {
                l.credit(pos, out);
            }
        }
        self.mark_exits(exits, true);
        self.deposit_cursor.store(cursor.0, Ordering::SeqCst);
        self.metrics
            .deposits_credited
            .fetch_add(deposits.len() as u64, Ordering::Relaxed);
        for d in deposits {
            tracing::info!(blknum = d.blknum, owner = %d.output.owner, amount = %d.output.amount, "deposit credited");
        }
        Ok(())
    }

    /// Takes back deposits and undoes exit events a root-chain reorganisation removed
    /// (the rescan re-applies what is still canonical) and rewinds the cursor. A deposit
    /// already spent cannot be taken back: it is logged and reported in the answer (the
    /// operator's own loss if the reorganisation outran the margin).
    pub async fn undo_root_events(
        &self,
        blknums: &[u64],
        exits: &[ExitEvent],
        cursor: (u64, B256),
    ) -> Result<Vec<u64>, NodeError> {
        let mut removed = Vec::new();
        let mut stuck = Vec::new();
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
        self.store.uncredit_deposits(&removed, exits, &c).await?;
        self.mark_exits(exits, false);
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

    /// Records (`seen`) or undoes exit events in memory, and logs them.
    fn mark_exits(&self, exits: &[ExitEvent], seen: bool) {
        {
            let mut l = self.ledger();
            for e in exits {
                l.set_exit_event(e.utxo_pos, e.kind, seen);
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
