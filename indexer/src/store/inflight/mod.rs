//! In-flight exits (MoreVP): the follower's in-flight events ([`InFlightEvent`]), each
//! exit's state folded from them ([`InFlightExit`], [`InFlightStatus`], [`Piggyback`]),
//! what the watchtower sent about them, and their part of a rollback.
//!
//! The start is a row of `inflight_exits` (with its inputs in `inflight_inputs`); every
//! later event is a row of `inflight_log` tagged with its root-chain block. The state of
//! an exit is the fold of its rows in log order, so a rollback is one range delete per
//! table and a restart reads exactly what was committed.
//!
//! Here are the status enums, the rows and the [`InFlightStore`] trait; its SQLite reads
//! and writes are in `read`, the follower's event writes and the rollback step in `write`.

pub(crate) mod fold;
mod read;
mod write;

pub use write::InFlightEvent;
pub(crate) use write::{apply, fill_statuses, log_row, rollback};

use super::{StoreError, stored_text};
use alloy::primitives::{Address, B256, Bytes, U256};
use std::future::Future;

stored_text! {
    /// Where an in-flight exit stands (derived from its events).
    InFlightStatus, "in-flight exit status" {
        /// Started; canonical so far (never challenged, or the challenge was answered).
        Active => "active",
        /// A canonicity challenge stands unanswered: the exit is non-canonical.
        NonCanonical => "non_canonical",
        /// Processing decided its canonicity; piggybacks are being settled.
        Processing => "processing",
        /// Every queue entry was settled; the bond went to its owner.
        Finalized => "finalized",
    }
}

stored_text! {
    /// Where a piggyback stands.
    PiggybackStatus, "piggyback status" {
        /// Piggybacked, not settled.
        Active => "active",
        /// Removed by an input-spent or output-spent challenge.
        Blocked => "blocked",
        /// Settled by processing (paid, or zero when not owed).
        Withdrawn => "withdrawn",
    }
}

stored_text! {
    /// What the watchtower sends about an in-flight exit (once per exit, action and index).
    InFlightAction, "in-flight action" {
        /// `challengeInFlightExitNotCanonical`.
        ChallengeCanonicity => "challenge_canonicity",
        /// `respondToNonCanonicalChallenge`.
        Respond => "respond",
        /// `challengeInFlightExitInputSpent`.
        ChallengeInput => "challenge_input",
        /// `challengeInFlightExitOutputSpent`.
        ChallengeOutput => "challenge_output",
    }
}

/// An input of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlightInput {
    /// Input index in the in-flight transaction.
    pub index: u8,
    /// Position of the spent output.
    pub pos: u64,
    /// Its output id (as the contract computed it).
    pub input_id: B256,
}

/// A piggyback on an input or output of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piggyback {
    /// Output (true) or input.
    pub is_output: bool,
    /// Its index.
    pub index: u8,
    /// Owner.
    pub owner: Address,
    /// Token.
    pub token: Address,
    /// Amount.
    pub amount: U256,
    /// Status.
    pub status: PiggybackStatus,
    /// Who blocked it, when blocked.
    pub blocked_by: Option<Address>,
    /// What processing paid, when withdrawn.
    pub paid: Option<U256>,
    /// Whether that payout was deferred, when withdrawn.
    pub deferred: Option<bool>,
    /// Root-chain block of the piggyback.
    pub root_block: u64,
}

/// A canonicity challenge of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicityChallenge {
    /// Owner of the canonicity share if the exit ends non-canonical.
    pub challenger: Address,
    /// Hash of the competing transaction.
    pub competing_tx_hash: B256,
    /// Its position, `u64::MAX` when not shown included.
    pub competitor_pos: u64,
    /// Root-chain block of the challenge.
    pub root_block: u64,
}

/// A stored in-flight exit, folded from its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlightExit {
    /// keccak256 of the in-flight transaction.
    pub exit_id: B256,
    /// Who started it.
    pub starter: Address,
    /// When processing may pay it.
    pub exitable_at: u64,
    /// Its priority position.
    pub youngest_pos: u64,
    /// Root-chain block of the start.
    pub started_root_block: u64,
    /// Root-chain time of the start (the first phase lasts half an exit period from it),
    /// once resolved.
    pub started_at: Option<u64>,
    /// The in-flight transaction's bytes, once resolved from the start's calldata.
    pub tx: Option<Bytes>,
    /// Its inputs' signatures, when the start's calldata was a direct call.
    pub signatures: Vec<Bytes>,
    /// Inputs, by index.
    pub inputs: Vec<InFlightInput>,
    /// Piggybacks, in the order they were made.
    pub piggybacks: Vec<Piggyback>,
    /// Canonicity challenges, in order.
    pub challenges: Vec<CanonicityChallenge>,
    /// The latest response: responder and the in-flight transaction's position.
    pub response: Option<(Address, u64)>,
    /// Canonical in the challenge game as it stands.
    pub canonical: bool,
    /// The canonicity processing decided, once decided.
    pub decided_canonical: Option<bool>,
    /// Who got the canonicity share, once finalized.
    pub finalized_bond_owner: Option<Address>,
    /// Status.
    pub status: InFlightStatus,
}

impl InFlightExit {
    /// The piggyback on this input or output, if any.
    pub fn piggyback(&self, is_output: bool, index: u8) -> Option<&Piggyback> {
        self.piggybacks
            .iter()
            .find(|p| p.is_output == is_output && p.index == index)
    }

    /// End of the first phase (piggybacks and canonicity challenges), once resolved.
    pub fn first_phase_end(&self, min_exit_period: u64) -> Option<u64> {
        self.started_at.map(|t| t + min_exit_period / 2)
    }
}

/// Reads and writes of in-flight exits (the root-chain events reach them through
/// [`super::SyncStore::apply_root_batch`]).
pub trait InFlightStore {
    /// One in-flight exit.
    fn inflight_exit(
        &self,
        exit_id: B256,
    ) -> impl Future<Output = Result<Option<InFlightExit>, StoreError>> + Send;

    /// In-flight exits, optionally of one status, in start order.
    fn inflight_exits(
        &self,
        status: Option<InFlightStatus>,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = Result<Vec<InFlightExit>, StoreError>> + Send;

    /// Every in-flight exit not finalized, in start order, from one snapshot (what the
    /// watchtower checks after each block: finalized exits are never read again).
    fn open_inflight_exits(
        &self,
    ) -> impl Future<Output = Result<Vec<InFlightExit>, StoreError>> + Send;

    /// Ids and start blocks of exits whose transaction bytes or start time are unknown.
    fn unresolved_inflight_exits(
        &self,
    ) -> impl Future<Output = Result<Vec<(B256, u64)>, StoreError>> + Send;

    /// Records the in-flight transaction's bytes and signatures (when found) and the
    /// start's time.
    fn resolve_inflight_exit(
        &self,
        exit_id: B256,
        tx: Option<(Bytes, Vec<Bytes>)>,
        started_at: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The transaction this indexer sent for `action` on `index` of an exit, if any.
    fn inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
    ) -> impl Future<Output = Result<Option<B256>, StoreError>> + Send;

    /// Records a transaction this indexer sent, once mined successfully (it is not sent
    /// again; a rollback that removes its effect forgets it).
    fn record_inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
        tx_hash: B256,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ids of in-flight exits having an input at `pos`.
    fn inflight_exits_spending(
        &self,
        pos: u64,
    ) -> impl Future<Output = Result<Vec<B256>, StoreError>> + Send;
}
