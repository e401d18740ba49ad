//! Writes of outputs and spends inside a database transaction shared with their block:
//! the bulk insert of a checked block's outputs and spends, and the rollback step.

use crate::store::{StoreError, Tx, blocks::StoredTx};
use std::fmt::Write as _;

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
                hex::encode(out.owner.as_slice()),
                hex::encode(out.token.as_slice()),
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

/// Bulk-inserts the outputs and spends of a block's transactions (one statement each).
pub(crate) async fn insert(db: &mut Tx<'_>, txs: &[StoredTx]) -> Result<(), StoreError> {
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

/// Rollback: deletes outputs and spends of transactions from position `from` on.
pub(crate) async fn rollback(db: &mut Tx<'_>, from: i64) -> Result<(), StoreError> {
    sqlx::query!("DELETE FROM outputs WHERE pos >= ?1", from)
        .execute(&mut **db)
        .await?;
    sqlx::query!("DELETE FROM spends WHERE tx_pos >= ?1", from)
        .execute(&mut **db)
        .await?;
    Ok(())
}
