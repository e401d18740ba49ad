//! Parsing of path and query parameters into [`ApiError`]s that name the problem.

use super::error::ApiError;
use alloy::primitives::{Address, B256};
use plasma_core::position::UtxoPos;
use serde::Deserialize;

/// Default and largest page size.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest page size.
pub const MAX_LIMIT: i64 = 1000;

/// A UTXO position path segment.
pub fn position(raw: &str) -> Result<UtxoPos, ApiError> {
    let value: u64 = raw
        .parse()
        .map_err(|_| ApiError::bad("invalid_position", format!("'{raw}' is not a number")))?;
    UtxoPos::checked(value).map_err(|e| ApiError::bad("invalid_position", format!("{value}: {e}")))
}

/// An address path segment or query value.
pub fn address(raw: &str) -> Result<Address, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::bad(
            "invalid_address",
            format!("'{raw}' is not a 20-byte hex address"),
        )
    })
}

/// A 32-byte hash path segment.
pub fn tx_hash(raw: &str) -> Result<B256, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::bad("invalid_hash", format!("'{raw}' is not a 32-byte hex hash")))
}

/// A block number path segment.
pub fn blknum(raw: &str) -> Result<u64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::bad("invalid_blknum", format!("'{raw}' is not a block number")))
}

/// `?limit=&offset=` of a paginated list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Page size (1…1000, default 100).
    pub limit: Option<String>,
    /// Entries to skip (default 0).
    pub offset: Option<String>,
}

impl Page {
    /// Validated `(limit, offset)`.
    pub fn get(&self) -> Result<(i64, i64), ApiError> {
        let limit = match &self.limit {
            None => DEFAULT_LIMIT,
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or_else(|| {
                    ApiError::bad(
                        "invalid_limit",
                        format!("limit must be 1…{MAX_LIMIT}, got '{raw}'"),
                    )
                })?,
        };
        let offset = match &self.offset {
            None => 0,
            Some(raw) => raw.parse::<i64>().ok().filter(|o| *o >= 0).ok_or_else(|| {
                ApiError::bad("invalid_offset", format!("offset must be ≥ 0, got '{raw}'"))
            })?,
        };
        Ok((limit, offset))
    }
}

/// Maps a query-string rejection to a 400 naming the problem.
pub fn query_error(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
    ApiError::bad("invalid_query", rejection.body_text())
}
