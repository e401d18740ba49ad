//! [`ExitStore`] on Postgres: the follower's exit events, the watchtower's lists and its
//! challenges, the API's exit reads (served by `exits_owner` and `exits_status`), and
//! their part of a rollback.

use super::{PgStore, PgTx, events, num, pos};
use crate::store::{
    ByzantineKind, Exit, ExitStatus, ExitStore, StoreError, address, amount, hash, signed, unsigned,
};
use alloy::primitives::{Address, B256, U256};

#[derive(sqlx::FromRow)]
struct ExitRow {
    pos: String,
    owner: Vec<u8>,
    token: Vec<u8>,
    amount: String,
    exitable_at: i64,
    started_root_block: i64,
    status: String,
    challenger: Option<Vec<u8>>,
    spending_tx_hash: Option<Vec<u8>>,
    paid: Option<bool>,
    our_challenge_tx: Option<Vec<u8>>,
    spent: bool,
}

/// The columns of an [`ExitRow`] from `exits e`.
const COLUMNS: &str = "e.pos::text AS pos, e.owner, e.token, e.amount::text AS amount,
    e.exitable_at, e.started_root_block, e.status, e.challenger, e.spending_tx_hash, e.paid,
    e.our_challenge_tx, EXISTS (SELECT 1 FROM spends s WHERE s.pos = e.pos) AS spent";

impl TryFrom<ExitRow> for Exit {
    type Error = StoreError;

    fn try_from(r: ExitRow) -> Result<Self, StoreError> {
        Ok(Exit {
            utxo_pos: pos(&r.pos)?,
            owner: address(&r.owner)?,
            token: address(&r.token)?,
            amount: amount(&r.amount)?,
            exitable_at: unsigned(r.exitable_at)?,
            status: ExitStatus::stored(&r.status)?,
            started_root_block: unsigned(r.started_root_block)?,
            challenger: r.challenger.as_deref().map(address).transpose()?,
            spending_tx_hash: r.spending_tx_hash.as_deref().map(hash).transpose()?,
            paid: r.paid,
            output_spent: r.spent,
            our_challenge_tx: r.our_challenge_tx.as_deref().map(hash).transpose()?,
        })
    }
}

/// The API's list of exits: one statement per filter combination, so that each uses its
/// index (`exits_owner`, `exits_status`) instead of an `$n IS NULL OR …` scan.
pub fn list_query(owner: bool, status: bool) -> String {
    let filter = match (owner, status) {
        (false, false) => "TRUE",
        (true, false) => "e.owner = $3",
        (false, true) => "e.status = $3",
        (true, true) => "e.owner = $3 AND e.status = $4",
    };
    format!("SELECT {COLUMNS} FROM exits e WHERE {filter} ORDER BY e.pos LIMIT $1 OFFSET $2")
}

impl PgStore {
    async fn exits_where(&self, filter: &str) -> Result<Vec<Exit>, StoreError> {
        let rows: Vec<ExitRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM exits e {filter} ORDER BY e.pos"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Exit::try_from).collect()
    }
}

