//! `plasma-follower`: follows the RootChain contract on the root chain, `confirmations`
//! blocks behind the head, for the operator and the indexer alike.
//!
//! One algorithm, written once:
//! - **Advance.** From the cursor (the last block a [`Journal`] stored, with its hash),
//!   read the contract's logs of the next range up to `head − confirmations`, decode them
//!   into the bindings' [`RootChainEvents`], and hand them to the journal as one
//!   [`Batch`], which it stores atomically with the new cursor. A range whose first block
//!   does not extend the cursor, or whose last block changed while it was read, is not
//!   stored (the next step sees the reorganisation).
//! - **Reorganisation.** When the cursor's hash is no longer canonical (or the chain is
//!   now shorter than the cursor), walk back through the headers the journal stored, newest
//!   first, to the first one still canonical: the common ancestor. Everything after it is
//!   rolled back by the journal in one transaction and followed again. Equal hashes at a
//!   height mean equal history below it, so no deeper check is needed.
//!
//! The journal owns what the events mean (credited deposits, exits, blocks); this crate
//! only decides which events are final and which were taken back.

use std::{future::Future, time::Duration};

use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256},
    providers::{DynProvider, Provider},
    rpc::types::Filter,
    sol_types::SolEventInterface,
};
pub use plasma_bindings::RootChain::RootChainEvents;

/// How many stored headers a walk-back looks at before it falls back to the deployment.
const WALK_BACK_LIMIT: usize = 10_000;

/// One decoded log of the RootChain contract.
#[derive(Debug, Clone)]
pub struct RootLog {
    /// Root-chain block that emitted it.
    pub block: u64,
    /// That block's hash.
    pub block_hash: B256,
    /// The decoded event.
    pub event: RootChainEvents,
}

/// The contract's logs of a range of root-chain blocks, in log order, and the range's end.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The logs.
    pub logs: Vec<RootLog>,
    /// Last root-chain block of the range: the new cursor.
    pub to: u64,
    /// Its hash.
    pub to_hash: B256,
}

/// Where a service keeps what it followed. Every method is one database transaction.
pub trait Journal: Send + Sync {
    /// The journal's error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The cursor: the last root-chain block stored, with its hash.
    fn cursor(&self) -> impl Future<Output = Result<Option<(u64, B256)>, Self::Error>> + Send;

    /// Stored cursors (the ends of applied batches) at or below `below`, newest first, at
    /// most `limit`.
    fn headers(
        &self,
        below: u64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<(u64, B256)>, Self::Error>> + Send;

    /// Stores a batch with its end as the new cursor and as a header, atomically.
    fn apply(&self, batch: &Batch) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Undoes everything stored from root-chain blocks after `ancestor`, forgets the
    /// headers after it and makes it the cursor, atomically.
    fn rollback_to(
        &self,
        ancestor: u64,
        hash: B256,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;
}

/// Settings of a follower.
#[derive(Debug, Clone, Copy)]
pub struct FollowerConfig {
    /// The RootChain contract.
    pub root_chain: Address,
    /// Root-chain block the contract was deployed in (events start there).
    pub deploy_block: u64,
    /// Blocks an event must be buried under before it is handed over.
    pub confirmations: u64,
    /// Largest block range per `eth_getLogs`.
    pub max_range: u64,
}

/// A failure of one step (the next step retries).
#[derive(Debug, thiserror::Error)]
pub enum FollowError<E> {
    /// The root-chain RPC endpoint failed.
    #[error("root chain rpc: {0}")]
    Rpc(String),
    /// A block below the head is missing from the node.
    #[error("root-chain block {0} not found")]
    MissingBlock(u64),
    /// The journal failed.
    #[error(transparent)]
    Journal(E),
}

/// What one step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing new beyond the confirmation margin (or a range changed while read).
    Idle,
    /// Stored the events up to this root-chain block.
    Advanced(u64),
    /// Rolled back to this common ancestor after a reorganisation.
    RolledBack(u64),
}

/// One step's result with what it saw of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The root chain's head.
    pub head: u64,
    /// The head's timestamp (seconds).
    pub head_timestamp: u64,
    /// The journal's cursor after the step.
    pub cursor: u64,
    /// What the step did.
    pub outcome: Outcome,
}

/// The follower of one RootChain contract.
#[derive(Debug, Clone)]
pub struct Follower {
    provider: DynProvider,
    config: FollowerConfig,
}

/// A step's result.
pub type FollowResult<T, E> = std::result::Result<T, FollowError<E>>;

fn rpc<E>(e: impl std::fmt::Display) -> FollowError<E> {
    FollowError::Rpc(e.to_string())
}

impl Follower {
    /// A follower reading the root chain through `provider`.
    pub fn new(provider: DynProvider, config: FollowerConfig) -> Self {
        Self { provider, config }
    }

