//! [`UtxoStore`] on Postgres: outputs with their spends and exit marks, exit sources,
//! an owner's exitable UTXOs and history; the bulk insert of outputs and spends and their
//! step of a rollback.
//!
//! The exitable-UTXO query reads three ranges of `(owner, pos)` indexes — the owner's
//! outputs, spends (a spend records the spent output's owner) and exits — each
//! index-only and in position order, and merges them: no probe per output, and a mass
//! exit never scans those tables (see `tests/explain.rs`; migration 0002).

use super::{PgStore, PgTx, num, nums, pos};
use crate::store::{
    ExitSource, ExitStatus, HistoryEntry, HistoryKind, KnownOutput, Spend, StoreError, StoredTx,
    Utxo, UtxoStore, address, amount, hash, unsigned,
};
use alloy::primitives::{Address, Bytes};
use plasma_core::{position::UtxoPos, tx::Output};
use std::collections::{HashMap, HashSet};

#[derive(sqlx::FromRow)]
struct OutputRow {
    pos: String,
    owner: Vec<u8>,
    token: Vec<u8>,
    amount: String,
    spent: bool,
    exited_from: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SpendRow {
    tx_pos: String,
    input_index: i32,
    bytes: Vec<u8>,
    hash: Vec<u8>,
    signatures: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    owner: Vec<u8>,
    token: Vec<u8>,
    amount: String,
    bytes: Vec<u8>,
    timestamp: i64,
    spent: bool,
    exit_status: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UtxoRow {
    pos: String,
    token: Vec<u8>,
    amount: String,
    exit_status: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    kind: String,
    root_block: i64,
    pos: String,
    tx_hash: Option<Vec<u8>>,
    token: Vec<u8>,
    amount: String,
}

/// The query of an owner's exitable UTXOs (also used by the `EXPLAIN` test).
pub const EXITABLE_UTXOS: &str = "SELECT o.pos::text AS pos, o.token, o.amount::text AS amount,
        e.status AS exit_status
     FROM outputs o
     LEFT JOIN exits e ON e.owner = o.owner AND e.pos = o.pos
     WHERE o.owner = $1
       AND NOT EXISTS (SELECT 1 FROM spends s WHERE s.owner = o.owner AND s.pos = o.pos)
       AND e.status IS DISTINCT FROM 'processed'
     ORDER BY o.pos";

fn exit_status(text: Option<&str>) -> Result<Option<ExitStatus>, StoreError> {
    text.map(ExitStatus::stored).transpose()
}

impl UtxoStore for PgStore {
    async fn load_outputs(
        &self,
        positions: &[u64],
    ) -> Result<HashMap<u64, KnownOutput>, StoreError> {
        let rows: Vec<OutputRow> = sqlx::query_as(
            "SELECT o.pos::text AS pos, o.owner, o.token, o.amount::text AS amount,
                    EXISTS (SELECT 1 FROM spends s WHERE s.pos = o.pos) AS spent,
                    (SELECT e.exited_from_blknum FROM exits e WHERE e.pos = o.pos) AS exited_from
             FROM outputs o WHERE o.pos = ANY($1::numeric[])",
        )
        .bind(nums(positions))
        .fetch_all(&self.pool)
        .await?;
        let mut map = HashMap::with_capacity(rows.len());
        for r in rows {
            let output = Output {
                owner: address(&r.owner)?,
                token: address(&r.token)?,
                amount: amount(&r.amount)?,
            };
            let exited_from = r.exited_from.map(unsigned).transpose()?;
            let known = KnownOutput {
                output,
                spent: r.spent,
                exited_from,
            };
            map.insert(pos(&r.pos)?, known);
        }
        Ok(map)
    }

    async fn exited_from(&self, positions: &[u64]) -> Result<HashMap<u64, u64>, StoreError> {
        if positions.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT pos::text, exited_from_blknum FROM exits
             WHERE pos = ANY($1::numeric[]) AND exited_from_blknum IS NOT NULL",
        )
        .bind(nums(positions))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(p, from)| Ok((pos(&p)?, unsigned(from)?)))
            .collect()
    }