impl ExitStore for PgStore {
    async fn exit(&self, utxo: u64) -> Result<Option<Exit>, StoreError> {
        let row: Option<ExitRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM exits e WHERE e.pos = $1::numeric"
        ))
        .bind(num(utxo))
        .fetch_optional(&self.pool)
        .await?;
        row.map(Exit::try_from).transpose()
    }

    async fn exits(
        &self,
        owner: Option<Address>,
        status: Option<ExitStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Exit>, StoreError> {
        let sql = list_query(owner.is_some(), status.is_some());
        let mut query = sqlx::query_as::<_, ExitRow>(&sql).bind(limit).bind(offset);
        if let Some(owner) = owner {
            query = query.bind(owner.to_vec());
        }
        if let Some(status) = status {
            query = query.bind(status.as_str());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.into_iter().map(Exit::try_from).collect()
    }

    async fn invalid_active_exits(&self) -> Result<Vec<Exit>, StoreError> {
        self.exits_where(
            "WHERE e.status = 'active' AND EXISTS (SELECT 1 FROM spends s WHERE s.pos = e.pos)",
        )
        .await
    }

    async fn exits_of_unknown_outputs(&self) -> Result<Vec<Exit>, StoreError> {
        self.exits_where(
            "JOIN blocks b ON b.blknum = div(e.pos, 1000000000)::bigint
             WHERE e.challenged_root_block IS NULL AND b.status IN ('valid', 'invalid', 'untrusted')
             AND NOT EXISTS (SELECT 1 FROM outputs o WHERE o.pos = e.pos)",
        )
        .await
    }

    async fn record_challenge_sent(&self, utxo: u64, tx_hash: B256) -> Result<(), StoreError> {
        let mut db = self.begin_write().await?;
        sqlx::query("UPDATE exits SET our_challenge_tx = $2 WHERE pos = $1::numeric")
            .bind(num(utxo))
            .bind(tx_hash.as_slice())
            .execute(&mut *db)
            .await?;
        db.commit().await?;
        Ok(())
    }
}

/// `ExitStarted` seen in `root_block`.
pub(super) async fn start(
    db: &mut PgTx<'_>,
    root_block: i64,
    utxo: u64,
    owner: Address,
    token: Address,
    value: U256,
    exitable_at: u64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO exits (pos, owner, token, amount, exitable_at, started_root_block)
         VALUES ($1::numeric, $2, $3, $4::numeric, $5, $6)",
    )
    .bind(num(utxo))
    .bind(owner.as_slice())
    .bind(token.as_slice())
    .bind(value.to_string())
    .bind(signed(exitable_at))
    .bind(root_block)
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// `ExitChallenged` seen in `root_block`; resolves the exit's byzantine events.
pub(super) async fn challenge(
    db: &mut PgTx<'_>,
    root_block: i64,
    utxo: u64,
    challenger: Address,
    spending_tx_hash: B256,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE exits SET challenged_root_block = $2, challenger = $3, spending_tx_hash = $4
         WHERE pos = $1::numeric",
    )
    .bind(num(utxo))
    .bind(root_block)
    .bind(challenger.as_slice())
    .bind(spending_tx_hash.as_slice())
    .execute(&mut **db)
    .await?;
    events::resolve(db, ByzantineKind::InvalidExit, utxo).await?;
    events::resolve(db, ByzantineKind::UnchallengedInvalidExitNearMaturity, utxo).await
}

/// `ExitProcessed` seen in `root_block`, with the exit mark (see the schema).
pub(super) async fn process(
    db: &mut PgTx<'_>,
    root_block: i64,
    utxo: u64,
    paid: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE exits SET processed_root_block = $2, paid = $3,
             exited_from_blknum = (SELECT COALESCE(MAX(blknum), 0) + 1000 FROM blocks WHERE NOT is_deposit)
         WHERE pos = $1::numeric",
    )
    .bind(num(utxo))
    .bind(root_block)
    .bind(paid)
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Rollback: forgets exits, challenges and processing after `ancestor`.
pub(super) async fn rollback(db: &mut PgTx<'_>, ancestor: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM exits WHERE started_root_block > $1",
        "UPDATE exits SET challenged_root_block = NULL, challenger = NULL, spending_tx_hash = NULL
         WHERE challenged_root_block > $1",
        "UPDATE exits SET processed_root_block = NULL, paid = NULL, exited_from_blknum = NULL
         WHERE processed_root_block > $1",
    ] {
        sqlx::query(sql).bind(ancestor).execute(&mut **db).await?;
    }
    // A challenge this indexer sent may have been reorganised out: check again.
    sqlx::query("UPDATE exits SET our_challenge_tx = NULL WHERE challenged_root_block IS NULL")
        .execute(&mut **db)
        .await?;
    Ok(())
}
