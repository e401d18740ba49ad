//! The API's JSON views of the store's rows: the wire types of `plasma-rpc-types` where
//! that crate defines the answer, local ones for the block and transaction endpoints.

use crate::store::{self, Block, ByzantineEvent, Exit, HistoryEntry, Spend, TxRecord, Utxo};
use alloy::primitives::{B256, Bytes};
use plasma_rpc_types::indexer as rpc;
use serde::Serialize;

/// A block row of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BlockView {
    /// Block number.
    blknum: u64,
    /// True for a deposit block.
    is_deposit: bool,
    /// Root.
    root: B256,
    /// Timestamp recorded on chain.
    timestamp: u64,
    /// Root-chain block of the commitment.
    root_block: u64,
    /// `pending`, `valid`, `invalid`, `withheld` or `untrusted`.
    status: &'static str,
    /// Number of transactions stored.
    tx_count: u64,
    /// Why the block is invalid or withheld.
    reason: Option<String>,
}

impl From<Block> for BlockView {
    fn from(b: Block) -> Self {
        Self {
            blknum: b.blknum,
            is_deposit: b.is_deposit,
            root: b.root,
            timestamp: b.timestamp,
            root_block: b.root_block,
            status: b.status.as_str(),
            tx_count: b.tx_count,
            reason: b.reason,
        }
    }
}

/// A transaction row of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TxView {
    /// Hash.
    hash: B256,
    /// Block number.
    blknum: u64,
    /// Index in the block.
    txindex: u64,
    /// Type byte (1 payment, 2 deposit).
    tx_type: u8,
    /// Canonical bytes.
    tx: Bytes,
    /// Signatures.
    signatures: Vec<Bytes>,
}

impl From<TxRecord> for TxView {
    fn from(t: TxRecord) -> Self {
        Self {
            hash: t.hash,
            blknum: t.blknum(),
            txindex: t.txindex(),
            tx_type: t.tx_type,
            tx: t.bytes,
            signatures: t.signatures,
        }
    }
}

/// An output as the API serves it.
pub(crate) fn utxo(u: &Utxo) -> rpc::Utxo {
    rpc::Utxo {
        utxo_pos: u.pos.0,
        blknum: u.pos.blknum(),
        owner: u.output.owner,
        token: u.output.token,
        amount: u.output.amount,
        exit_status: u.exit_status.map(|s| s.as_str().to_owned()),
    }
}

/// An exit as the API serves it.
pub(crate) fn exit(e: Exit) -> rpc::Exit {
    rpc::Exit {
        utxo_pos: e.utxo_pos,
        owner: e.owner,
        token: e.token,
        amount: e.amount,
        exitable_at: e.exitable_at,
        status: e.status.as_str().to_owned(),
        started_root_block: e.started_root_block,
        challenger: e.challenger,
        spending_tx_hash: e.spending_tx_hash,
        paid: e.paid,
        output_spent: e.output_spent,
        our_challenge_tx: e.our_challenge_tx,
    }
}

/// Challenge data: the exit and the stored spend of its output.
pub(crate) fn challenge(e: Exit, s: Spend) -> rpc::ChallengeData {
    rpc::ChallengeData {
        exit: exit(e),
        utxo_pos: s.utxo_pos,
        spending_tx: s.spending_tx,
        spending_tx_hash: s.spending_tx_hash,
        spending_tx_pos: s.spending_tx_pos,
        input_index: s.input_index,
        signature: s.signature,
    }
}

/// A history entry as the API serves it.
pub(crate) fn history(h: HistoryEntry) -> rpc::HistoryEntry {
    rpc::HistoryEntry {
        kind: h.kind.as_str().to_owned(),
        root_block: h.root_block,
        utxo_pos: h.utxo_pos,
        tx_hash: h.tx_hash,
        token: h.token,
        amount: h.amount,
    }
}

/// A byzantine event as the API serves it.
pub(crate) fn event(e: ByzantineEvent) -> rpc::ByzantineEvent {
    rpc::ByzantineEvent {
        id: e.id,
        kind: e.kind.as_str().to_owned(),
        blknum: e.blknum,
        utxo_pos: e.utxo_pos,
        detail: e.detail,
        raised_at: e.raised_at,
        resolved_at: e.resolved_at,
        in_flight_exit_id: e.exit_id,
    }
}

/// An in-flight exit as the API serves it.
pub(crate) fn inflight(e: store::InFlightExit, min_exit_period: u64) -> rpc::InFlightExit {
    rpc::InFlightExit {
        exit_id: e.exit_id,
        starter: e.starter,
        status: e.status.as_str().to_owned(),
        canonical: e.canonical,
        exitable_at: e.exitable_at,
        first_phase_ends_at: e.first_phase_end(min_exit_period),
        youngest_pos: e.youngest_pos,
        started_root_block: e.started_root_block,
        tx_bytes: e.tx,
        inputs: e
            .inputs
            .iter()
            .map(|i| rpc::InFlightInput {
                index: i.index,
                utxo_pos: i.pos,
            })
            .collect(),
        piggybacks: e
            .piggybacks
            .into_iter()
            .map(|p| rpc::Piggyback {
                is_output: p.is_output,
                index: p.index,
                owner: p.owner,
                token: p.token,
                amount: p.amount,
                status: p.status.as_str().to_owned(),
                blocked_by: p.blocked_by,
                paid: p.paid.map(|a| a.to_string()),
            })
            .collect(),
        challenges: e
            .challenges
            .into_iter()
            .map(|c| rpc::CanonicityChallenge {
                challenger: c.challenger,
                competing_tx_hash: c.competing_tx_hash,
                competitor_pos: (c.competitor_pos != u64::MAX).then_some(c.competitor_pos),
            })
            .collect(),
        response_tx_pos: e.response.map(|(_, pos)| pos),
        decided_canonical: e.decided_canonical,
    }
}

/// True once an invalid block stopped the checker for good.
pub(crate) fn halted(events: &[ByzantineEvent]) -> bool {
    events
        .iter()
        .any(|e| e.kind == store::ByzantineKind::InvalidBlock)
}
