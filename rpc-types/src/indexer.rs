//! The indexer's REST API (docs/INDEXER.md).

use alloy::primitives::{Address, B256, Bytes, U256};
use serde::{Deserialize, Serialize};

/// An output (`GET /v1/addresses/{address}/utxos`, and inside exit data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Utxo {
    /// Position of the output.
    pub utxo_pos: u64,
    /// Child block holding it.
    pub blknum: u64,
    /// Owner.
    pub owner: Address,
    /// Token (`0x0…0` for ETH).
    pub token: Address,
    /// Amount in base units.
    #[serde(with = "crate::amount")]
    pub amount: U256,
    /// Exit status when an exit of this output started (`active`, `challenged`, `processed`).
    pub exit_status: Option<String>,
}

/// `GET /v1/addresses/{address}/utxos`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtxoPage {
    /// The address asked about.
    pub address: Address,
    /// Its unspent outputs.
    pub utxos: Vec<Utxo>,
}

/// One entry of an address's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// `deposit`, `received`, `sent`, `exit_started`, `exit_challenged`, `exit_processed`.
    pub kind: String,
    /// Root-chain block that ordered the entry.
    pub root_block: u64,
    /// Output position concerned.
    pub utxo_pos: u64,
    /// Transaction hash (received: the creating tx; sent: the spending tx).
    pub tx_hash: Option<B256>,
    /// Token.
    pub token: Address,
    /// Amount.
    #[serde(with = "crate::amount")]
    pub amount: U256,
}

/// `GET /v1/addresses/{address}/history`: a page of entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// The address asked about.
    pub address: Address,
    /// The entries.
    pub entries: Vec<HistoryEntry>,
    /// Page size.
    pub limit: i64,
    /// Entries skipped.
    pub offset: i64,
}

/// `GET /v1/outputs/{utxoPos}/exit-data`: everything `startStandardExit` needs, and when
/// the exit would mature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExitData {
    /// Position of the output.
    pub utxo_pos: u64,
    /// Its child block.
    pub blknum: u64,
    /// Its transaction's index in the block.
    pub txindex: u64,
    /// Its index among the transaction's outputs.
    pub oindex: u64,
    /// The transaction that created the output.
    pub tx_bytes: Bytes,
    /// The 512-byte Merkle proof.
    pub proof: Bytes,
    /// The block's commitment timestamp.
    pub block_timestamp: u64,
    /// The output.
    pub output: Utxo,
    /// `exitableAt` of an exit started at `now`.
    pub exitable_at_if_started_now: u64,
    /// The indexer's clock (unix seconds).
    pub now: u64,
}

/// An exit (`GET /v1/exits/{utxoPos}`, the exit list, challenge data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exit {
    /// Exiting position.
    pub utxo_pos: u64,
    /// Owner.
    pub owner: Address,
    /// Token.
    pub token: Address,
    /// Amount.
    #[serde(with = "crate::amount")]
    pub amount: U256,
    /// Unix time from which `processExits` pays it.
    pub exitable_at: u64,
    /// `active`, `challenged` or `processed`.
    pub status: String,
    /// Root-chain block of `ExitStarted`.
    pub started_root_block: u64,
    /// Bond receiver, when challenged.
    pub challenger: Option<Address>,
    /// Hash of the challenging spend, when challenged.
    pub spending_tx_hash: Option<B256>,
    /// Whether the payout succeeded, when processed.
    pub paid: Option<bool>,
    /// True when this indexer knows a spend of the output (the exit is invalid).
    pub output_spent: bool,
    /// The challenge transaction this indexer sent, if any.
    pub our_challenge_tx: Option<B256>,
}

/// `GET /v1/exits/{utxoPos}/challenge-data`: the exit and the stored spend that
/// `challengeStandardExit` needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeData {
    /// The exit challenged.
    pub exit: Exit,
    /// Position of the exiting output.
    pub utxo_pos: u64,
    /// The spending transaction.
    pub spending_tx: Bytes,
    /// Its hash.
    pub spending_tx_hash: B256,
    /// Position of the spending transaction.
    pub spending_tx_pos: u64,
    /// The input of `spending_tx` that spends the output.
    pub input_index: u8,
    /// The owner's 65-byte signature on that input.
    pub signature: Bytes,
}

