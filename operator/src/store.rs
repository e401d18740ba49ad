//! SQLite persistence (sqlx): the transaction log, sealed blocks, credited deposits, exit
//! events and the root-chain cursor. Every write that backs an acknowledgement commits before the
//! caller answers; the database runs in WAL mode with `synchronous = FULL`.

use std::{path::Path, str::FromStr, time::Duration};

use alloy::primitives::B256;
use sqlx::{
    Sqlite, SqlitePool, Transaction as DbTx,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// A storage failure. Never shown to HTTP clients (they get a bare 500).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database rejected or failed an operation.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Embedded migrations failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row does not decode (corrupted or foreign database).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// One acknowledged transaction as stored.
#[derive(Debug, Clone)]
pub struct TxRow {
    /// Position in the acceptance log.
    pub seq: i64,
    /// keccak256 of the bytes.
    pub tx_hash: Vec<u8>,
    /// Canonical transaction bytes.
    pub tx_bytes: Vec<u8>,
    /// Signatures, 65 bytes each, concatenated.
    pub signatures: Vec<u8>,
}

/// A sealed child block as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRow {
    /// Child-block number (multiple of 1,000).
    pub blknum: i64,
    /// Merkle root.
    pub root: Vec<u8>,
    /// First transaction-log position in the block.
    pub first_seq: i64,
    /// Last transaction-log position in the block (inclusive).
    pub last_seq: i64,
    /// Wall-clock time of sealing, ms since the epoch.
    pub sealed_at_ms: i64,
    /// Nonce reserved for the submission, if any attempt was made.
    pub submit_nonce: Option<i64>,
    /// Hash of the last submission transaction sent.
    pub submit_tx: Option<Vec<u8>>,
    /// Whether the root is confirmed on chain.
    pub confirmed: bool,
    /// Whether the block's data is withheld (fault injection).
    pub withheld: bool,
}

/// A credited deposit as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositRow {
    /// Deposit-block number.
    pub blknum: i64,
    /// Owner address, 20 bytes.
    pub owner: Vec<u8>,
    /// Token address, 20 bytes.
    pub token: Vec<u8>,
    /// Amount, 32 bytes big-endian.
    pub amount: Vec<u8>,
    /// Root-chain block that holds the deposit.
    pub eth_block: i64,
    /// Its hash.
    pub eth_block_hash: Vec<u8>,
}

/// Which root-chain exit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExitKind {
    /// `ExitStarted`.
    Started,
    /// `ExitChallenged`.
    Challenged,
    /// `ExitProcessed`.
    Processed,
}

impl ExitKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Challenged => "challenged",
            Self::Processed => "processed",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "started" => Ok(Self::Started),
            "challenged" => Ok(Self::Challenged),
            "processed" => Ok(Self::Processed),
            other => Err(StoreError::Corrupt(format!("exit event kind {other:?}"))),
        }
    }
}

/// A root-chain exit event of one output, as read and as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitEvent {
    /// The exiting output.
    pub utxo_pos: u64,
    /// Which event.
    pub kind: ExitKind,
    /// Root-chain block holding the event.
    pub eth_block: u64,
    /// That block's hash.
    pub eth_block_hash: B256,
}

/// The root-chain follower cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Last root-chain block fully processed.
    pub eth_block: i64,
    /// Its hash.
    pub eth_hash: Vec<u8>,
}

