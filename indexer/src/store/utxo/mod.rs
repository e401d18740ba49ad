//! Outputs and spends: the UTXO set the checker checks against, the spend a challenge
//! needs, the outputs and history of an owner ([`UtxoStore`]); their bulk insert with a
//! block and their step of a rollback are in `write`.

mod write;

pub(crate) use write::{insert, rollback};

use super::{
    Store, StoreError, address, amount, exits::ExitStatus, hash, signed, stored_text, unsigned,
};
use alloy::primitives::{Address, B256, Bytes, U256};
use plasma_core::{position::UtxoPos, tx::Output};
use std::{collections::HashMap, future::Future};

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

/// A stored output with the status of its exit, if one started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utxo {
    /// Position.
    pub pos: UtxoPos,
    /// The output.
    pub output: Output,
    /// Status of its exit, if one started.
    pub exit_status: Option<ExitStatus>,
}

/// What a challenge needs: the stored spend of an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    /// Position of the spent output.
    pub utxo_pos: u64,
    /// The spending transaction's bytes.
    pub spending_tx: Bytes,
    /// Its hash.
    pub spending_tx_hash: B256,
    /// Position of the spending transaction.
    pub spending_tx_pos: u64,
    /// Input of the spending transaction that spends the output.
    pub input_index: u8,
    /// The owner's 65-byte signature on that input.
    pub signature: Bytes,
}

/// Everything exit data is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitSource {
    /// The output.
    pub output: Utxo,
    /// The transaction's bytes.
    pub tx_bytes: Bytes,
    /// Block timestamp recorded on chain.
    pub block_timestamp: u64,
    /// Whether a stored transaction spends the output.
    pub spent: bool,
}

stored_text! {
    /// Kinds of history entries.
    HistoryKind, "history kind" {
        /// An output of a deposit block.
        Deposit => "deposit",
        /// An output of a child-block transaction.
        Received => "received",
        /// A spend of an output.
        Sent => "sent",
        /// `ExitStarted`.
        ExitStarted => "exit_started",
        /// `ExitChallenged`.
        ExitChallenged => "exit_challenged",
        /// `ExitProcessed`.
        ExitProcessed => "exit_processed",
    }
}

/// A history entry of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// What happened.
    pub kind: HistoryKind,
    /// Root-chain block that ordered the entry.
    pub root_block: u64,
    /// Output position concerned.
    pub utxo_pos: u64,
    /// Transaction hash (received: the creating tx; sent: the spending tx).
    pub tx_hash: Option<B256>,
    /// Token.
    pub token: Address,
    /// Amount.
    pub amount: U256,
}

/// Reads of outputs and spends (they are written with their block).
pub trait UtxoStore {
    /// The stored outputs among `positions`, with their spent flags and exit marks.
    fn load_outputs(
        &self,
        positions: &[u64],
    ) -> impl Future<Output = Result<HashMap<u64, KnownOutput>, StoreError>> + Send;

    /// The exit marks (`exited_from`, see [`KnownOutput`]) of those of `positions` whose
    /// exit was processed; for outputs whose block is not stored yet (still in flight).
    fn exited_from(
        &self,
        positions: &[u64],
    ) -> impl Future<Output = Result<HashMap<u64, u64>, StoreError>> + Send;

    /// Those of `positions` that no valid block holds: their block was checked (valid,
    /// invalid or untrusted) or does not exist, and the output is not stored.
    fn unknown_outputs(
        &self,
        positions: &[u64],
    ) -> impl Future<Output = Result<std::collections::HashSet<u64>, StoreError>> + Send;

    /// The stored spend of an output, if any.
    fn spend_of(&self, pos: u64) -> impl Future<Output = Result<Option<Spend>, StoreError>> + Send;

    /// What exit data for `pos` is built from.
    fn exit_source(
        &self,
        pos: u64,
    ) -> impl Future<Output = Result<Option<ExitSource>, StoreError>> + Send;

    /// Unspent outputs of `owner` (outputs whose exit was processed are gone).
    fn utxos(&self, owner: Address) -> impl Future<Output = Result<Vec<Utxo>, StoreError>> + Send;

