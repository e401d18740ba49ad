//! Client of the operator's data-availability feed (`GET {operator}/v1/blocks/{blknum}`).
//!
//! Transactions are parsed as raw bytes, not decoded: a block whose root commits to bytes
//! that do not decode is an invalid block, which the checker must be able to see.

use alloy::primitives::{B256, Bytes};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One transaction as published: bytes and signatures, undecoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedTx {
    /// Transaction bytes.
    pub tx: Bytes,
    /// Signatures.
    pub signatures: Vec<Bytes>,
}

/// A child block as published by the operator (docs/SPEC.md "Operator HTTP API").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedBlock {
    /// Block number.
    pub blknum: u64,
    /// The root the operator claims (the checker recomputes it).
    pub root: B256,
    /// Transactions in block order.
    pub transactions: Vec<FeedTx>,
}

/// Why a block could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// Transport error or timeout.
    #[error("feed request failed: {0}")]
    Http(#[from] reqwest::Error),
    /// The feed answered with an unexpected status.
    #[error("feed answered {0}")]
    Status(u16),
    /// The body is not a block.
    #[error("feed body is not a block: {0}")]
    Body(#[from] serde_json::Error),
    /// The body is a different block.
    #[error("feed returned block {got} for {wanted}")]
    WrongBlock {
        /// Requested.
        wanted: u64,
        /// Returned.
        got: u64,
    },
}

/// HTTP client of one operator feed.
#[derive(Debug, Clone)]
pub struct FeedClient {
    http: reqwest::Client,
    base: String,
}

impl FeedClient {
    /// A client of the feed at `base` (e.g. `http://127.0.0.1:8546`).
    pub fn new(base: &str) -> Result<Self, FeedError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// Fetches a block; `Ok(None)` when the feed does not have it (404).
    pub async fn fetch(&self, blknum: u64) -> Result<Option<FeedBlock>, FeedError> {
        let url = format!("{}/v1/blocks/{blknum}", self.base);
        let response = self.http.get(url).send().await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(FeedError::Status(response.status().as_u16()));
        }
        let body = response.bytes().await?;
        let block: FeedBlock = serde_json::from_slice(&body)?;
        if block.blknum != blknum {
            return Err(FeedError::WrongBlock {
                wanted: blknum,
                got: block.blknum,
            });
        }
        Ok(Some(block))
    }
}
