//! `plasma soak`: the whole system on a throwaway devnet under mixed traffic (deposits,
//! payments among many users, exits, cheating exits, processing, reads) with faults at
//! random moments (SIGKILL of either service, root-chain reorganisations, RPC outages),
//! then audited: nothing acknowledged lost, every root on chain once, the indexer equal
//! to a fresh sync, the wei adding up. Exits non-zero when any check failed.

use std::path::PathBuf;
use std::time::Duration;

use eyre::bail;
use plasma_devnet::soak::{self, SoakConfig};

use crate::Output;

/// Arguments of `plasma soak`.
#[derive(Debug, Clone, clap::Args)]
pub struct SoakArgs {
    /// Minutes of traffic and faults (fractions allowed).
    #[arg(long, default_value_t = 2.0)]
    pub minutes: f64,
    /// Seed of every random choice; the same seed replays the same choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Child-chain users.
    #[arg(long, default_value_t = 12)]
    pub users: usize,
    /// Directory for the databases and logs (wiped first).
    #[arg(long, default_value = ".soak")]
    pub data_dir: PathBuf,
}

impl SoakArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        if !(self.minutes > 0.0 && self.minutes <= 24.0 * 60.0) {
            bail!(
                "--minutes must be above 0 and at most a day, got {}",
                self.minutes
            );
        }
        if self.users < 2 {
            bail!(
                "--users must be at least 2 (users pay each other), got {}",
                self.users
            );
        }
        let report = soak::run(&SoakConfig {
            duration: Duration::from_secs_f64(self.minutes * 60.0),
            seed: self.seed,
            users: self.users,
            data_dir: self.data_dir,
        })
        .await?;
        out.emit(&report, |r| {
            let t = &r.traffic;
            let a = &r.audit;
            let verdict = if r.failures.is_empty() {
                "PASSED".to_owned()
            } else {
                format!("FAILED:\n  {}", r.failures.join("\n  "))
            };
            format!(
                "soak {} s (+{} s settling and audit), {} users, seed {}\n\
                 traffic: {} deposits, {} payments acknowledged ({} refused), {} exits, \
                 {} cheating exits, {} processExits, {} failed actions, {} reads \
                 ({} unreachable, {} 5xx)\n\
                 faults: {}\n\
                 audit: {} acknowledged, {} lost; {} roots on chain; {} views equal to a \
                 fresh sync: {}; deposits {} wei = balances {} + open exits {} + processed {}; \
                 {} exits, {} challenged\n{verdict}",
                r.traffic_secs,
                r.audit_secs,
                r.users,
                r.seed,
                t.deposits,
                t.payments,
                t.refused,
                t.exits,
                t.cheats,
                t.processed,
                t.failed,
                t.reads,
                t.read_unreachable,
                t.read_server_errors,
                r.faults
                    .iter()
                    .map(|f| format!("{:?}({}) at {} s", f.kind, f.size, f.at_secs))
                    .collect::<Vec<_>>()
                    .join(", "),
                a.acknowledged,
                a.lost.len(),
                a.roots_on_chain,
                a.views_compared,
                a.fresh_sync_difference.is_none(),
                a.deposits_wei,
                a.child_balances_wei,
                a.open_exits_wei,
                a.processed_exits_wei,
                a.exits_started,
                a.exits_challenged,
            )
        })?;
        if !report.failures.is_empty() {
            bail!("the soak failed {} checks", report.failures.len());
        }
        Ok(())
    }
}