/// Root-chain side of the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootStatus {
    /// Root-chain block the follower stored up to.
    pub stored_up_to: Option<u64>,
    /// Latest root-chain block seen.
    pub head: u64,
    /// Confirmations waited for.
    pub confirmations: u64,
    /// `head - storedUpTo`.
    pub lag: Option<u64>,
}

/// Child-chain side of the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildStatus {
    /// Highest child block committed on chain.
    pub committed: Option<u64>,
    /// Highest child block checked valid.
    pub valid: Option<u64>,
    /// Child blocks committed but not (yet) checked valid.
    pub lag_blocks: u64,
    /// True once an invalid block stopped the checker for good.
    pub halted: bool,
}

/// A byzantine event the watchtower raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ByzantineEvent {
    /// Sequence number.
    pub id: i64,
    /// Kind (`block_withheld`, `invalid_block`, `invalid_exit`, …).
    pub kind: String,
    /// Block concerned.
    pub blknum: Option<u64>,
    /// Exit concerned.
    pub utxo_pos: Option<u64>,
    /// Human-readable detail.
    pub detail: String,
    /// Unix time raised.
    pub raised_at: u64,
    /// Unix time resolved (withheld data arrived, invalid exit challenged).
    pub resolved_at: Option<u64>,
    /// In-flight exit concerned (only in-flight events carry it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_flight_exit_id: Option<B256>,
}

/// `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexerStatus {
    /// Root-chain id.
    pub chain_id: u64,
    /// Root-chain contract.
    pub root_chain: Address,
    /// Root-chain heights.
    pub root: RootStatus,
    /// Child-chain heights.
    pub child: ChildStatus,
    /// Byzantine events, open and resolved.
    pub byzantine_events: Vec<ByzantineEvent>,
    /// True when `problems` is empty.
    pub healthy: bool,
    /// Why the indexer is unhealthy (the same reasons `/health` answers 503 with).
    pub problems: Vec<crate::HealthProblem>,
    /// On an API replica (`--role api`): how old the writer's last progress report is;
    /// null on a process that writes.
    #[serde(default)]
    pub writer_report: Option<WriterReportAge>,
}

/// How stale the writer's last progress report is, as an API replica reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriterReportAge {
    /// The report's time (Unix seconds, the database's clock); null before the first.
    pub reported_at: Option<u64>,
    /// Its age in seconds, by the database's clock (without a report: since the replica
    /// started).
    pub age_secs: u64,
    /// The age beyond which the replica is unhealthy (`writer_stale`).
    pub max_age_secs: u64,
}

/// `GET /v1/exits`: a page of exits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitPage {
    /// The exits.
    pub exits: Vec<Exit>,
    /// Page size.
    pub limit: i64,
    /// Exits skipped.
    pub offset: i64,
    /// The indexer's clock (unix seconds).
    pub now: u64,
}

/// A piggyback on an input or output of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
    #[serde(with = "crate::amount")]
    pub amount: U256,
    /// `active`, `blocked` or `withdrawn`.
    pub status: String,
    /// Who blocked it, when blocked.
    pub blocked_by: Option<Address>,
    /// What processing paid, when withdrawn (decimal).
    pub paid: Option<String>,
}

/// A canonicity challenge of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanonicityChallenge {
    /// Owner of the canonicity share if the exit ends non-canonical.
    pub challenger: Address,
    /// Hash of the competing transaction.
    pub competing_tx_hash: B256,
    /// Its position, or null when not shown included.
    pub competitor_pos: Option<u64>,
}

/// An input of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightInput {
    /// Input index.
    pub index: u8,
    /// Position of the spent output.
    pub utxo_pos: u64,
}

