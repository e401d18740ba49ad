//! The committed sqlx offline data (`operator/.sqlx`) matches the source and the schema
//! the migrations build (the `cargo sqlx prepare --check` of this crate).

use std::path::Path;

use plasma_service::sqlite::{self, Durability, SqliteSettings};

#[tokio::test]
async fn offline_query_data_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let settings = SqliteSettings {
        durability: Durability::Normal,
        max_connections: 1,
        busy_timeout: std::time::Duration::from_secs(5),
        cache_kib: 2_000,
    };
    let pool = sqlite::open(&dir.path().join("schema.sqlite"), settings)
        .await
        .unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(problems) =
        plasma_service::sqlx_data::check(&pool, &root.join(".sqlx"), &root.join("src")).await
    {
        panic!(
            "operator/.sqlx is stale; regenerate it (docs/OPERATOR.md):\n{}",
            problems.join("\n")
        );
    }
}
