//! SQLite persistence (sqlx): the transaction log and sealed blocks here; credited
//! deposits, exit events, output piggybacks and the root-chain cursor in `root`; raw rows in `rows`. Every
//! write that backs an acknowledgement commits before the caller answers; the database
//! runs in WAL mode with `synchronous = FULL`. Writes go through a small writing pool,
//! reads through a separate read-only pool, so that readers never slow the writer.

use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use alloy::primitives::{Address, B256, Bytes, U256};
use plasma_core::{
    Output,
    sign::SIGNATURE_LEN,
    signed::{HashedTx, SignedTx},
};
use plasma_service::sqlite::{self, Durability, SqliteSettings};
use sqlx::SqlitePool;

pub use self::write_tx::WriteTx;

/// The writing pool: the group-commit writer, the follower and the submitter. Every
/// acknowledgement is fsynced before it is answered.
const SETTINGS: SqliteSettings = SqliteSettings {
    durability: Durability::Full,
    max_connections: 2,
    busy_timeout: Duration::from_secs(10),
    cache_kib: 2_000,
};

/// The read-only pool: every read (the API, replay, the chain tasks' lookups), so that
/// readers never wait for a writer's connection nor hold one.
const READERS: SqliteSettings = SqliteSettings {
    max_connections: 4,
    ..SETTINGS
};

pub use plasma_service::sqlite::StoreError;

/// Most transaction rows written by one `INSERT` statement.
const ROWS_PER_INSERT: usize = 4_096;

/// The rows of one `INSERT` as they cross to SQLite: each column's blobs concatenated,
/// and one small JSON array of integers that says where each row's pieces are — hex in a
/// JSON string would cost an encoding here and a parse and `unhex` there, for every byte.
struct TxRows {
    /// `[[seq, bytes offset, bytes length, signatures offset, signatures length], …]`,
    /// offsets 1-based (SQL's `substr`).
    index: String,
    /// The transaction hashes, 32 bytes each, in row order.
    hashes: Vec<u8>,
    /// The transactions' bytes.
    bytes: Vec<u8>,
    /// The signatures, 65 bytes each, in row and then input order.
    signatures: Vec<u8>,
}

impl TxRows {
    fn new(txs: &[&LoggedTx]) -> Self {
        use std::fmt::Write as _;
        let mut rows = Self {
            index: String::with_capacity(txs.len() * 32 + 2),
            hashes: Vec::with_capacity(txs.len() * 32),
            bytes: Vec::with_capacity(txs.iter().map(|t| t.signed.raw.len()).sum()),
            signatures: Vec::with_capacity(
                txs.iter()
                    .map(|t| t.signed.signatures.len() * SIGNATURE_LEN)
                    .sum(),
            ),
        };
        rows.index.push('[');
        for (i, t) in txs.iter().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            let (bytes_at, sigs_at) = (rows.bytes.len() + 1, rows.signatures.len() + 1);
            rows.hashes.extend_from_slice(t.signed.hash().as_slice());
            rows.bytes.extend_from_slice(&t.signed.raw);
            for sig in &t.signed.signatures {
                rows.signatures.extend_from_slice(sig);
            }
            let _ = write!(
                rows.index,
                "{comma}[{},{bytes_at},{},{sigs_at},{}]",
                t.seq,
                rows.bytes.len() + 1 - bytes_at,
                rows.signatures.len() + 1 - sigs_at
            );
        }
        rows.index.push(']');
        rows
    }
}

/// One acknowledged transaction and its position in the acceptance log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedTx {
    /// Position in the acceptance log.
    pub seq: i64,
    /// The transaction, hashed once; shared by the mempool and the writer's queue.
    pub signed: Arc<HashedTx>,
}

/// A sealed child block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBlock {
    /// Child-block number (multiple of 1,000).
    pub blknum: u64,
    /// Merkle root.
    pub root: B256,
    /// First transaction-log position in the block.
    pub first_seq: i64,
    /// Last transaction-log position in the block (inclusive).
    pub last_seq: i64,
    /// Wall-clock time of sealing, ms since the epoch.
    pub sealed_at_ms: i64,
    /// Nonce reserved for the submission, if any attempt was made.
    pub submit_nonce: Option<u64>,
    /// Hash of the last submission transaction sent.
    pub submit_tx: Option<B256>,
    /// Whether the root is confirmed on chain.
    pub confirmed: bool,
    /// Whether the block's data is withheld (fault injection).
    pub withheld: bool,
}

/// A deposit read from the root chain, as credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deposit {
    /// Deposit-block number.
    pub blknum: u64,
    /// The output.
    pub output: Output,
    /// Root-chain block holding it.
    pub eth_block: u64,
    /// That block's hash.
    pub eth_block_hash: B256,
}

