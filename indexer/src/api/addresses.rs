//! Per-address views: unspent outputs, balances, history and its CSV export.

use super::{AppState, error::ApiError, params, views};
use crate::store::IndexerStore;
use alloy::primitives::{Address, U256};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::header,
    response::IntoResponse,
};
use plasma_rpc_types::indexer::{HistoryPage, UtxoPage};
use serde::Serialize;
use std::{collections::BTreeMap, fmt::Write as _};

pub(crate) async fn utxos<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<UtxoPage>, ApiError> {
    let owner = params::address(&raw)?;
    let utxos = state.store.utxos(owner).await?;
    Ok(Json(UtxoPage {
        address: owner,
        utxos: utxos.iter().map(views::utxo).collect(),
    }))
}

/// One token's balance.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Balance {
    token: String,
    amount: String,
    utxo_count: usize,
}

/// Balances per token (sum of unspent outputs, exiting ones included).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Balances {
    address: String,
    balances: Vec<Balance>,
}

pub(crate) async fn balances<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<Balances>, ApiError> {
    let owner = params::address(&raw)?;
    let mut sums: BTreeMap<Address, (U256, usize)> = BTreeMap::new();
    for utxo in state.store.utxos(owner).await? {
        let entry = sums.entry(utxo.output.token).or_default();
        entry.0 = entry.0.saturating_add(utxo.output.amount);
        entry.1 += 1;
    }
    let balances = sums
        .into_iter()
        .map(|(token, (amount, utxo_count))| Balance {
            token: format!("{token:#x}"),
            amount: amount.to_string(),
            utxo_count,
        })
        .collect();
    Ok(Json(Balances {
        address: format!("{owner:#x}"),
        balances,
    }))
}

pub(crate) async fn history<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
    page: Result<Query<params::Page>, QueryRejection>,
) -> Result<Json<HistoryPage>, ApiError> {
    let owner = params::address(&raw)?;
    let (limit, offset) = page.map_err(params::query_error)?.get()?;
    let entries = state.store.history(owner, limit, offset).await?;
    Ok(Json(HistoryPage {
        address: owner,
        entries: entries.into_iter().map(views::history).collect(),
        limit,
        offset,
    }))
}

/// The whole history as CSV (oldest first), for audit trails.
pub(crate) async fn history_csv<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let owner = params::address(&raw)?;
    let mut all = Vec::new();
    loop {
        let page = state
            .store
            .history(owner, params::MAX_LIMIT, all.len() as i64)
            .await?;
        let done = page.len() < params::MAX_LIMIT as usize;
        all.extend(page);
        if done {
            break;
        }
    }
    let mut csv = String::from("root_block,kind,utxo_pos,blknum,tx_hash,token,amount\n");
    for e in all.iter().rev() {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{:#x},{}",
            e.root_block,
            e.kind,
            e.utxo_pos,
            e.utxo_pos / 1_000_000_000,
            e.tx_hash.map(|h| format!("{h:#x}")).unwrap_or_default(),
            e.token,
            e.amount
        );
    }
    let disposition = format!("attachment; filename=\"history-{owner:#x}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    ))
}