    /// Block `number`'s hash, parent hash and timestamp.
    async fn header<E>(&self, number: u64) -> FollowResult<(B256, B256, u64), E> {
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

    /// The block before the deployment: the cursor of a journal that stored nothing.
    async fn genesis<E>(&self) -> FollowResult<(u64, B256), E> {
        let start = self.config.deploy_block.saturating_sub(1);
        Ok((start, self.header(start).await?.0))
    }

    /// One step: the reorganisation check, then the next range of events.
    pub async fn step<J: Journal>(&self, journal: &J) -> FollowResult<Step, J::Error> {
        let head = self.provider.get_block_number().await.map_err(rpc)?;
        let (_, _, head_timestamp) = self.header(head).await?;
        let (cursor, outcome) = self.advance(journal, head).await?;
        Ok(Step {
            head,
            head_timestamp,
            cursor,
            outcome,
        })
    }

    /// The cursor after this step and what it did.
    async fn advance<J: Journal>(
        &self,
        journal: &J,
        head: u64,
    ) -> FollowResult<(u64, Outcome), J::Error> {
        let (cursor, cursor_hash) = match journal.cursor().await.map_err(FollowError::Journal)? {
            Some(c) => c,
            None => self.genesis().await?,
        };
        if cursor > head || self.header(cursor).await?.0 != cursor_hash {
            let ancestor = self.walk_back(journal, cursor.min(head)).await?;
            return Ok((ancestor, Outcome::RolledBack(ancestor)));
        }
        let safe = head.saturating_sub(self.config.confirmations);
        if safe <= cursor {
            return Ok((cursor, Outcome::Idle));
        }
        let to = safe.min(cursor + self.config.max_range.max(1));
        let (to_hash, _, _) = self.header(to).await?;
        let (_, first_parent, _) = self.header(cursor + 1).await?;
        if first_parent != cursor_hash {
            return Ok((cursor, Outcome::Idle));
        }
        let Some(logs) = self.logs(cursor + 1, to, to_hash).await? else {
            return Ok((cursor, Outcome::Idle));
        };
        if self.header(to).await?.0 != to_hash {
            return Ok((cursor, Outcome::Idle));
        }
        let batch = Batch { logs, to, to_hash };
        journal.apply(&batch).await.map_err(FollowError::Journal)?;
        Ok((to, Outcome::Advanced(to)))
    }

    /// The contract's decodable logs of `from..=to`; `None` if a log of block `to` names
    /// another hash than `to_hash` (the range changed while it was read).
    async fn logs<E>(
        &self,
        from: u64,
        to: u64,
        to_hash: B256,
    ) -> FollowResult<Option<Vec<RootLog>>, E> {
        let filter = Filter::new()
            .address(self.config.root_chain)
            .from_block(from)
            .to_block(to);
        let logs = self.provider.get_logs(&filter).await.map_err(rpc)?;
        let mut out = Vec::with_capacity(logs.len());
        for log in logs {
            let (Some(block), Some(block_hash)) = (log.block_number, log.block_hash) else {
                return Err(FollowError::Rpc("log without its block".into()));
            };
            if block == to && block_hash != to_hash {
                return Ok(None);
            }
            if let Ok(event) = RootChainEvents::decode_log(&log.inner) {
                out.push(RootLog {
                    block,
                    block_hash,
                    event: event.data,
                });
            }
        }
        Ok(Some(out))
    }

    /// Finds the newest stored header still canonical at or below `below` and rolls the
    /// journal back to it (to the block before the deployment if none is).
    async fn walk_back<J: Journal>(&self, journal: &J, below: u64) -> FollowResult<u64, J::Error> {
        let headers = journal
            .headers(below, WALK_BACK_LIMIT)
            .await
            .map_err(FollowError::Journal)?;
        let mut ancestor = None;
        for (number, hash) in headers {
            if self.header(number).await?.0 == hash {
                ancestor = Some((number, hash));
                break;
            }
        }
        let (number, hash) = match ancestor {
            Some(found) => found,
            None => self.genesis().await?,
        };
        tracing::warn!(
            ancestor = number,
            "root chain reorganised past the cursor: rolling back to the common ancestor"
        );
        journal
            .rollback_to(number, hash)
            .await
            .map_err(FollowError::Journal)?;
        Ok(number)
    }

    /// Steps forever: again at once after progress, after `poll` otherwise; `observe`
    /// sees every step's result (metrics, wake-ups, logging).
    pub async fn run<J: Journal>(
        &self,
        journal: &J,
        poll: Duration,
        mut observe: impl FnMut(&FollowResult<Step, J::Error>) + Send,
    ) {
        loop {
            let step = self.step(journal).await;
            observe(&step);
            match step {
                Ok(Step {
                    outcome: Outcome::Advanced(_) | Outcome::RolledBack(_),
                    ..
                }) => continue,
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "root-chain follower step failed"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}