    async fn unknown_outputs(&self, positions: &[u64]) -> Result<HashSet<u64>, StoreError> {
        let known = self.load_outputs(positions).await?;
        let blknums: Vec<i64> = positions
            .iter()
            .map(|p| crate::store::signed(UtxoPos(*p).blknum()))
            .collect();
        let pending: Vec<i64> = sqlx::query_scalar(
            "SELECT blknum FROM blocks WHERE blknum = ANY($1)
             AND status IN ('pending', 'withheld')",
        )
        .bind(blknums)
        .fetch_all(&self.pool)
        .await?;
        let pending: HashSet<u64> = pending
            .into_iter()
            .map(unsigned)
            .collect::<Result<_, _>>()?;
        Ok(positions
            .iter()
            .copied()
            .filter(|p| !known.contains_key(p) && !pending.contains(&UtxoPos(*p).blknum()))
            .collect())
    }

    async fn spend_of(&self, utxo: u64) -> Result<Option<Spend>, StoreError> {
        let row: Option<SpendRow> = sqlx::query_as(
            "SELECT s.tx_pos::text AS tx_pos, s.input_index, t.bytes, t.hash, t.signatures
             FROM spends s JOIN txs t ON t.pos = s.tx_pos WHERE s.pos = $1::numeric",
        )
        .bind(num(utxo))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let corrupt = || StoreError::corrupt("input index");
        let index = usize::try_from(r.input_index).map_err(|_| corrupt())?;
        let signature = r
            .signatures
            .get(index * 65..index * 65 + 65)
            .ok_or(StoreError::corrupt("signature"))?;
        Ok(Some(Spend {
            utxo_pos: utxo,
            spending_tx: Bytes::from(r.bytes),
            spending_tx_hash: hash(&r.hash)?,
            spending_tx_pos: pos(&r.tx_pos)?,
            input_index: u8::try_from(index).map_err(|_| corrupt())?,
            signature: Bytes::copy_from_slice(signature),
        }))
    }

    async fn exit_source(&self, utxo: u64) -> Result<Option<ExitSource>, StoreError> {
        let p = UtxoPos(utxo);
        let row: Option<SourceRow> = sqlx::query_as(
            "SELECT o.owner, o.token, o.amount::text AS amount, t.bytes, b.timestamp,
                    EXISTS (SELECT 1 FROM spends s WHERE s.pos = o.pos) AS spent,
                    (SELECT e.status FROM exits e WHERE e.pos = o.pos) AS exit_status
             FROM outputs o JOIN txs t ON t.pos = $2::numeric JOIN blocks b ON b.blknum = $3
             WHERE o.pos = $1::numeric",
        )
        .bind(num(utxo))
        .bind(num(utxo - utxo % 10_000))
        .bind(crate::store::signed(p.blknum()))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(ExitSource {
            output: Utxo {
                pos: p,
                output: Output {
                    owner: address(&r.owner)?,
                    token: address(&r.token)?,
                    amount: amount(&r.amount)?,
                },
                exit_status: exit_status(r.exit_status.as_deref())?,
            },
            tx_bytes: Bytes::from(r.bytes),
            block_timestamp: unsigned(r.timestamp)?,
            spent: r.spent,
        }))
    }

    async fn utxos(&self, owner: Address) -> Result<Vec<Utxo>, StoreError> {
        let rows: Vec<UtxoRow> = sqlx::query_as(EXITABLE_UTXOS)
            .bind(owner.as_slice())
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Utxo {
                    pos: UtxoPos(pos(&r.pos)?),
                    output: Output {
                        owner,
                        token: address(&r.token)?,
                        amount: amount(&r.amount)?,
                    },
                    exit_status: exit_status(r.exit_status.as_deref())?,
                })
            })
            .collect()
    }

    async fn history(
        &self,
        owner: Address,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows: Vec<HistoryRow> = sqlx::query_as(
            "SELECT kind, root_block, pos::text AS pos, tx_hash, token, amount::text AS amount
             FROM (
               SELECT CASE WHEN b.is_deposit THEN 'deposit' ELSE 'received' END AS kind,
                      b.root_block, o.pos, t.hash AS tx_hash, o.token, o.amount, 0 AS rank
               FROM outputs o JOIN txs t ON t.pos = o.pos - mod(o.pos, 10000)
               JOIN blocks b ON b.blknum = div(o.pos, 1000000000)::bigint WHERE o.owner = $1
               UNION ALL
               SELECT 'sent', b.root_block, s.pos, t.hash, o.token, o.amount, 1
               FROM outputs o JOIN spends s ON s.pos = o.pos JOIN txs t ON t.pos = s.tx_pos
               JOIN blocks b ON b.blknum = div(s.tx_pos, 1000000000)::bigint WHERE o.owner = $1
               UNION ALL
               SELECT 'exit_started', e.started_root_block, e.pos, NULL, e.token, e.amount, 2
               FROM exits e WHERE e.owner = $1
               UNION ALL
               SELECT 'exit_challenged', e.challenged_root_block, e.pos, e.spending_tx_hash,
                      e.token, e.amount, 3
               FROM exits e WHERE e.owner = $1 AND e.challenged_root_block IS NOT NULL
               UNION ALL
               SELECT 'exit_processed', e.processed_root_block, e.pos, NULL, e.token, e.amount, 4
               FROM exits e WHERE e.owner = $1 AND e.processed_root_block IS NOT NULL
             ) h ORDER BY root_block DESC, h.pos DESC, rank DESC LIMIT $2 OFFSET $3",
        )
        .bind(owner.as_slice())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(HistoryEntry {
                    kind: HistoryKind::stored(&r.kind)?,
                    root_block: unsigned(r.root_block)?,
                    utxo_pos: pos(&r.pos)?,
                    tx_hash: r.tx_hash.as_deref().map(hash).transpose()?,
                    token: address(&r.token)?,
                    amount: amount(&r.amount)?,
                })
            })
            .collect()
    }
}

