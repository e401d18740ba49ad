//! The committed sqlx offline data (`indexer/.sqlx`) matches the source and the schema
//! the migrations build (the `cargo sqlx prepare --check` of this crate).

use std::path::Path;

#[tokio::test]
async fn offline_query_data_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let store = plasma_indexer::store::Store::open(&dir.path().join("schema.sqlite"))
        .await
        .unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(problems) =
        plasma_service::sqlx_data::check(store.pool(), &root.join(".sqlx"), &root.join("src")).await
    {
        panic!(
            "indexer/.sqlx is stale; regenerate it (docs/INDEXER.md):\n{}",
            problems.join("\n")
        );
    }
}