    /// History of `owner`, newest first.
    fn history(
        &self,
        owner: Address,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = Result<Vec<HistoryEntry>, StoreError>> + Send;
}

impl UtxoStore for Store {
    async fn unknown_outputs(
        &self,
        positions: &[u64],
    ) -> Result<std::collections::HashSet<u64>, StoreError> {
        let known = self.load_outputs(positions).await?;
        let blknums: Vec<u64> = positions.iter().map(|p| UtxoPos(*p).blknum()).collect();
        let list = serde_json::to_string(&blknums).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query!(
            "SELECT b.blknum, b.status FROM json_each(?1) j JOIN blocks b ON b.blknum = j.value",
            list
        )
        .fetch_all(&self.pool)
        .await?;
        let pending: std::collections::HashSet<u64> = rows
            .into_iter()
            .filter(|r| r.status == "pending" || r.status == "withheld")
            .map(|r| unsigned(r.blknum))
            .collect::<Result<_, _>>()?;
        Ok(positions
            .iter()
            .copied()
            .filter(|p| !known.contains_key(p) && !pending.contains(&UtxoPos(*p).blknum()))
            .collect())
    }

    async fn load_outputs(
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

    async fn exited_from(&self, positions: &[u64]) -> Result<HashMap<u64, u64>, StoreError> {
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

    async fn spend_of(&self, pos: u64) -> Result<Option<Spend>, StoreError> {
        let p = signed(pos);
        let row = sqlx::query!(
            "SELECT s.tx_pos, s.input_index, t.bytes, t.hash, t.signatures
             FROM spends s JOIN txs t ON t.pos = s.tx_pos WHERE s.pos = ?1",
            p
        )
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
            utxo_pos: pos,
            spending_tx: Bytes::from(r.bytes),
            spending_tx_hash: hash(&r.hash)?,
            spending_tx_pos: unsigned(r.tx_pos)?,
            input_index: u8::try_from(index).map_err(|_| corrupt())?,
            signature: Bytes::copy_from_slice(signature),
        }))
    }

    async fn exit_source(&self, pos: u64) -> Result<Option<ExitSource>, StoreError> {
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
            output: Utxo {
                pos: UtxoPos(pos),
                output: Output {
                    owner: address(&r.owner)?,
                    token: address(&r.token)?,
                    amount: amount(&r.amount)?,
                },
                exit_status: r
                    .exit_pos
                    .map(|_| ExitStatus::of(r.challenged_root_block, r.processed_root_block)),
            },
            tx_bytes: Bytes::from(r.bytes),
            block_timestamp: unsigned(r.timestamp)?,
            spent: r.spent,
        }))
    }

    async fn utxos(&self, owner: Address) -> Result<Vec<Utxo>, StoreError> {
        let o = owner.as_slice();
        let rows = sqlx::query!(
            r#"SELECT o.pos AS "pos!", o.token, o.amount, e.challenged_root_block, e.processed_root_block, e.pos AS "exit_pos?"
               FROM outputs o LEFT JOIN spends s ON s.pos = o.pos LEFT JOIN exits e ON e.pos = o.pos
               WHERE o.owner = ?1 AND s.pos IS NULL AND e.processed_root_block IS NULL ORDER BY o.pos"#,
            o
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Utxo {
                    pos: UtxoPos(unsigned(r.pos)?),
                    output: Output {
                        owner,
                        token: address(&r.token)?,
                        amount: amount(&r.amount)?,
                    },
                    exit_status: r
                        .exit_pos
                        .map(|_| ExitStatus::of(r.challenged_root_block, r.processed_root_block)),
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
                    kind: HistoryKind::stored(&r.kind)?,
                    root_block: unsigned(r.root_block)?,
                    utxo_pos: unsigned(r.pos)?,
                    tx_hash: r.tx_hash.as_deref().map(hash).transpose()?,
                    token: address(&r.token)?,
                    amount: amount(&r.amount)?,
                })
            })
            .collect()
    }
}
