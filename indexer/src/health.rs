//! Whether the indexer is healthy, and if not, why (the operator's design, with the
//! shared pieces in `plasma_service::health`): storage failed, the root chain has been
//! unreachable too long, the follower lags the root chain, or the checker lags the
//! committed child blocks. `/health`, `/v1/status` and `/metrics` all read
//! [`Health::problems`].

use std::{collections::BTreeMap, sync::Mutex, time::Duration};

use plasma_core::CHILD_BLOCK_INTERVAL;
use plasma_rpc_types::HealthProblem;
use plasma_service::health::LastSeen;

/// Every reason the indexer can be unhealthy: its code, and its metric label.
pub const REASONS: [&str; 4] = [
    "storage_failed",
    "root_chain_unreachable",
    "root_chain_lagging",
    "child_chain_lagging",
];

/// When the health checks call something too old or too far behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthLimits {
    /// The root chain is unreachable once no follower step has reached it for this long.
    pub unreachable_after: Duration,
    /// Root-chain blocks the follower may trail the head by, beyond the confirmations.
    pub max_root_lag: u64,
    /// Committed child blocks the checker may have left unchecked.
    pub max_child_lag: u64,
}

impl Default for HealthLimits {
    /// The flags' defaults: 30 s without the root chain, 100 root blocks, 10 child blocks.
    fn default() -> Self {
        Self {
            unreachable_after: Duration::from_secs(30),
            max_root_lag: 100,
            max_child_lag: 10,
        }
    }
}

/// Where the indexer stands, as read for one health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The root chain's head, as last seen (0 before the first answer).
    pub head: u64,
    /// The root-chain block the follower has stored up to.
    pub stored_up_to: u64,
    /// The follower's confirmation margin.
    pub confirmations: u64,
    /// The newest committed child block (0 for none).
    pub committed: u64,
    /// The newest child block checked valid (0 for none).
    pub valid: u64,
    /// A byzantine event explains a gap between `committed` and `valid` (an invalid or
    /// withheld block stops the checker by design): that is reported in the status's
    /// byzantine events, not as lag.
    pub checker_stopped: bool,
}

/// What the indexer's tasks report for the health checks.
#[derive(Debug, Default)]
pub struct Health {
    limits: HealthLimits,
    root_chain: LastSeen,
    /// The last storage error of each task, cleared by its next successful write.
    storage: Mutex<BTreeMap<&'static str, String>>,
}

impl Health {
    /// Health checks with these limits.
    pub fn new(limits: HealthLimits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// A follower step reached the root chain.
    pub fn root_chain_reached(&self) {
        self.root_chain.touch();
    }

    /// `task`'s last write succeeded (`Ok`) or failed (`Err`).
    pub fn storage<E: std::fmt::Display>(&self, task: &'static str, outcome: Result<(), &E>) {
        let mut map = self.storage.lock().unwrap_or_else(|p| p.into_inner());
        match outcome {
            Ok(()) => {
                map.remove(task);
            }
            Err(err) => {
                map.insert(task, err.to_string());
            }
        }
    }

    /// Why the indexer is unhealthy given `progress`; empty when it is healthy.
    pub fn problems(&self, progress: &Progress) -> Vec<HealthProblem> {
        let mut problems = Vec::new();
        let failed: Vec<String> = {
            let map = self.storage.lock().unwrap_or_else(|p| p.into_inner());
            map.iter()
                .map(|(task, err)| format!("{task}: {err}"))
                .collect()
        };
        if !failed.is_empty() {
            problems.push(HealthProblem::new(REASONS[0], failed.join("; ")));
        }
        let silent = self.root_chain.elapsed();
        if silent > self.limits.unreachable_after {
            problems.push(HealthProblem::new(
                REASONS[1],
                format!(
                    "no answer from the root chain for {} ms",
                    silent.as_millis()
                ),
            ));
        }
        let root_lag = progress
            .head
            .saturating_sub(progress.confirmations)
            .saturating_sub(progress.stored_up_to);
        if root_lag > self.limits.max_root_lag {
            problems.push(HealthProblem::new(
                REASONS[2],
                format!(
                    "stored up to root-chain block {}, {root_lag} blocks behind head {} less {} confirmations (limit {})",
                    progress.stored_up_to, progress.head, progress.confirmations, self.limits.max_root_lag
                ),
            ));
        }
        let child_lag = progress.committed.saturating_sub(progress.valid) / CHILD_BLOCK_INTERVAL;
        if !progress.checker_stopped && child_lag > self.limits.max_child_lag {
            problems.push(HealthProblem::new(
                REASONS[3],
                format!(
                    "{child_lag} committed child blocks unchecked: valid up to {}, committed up to {} (limit {})",
                    progress.valid, progress.committed, self.limits.max_child_lag
                ),
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAUGHT_UP: Progress = Progress {
        head: 1_000,
        stored_up_to: 994,
        confirmations: 6,
        committed: 5_000,
        valid: 5_000,
        checker_stopped: false,
    };

    fn codes(h: &Health, p: &Progress) -> Vec<String> {
        h.problems(p).into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn each_reason_holds_past_its_limit_only() {
        let limits = HealthLimits {
            max_root_lag: 10,
            max_child_lag: 2,
            ..HealthLimits::default()
        };
        let h = Health::new(limits);
        assert!(codes(&h, &CAUGHT_UP).is_empty());
        let root = |stored_up_to| Progress {
            stored_up_to,
            ..CAUGHT_UP
        };
        assert!(codes(&h, &root(984)).is_empty(), "10 behind: at the limit");
        assert_eq!(codes(&h, &root(983)), ["root_chain_lagging"]);
        let child = |valid, checker_stopped| Progress {
            valid,
            checker_stopped,
            ..CAUGHT_UP
        };
        assert!(codes(&h, &child(3_000, false)).is_empty());
        assert_eq!(codes(&h, &child(2_000, false)), ["child_chain_lagging"]);
        assert!(codes(&h, &child(0, true)).is_empty(), "a byzantine stop");
    }

    #[test]
    fn storage_failures_hold_until_that_task_writes_again() {
        let h = Health::default();
        h.storage::<String>("checker", Err(&"disk full".into()));
        h.storage::<String>("follower", Ok(()));
        let problems = h.problems(&CAUGHT_UP);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "storage_failed");
        assert_eq!(problems[0].message, "checker: disk full");
        h.storage::<String>("checker", Ok(()));
        assert!(h.problems(&CAUGHT_UP).is_empty());
    }

    #[test]
    fn a_silent_root_chain_is_unreachable() {
        let h = Health::new(HealthLimits {
            unreachable_after: Duration::ZERO,
            ..HealthLimits::default()
        });
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(codes(&h, &CAUGHT_UP), ["root_chain_unreachable"]);
    }
}
