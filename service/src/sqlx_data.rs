//! The drift check of sqlx's committed offline query data (`<crate>/.sqlx`), the
//! equivalent of `cargo sqlx prepare --check` without installing sqlx-cli: every stored
//! query is still in the crate's source, and the database built by the crate's migrations
//! still describes it exactly as stored (columns, their types, nullability, parameters).
//! A query missing from the data already fails the offline build.

use std::path::Path;

use serde_json::Value;
use sqlx::{Column, Executor, SqlitePool, TypeInfo};

/// Checks `sqlx_dir` against the sources under `src_dir` and the migrated `pool`;
/// returns every discrepancy found.
pub async fn check(pool: &SqlitePool, sqlx_dir: &Path, src_dir: &Path) -> Result<(), Vec<String>> {
    let sources = read_sources(src_dir);
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(sqlx_dir)
        .map_err(|e| vec![format!("{}: {e}", sqlx_dir.display())])?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    if files.is_empty() {
        problems.push(format!("{} holds no query data", sqlx_dir.display()));
    }
    for file in files {
        let name = file.display().to_string();
        let stored: Value = match std::fs::read_to_string(&file).map(|t| serde_json::from_str(&t)) {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => {
                problems.push(format!("{name}: not JSON: {e}"));
                continue;
            }
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        let Some(query) = stored["query"].as_str() else {
            problems.push(format!("{name}: no query"));
            continue;
        };
        if !sources.contains(query) {
            problems.push(format!(
                "{name}: stale, its query is no longer in the source"
            ));
            continue;
        }
        match pool.describe(query).await {
            Ok(live) => {
                let live = describe_json(&live);
                let want = &stored["describe"];
                let same = live["columns"] == columns_of(want)
                    && live["parameters"] == want["parameters"]
                    && live["nullable"] == want["nullable"];
                if !same {
                    problems.push(format!(
                        "{name}: the migrated schema describes it as {live}, the data says {want}"
                    ));
                }
            }
            Err(e) => problems.push(format!("{name}: the migrated schema rejects it: {e}")),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// All Rust source text under `dir`, concatenated.
fn read_sources(dir: &Path) -> String {
    let mut text = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    text
}

/// The stored columns reduced to what is compared: name, ordinal, type name (lower case).
fn columns_of(describe: &Value) -> Value {
    let columns = describe["columns"].as_array().cloned().unwrap_or_default();
    Value::Array(
        columns
            .iter()
            .map(|c| {
                serde_json::json!({
                    "name": c["name"],
                    "ordinal": c["ordinal"],
                    "type": c["type_info"].as_str().map(str::to_ascii_lowercase),
                })
            })
            .collect(),
    )
}

/// The live description in the stored data's shape.
fn describe_json(d: &sqlx::Describe<sqlx::Sqlite>) -> Value {
    let columns: Vec<Value> = d
        .columns()
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name(),
                "ordinal": c.ordinal(),
                "type": c.type_info().name().to_ascii_lowercase(),
            })
        })
        .collect();
    let parameters = match d.parameters() {
        Some(sqlx::Either::Right(n)) => serde_json::json!({ "Right": n }),
        Some(sqlx::Either::Left(types)) => {
            serde_json::json!({ "Left": types.iter().map(|t| t.name().to_owned()).collect::<Vec<_>>() })
        }
        None => Value::Null,
    };
    let nullable: Vec<Value> = (0..d.columns().len())
        .map(|i| d.nullable(i).map_or(Value::Null, Value::Bool))
        .collect();
    serde_json::json!({ "columns": columns, "parameters": parameters, "nullable": nullable })
}
