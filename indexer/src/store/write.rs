//! Writes: root-chain batches (with the cursor), checked child blocks, byzantine events.

use super::{Store, StoreError, now_secs, signed};
use alloy::primitives::{Address, B256, U256};
use plasma_core::{deposit::deposit_tx, position::UtxoPos, tx::Output};
use std::fmt::Write as _;

/// A root-chain event the indexer follows, decoded from the contract's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootEvent {
    /// `BlockSubmitted`: a child block's root was committed.
    BlockSubmitted {
        /// Child block number.
        blknum: u64,
        /// Merkle root.
        root: B256,
        /// Timestamp the contract recorded.
        timestamp: u64,
    },
    /// `DepositCreated`: a deposit block holding one DEPOSIT transaction.
    Deposit {
        /// Deposit block number.
        blknum: u64,
        /// Owner of the deposit output.
        owner: Address,
        /// Token (zero for ETH).
        token: Address,
        /// Credited amount.
        amount: U256,
        /// The deposit block's root.
        root: B256,
        /// Timestamp the contract recorded.
        timestamp: u64,
    },
    /// `ExitStarted`.
    ExitStarted {
        /// Exiting position.
        pos: u64,
        /// Owner of the output.
        owner: Address,
        /// Token.
        token: Address,
        /// Amount.
        amount: U256,
        /// When it becomes processable.
        exitable_at: u64,
    },
    /// `ExitChallenged`.
    ExitChallenged {
        /// Exiting position.
        pos: u64,
        /// Receiver of the bond.
        challenger: Address,
        /// Hash of the spending transaction.
        spending_tx_hash: B256,
    },
    /// `ExitProcessed`.
    ExitProcessed {
        /// Exiting position.
        pos: u64,
        /// False when the payout was deferred to `withdrawable`.
        paid: bool,
    },
}

/// The events of a range of root-chain blocks, stored atomically with the new cursor.
#[derive(Debug, Clone, Default)]
pub struct RootBatch {
    /// Events with the number of the root-chain block that emitted them, in log order.
    pub events: Vec<(u64, RootEvent)>,
    /// Last root-chain block of the range (the new cursor).
    pub to_block: u64,
    /// Its hash.
    pub to_hash: B256,
}

/// A transaction of a checked child block, ready to store.
#[derive(Debug, Clone)]
pub struct StoredTx {
    /// Position of the transaction (its output 0).
    pub pos: u64,
    /// `keccak256(bytes)`.
    pub hash: B256,
    /// Transaction type byte.
    pub tx_type: u8,
    /// Canonical bytes.
    pub bytes: Vec<u8>,
    /// Signatures, concatenated.
    pub signatures: Vec<u8>,
    /// Spent positions, in input order.
    pub inputs: Vec<UtxoPos>,
    /// Created outputs.
    pub outputs: Vec<Output>,
}

/// Kinds of byzantine events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByzantineKind {
    /// A block whose data hashes to its root but holds an invalid transaction.
    InvalidBlock,
    /// A block whose data stayed unavailable past the withholding timeout.
    BlockWithheld,
    /// An exit of an output this indexer knows is spent.
    InvalidExit,
    /// An invalid exit still unchallenged close to its exitable time.
    UnchallengedInvalidExitNearMaturity,
}

impl ByzantineKind {
    /// The stored and served name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidBlock => "invalid_block",
            Self::BlockWithheld => "block_withheld",
            Self::InvalidExit => "invalid_exit",
            Self::UnchallengedInvalidExitNearMaturity => "unchallenged_invalid_exit_near_maturity",
        }
    }
}

fn hex0x(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// JSON rows `[pos, "hash", type, "bytes", "sigs"]` for the bulk insert of transactions.
fn txs_json(txs: &[StoredTx]) -> String {
    let mut s = String::with_capacity(txs.len() * 400 + 2);
    s.push('[');
    for (i, tx) in txs.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            "[{},\"{}\",{},\"{}\",\"{}\"]",
            tx.pos,
            hex0x(tx.hash.as_slice()),
            tx.tx_type,
            hex0x(&tx.bytes),
            hex0x(&tx.signatures)
        );
    }
    s.push(']');
    s
}

