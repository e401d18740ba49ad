//! Reads for the follower, the block checker, the watchtower and the REST API. The view
//! structs here are the API's JSON shapes (camelCase, `0x` lowercase hex, decimal amounts).

use super::{Store, StoreError, address, amount, hash, signed, unsigned};
use alloy::primitives::{Address, B256};
use plasma_core::tx::Output;
use serde::Serialize;
use std::collections::HashMap;

/// A child block waiting for its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingBlock {
    /// Block number.
    pub blknum: u64,
    /// Root committed on chain.
    pub root: B256,
    /// Timestamp committed on chain.
    pub timestamp: u64,
    /// Unix time the indexer first saw the root.
    pub first_seen: u64,
    /// `pending` or `withheld`.
    pub status: String,
}

/// A stored output and whether it is spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOutput {
    /// The output.
    pub output: Output,
    /// True when a stored transaction spends it.
    pub spent: bool,
    /// When its exit was processed: the first child block that may no longer spend it
    /// (core `exit::block_may_spend`).
    pub exited_from: Option<u64>,
}

/// What a challenge needs: the stored spend of an output.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SpendView {
    /// Position of the spent output.
    pub utxo_pos: u64,
    /// The spending transaction's bytes.
    pub spending_tx: String,
    /// Its hash.
    pub spending_tx_hash: String,
    /// Position of the spending transaction.
    pub spending_tx_pos: u64,
    /// Input of the spending transaction that spends the output.
    pub input_index: u8,
    /// The owner's 65-byte signature on that input.
    pub signature: String,
}

/// An output row of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OutputView {
    /// Position.
    pub utxo_pos: u64,
    /// Block number.
    pub blknum: u64,
    /// Owner.
    pub owner: String,
    /// Token (zero address for ETH).
    pub token: String,
    /// Amount (decimal).
    pub amount: String,
    /// Exit status if an exit was started (`active`, `challenged`, `processed`).
    pub exit_status: Option<String>,
}

/// Everything exit data is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitSource {
    /// The output.
    pub output: OutputView,
    /// The transaction's bytes.
    pub tx_bytes: Vec<u8>,
    /// Block timestamp recorded on chain.
    pub block_timestamp: u64,
    /// Whether a stored transaction spends the output.
    pub spent: bool,
}

/// A block row of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BlockView {
    /// Block number.
    pub blknum: u64,
    /// True for a deposit block.
    pub is_deposit: bool,
    /// Root.
    pub root: String,
    /// Timestamp recorded on chain.
    pub timestamp: u64,
    /// Root-chain block of the commitment.
    pub root_block: u64,
    /// `pending`, `valid`, `invalid`, `withheld` or `untrusted`.
    pub status: String,
    /// Number of transactions stored.
    pub tx_count: u64,
    /// Why the block is invalid or withheld.
    pub reason: Option<String>,
}

/// A transaction row of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TxView {
    /// Hash.
    pub hash: String,
    /// Block number.
    pub blknum: u64,
    /// Index in the block.
    pub txindex: u64,
    /// Type byte (1 payment, 2 deposit).
    pub tx_type: u8,
    /// Canonical bytes.
    pub tx: String,
    /// Signatures.
    pub signatures: Vec<String>,
}

/// An exit row of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ExitView {
    /// Exiting position.
    pub utxo_pos: u64,
    /// Owner.
    pub owner: String,
    /// Token.
    pub token: String,
    /// Amount.
    pub amount: String,
    /// Unix time from which `processExits` pays it.
    pub exitable_at: u64,
    /// `active`, `challenged` or `processed`.
    pub status: String,
    /// Root-chain block of `ExitStarted`.
    pub started_root_block: u64,
    /// Bond receiver, when challenged.
    pub challenger: Option<String>,
    /// Hash of the challenging spend, when challenged.
    pub spending_tx_hash: Option<String>,
    /// Whether the payout succeeded, when processed.
    pub paid: Option<bool>,
    /// True when this indexer knows a spend of the output (the exit is invalid).
    pub output_spent: bool,
    /// The challenge transaction this indexer sent, if any.
    pub our_challenge_tx: Option<String>,
}

/// A history entry of an address.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// `deposit`, `received`, `sent`, `exit_started`, `exit_challenged`, `exit_processed`.
    pub kind: String,
    /// Root-chain block that ordered the entry.
    pub root_block: u64,
    /// Output position concerned.
    pub utxo_pos: u64,
    /// Transaction hash (received: the creating tx; sent: the spending tx).
    pub tx_hash: Option<String>,
    /// Token.
    pub token: String,
    /// Amount.
    pub amount: String,
}

