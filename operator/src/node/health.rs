//! Whether the operator is healthy, and if not, why: storage failed, the root chain has
//! been unreachable too long, a sealed root has waited too long to get on chain, or the
//! chain holds another root than the sealed one. `/health`, `/v1/status` and `/metrics`
//! all read [`Node::problems`].

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use plasma_rpc_types::HealthProblem;
use plasma_service::health::LastSeen;

use super::{Node, now_ms};

/// Every reason the operator can be unhealthy: its code, and its metric label.
pub const REASONS: [&str; 4] = [
    "storage_failed",
    "root_chain_unreachable",
    "submission_stalled",
    "submission_diverged",
];

/// When the health checks call something too old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthLimits {
    /// The root chain is unreachable once no round has reached it for this long.
    pub unreachable_after: Duration,
    /// Root submission is stalled once a sealed root has waited this long to be mined.
    pub stalled_after: Duration,
}

impl Default for HealthLimits {
    /// The flags' defaults: 30 s without the root chain, 120 s for a root to get on chain.
    fn default() -> Self {
        Self {
            unreachable_after: Duration::from_secs(30),
            stalled_after: Duration::from_secs(120),
        }
    }
}

/// The clocks the chain tasks keep.
#[derive(Debug)]
pub(super) struct HealthClocks {
    chain_ok: LastSeen,
    waiting_since_ms: AtomicU64,
}

impl HealthClocks {
    pub(super) fn new() -> Self {
        Self {
            chain_ok: LastSeen::default(),
            waiting_since_ms: AtomicU64::new(0),
        }
    }
}

impl Node {
    /// A round of the submitter or the follower reached the root chain.
    pub(crate) fn root_chain_reached(&self) {
        self.clocks.chain_ok.touch();
    }

    /// A sealed root is waiting to get on chain (keeps the earliest moment).
    pub(crate) fn root_waiting(&self) {
        let _ = self.clocks.waiting_since_ms.compare_exchange(
            0,
            now_ms() as u64,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }

    /// Every sealed root is on chain.
    pub(crate) fn roots_on_chain(&self) {
        self.clocks.waiting_since_ms.store(0, Ordering::SeqCst);
    }

    /// Why the operator is unhealthy; empty when it is healthy.
    pub fn problems(&self) -> Vec<HealthProblem> {
        let now = now_ms() as u64;
        let limits = self.cfg.health;
        let ms = |d: Duration| d.as_millis() as u64;
        let mut problems = Vec::new();
        let mut add = |code: &str, message: String| {
            problems.push(HealthProblem::new(code, message));
        };
        if self.writer.is_failed() {
            add(
                REASONS[0],
                "a database write failed; writes are refused until a probe write commits".into(),
            );
        }
        let silent = ms(self.clocks.chain_ok.elapsed());
        if silent > ms(limits.unreachable_after) {
            add(
                REASONS[1],
                format!("no answer from the root chain for {silent} ms"),
            );
        }
        let since = self.clocks.waiting_since_ms.load(Ordering::SeqCst);
        let waited = if since == 0 {
            0
        } else {
            now.saturating_sub(since)
        };
        if waited > ms(limits.stalled_after) {
            add(
                REASONS[2],
                format!("a sealed root has waited {waited} ms to get on chain"),
            );
        }
        if let Some(msg) = self.submit_error.lock().ok().and_then(|e| e.clone()) {
            add(REASONS[3], msg);
        }
        problems
    }
}
