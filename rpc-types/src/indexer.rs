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
