//! The operator's HTTP API (docs/SPEC.md "Operator HTTP API").

use alloy::primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};

use crate::ErrorBody;
pub use crate::HealthProblem;

/// One signed transaction on the wire: `POST /v1/transactions` takes it, and a feed block
/// lists them. Bytes and signatures are carried undecoded.
pub use plasma_core::signed::SignedTxWire;

/// `POST /v1/transactions/batch` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRequest {
    /// Transactions in submission order.
    pub transactions: Vec<SignedTxWire>,
}

/// `201 {"txHash"}`: the answer to an accepted transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Submitted {
    /// Hash of the transaction bytes.
    pub tx_hash: B256,
}

/// One result of a batch: accepted, or the error envelope of its rejection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchItem {
    /// Accepted.
    Ok(Submitted),
    /// Rejected.
    Err(ErrorBody),
}

/// `POST /v1/transactions/batch` answer: one result per transaction, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResponse {
    /// Results in request order.
    pub results: Vec<BatchItem>,
}

/// `GET /v1/blocks/{blknum}`: a child block as the operator publishes it (the
/// data-availability feed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedBlock {
    /// Block number.
    pub blknum: u64,
    /// The root the operator claims (a checker recomputes it).
    pub root: B256,
    /// Transactions in block order.
    pub transactions: Vec<SignedTxWire>,
}

/// `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorStatus {
    /// Root-chain id.
    pub chain_id: u64,
    /// Root-chain contract.
    pub root_chain: Address,
    /// The next child block to be sealed.
    pub next_block: u64,
    /// The newest sealed block, if any.
    pub latest_sealed_block: Option<u64>,
    /// The newest block whose root is confirmed on chain, if any.
    pub latest_submitted_block: Option<u64>,
    /// Transactions waiting for a block.
    pub pending_txs: u64,
    /// Outputs in the UTXO set.
    pub utxos: u64,
    /// Last root-chain block scanned for deposits.
    pub deposit_cursor: u64,
    /// Minimum fee (decimal string).
    #[serde(with = "crate::amount")]
    pub min_fee: U256,
    /// Maximum transactions per block.
    pub block_size: u64,
    /// True when `problems` is empty.
    pub healthy: bool,
    /// The last root-submission problem, if any.
    pub submit_error: Option<String>,
    /// Why the operator is unhealthy (the same reasons `/health` answers 503 with).
    pub problems: Vec<HealthProblem>,
}