/// The root-chain follower cursor: the last root-chain block fully processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Its number.
    pub eth_block: u64,
    /// Its hash.
    pub eth_hash: B256,
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
    /// `InFlightExitStarted` naming the output as an input.
    InFlight,
}

impl ExitKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Challenged => "challenged",
            Self::Processed => "processed",
            Self::InFlight => "in_flight",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "started" => Ok(Self::Started),
            "challenged" => Ok(Self::Challenged),
            "processed" => Ok(Self::Processed),
            "in_flight" => Ok(Self::InFlight),
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

/// `InFlightExitPiggybacked` on an output, as read and as stored: output `oindex` of the
/// in-flight transaction (whose hash is the exit id) leaves the child chain wherever that
/// transaction is included (docs/SPEC.md "Exits remove outputs from the child chain").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputPiggyback {
    /// The in-flight transaction's hash (the exit id).
    pub tx_hash: B256,
    /// The piggybacked output.
    pub oindex: u8,
    /// Root-chain block holding the event.
    pub eth_block: u64,
    /// That block's hash.
    pub eth_block_hash: B256,
}

mod root;
mod rows;
#[cfg(test)]
mod tests;
mod write_tx;

/// Free space the storage probe requires beside the database: more than one group
/// commit of the largest batches writes.
pub const PROBE_HEADROOM_BYTES: usize = 4 << 20;

