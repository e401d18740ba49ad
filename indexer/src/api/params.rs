//! Parsing of path and query parameters into [`ApiError`]s that name the problem.

use super::error::ApiError;
use alloy::primitives::{Address, B256};
use plasma_core::{canonical, position::UtxoPos};
use serde::Deserialize;

/// Default and largest page size.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest page size.
pub const MAX_LIMIT: i64 = 1000;

/// A UTXO position path segment.
pub fn position(raw: &str) -> Result<UtxoPos, ApiError> {
    let value = canonical::decimal(raw)
        .ok_or_else(|| ApiError::bad("invalid_position", format!("'{raw}' is not a number")))?;
    UtxoPos::checked(value).map_err(|e| ApiError::bad("invalid_position", format!("{value}: {e}")))
}

/// An address path segment or query value.
pub fn address(raw: &str) -> Result<Address, ApiError> {
    canonical::address(raw).ok_or_else(|| {
        ApiError::bad(
            "invalid_address",
            format!("'{raw}' is not a 0x-prefixed 20-byte hex address"),
        )
    })
}

/// A 32-byte hash path segment.
pub fn tx_hash(raw: &str) -> Result<B256, ApiError> {
    canonical::hash(raw).ok_or_else(|| {
        ApiError::bad(
            "invalid_hash",
            format!("'{raw}' is not a 0x-prefixed 32-byte hex hash"),
        )
    })
}

/// A block number path segment.
pub fn blknum(raw: &str) -> Result<u64, ApiError> {
    canonical::blknum(raw)
        .ok_or_else(|| ApiError::bad("invalid_blknum", format!("'{raw}' is not a block number")))
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
            Some(raw) => canonical::decimal(raw)
                .and_then(|l| i64::try_from(l).ok())
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
            Some(raw) => canonical::decimal(raw)
                .and_then(|o| i64::try_from(o).ok())
                .ok_or_else(|| {
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
        // One spelling per value (issue 12).
        assert_eq!(
            code(position("+1000000000001").unwrap_err()),
            "invalid_position"
        );
        assert_eq!(
            code(position("01000000000001").unwrap_err()),
            "invalid_position"
        );
        assert_eq!(code(blknum("+1000").unwrap_err()), "invalid_blknum");
        assert_eq!(code(blknum("0001000").unwrap_err()), "invalid_blknum");
        assert_eq!(
            code(blknum("18446744073709551615").unwrap_err()),
            "invalid_blknum"
        );
        let bare = "90f79bf6eb2c4f870365e785982e1f101e93b906";
        assert_eq!(code(address(bare).unwrap_err()), "invalid_address");
        assert!(address(&format!("0x{bare}")).is_ok());
        assert_eq!(code(tx_hash(&"ab".repeat(32)).unwrap_err()), "invalid_hash");
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
        assert_eq!(code(page("+10", "0").unwrap_err()), "invalid_limit");
        assert_eq!(code(page("10", "05").unwrap_err()), "invalid_offset");
    }
}
