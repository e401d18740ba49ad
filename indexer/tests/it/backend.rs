//! The backend the suite runs on: SQLite files by default; with `PLASMA_TEST_DB=postgres`
//! a database per test on one throwaway Postgres server per test process
//! (`plasma_service::pg_server`), named after the test's directory so that reopening the
//! same path (a restart) reopens the same database.

use alloy::primitives::keccak256;
use plasma_indexer::store::{AnyStore, PgStore, Store};
use plasma_service::pg_server::PgServer;
use std::path::Path;

/// Whether this run is on Postgres (`PLASMA_TEST_DB=postgres`).
pub(crate) fn postgres() -> bool {
    match std::env::var("PLASMA_TEST_DB").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("PLASMA_TEST_DB={other}: expected sqlite or postgres"),
    }
}

/// A database on the shared server named after `path` (created if new).
pub(crate) async fn pg_database(path: &Path) -> String {
    let server = PgServer::shared().unwrap_or_else(|e| panic!("{e}"));
    let digest = keccak256(path.to_string_lossy().as_bytes());
    let name = format!("t{}", alloy::hex::encode(&digest[..12]));
    server.database(&name).await.expect("creates the database")
}

/// The store at `path`: the SQLite file there, or its Postgres database.
pub(crate) async fn open_store(path: &Path) -> AnyStore {
    if postgres() {
        let url = pg_database(path).await;
        AnyStore::Postgres(PgStore::open(&url).await.expect("opens"))
    } else {
        AnyStore::Sqlite(Store::open(path).await.expect("opens"))
    }
}

/// The `--database-url` of a service whose data directory is `dir` (none on SQLite):
/// the database [`open_store`] opens for `dir/indexer.sqlite`.
pub(crate) async fn database_url(dir: &Path) -> Option<String> {
    match postgres() {
        true => Some(pg_database(&dir.join("indexer.sqlite")).await),
        false => None,
    }
}

/// Dumps tables of the database at `path` as JSON texts, to compare two databases of the
/// same backend: each `(table, order, columns)` lists columns comma-separated, `hex(c)`
/// for a blob.
pub(crate) async fn dump_tables(path: &Path, tables: &[(&str, &str, &str)]) -> Vec<String> {
    let store = open_store(path).await;
    let out = dump_store(&store, tables).await;
    store.close().await;
    out
}

/// [`dump_tables`] of an open store.
pub(crate) async fn dump_store(store: &AnyStore, tables: &[(&str, &str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for (table, order, columns) in tables {
        let text: String = match store {
            AnyStore::Sqlite(s) => sqlx::query_scalar(&format!(
                "SELECT json_group_array(json_array({columns})) FROM (SELECT * FROM {table} ORDER BY {order})"
            ))
            .fetch_one(s.pool())
            .await
            .expect("dumps"),
            AnyStore::Postgres(s) => {
                let columns: Vec<String> = columns
                    .split(',')
                    .map(|c| {
                        let c = c.trim();
                        match c.strip_prefix("hex(").and_then(|c| c.strip_suffix(')')) {
                            Some(blob) => format!("upper(encode({blob}, 'hex'))"),
                            None => format!("{c}::text"),
                        }
                    })
                    .collect();
                sqlx::query_scalar(&format!(
                    "SELECT COALESCE(json_agg(json_build_array({}) ORDER BY {order}), '[]')::text FROM {table}",
                    columns.join(", ")
                ))
                .fetch_one(s.pool())
                .await
                .expect("dumps")
            }
        };
        out.push(text);
    }
    out
}