/// Handle to the operator database: a writing pool and a separate read-only pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    reads: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database file and runs the embedded migrations.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let pool = sqlite::open(path, SETTINGS).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let reads = sqlite::open_readers(path, READERS).await?;
        Ok(Self {
            pool,
            reads,
            path: path.to_owned(),
        })
    }

    /// Whether storage takes writes: a write transaction (`BEGIN IMMEDIATE`, the lock a
    /// writer needs) rewrites the probe row and commits, and the database's directory
    /// takes [`PROBE_HEADROOM_BYTES`] more, written and fsynced (then removed). A small
    /// commit alone can land in space the write-ahead log already holds on a full disk.
    pub async fn probe(&self) -> Result<(), StoreError> {
        let mut db = self.begin().await?;
        let at_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        sqlx::query(
            "INSERT INTO storage_probe (id, at_ms) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms",
        )
        .bind(at_ms)
        .execute(&mut *db)
        .await?;
        db.commit().await?;
        let mut spare = self.path.clone().into_os_string();
        spare.push("-probe");
        let spare = PathBuf::from(spare);
        let written = tokio::task::spawn_blocking(move || {
            let result = std::fs::File::create(&spare).and_then(|mut f| {
                f.write_all(&vec![0u8; PROBE_HEADROOM_BYTES])?;
                f.sync_all()
            });
            let _ = std::fs::remove_file(&spare);
            result
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|r| r);
        written.map_err(|e| StoreError::Db(sqlx::Error::Io(e)))
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<WriteTx, StoreError> {
        WriteTx::begin(&self.pool).await
    }

    /// Appends transactions to the log: one statement per [`ROWS_PER_INSERT`] rows, so
    /// that a group of many single-transaction requests costs one round trip to the
    /// database thread, not one per transaction (the rows cross as [`TxRows`]: slices of
    /// three blobs, `key` being the row's index in the JSON array). SQLite's `substr` of
    /// an empty blob is NULL, not an empty blob: a statement whose rows carry no
    /// signatures at all binds an empty signatures blob, hence the `ifnull`.
    pub async fn insert_txs(db: &mut WriteTx, txs: &[&LoggedTx]) -> Result<(), StoreError> {
        for chunk in txs.chunks(ROWS_PER_INSERT) {
            let rows = TxRows::new(chunk);
            sqlx::query!(
                "INSERT INTO txs (seq, tx_hash, tx_bytes, signatures)
                 SELECT value ->> 0, substr(?2, 32 * key + 1, 32),
                        substr(?3, value ->> 1, value ->> 2),
                        ifnull(substr(?4, value ->> 3, value ->> 4), x'')
                 FROM json_each(?1)",
                rows.index,
                rows.hashes,
                rows.bytes,
                rows.signatures
            )
            .execute(&mut **db)
            .await?;
        }
        Ok(())
    }

    /// Records a sealed block.
    pub async fn insert_block(db: &mut WriteTx, b: &SealedBlock) -> Result<(), StoreError> {
        let (confirmed, withheld) = (i64::from(b.confirmed), i64::from(b.withheld));
        let (blknum, nonce) = (b.blknum as i64, b.submit_nonce.map(|n| n as i64));
        let submit_tx = b.submit_tx.map(|t| t.to_vec());
        let root = b.root.as_slice();
        sqlx::query!(
            "INSERT INTO blocks (blknum, root, first_seq, last_seq, sealed_at_ms, submit_nonce, submit_tx, confirmed, withheld)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            blknum,
            root,
            b.first_seq,
            b.last_seq,
            b.sealed_at_ms,
            nonce,
            submit_tx,
            confirmed,
            withheld
        )
        .execute(&mut **db)
        .await?;
        Ok(())
    }

    /// Every sealed block, in order.
    pub async fn blocks(&self) -> Result<Vec<SealedBlock>, StoreError> {
        self.blocks_confirmed_at_most(true).await
    }

    /// Sealed blocks whose root is not yet confirmed on chain, in order.
    pub async fn unconfirmed_blocks(&self) -> Result<Vec<SealedBlock>, StoreError> {
        self.blocks_confirmed_at_most(false).await
    }

    async fn blocks_confirmed_at_most(
        &self,
        confirmed: bool,
    ) -> Result<Vec<SealedBlock>, StoreError> {
        let rows = sqlx::query_as!(
            rows::BlockRow,
            r#"SELECT blknum, root, first_seq, last_seq, sealed_at_ms, submit_nonce, submit_tx,
                      confirmed AS "confirmed: bool", withheld AS "withheld: bool"
               FROM blocks WHERE confirmed <= ? ORDER BY blknum"#,
            confirmed
        )
        .fetch_all(&self.reads)
        .await?;
        rows.into_iter().map(SealedBlock::try_from).collect()
    }

    /// One sealed block.
    pub async fn block(&self, blknum: u64) -> Result<Option<SealedBlock>, StoreError> {
        let Ok(blknum) = i64::try_from(blknum) else {
            return Ok(None);
        };
        let row = sqlx::query_as!(
            rows::BlockRow,
            r#"SELECT blknum, root, first_seq, last_seq, sealed_at_ms, submit_nonce, submit_tx,
                      confirmed AS "confirmed: bool", withheld AS "withheld: bool"
               FROM blocks WHERE blknum = ?"#,
            blknum
        )
        .fetch_optional(&self.reads)
        .await?;
        row.map(SealedBlock::try_from).transpose()
    }

    /// The newest sealed block number.
    pub async fn latest_blknum(&self) -> Result<Option<u64>, StoreError> {
        let r = sqlx::query_scalar!("SELECT MAX(blknum) FROM blocks")
            .fetch_one(&self.reads)
            .await?;
        Ok(r.map(|n| n as u64))
    }

    /// Transactions with `first <= seq <= last`, in order.
    pub async fn txs_in(&self, first: i64, last: i64) -> Result<Vec<LoggedTx>, StoreError> {
        let rows = sqlx::query_as!(
            rows::TxRow,
            "SELECT seq, tx_hash, tx_bytes, signatures FROM txs WHERE seq >= ? AND seq <= ? ORDER BY seq",
            first,
            last
        )
        .fetch_all(&self.reads)
        .await?;
        rows.into_iter().map(LoggedTx::try_from).collect()
    }

    /// Number of transactions in the log.
    pub async fn tx_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar!("SELECT COUNT(*) FROM txs")
            .fetch_one(&self.reads)
            .await?)
    }

    /// Reserves the nonce for a block's submission (written before sending).
    pub async fn set_submit_nonce(&self, blknum: u64, nonce: u64) -> Result<(), StoreError> {
        let (blknum, nonce) = (blknum as i64, nonce as i64);
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
    pub async fn set_submit_tx(&self, blknum: u64, tx: B256) -> Result<(), StoreError> {
        let (blknum, tx) = (blknum as i64, &tx[..]);
        sqlx::query!(
            "UPDATE blocks SET submit_tx = ? WHERE blknum = ?",
            tx,
            blknum
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks every block from `blknum` on as not confirmed (a reorganisation took their
    /// roots off the chain); returns how many were confirmed.
    pub async fn unconfirm_from(&self, blknum: u64) -> Result<u64, StoreError> {
        let blknum = blknum as i64;
        let done = sqlx::query!(
            "UPDATE blocks SET confirmed = 0 WHERE blknum >= ? AND confirmed = 1",
            blknum
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Marks a block's root as confirmed on chain.
    pub async fn mark_confirmed(&self, blknum: u64) -> Result<(), StoreError> {
        let blknum = blknum as i64;
        sqlx::query!("UPDATE blocks SET confirmed = 1 WHERE blknum = ?", blknum)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Reads a stored fixed-width byte field.
fn fixed<const N: usize>(what: &str, v: &[u8]) -> Result<[u8; N], StoreError> {
    v.try_into()
        .map_err(|_| StoreError::Corrupt(format!("{what}: {} bytes, expected {N}", v.len())))
}
