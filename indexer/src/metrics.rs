//! Prometheus metrics in the text exposition format, kept in atomics.

use crate::health::{Health, HealthLimits};
use std::{
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering::Relaxed},
};

/// Counters and gauges of the indexer, and what its tasks report for the health checks.
#[derive(Debug, Default)]
pub struct Metrics {
    /// The health checks' inputs (`/health`, `/v1/status`, the `unhealthy` gauges).
    pub health: Health,
    blocks_checked: AtomicU64,
    txs_checked: AtomicU64,
    last_valid_block: AtomicU64,
    byzantine_events: AtomicU64,
    root_block: AtomicU64,
    root_head: AtomicU64,
    root_head_timestamp: AtomicU64,
    reorgs: AtomicU64,
    challenges_sent: AtomicU64,
    http_requests: AtomicU64,
}

impl Metrics {
    /// Metrics with health checks under `limits`.
    pub fn new(limits: HealthLimits) -> Self {
        Self {
            health: Health::new(limits),
            ..Self::default()
        }
    }

    /// Metrics of an API replica: its health follows the writer's reports.
    pub fn replica(limits: HealthLimits) -> Self {
        Self {
            health: Health::replica(limits),
            ..Self::default()
        }
    }

    /// The follower's cursor, as last reported (0 before the first step).
    pub fn root_block(&self) -> u64 {
        self.root_block.load(Relaxed)
    }

    /// A child block was checked valid.
    pub fn block_checked(&self, blknum: u64, txs: u64) {
        self.blocks_checked.fetch_add(1, Relaxed);
        self.txs_checked.fetch_add(txs, Relaxed);
        self.last_valid_block.fetch_max(blknum, Relaxed);
    }

    /// A byzantine event was raised.
    pub fn byzantine(&self) {
        self.byzantine_events.fetch_add(1, Relaxed);
    }

    /// The follower's cursor moved.
    pub fn set_root_block(&self, number: u64) {
        self.root_block.store(number, Relaxed);
    }

    /// The root chain's head, as last seen, with its timestamp.
    pub fn set_root_head(&self, number: u64, timestamp: u64) {
        self.root_head.store(number, Relaxed);
        self.root_head_timestamp.store(timestamp, Relaxed);
    }

    /// Root-chain head seen (0 before the first poll).
    pub fn root_head(&self) -> u64 {
        self.root_head.load(Relaxed)
    }

    /// Timestamp of the root-chain head seen (0 before the first poll).
    pub fn root_head_timestamp(&self) -> u64 {
        self.root_head_timestamp.load(Relaxed)
    }

    /// A reorganisation was rolled back.
    pub fn reorg(&self) {
        self.reorgs.fetch_add(1, Relaxed);
    }

    /// Reorganisations rolled back so far.
    pub fn reorgs(&self) -> u64 {
        self.reorgs.load(Relaxed)
    }

    /// A challenge transaction was sent.
    pub fn challenge_sent(&self) {
        self.challenges_sent.fetch_add(1, Relaxed);
    }

    /// An HTTP request was served.
    pub fn http_request(&self) {
        self.http_requests.fetch_add(1, Relaxed);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let rows: [(&str, &str, &str, &AtomicU64); 10] = [
            (
                "plasma_indexer_blocks_checked_total",
                "counter",
                "Child blocks checked valid.",
                &self.blocks_checked,
            ),
            (
                "plasma_indexer_txs_checked_total",
                "counter",
                "Transactions checked valid.",
                &self.txs_checked,
            ),
            (
                "plasma_indexer_last_valid_block",
                "gauge",
                "Highest child block checked valid.",
                &self.last_valid_block,
            ),
            (
                "plasma_indexer_byzantine_events_total",
                "counter",
                "Byzantine events raised.",
                &self.byzantine_events,
            ),
            (
                "plasma_indexer_root_block",
                "gauge",
                "Root-chain block the follower stored up to.",
                &self.root_block,
            ),
            (
                "plasma_indexer_root_head",
                "gauge",
                "Root-chain head seen.",
                &self.root_head,
            ),
            (
                "plasma_indexer_root_head_timestamp",
                "gauge",
                "Timestamp of the root-chain head.",
                &self.root_head_timestamp,
            ),
            (
                "plasma_indexer_reorgs_total",
                "counter",
                "Root-chain reorganisations rolled back.",
                &self.reorgs,
            ),
            (
                "plasma_indexer_challenges_sent_total",
                "counter",
                "Exit challenges sent.",
                &self.challenges_sent,
            ),
            (
                "plasma_indexer_http_requests_total",
                "counter",
                "HTTP requests served.",
                &self.http_requests,
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                value.load(Relaxed)
            );
        }
        out
    }
}