/// An in-flight exit (`GET /v1/inflight-exits`, `GET /v1/inflight-exits/{exitId}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightExit {
    /// keccak256 of the in-flight transaction.
    pub exit_id: B256,
    /// Who started it.
    pub starter: Address,
    /// `active`, `non_canonical`, `processing` or `finalized`.
    pub status: String,
    /// Canonical in the challenge game as it stands.
    pub canonical: bool,
    /// Unix time from which processing may pay it.
    pub exitable_at: u64,
    /// End of the first phase (piggybacks, canonicity challenges), once known.
    pub first_phase_ends_at: Option<u64>,
    /// Priority position.
    pub youngest_pos: u64,
    /// Root-chain block of the start.
    pub started_root_block: u64,
    /// The in-flight transaction, once known.
    pub tx_bytes: Option<Bytes>,
    /// Its inputs.
    pub inputs: Vec<InFlightInput>,
    /// Piggybacks.
    pub piggybacks: Vec<Piggyback>,
    /// Canonicity challenges, in order.
    pub challenges: Vec<CanonicityChallenge>,
    /// Position proven by the latest response, if any.
    pub response_tx_pos: Option<u64>,
    /// The canonicity processing decided, once decided.
    pub decided_canonical: Option<bool>,
}

/// `GET /v1/inflight-exits`: a page of in-flight exits, in start order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightExitPage {
    /// The exits.
    pub exits: Vec<InFlightExit>,
    /// Page size.
    pub limit: i64,
    /// Exits skipped.
    pub offset: i64,
    /// The indexer's clock (unix seconds).
    pub now: u64,
}

/// `POST /v1/inflight-exit-data`: a signed transaction to exit in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightExitRequest {
    /// Canonical bytes of the PAYMENT.
    pub tx_bytes: Bytes,
    /// One 65-byte signature per input, by the input's owner.
    pub signatures: Vec<Bytes>,
}

/// `POST /v1/inflight-exit-data`: the arguments of `startInFlightExit` (`StartArgs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlightExitData {
    /// The exit id it will have (keccak256 of the transaction).
    pub exit_id: B256,
    /// `inFlightTx`.
    pub in_flight_tx: Bytes,
    /// `inputTxs`: the transaction that created each input.
    pub input_txs: Vec<Bytes>,
    /// `inputUtxoPos`.
    pub input_utxo_pos: Vec<u64>,
    /// `inputProofs`: each input transaction's 512-byte proof.
    pub input_proofs: Vec<Bytes>,
    /// `inputBlockTimestamps`.
    pub input_block_timestamps: Vec<u64>,
    /// `inputSignatures`.
    pub input_signatures: Vec<Bytes>,
}

/// Inclusion of a transaction: position (oindex 0), proof, block timestamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inclusion {
    /// Position of the transaction (its output 0).
    pub tx_pos: u64,
    /// The 512-byte Merkle proof.
    pub proof: Bytes,
    /// The block's commitment timestamp.
    pub block_timestamp: u64,
}

/// `POST /v1/inflight-exit-competitor`: the oldest known competing spend of a transaction
/// (the arguments of `challengeInFlightExitNotCanonical`, but the challenger): an included
/// one, else another in-flight exit's transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompetitorData {
    /// The exit id (keccak256 of the in-flight transaction).
    pub exit_id: B256,
    /// The in-flight transaction's input the competitor spends too.
    pub input_index: u8,
    /// Position of that input.
    pub input_utxo_pos: u64,
    /// The transaction that created it.
    pub input_tx: Bytes,
    /// The competing transaction.
    pub competing_tx: Bytes,
    /// Its hash.
    pub competing_tx_hash: B256,
    /// Its input that spends the same position.
    pub competing_input_index: u8,
    /// The input owner's signature of it.
    pub competing_signature: Bytes,
    /// Its inclusion when included; null for the transaction of another in-flight exit
    /// that is not (pass position 0: it then ranks after every block).
    pub competing_inclusion: Option<Inclusion>,
}

/// `POST /v1/inflight-exit-canonicity-proof`: the inclusion of the in-flight transaction
/// (the arguments of `respondToNonCanonicalChallenge` and of output-spent challenges).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanonicityProof {
    /// The exit id (keccak256 of the transaction).
    pub exit_id: B256,
    /// The in-flight transaction.
    pub in_flight_tx: Bytes,
    /// Its inclusion.
    pub inclusion: Inclusion,
}