/// Handle to the operator database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database file and runs the embedded migrations.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let url = format!("sqlite://{}", path.display());
        let opts = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<DbTx<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// Appends transactions to the log.
    pub async fn insert_txs(
        db: &mut DbTx<'static, Sqlite>,
        rows: &[TxRow],
    ) -> Result<(), StoreError> {
        for r in rows {
            sqlx::query!(
                "INSERT INTO txs (seq, tx_hash, tx_bytes, signatures) VALUES (?, ?, ?, ?)",
                r.seq,
                r.tx_hash,
                r.tx_bytes,
                r.signatures
            )
            .execute(&mut **db)
            .await?;
        }
        Ok(())
    }

    /// Records a sealed block.
    pub async fn insert_block(
        db: &mut DbTx<'static, Sqlite>,
        b: &BlockRow,
    ) -> Result<(), StoreError> {
        let (confirmed, withheld) = (i64::from(b.confirmed), i64::from(b.withheld));
        sqlx::query!(
            "INSERT INTO blocks (blknum, root, first_seq, last_seq, sealed_at_ms, submit_nonce, submit_tx, confirmed, withheld)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            b.blknum,
            b.root,
            b.first_seq,
            b.last_seq,
            b.sealed_at_ms,
            b.submit_nonce,
            b.submit_tx,
            confirmed,
            withheld
        )
        .execute(&mut **db)
        .await?;
        Ok(())
    }

    /// Records credited deposits and exit events and moves the cursor, in one transaction.
    pub async fn credit_deposits(
        &self,
        rows: &[DepositRow],
        exits: &[ExitEvent],
        cursor: &Cursor,
    ) -> Result<(), StoreError> {
        let mut db = self.pool.begin().await?;
        for e in exits {
            let (pos, kind, block, hash) = (
                e.utxo_pos as i64,
                e.kind.as_str(),
                e.eth_block as i64,
                e.eth_block_hash.as_slice(),
            );
            sqlx::query!(
                "INSERT INTO exit_events (utxo_pos, kind, eth_block, eth_block_hash) VALUES (?, ?, ?, ?)
                 ON CONFLICT (utxo_pos, kind) DO NOTHING",
                pos,
                kind,
                block,
                hash
            )
            .execute(&mut *db)
            .await?;
        }
        for d in rows {
            sqlx::query!(
                "INSERT INTO deposits (blknum, owner, token, amount, eth_block, eth_block_hash) VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (blknum) DO NOTHING",
                d.blknum,
                d.owner,
                d.token,
                d.amount,
                d.eth_block,
                d.eth_block_hash
            )
            .execute(&mut *db)
            .await?;
        }
        write_cursor(&mut db, cursor).await?;
        db.commit().await?;
        Ok(())
    }

    /// Removes deposits and exit events (after a root-chain reorganisation dropped them)
    /// and rewinds the cursor, in one transaction.
    pub async fn uncredit_deposits(
        &self,
        blknums: &[i64],
        exits: &[ExitEvent],
        cursor: &Cursor,
    ) -> Result<(), StoreError> {
        let mut db = self.pool.begin().await?;
        for e in exits {
            let (pos, kind) = (e.utxo_pos as i64, e.kind.as_str());
            sqlx::query!(
                "DELETE FROM exit_events WHERE utxo_pos = ? AND kind = ?",
                pos,
                kind
            )
            .execute(&mut *db)
            .await?;
        }
        for b in blknums {
            sqlx::query!("DELETE FROM deposits WHERE blknum = ?", b)
                .execute(&mut *db)
                .await?;
        }
        write_cursor(&mut db, cursor).await?;
        db.commit().await?;
        Ok(())
    }

    /// The follower cursor, if any deposit scan completed.
    pub async fn cursor(&self) -> Result<Option<Cursor>, StoreError> {
        let row = sqlx::query!("SELECT eth_block, eth_hash FROM cursor WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| Cursor {
            eth_block: r.eth_block,
            eth_hash: r.eth_hash,
        }))
    }

    /// Every credited deposit, by block number.
    pub async fn deposits(&self) -> Result<Vec<DepositRow>, StoreError> {
        let rows = sqlx::query_as!(
            DepositRow,
            "SELECT blknum, owner, token, amount, eth_block, eth_block_hash FROM deposits ORDER BY blknum"
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Every stored exit event.
    pub async fn exit_events(&self) -> Result<Vec<ExitEvent>, StoreError> {
        let rows = sqlx::query!(
            "SELECT utxo_pos, kind, eth_block, eth_block_hash FROM exit_events ORDER BY eth_block"
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ExitEvent {
                    utxo_pos: r.utxo_pos as u64,
                    kind: ExitKind::parse(&r.kind)?,
                    eth_block: r.eth_block as u64,
                    eth_block_hash: B256::from(fixed::<32>("exit block hash", &r.eth_block_hash)?),
                })
            })
            .collect()
    }

    /// Every sealed block, in order.
    pub async fn blocks(&self) -> Result<Vec<BlockRow>, StoreError> {
        self.blocks_confirmed_at_most(true).await
    }

    /// Sealed blocks whose root is not yet confirmed on chain, in order.
    pub async fn unconfirmed_blocks(&self) -> Result<Vec<BlockRow>, StoreError> {
        self.blocks_confirmed_at_most(false).await
    }

    async fn blocks_confirmed_at_most(&self, confirmed: bool) -> Result<Vec<BlockRow>, StoreError> {
        let rows = sqlx::query_as!(
            BlockRow,
            r#"SELECT blknum, root, first_seq, last_seq, sealed_at_ms, submit_nonce, submit_tx,
                      confirmed AS "confirmed: bool", withheld AS "withheld: bool"
               FROM blocks WHERE confirmed <= ? ORDER BY blknum"#,
            confirmed
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// One sealed block.
    pub async fn block(&self, blknum: i64) -> Result<Option<BlockRow>, StoreError> {
        let row = sqlx::query_as!(
            BlockRow,
            r#"SELECT blknum, root, first_seq, last_seq, sealed_at_ms, submit_nonce, submit_tx,
                      confirmed AS "confirmed: bool", withheld AS "withheld: bool"
               FROM blocks WHERE blknum = ?"#,
            blknum
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// The newest sealed block number.
    pub async fn latest_blknum(&self) -> Result<Option<i64>, StoreError> {
        let r = sqlx::query_scalar!("SELECT MAX(blknum) FROM blocks")
            .fetch_one(&self.pool)
            .await?;
        Ok(r)
    }

    /// Transactions with `first <= seq <= last`, in order.
    pub async fn txs_in(&self, first: i64, last: i64) -> Result<Vec<TxRow>, StoreError> {
        let rows = sqlx::query_as!(
            TxRow,
            "SELECT seq, tx_hash, tx_bytes, signatures FROM txs WHERE seq >= ? AND seq <= ? ORDER BY seq",
            first,
            last
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Number of transactions in the log.
    pub async fn tx_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar!("SELECT COUNT(*) FROM txs")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Whether a transaction hash is in the log.
    pub async fn has_tx(&self, hash: &[u8]) -> Result<bool, StoreError> {
        let n = sqlx::query_scalar!("SELECT COUNT(*) FROM txs WHERE tx_hash = ?", hash)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Reserves the nonce for a block's submission (written before sending).
    pub async fn set_submit_nonce(&self, blknum: i64, nonce: i64) -> Result<(), StoreError> {
        sqlx::query!(
            "UPDATE blocks SET submit_nonce = ? WHERE blknum = ?",
            nonce,
            blknum
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the hash of the submission transaction last sent for a block.
    pub async fn set_submit_tx(&self, blknum: i64, tx: &[u8]) -> Result<(), StoreError> {
        sqlx::query!(
            "UPDATE blocks SET submit_tx = ? WHERE blknum = ?",
            tx,
            blknum
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks a block's root as confirmed on chain.
    pub async fn mark_confirmed(&self, blknum: i64) -> Result<(), StoreError> {
        sqlx::query!("UPDATE blocks SET confirmed = 1 WHERE blknum = ?", blknum)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Reads a stored fixed-width byte field.
pub(crate) fn fixed<const N: usize>(what: &str, v: &[u8]) -> Result<[u8; N], StoreError> {
    v.try_into()
        .map_err(|_| StoreError::Corrupt(format!("{what}: {} bytes, expected {N}", v.len())))
}

/// Sets the follower cursor inside a store transaction.
async fn write_cursor(db: &mut DbTx<'static, Sqlite>, cursor: &Cursor) -> Result<(), StoreError> {
    sqlx::query!(
        "INSERT INTO cursor (id, eth_block, eth_hash) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET eth_block = excluded.eth_block, eth_hash = excluded.eth_hash",
        cursor.eth_block,
        cursor.eth_hash
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}
