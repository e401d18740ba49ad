//! `root_headers (number INTEGER PRIMARY KEY, hash BLOB NOT NULL)`: the root-chain blocks
//! a service's follower stopped at, so that a reorganisation walks back to the newest one
//! still canonical (`plasma-follower`). Both services keep the table in their own schema
//! and write it through these functions, inside the transaction that moves their cursor.

use sqlx::{Row, SqliteConnection, sqlite::SqlitePool};

/// How many root-chain blocks of headers are kept below the newest one.
pub const KEEP_BLOCKS: i64 = 100_000;

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Records the header of block `number` and forgets those older than [`KEEP_BLOCKS`].
pub async fn record(
    db: &mut SqliteConnection,
    number: u64,
    hash: &[u8; 32],
) -> Result<(), sqlx::Error> {
    let number = signed(number);
    sqlx::query(
        "INSERT INTO root_headers (number, hash) VALUES (?1, ?2)
         ON CONFLICT (number) DO UPDATE SET hash = excluded.hash",
    )
    .bind(number)
    .bind(hash.as_slice())
    .execute(&mut *db)
    .await?;
    sqlx::query("DELETE FROM root_headers WHERE number < ?1 - ?2")
        .bind(number)
        .bind(KEEP_BLOCKS)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Forgets the headers of blocks after `number` (a rollback to it).
pub async fn forget_after(db: &mut SqliteConnection, number: u64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM root_headers WHERE number > ?1")
        .bind(signed(number))
        .execute(db)
        .await?;
    Ok(())
}

/// Headers at or below `below`, newest first, at most `limit`.
pub async fn newest_first(
    pool: &SqlitePool,
    below: u64,
    limit: usize,
) -> Result<Vec<(u64, [u8; 32])>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT number, hash FROM root_headers WHERE number <= ?1 ORDER BY number DESC LIMIT ?2",
    )
    .bind(signed(below))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let number: i64 = row.try_get("number")?;
            let hash: Vec<u8> = row.try_get("hash")?;
            let number = u64::try_from(number).map_err(|e| decode("number", e))?;
            let hash = <[u8; 32]>::try_from(hash.as_slice()).map_err(|e| decode("hash", e))?;
            Ok((number, hash))
        })
        .collect()
}

fn decode(column: &str, e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_prunes_forgets_and_lists_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::open(
            &dir.path().join("h.sqlite"),
            super::super::SqliteSettings {
                durability: super::super::Durability::Normal,
                max_connections: 2,
                busy_timeout: std::time::Duration::from_secs(1),
                cache_kib: 100,
            },
        )
        .await
        .unwrap();
        sqlx::query("CREATE TABLE root_headers (number INTEGER PRIMARY KEY, hash BLOB NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let mut db = pool.acquire().await.unwrap();
        for n in [5u64, 7, 9] {
            record(&mut db, n, &[n as u8; 32]).await.unwrap();
        }
        record(&mut db, 7, &[0xAA; 32]).await.unwrap();
        assert_eq!(
            newest_first(&pool, 8, 10).await.unwrap(),
            [(7, [0xAA; 32]), (5, [5; 32])]
        );
        assert_eq!(newest_first(&pool, 100, 1).await.unwrap(), [(9, [9; 32])]);
        forget_after(&mut db, 5).await.unwrap();
        assert_eq!(newest_first(&pool, 100, 10).await.unwrap(), [(5, [5; 32])]);
        record(&mut db, 5 + KEEP_BLOCKS as u64 + 1, &[1; 32])
            .await
            .unwrap();
        assert_eq!(newest_first(&pool, 5, 10).await.unwrap(), [], "pruned");
    }
}