/// JSON rows `[pos, "owner", "token", "amount"]` for the bulk insert of outputs.
fn outputs_json(txs: &[StoredTx]) -> String {
    let mut s = String::with_capacity(txs.len() * 220 + 2);
    s.push('[');
    let mut first = true;
    for tx in txs {
        for (o, out) in tx.outputs.iter().enumerate() {
            if !first {
                s.push(',');
            }
            first = false;
            let _ = write!(
                s,
                "[{},\"{}\",\"{}\",\"{}\"]",
                tx.pos + o as u64,
                hex0x(out.owner.as_slice()),
                hex0x(out.token.as_slice()),
                out.amount
            );
        }
    }
    s.push(']');
    s
}

/// JSON rows `[spent pos, tx pos, input index]` for the bulk insert of spends.
fn spends_json(txs: &[StoredTx]) -> String {
    let mut s = String::with_capacity(txs.len() * 40 + 2);
    s.push('[');
    let mut first = true;
    for tx in txs {
        for (i, input) in tx.inputs.iter().enumerate() {
            if !first {
                s.push(',');
            }
            first = false;
            let _ = write!(s, "[{},{},{}]", input.0, tx.pos, i);
        }
    }
    s.push(']');
    s
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

impl Store {
    /// Stores a batch of root-chain events and moves the cursor, atomically.
    pub async fn apply_root_batch(&self, batch: &RootBatch) -> Result<(), StoreError> {
        let mut db = self.pool.begin().await?;
        let now = now_secs();
        for (root_block, event) in &batch.events {
            let root_block = signed(*root_block);
            match event {
                RootEvent::BlockSubmitted {
                    blknum,
                    root,
                    timestamp,
                } => {
                    let halted = sqlx::query_scalar!(
                        r#"SELECT EXISTS(SELECT 1 FROM blocks WHERE status = 'invalid') AS "halted!: bool""#
                    )
                    .fetch_one(&mut *db)
                    .await?;
                    let status = if halted { "untrusted" } else { "pending" };
                    let (blknum, ts, root) = (signed(*blknum), signed(*timestamp), root.as_slice());
                    sqlx::query!(
                        "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, first_seen)
                         VALUES (?1, 0, ?2, ?3, ?4, ?5, ?6)",
                        blknum,
                        root,
                        ts,
                        root_block,
                        status,
                        now
                    )
                    .execute(&mut *db)
                    .await?;
                }
                RootEvent::Deposit {
                    blknum,
                    owner,
                    token,
                    amount,
                    root,
                    timestamp,
                } => {
                    let tx = deposit_tx(*blknum, *owner, *token, *amount);
                    let bytes = tx.encode();
                    let stored = StoredTx {
                        pos: blknum * plasma_core::position::BLOCK_OFFSET,
                        hash: tx.hash(),
                        tx_type: tx.tx_type.as_u8(),
                        bytes: bytes.to_vec(),
                        signatures: Vec::new(),
                        inputs: Vec::new(),
                        outputs: tx.outputs.clone(),
                    };
                    let (blknum, ts, root) = (signed(*blknum), signed(*timestamp), root.as_slice());
                    sqlx::query!(
                        "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, tx_count, first_seen)
                         VALUES (?1, 1, ?2, ?3, ?4, 'valid', 1, ?5)",
                        blknum,
                        root,
                        ts,
                        root_block,
                        now
                    )
                    .execute(&mut *db)
                    .await?;
                    insert_block_rows(&mut db, std::slice::from_ref(&stored)).await?;
                }
                RootEvent::ExitStarted {
                    pos,
                    owner,
                    token,
                    amount,
                    exitable_at,
                } => {
                    let (pos, at, amount) =
                        (signed(*pos), signed(*exitable_at), amount.to_string());
                    let (owner, token) = (owner.as_slice(), token.as_slice());
                    sqlx::query!(
                        "INSERT INTO exits (pos, owner, token, amount, exitable_at, started_root_block)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        pos,
                        owner,
                        token,
                        amount,
                        at,
                        root_block
                    )
                    .execute(&mut *db)
                    .await?;
                }
                RootEvent::ExitChallenged {
                    pos,
                    challenger,
                    spending_tx_hash,
                } => {
                    let (pos, challenger, spending) = (
                        signed(*pos),
                        challenger.as_slice(),
                        spending_tx_hash.as_slice(),
                    );
                    sqlx::query!(
                        "UPDATE exits SET challenged_root_block = ?2, challenger = ?3, spending_tx_hash = ?4
                         WHERE pos = ?1",
                        pos,
                        root_block,
                        challenger,
                        spending
                    )
                    .execute(&mut *db)
                    .await?;
                    resolve(&mut db, &format!("invalid_exit:{pos}")).await?;
                    resolve(
                        &mut db,
                        &format!("unchallenged_invalid_exit_near_maturity:{pos}"),
                    )
                    .await?;
                }
                RootEvent::ExitProcessed { pos, paid } => {
                    let pos = signed(*pos);
                    sqlx::query!(
                        "UPDATE exits SET processed_root_block = ?2, paid = ?3,
                             exited_from_blknum = (SELECT COALESCE(MAX(blknum), 0) + 1000 FROM blocks WHERE is_deposit = 0)
                         WHERE pos = ?1",
                        pos,
                        root_block,
                        paid
                    )
                    .execute(&mut *db)
                    .await?;
                }
            }
        }
        let (to_block, to_hash) = (signed(batch.to_block), batch.to_hash.as_slice());
        sqlx::query!(
            "INSERT INTO root_headers (number, hash) VALUES (?1, ?2)
             ON CONFLICT (number) DO UPDATE SET hash = excluded.hash",
            to_block,
            to_hash
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!(
            "DELETE FROM root_headers WHERE number < ?1 - 100000",
            to_block
        )
        .execute(&mut *db)
        .await?;
        sqlx::query!(
            "INSERT INTO sync_cursor (id, root_block, root_hash) VALUES (0, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET root_block = excluded.root_block, root_hash = excluded.root_hash",
            to_block,
            to_hash
        )
        .execute(&mut *db)
        .await?;
        db.commit().await?;
        Ok(())
    }

    /// Stores a checked, valid child block. Returns false (and stores nothing) when the
    /// block is no longer pending with this root (a reorganisation replaced it meanwhile).
    pub async fn commit_valid_block(
        &self,
        blknum: u64,
        root: B256,
        txs: &[StoredTx],
    ) -> Result<bool, StoreError> {
        let mut db = self.pool.begin().await?;
        let (b, count, root) = (signed(blknum), txs.len() as i64, root.as_slice());
        let updated = sqlx::query!(
            "UPDATE blocks SET status = 'valid', tx_count = ?2, reason = NULL
             WHERE blknum = ?1 AND root = ?3 AND status IN ('pending', 'withheld')",
            b,
            count,
            root
        )
        .execute(&mut *db)
        .await?
        .rows_affected();
        if updated != 1 {
            return Ok(false);
        }
        insert_block_rows(&mut db, txs).await?;
        resolve(&mut db, &format!("block_withheld:{blknum}")).await?;
        db.commit().await?;
        Ok(true)
    }

    /// Marks a child block invalid, raises `invalid_block`, and marks every later child
    /// block untrusted. Returns false when the block is no longer pending with this root.
    pub async fn mark_block_invalid(
        &self,
        blknum: u64,
        root: B256,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let mut db = self.pool.begin().await?;
        let Some(root_block) = set_status(&mut db, blknum, root, "invalid", reason).await? else {
            return Ok(false);
        };
        let b = signed(blknum);
        sqlx::query!(
            "UPDATE blocks SET status = 'untrusted' WHERE blknum > ?1 AND is_deposit = 0",
            b
        )
        .execute(&mut *db)
        .await?;
        resolve(&mut db, &format!("block_withheld:{blknum}")).await?;
        raise(
            &mut db,
            ByzantineKind::InvalidBlock,
            Some(blknum),
            None,
            reason,
            root_block,
        )
        .await?;
        db.commit().await?;
        Ok(true)
    }

    /// Marks a child block withheld and raises `block_withheld` (once).
    pub async fn mark_block_withheld(
        &self,
        blknum: u64,
        root: B256,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut db = self.pool.begin().await?;
        let Some(root_block) = set_status(&mut db, blknum, root, "withheld", detail).await? else {
            return Ok(false);
        };
        raise(
            &mut db,
            ByzantineKind::BlockWithheld,
            Some(blknum),
            None,
            detail,
            root_block,
        )
        .await?;
        db.commit().await?;
        Ok(true)
    }

    /// Raises an exit-related byzantine event (once per kind and position); true when
    /// it was raised now.
    pub async fn raise_exit_event(
        &self,
        kind: ByzantineKind,
        pos: u64,
        detail: &str,
    ) -> Result<bool, StoreError> {
        let mut db = self.pool.begin().await?;
        let p = signed(pos);
        let root_block =
            sqlx::query_scalar!("SELECT started_root_block FROM exits WHERE pos = ?1", p)
                .fetch_optional(&mut *db)
                .await?;
        let raised = match root_block {
            Some(root_block) => raise(&mut db, kind, None, Some(pos), detail, root_block).await?,
            None => false,
        };
        db.commit().await?;
        Ok(raised)
    }

    /// Records the hash of the challenge this indexer sent for an exit.
    pub async fn record_challenge_sent(&self, pos: u64, tx_hash: B256) -> Result<(), StoreError> {
        let (p, h) = (signed(pos), tx_hash.as_slice());
        sqlx::query!(
            "UPDATE exits SET our_challenge_tx = ?2 WHERE pos = ?1",
            p,
            h
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Sets the status of a pending or withheld block with this root; returns its root-chain
/// block, or `None` when the block is no longer pending with this root.
async fn set_status(
    db: &mut Tx<'_>,
    blknum: u64,
    root: B256,
    status: &str,
    reason: &str,
) -> Result<Option<i64>, StoreError> {
    let (b, root) = (signed(blknum), root.as_slice());
    let root_block = sqlx::query_scalar!(
        "UPDATE blocks SET status = ?4, reason = ?3
         WHERE blknum = ?1 AND root = ?2 AND status IN ('pending', 'withheld') RETURNING root_block",
        b,
        root,
        reason,
        status
    )
    .fetch_optional(&mut **db)
    .await?;
    Ok(root_block)
}

/// Marks the byzantine event `key` resolved (if it is raised and open).
async fn resolve(db: &mut Tx<'_>, key: &str) -> Result<(), StoreError> {
    let now = now_secs();
    sqlx::query!(
        "UPDATE byzantine_events SET resolved_at = ?2 WHERE dedup = ?1 AND resolved_at IS NULL",
        key,
        now
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

async fn raise(
    db: &mut Tx<'_>,
    kind: ByzantineKind,
    blknum: Option<u64>,
    pos: Option<u64>,
    detail: &str,
    root_block: i64,
) -> Result<bool, StoreError> {
    let subject = blknum.or(pos).unwrap_or_default();
    let name = kind.as_str();
    let key = format!("{name}:{subject}");
    let (b, p, now) = (blknum.map(signed), pos.map(signed), now_secs());
    let inserted = sqlx::query!(
        "INSERT INTO byzantine_events (kind, blknum, utxo_pos, detail, root_block, raised_at, dedup)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (dedup) DO NOTHING",
        name,
        b,
        p,
        detail,
        root_block,
        now,
        key
    )
    .execute(&mut **db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Bulk-inserts a block's transactions, outputs and spends (one statement per table).
pub(crate) async fn insert_block_rows(db: &mut Tx<'_>, txs: &[StoredTx]) -> Result<(), StoreError> {
    if txs.is_empty() {
        return Ok(());
    }
    let txs_rows = txs_json(txs);
    sqlx::query!(
        "INSERT INTO txs (pos, hash, tx_type, bytes, signatures)
         SELECT value ->> 0, unhex(value ->> 1), value ->> 2, unhex(value ->> 3), unhex(value ->> 4)
         FROM json_each(?1)",
        txs_rows
    )
    .execute(&mut **db)
    .await?;
    let output_rows = outputs_json(txs);
    sqlx::query!(
        "INSERT INTO outputs (pos, owner, token, amount)
         SELECT value ->> 0, unhex(value ->> 1), unhex(value ->> 2), value ->> 3 FROM json_each(?1)",
        output_rows
    )
    .execute(&mut **db)
    .await?;
    let spend_rows = spends_json(txs);
    sqlx::query!(
        "INSERT INTO spends (pos, tx_pos, input_index)
         SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1)",
        spend_rows
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

impl Store {
    /// Stores a block as already checked and valid, without any check: for bulk imports
    /// and the benchmark database generator only.
    pub async fn import_checked_block(
        &self,
        blknum: u64,
        root: B256,
        timestamp: u64,
        root_block: u64,
        txs: &[StoredTx],
    ) -> Result<(), StoreError> {
        let mut db = self.pool.begin().await?;
        let (b, ts, rb, count, root, now) = (
            signed(blknum),
            signed(timestamp),
            signed(root_block),
            txs.len() as i64,
            root.as_slice(),
            now_secs(),
        );
        sqlx::query!(
            "INSERT INTO blocks (blknum, is_deposit, root, timestamp, root_block, status, tx_count, first_seen)
             VALUES (?1, 0, ?2, ?3, ?4, 'valid', ?5, ?6)",
            b,
            root,
            ts,
            rb,
            count,
            now
        )
        .execute(&mut *db)
        .await?;
        insert_block_rows(&mut db, txs).await?;
        db.commit().await?;
        Ok(())
    }
}
