//! Whether the indexer is healthy, and if not, why (the operator's design, with the
//! shared pieces in `plasma_service::health`): storage failed, the root chain has been
//! unreachable too long, the follower lags the root chain, or the checker lags the
//! committed child blocks — or, on an API replica (which follows nothing itself), the
//! writer's last progress report is too old. `/health`, `/v1/status` and `/metrics` all
//! read [`Health::problems`].

use std::{
    collections::BTreeMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use plasma_core::CHILD_BLOCK_INTERVAL;
use plasma_rpc_types::HealthProblem;
use plasma_service::health::LastSeen;

/// Every reason the indexer can be unhealthy: its code, and its metric label.
pub const REASONS: [&str; 5] = [
    "storage_failed",
    "root_chain_unreachable",
    "root_chain_lagging",
    "child_chain_lagging",
    "writer_stale",
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
    /// An API replica calls the writer stale once its last progress report is older.
    pub max_writer_report_age: Duration,
}

impl Default for HealthLimits {
    /// The flags' defaults: 30 s without the root chain, 100 root blocks, 10 child
    /// blocks, a writer's report 30 s old.
    fn default() -> Self {
        Self {
            unreachable_after: Duration::from_secs(30),
            max_root_lag: 100,
            max_child_lag: 10,
            max_writer_report_age: Duration::from_secs(30),
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

/// What an API replica last read of the writer's progress report.
#[derive(Debug, Clone, Copy)]
struct WriterSeen {
    /// The report's time (the database clock, Unix seconds); `None` before the first.
    reported_at: Option<u64>,
    /// Its age when read, by the database clock (seconds).
    age: u64,
    /// When it was read (this process' clock): the age grows from there.
    read: Instant,
}

/// How stale the writer's last progress report is, as an API replica sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriterAge {
    /// The report's time (Unix seconds, database clock); `None`: no report yet.
    pub reported_at: Option<u64>,
    /// Its age in seconds: the database clock's at the last read, plus the time since
    /// (without a report: the time since the replica started).
    pub age_secs: u64,
    /// The limit beyond which the replica is unhealthy (`writer_stale`).
    pub max_age_secs: u64,
}

/// What the indexer's tasks report for the health checks.
#[derive(Debug)]
pub struct Health {
    limits: HealthLimits,
    root_chain: LastSeen,
    /// The last storage error of each task, cleared by its next successful write.
    storage: Mutex<BTreeMap<&'static str, String>>,
    /// On an API replica: the writer's last report as read (the replica follows no root
    /// chain, so this replaces `root_chain_unreachable`); `None` elsewhere.
    writer: Option<Mutex<WriterSeen>>,
}

impl Default for Health {
    fn default() -> Self {
        Self::new(HealthLimits::default())
    }
}

impl Health {
    /// Health checks with these limits.
    pub fn new(limits: HealthLimits) -> Self {
        Self {
            limits,
            root_chain: LastSeen::default(),
            storage: Mutex::default(),
            writer: None,
        }
    }

    /// Health checks of an API replica: the writer's reports instead of a root chain.
    pub fn replica(limits: HealthLimits) -> Self {
        let seen = WriterSeen {
            reported_at: None,
            age: 0,
            read: Instant::now(),
        };
        Self {
            writer: Some(Mutex::new(seen)),
            ..Self::new(limits)
        }
    }

    /// An API replica read the writer's report of `reported_at`, `age` seconds old by
    /// the database clock (ignored elsewhere).
    pub fn writer_report(&self, reported_at: u64, age: u64) {
        if let Some(writer) = &self.writer {
            let mut seen = writer.lock().unwrap_or_else(|p| p.into_inner());
            *seen = WriterSeen {
                reported_at: Some(reported_at),
                age,
                read: Instant::now(),
            };
        }
    }

    /// How stale the writer's report is, on an API replica (`None` elsewhere).
    pub fn writer_age(&self) -> Option<WriterAge> {
        let seen = *self
            .writer
            .as_ref()?
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        Some(WriterAge {
            reported_at: seen.reported_at,
            age_secs: seen.age.saturating_add(seen.read.elapsed().as_secs()),
            max_age_secs: self.limits.max_writer_report_age.as_secs(),
        })
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
        if let Some(writer) = self.writer_age() {
            if writer.age_secs > writer.max_age_secs {
                let message = match writer.reported_at {
                    Some(at) => format!(
                        "the writer's last progress report (at {at}) is {} s old (limit {} s)",
                        writer.age_secs, writer.max_age_secs
                    ),
                    None => format!(
                        "no progress report from the writer in {} s (limit {} s)",
                        writer.age_secs, writer.max_age_secs
                    ),
                };
                problems.push(HealthProblem::new(REASONS[4], message));
            }
        } else if silent > self.limits.unreachable_after {
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

    #[test]
    fn a_replica_calls_an_old_writer_report_stale_and_no_root_chain_unreachable() {
        let limits = HealthLimits {
            unreachable_after: Duration::ZERO,
            max_writer_report_age: Duration::from_secs(5),
            ..HealthLimits::default()
        };
        let h = Health::replica(limits);
        std::thread::sleep(Duration::from_millis(2));
        assert!(
            codes(&h, &CAUGHT_UP).is_empty(),
            "no report yet, replica young"
        );
        h.writer_report(1_700_000_000, 5);
        assert!(codes(&h, &CAUGHT_UP).is_empty(), "5 s: at the limit");
        let age = h.writer_age().unwrap();
        assert_eq!(
            (age.reported_at, age.age_secs, age.max_age_secs),
            (Some(1_700_000_000), 5, 5)
        );
        h.writer_report(1_700_000_000, 6);
        let problems = h.problems(&CAUGHT_UP);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "writer_stale");
        assert!(
            problems[0].message.contains("6 s old (limit 5 s)"),
            "{}",
            problems[0].message
        );
        assert!(Health::default().writer_age().is_none());
    }
}