/// A byzantine event of the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ByzantineView {
    /// Sequence number.
    pub id: i64,
    /// Kind.
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

/// Counts for the status endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heights {
    /// Cursor of the root-chain follower.
    pub root_block: Option<u64>,
    /// Highest child block committed on chain.
    pub child_committed: Option<u64>,
    /// Highest child block checked valid.
    pub child_valid: Option<u64>,
}

pub(crate) fn hx(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

fn addr_hex(bytes: &[u8]) -> Result<String, StoreError> {
    address(bytes).map(|a| hx(a.as_slice()))
}

fn exit_status(challenged: Option<i64>, processed: Option<i64>) -> String {
    if processed.is_some() {
        "processed".into()
    } else if challenged.is_some() {
        "challenged".into()
    } else {
        "active".into()
    }
}

const BLOCK: i64 = 1_000_000_000;

impl Store {
    /// The root-chain cursor.
    pub async fn cursor(&self) -> Result<Option<(u64, B256)>, StoreError> {
        let row = sqlx::query!("SELECT root_block, root_hash FROM sync_cursor WHERE id = 0")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((unsigned(r.root_block)?, hash(&r.root_hash)?)))
            .transpose()
    }

    /// Stored root-chain headers at or below `below`, newest first.
    pub async fn root_headers(
        &self,
        below: u64,
        limit: i64,
    ) -> Result<Vec<(u64, B256)>, StoreError> {
        let b = signed(below);
        let rows = sqlx::query!(
            "SELECT number, hash FROM root_headers WHERE number <= ?1 ORDER BY number DESC LIMIT ?2",
            b,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((unsigned(r.number)?, hash(&r.hash)?)))
            .collect()
    }

    /// The next child block to check, in order; `None` when all are checked or the chain
    /// halted at an invalid block.
    pub async fn next_pending_block(&self) -> Result<Option<PendingBlock>, StoreError> {
        self.next_pending_after(0).await
    }

    /// The stored outputs among `positions`, with their spent flags and exit marks.
    pub async fn load_outputs(
        &self,
        positions: &[u64],
    ) -> Result<HashMap<u64, KnownOutput>, StoreError> {
        let list = serde_json::to_string(positions).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query!(
            r#"SELECT o.pos AS "pos!", o.owner AS "owner!", o.token AS "token!", o.amount AS "amount!",
                      s.pos IS NOT NULL AS "spent!: bool", e.exited_from_blknum AS "exited_from?: i64"
               FROM json_each(?1) j JOIN outputs o ON o.pos = j.value LEFT JOIN spends s ON s.pos = o.pos
               LEFT JOIN exits e ON e.pos = o.pos"#,
            list
        )
        .fetch_all(&self.pool)
        .await?;
        let mut map = HashMap::with_capacity(rows.len());
        for r in rows {
            let output = Output {
                owner: address(&r.owner)?,
                token: address(&r.token)?,
                amount: amount(&r.amount)?,
            };
            map.insert(
                unsigned(r.pos)?,
                KnownOutput {
                    output,
                    spent: r.spent,
                    exited_from: r.exited_from.map(unsigned).transpose()?,
                },
            );
        }
        Ok(map)
    }

    /// The exit marks (`exited_from`, see [`KnownOutput`]) of those of `positions` whose
    /// exit was processed; for outputs whose block is not stored yet (still in flight).
    pub async fn exited_from(&self, positions: &[u64]) -> Result<HashMap<u64, u64>, StoreError> {
        if positions.is_empty() {
            return Ok(HashMap::new());
        }
        let list = serde_json::to_string(positions).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query!(
            r#"SELECT e.pos AS "pos!", e.exited_from_blknum AS "from!"
               FROM json_each(?1) j JOIN exits e ON e.pos = j.value
               WHERE e.exited_from_blknum IS NOT NULL"#,
            list
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((unsigned(r.pos)?, unsigned(r.from)?)))
            .collect()
    }

    /// The stored spend of an output, if any.
    pub async fn spend_of(&self, pos: u64) -> Result<Option<SpendView>, StoreError> {
        let p = signed(pos);
        let row = sqlx::query!(
            "SELECT s.tx_pos, s.input_index, t.bytes, t.hash, t.signatures
             FROM spends s JOIN txs t ON t.pos = s.tx_pos WHERE s.pos = ?1",
            p
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let index = usize::try_from(r.input_index).map_err(|_| StoreError::Corrupt {
            what: "input index",
        })?;
        let signature = r
            .signatures
            .get(index * 65..index * 65 + 65)
            .ok_or(StoreError::Corrupt { what: "signature" })?;
        Ok(Some(SpendView {
            utxo_pos: pos,
            spending_tx: hx(&r.bytes),
            spending_tx_hash: hx(&r.hash),
            spending_tx_pos: unsigned(r.tx_pos)?,
            input_index: u8::try_from(index).map_err(|_| StoreError::Corrupt {
                what: "input index",
            })?,
            signature: hx(signature),
        }))
    }

    /// Exits not challenged nor processed whose output this indexer knows is spent.
    pub async fn invalid_active_exits(&self) -> Result<Vec<ExitView>, StoreError> {
        let rows = sqlx::query!(
            "SELECT e.pos FROM exits e JOIN spends s ON s.pos = e.pos
             WHERE e.challenged_root_block IS NULL AND e.processed_root_block IS NULL ORDER BY e.pos"
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(exit) = self.exit(unsigned(r.pos)?).await? {
                out.push(exit);
            }
        }
        Ok(out)
    }

    /// What exit data for `pos` is built from.
    pub async fn exit_source(&self, pos: u64) -> Result<Option<ExitSource>, StoreError> {
        let (p, tx_pos, blknum) = (
            signed(pos),
            signed(pos - pos % 10_000),
            signed(pos / 1_000_000_000),
        );
        let row = sqlx::query!(
            r#"SELECT o.owner, o.token, o.amount, t.bytes, b.timestamp,
                      s.pos IS NOT NULL AS "spent!: bool",
                      e.challenged_root_block, e.processed_root_block, e.pos AS "exit_pos?"
               FROM outputs o JOIN txs t ON t.pos = ?2 JOIN blocks b ON b.blknum = ?3
               LEFT JOIN spends s ON s.pos = o.pos LEFT JOIN exits e ON e.pos = o.pos
               WHERE o.pos = ?1"#,
            p,
            tx_pos,
            blknum
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(ExitSource {
            output: OutputView {
                utxo_pos: pos,
                blknum: pos / 1_000_000_000,
                owner: addr_hex(&r.owner)?,
                token: addr_hex(&r.token)?,
                amount: r.amount,
                exit_status: r
                    .exit_pos
                    .map(|_| exit_status(r.challenged_root_block, r.processed_root_block)),
            },
            tx_bytes: r.bytes,
            block_timestamp: unsigned(r.timestamp)?,
            spent: r.spent,
        }))
    }

    /// Transaction bytes of a block, in order (for its Merkle tree).
    pub async fn block_txs(&self, blknum: u64) -> Result<Vec<Vec<u8>>, StoreError> {
        let (from, to) = (signed(blknum) * BLOCK, signed(blknum + 1) * BLOCK);
        let rows = sqlx::query_scalar!(
            "SELECT bytes FROM txs WHERE pos >= ?1 AND pos < ?2 ORDER BY pos",
            from,
            to
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Unspent outputs of `owner` (outputs whose exit was processed are gone).
    pub async fn utxos(&self, owner: Address) -> Result<Vec<OutputView>, StoreError> {
        let o = owner.as_slice();
        let rows = sqlx::query!(
            r#"SELECT o.pos AS "pos!", o.token, o.amount, e.challenged_root_block, e.processed_root_block, e.pos AS "exit_pos?"
               FROM outputs o LEFT JOIN spends s ON s.pos = o.pos LEFT JOIN exits e ON e.pos = o.pos
               WHERE o.owner = ?1 AND s.pos IS NULL AND e.processed_root_block IS NULL ORDER BY o.pos"#,
            o
        )
        .fetch_all(&self.pool)
        .await?;
        let owner_hex = hx(owner.as_slice());
        rows.into_iter()
            .map(|r| {
                let pos = unsigned(r.pos)?;
                Ok(OutputView {
                    utxo_pos: pos,
                    blknum: pos / 1_000_000_000,
                    owner: owner_hex.clone(),
                    token: addr_hex(&r.token)?,
                    amount: r.amount,
                    exit_status: r
                        .exit_pos
                        .map(|_| exit_status(r.challenged_root_block, r.processed_root_block)),
                })
            })
            .collect()
    }

    /// History of `owner`, newest first.
    pub async fn history(
        &self,
        owner: Address,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let o = owner.as_slice();
        let rows = sqlx::query!(
            r#"SELECT kind AS "kind!: String", root_block AS "root_block!: i64", pos AS "pos!: i64",
                      tx_hash AS "tx_hash: Vec<u8>", token AS "token!: Vec<u8>", amount AS "amount!: String"
               FROM (
                 SELECT CASE WHEN b.is_deposit = 1 THEN 'deposit' ELSE 'received' END AS kind,
                        b.root_block AS root_block, o.pos AS pos, t.hash AS tx_hash, o.token AS token,
                        o.amount AS amount, 0 AS rank
                 FROM outputs o JOIN txs t ON t.pos = o.pos - (o.pos % 10000)
                 JOIN blocks b ON b.blknum = o.pos / 1000000000 WHERE o.owner = ?1
                 UNION ALL
                 SELECT 'sent', b.root_block, s.pos, t.hash, o.token, o.amount, 1
                 FROM outputs o JOIN spends s ON s.pos = o.pos JOIN txs t ON t.pos = s.tx_pos
                 JOIN blocks b ON b.blknum = s.tx_pos / 1000000000 WHERE o.owner = ?1
                 UNION ALL
                 SELECT 'exit_started', e.started_root_block, e.pos, NULL, e.token, e.amount, 2
                 FROM exits e WHERE e.owner = ?1
                 UNION ALL
                 SELECT 'exit_challenged', e.challenged_root_block, e.pos, e.spending_tx_hash, e.token, e.amount, 3
                 FROM exits e WHERE e.owner = ?1 AND e.challenged_root_block IS NOT NULL
                 UNION ALL
                 SELECT 'exit_processed', e.processed_root_block, e.pos, NULL, e.token, e.amount, 4
                 FROM exits e WHERE e.owner = ?1 AND e.processed_root_block IS NOT NULL
               ) ORDER BY root_block DESC, pos DESC, rank DESC LIMIT ?2 OFFSET ?3"#,
            o,
            limit,
            offset
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(HistoryEntry {
                    kind: r.kind,
                    root_block: unsigned(r.root_block)?,
                    utxo_pos: unsigned(r.pos)?,
                    tx_hash: r.tx_hash.as_deref().map(hx),
                    token: addr_hex(&r.token)?,
                    amount: r.amount,
                })
            })
            .collect()
    }

    /// Blocks with numbers below `before`, newest first.
    pub async fn blocks(&self, before: u64, limit: i64) -> Result<Vec<BlockView>, StoreError> {
        let b = signed(before);
        let rows = sqlx::query!(
            "SELECT blknum, is_deposit, root, timestamp, root_block, status, tx_count, reason
             FROM blocks WHERE blknum < ?1 ORDER BY blknum DESC LIMIT ?2",
            b,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(BlockView {
                    blknum: unsigned(r.blknum)?,
                    is_deposit: r.is_deposit != 0,
                    root: hx(&r.root),
                    timestamp: unsigned(r.timestamp)?,
                    root_block: unsigned(r.root_block)?,
                    status: r.status,
                    tx_count: unsigned(r.tx_count)?,
                    reason: r.reason,
                })
            })
            .collect()
    }

    /// Transactions of a block, in order, from `offset`.
    pub async fn block_tx_views(
        &self,
        blknum: u64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<TxView>, StoreError> {
        let (from, to) = (signed(blknum) * BLOCK, signed(blknum + 1) * BLOCK);
        let rows = sqlx::query!(
            "SELECT pos, hash, tx_type, bytes, signatures FROM txs WHERE pos >= ?1 AND pos < ?2
             ORDER BY pos LIMIT ?3 OFFSET ?4",
            from,
            to,
            limit,
            offset
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| tx_view(r.pos, &r.hash, r.tx_type, &r.bytes, &r.signatures))
            .collect()
    }

    /// A transaction by hash.
    pub async fn tx_by_hash(&self, tx_hash: B256) -> Result<Option<TxView>, StoreError> {
        let h = tx_hash.as_slice();
        let row = sqlx::query!(
            r#"SELECT pos AS "pos!", hash, tx_type, bytes, signatures FROM txs WHERE hash = ?1 ORDER BY pos LIMIT 1"#,
            h
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| tx_view(r.pos, &r.hash, r.tx_type, &r.bytes, &r.signatures))
            .transpose()
    }

    /// One exit.
    pub async fn exit(&self, pos: u64) -> Result<Option<ExitView>, StoreError> {
        let p = signed(pos);
        let row = sqlx::query!(
            r#"SELECT e.pos, e.owner, e.token, e.amount, e.exitable_at, e.started_root_block,
                      e.challenged_root_block, e.challenger, e.spending_tx_hash, e.processed_root_block,
                      e.paid AS "paid: bool", e.our_challenge_tx,
                      EXISTS(SELECT 1 FROM spends s WHERE s.pos = e.pos) AS "spent!: bool"
               FROM exits e WHERE e.pos = ?1"#,
            p
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(ExitView {
            utxo_pos: unsigned(r.pos)?,
            owner: addr_hex(&r.owner)?,
            token: addr_hex(&r.token)?,
            amount: r.amount,
            exitable_at: unsigned(r.exitable_at)?,
            status: exit_status(r.challenged_root_block, r.processed_root_block),
            started_root_block: unsigned(r.started_root_block)?,
            challenger: r.challenger.as_deref().map(addr_hex).transpose()?,
            spending_tx_hash: r.spending_tx_hash.as_deref().map(hx),
            paid: r.paid,
            output_spent: r.spent,
            our_challenge_tx: r.our_challenge_tx.as_deref().map(hx),
        }))
    }

    /// Exits filtered by owner and status, by position.
    pub async fn exits(
        &self,
        owner: Option<Address>,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ExitView>, StoreError> {
        let o = owner.map(|a| a.as_slice().to_vec());
        let rows = sqlx::query_scalar!(
            "SELECT pos FROM exits e WHERE (?1 IS NULL OR owner = ?1)
             AND (?2 IS NULL OR ?2 = CASE WHEN processed_root_block IS NOT NULL THEN 'processed'
                  WHEN challenged_root_block IS NOT NULL THEN 'challenged' ELSE 'active' END)
             ORDER BY pos LIMIT ?3 OFFSET ?4",
            o,
            status,
            limit,
            offset
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for pos in rows {
            if let Some(exit) = self.exit(unsigned(pos)?).await? {
                out.push(exit);
            }
        }
        Ok(out)
    }

    /// Heights for the status endpoint.
    pub async fn heights(&self) -> Result<Heights, StoreError> {
        let r = sqlx::query!(
            r#"SELECT (SELECT root_block FROM sync_cursor WHERE id = 0) AS "root_block: i64",
                      (SELECT MAX(blknum) FROM blocks WHERE is_deposit = 0) AS "child_committed: i64",
                      (SELECT MAX(blknum) FROM blocks WHERE is_deposit = 0 AND status = 'valid') AS "child_valid: i64""#
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Heights {
            root_block: r.root_block.map(unsigned).transpose()?,
            child_committed: r.child_committed.map(unsigned).transpose()?,
            child_valid: r.child_valid.map(unsigned).transpose()?,
        })
    }

    /// All byzantine events, oldest first (they stay visible once raised).
    pub async fn byzantine_events(&self) -> Result<Vec<ByzantineView>, StoreError> {
        let rows = sqlx::query!(
            "SELECT id, kind, blknum, utxo_pos, detail, raised_at, resolved_at FROM byzantine_events ORDER BY id"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ByzantineView {
                    id: r.id,
                    kind: r.kind,
                    blknum: r.blknum.map(unsigned).transpose()?,
                    utxo_pos: r.utxo_pos.map(unsigned).transpose()?,
                    detail: r.detail,
                    raised_at: unsigned(r.raised_at)?,
                    resolved_at: r.resolved_at.map(unsigned).transpose()?,
                })
            })
            .collect()
    }
}

fn tx_view(
    pos: i64,
    hash: &[u8],
    tx_type: i64,
    bytes: &[u8],
    sigs: &[u8],
) -> Result<TxView, StoreError> {
    let pos = unsigned(pos)?;
    Ok(TxView {
        hash: hx(hash),
        blknum: pos / 1_000_000_000,
        txindex: (pos % 1_000_000_000) / 10_000,
        tx_type: u8::try_from(tx_type).map_err(|_| StoreError::Corrupt { what: "tx type" })?,
        tx: hx(bytes),
        signatures: sigs.chunks(65).map(hx).collect(),
    })
}

impl Store {
    /// The first child block after `blknum` still to check (for the pipelined checker).
    pub async fn next_pending_after(
        &self,
        blknum: u64,
    ) -> Result<Option<PendingBlock>, StoreError> {
        let b = signed(blknum);
        let row = sqlx::query!(
            "SELECT blknum, root, timestamp, first_seen, status FROM blocks
             WHERE is_deposit = 0 AND status != 'valid' AND blknum > ?1 ORDER BY blknum LIMIT 1",
            b
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        if r.status != "pending" && r.status != "withheld" {
            return Ok(None);
        }
        Ok(Some(PendingBlock {
            blknum: unsigned(r.blknum)?,
            root: hash(&r.root)?,
            timestamp: unsigned(r.timestamp)?,
            first_seen: unsigned(r.first_seen)?,
            status: r.status,
        }))
    }
}
