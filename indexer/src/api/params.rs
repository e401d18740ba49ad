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

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: ApiError) -> &'static str {
        match e {
            ApiError::BadRequest { code, .. } => code,
            _ => "other",
        }
    }

    #[test]
    fn positions_addresses_and_pages_are_validated() {
        assert_eq!(position("1000000000001").unwrap().0, 1_000_000_000_001);
        assert_eq!(code(position("0").unwrap_err()), "invalid_position");
        assert_eq!(
            code(position("1000000000004").unwrap_err()),
            "invalid_position"
        );
        assert_eq!(code(address("0x12").unwrap_err()), "invalid_address");
        assert_eq!(Page::default().get().unwrap(), (DEFAULT_LIMIT, 0));
        let page = |l: &str, o: &str| {
            Page {
                limit: Some(l.into()),
                offset: Some(o.into()),
            }
            .get()
        };
        assert_eq!(page("1000", "5").unwrap(), (1000, 5));
        assert_eq!(code(page("1001", "0").unwrap_err()), "invalid_limit");
        assert_eq!(code(page("10", "x").unwrap_err()), "invalid_offset");
    }
}