/// Bulk-inserts the outputs and spends of a block's transactions (one statement each).
pub(super) async fn insert(db: &mut PgTx<'_>, txs: &[StoredTx]) -> Result<(), StoreError> {
    let outputs = txs
        .iter()
        .flat_map(|tx| (tx.pos..).zip(&tx.outputs))
        .collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO outputs (pos, owner, token, amount)
         SELECT * FROM UNNEST($1::numeric[], $2::bytea[], $3::bytea[], $4::numeric[])",
    )
    .bind(outputs.iter().map(|(p, _)| num(*p)).collect::<Vec<_>>())
    .bind(
        outputs
            .iter()
            .map(|(_, o)| o.owner.as_slice())
            .collect::<Vec<_>>(),
    )
    .bind(
        outputs
            .iter()
            .map(|(_, o)| o.token.as_slice())
            .collect::<Vec<_>>(),
    )
    .bind(
        outputs
            .iter()
            .map(|(_, o)| o.amount.to_string())
            .collect::<Vec<_>>(),
    )
    .execute(&mut **db)
    .await?;
    let spends = txs
        .iter()
        .flat_map(|tx| {
            tx.inputs
                .iter()
                .zip(&tx.input_owners)
                .enumerate()
                .map(|(i, (input, owner))| (input.0, tx.pos, i, owner.as_slice()))
        })
        .collect::<Vec<_>>();
    // Each spend records the spent output's owner (`spends_owner`, the exitable-UTXO
    // query), as the checker found it: no lookup of outputs here (a join with `outputs`
    // was planned as a hash join over the whole table, a cost growing with the chain).
    sqlx::query(
        "INSERT INTO spends (pos, tx_pos, input_index, owner)
         SELECT * FROM UNNEST($1::numeric[], $2::numeric[], $3::integer[], $4::bytea[])",
    )
    .bind(spends.iter().map(|s| num(s.0)).collect::<Vec<_>>())
    .bind(spends.iter().map(|s| num(s.1)).collect::<Vec<_>>())
    .bind(spends.iter().map(|s| s.2 as i32).collect::<Vec<_>>())
    .bind(spends.iter().map(|s| s.3).collect::<Vec<_>>())
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Rollback: deletes outputs and spends of transactions from position `from` on.
pub(super) async fn rollback(db: &mut PgTx<'_>, from: u64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM outputs WHERE pos >= $1::numeric")
        .bind(num(from))
        .execute(&mut **db)
        .await?;
    sqlx::query("DELETE FROM spends WHERE tx_pos >= $1::numeric")
        .bind(num(from))
        .execute(&mut **db)
        .await?;
    Ok(())
}
