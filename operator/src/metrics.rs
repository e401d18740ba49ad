//! Prometheus counters and gauges, rendered by hand in the text exposition format
//! (a handful of atomics; no registry crate needed).

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

/// The operator's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Transactions acknowledged.
    pub txs_accepted: AtomicU64,
    rejected: Mutex<BTreeMap<&'static str, u64>>,
    /// Blocks sealed.
    pub blocks_sealed: AtomicU64,
    /// Transactions in sealed blocks.
    pub txs_sealed: AtomicU64,
    /// Duration of the last seal (root + commit), microseconds.
    pub last_seal_micros: AtomicU64,
    /// Roots confirmed on chain.
    pub blocks_submitted: AtomicU64,
    /// submitBlock transactions sent (including resends).
    pub submit_attempts: AtomicU64,
    /// Submitted roots a root-chain reorganisation took off the chain (then resubmitted).
    pub roots_reorged: AtomicU64,
    /// Deposits credited.
    pub deposits_credited: AtomicU64,
    /// Deposits taken back after a reorganisation.
    pub deposits_uncredited: AtomicU64,
}

/// Point-in-time gauges supplied by the caller at render time.
#[derive(Debug, Clone)]
pub struct Gauges {
    /// The health problems that hold now.
    pub problems: Vec<plasma_rpc_types::HealthProblem>,
    /// Pending transactions.
    pub pending: u64,
    /// Outputs in the UTXO set.
    pub utxos: u64,
    /// Next child block number.
    pub next_blknum: u64,
    /// Last root-chain block whose deposits are credited.
    pub deposit_cursor: u64,
}

impl Metrics {
    /// Counts a rejection by error code.
    pub fn reject(&self, code: &'static str) {
        if let Ok(mut m) = self.rejected.lock() {
            *m.entry(code).or_default() += 1;
        }
    }

    /// Renders the Prometheus text format.
    pub fn render(&self, g: Gauges) -> String {
        let mut s = String::new();
        let mut counter = |name: &str, help: &str, v: u64| {
            let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}");
        };
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(
            "plasma_operator_txs_accepted_total",
            "Transactions acknowledged.",
            get(&self.txs_accepted),
        );
        counter(
            "plasma_operator_blocks_sealed_total",
            "Child blocks sealed.",
            get(&self.blocks_sealed),
        );
        counter(
            "plasma_operator_txs_sealed_total",
            "Transactions in sealed blocks.",
            get(&self.txs_sealed),
        );
        counter(
            "plasma_operator_blocks_submitted_total",
            "Roots confirmed on the root chain.",
            get(&self.blocks_submitted),
        );
        counter(
            "plasma_operator_submit_attempts_total",
            "submitBlock transactions sent.",
            get(&self.submit_attempts),
        );
        counter(
            "plasma_operator_roots_reorged_total",
            "Submitted roots a root-chain reorganisation removed (resubmitted).",
            get(&self.roots_reorged),
        );
        counter(
            "plasma_operator_deposits_credited_total",
            "Deposits credited.",
            get(&self.deposits_credited),
        );
        counter(
            "plasma_operator_deposits_uncredited_total",
            "Deposits taken back after a root-chain reorganisation.",
            get(&self.deposits_uncredited),
        );
        let _ = writeln!(
            s,
            "# HELP plasma_operator_txs_rejected_total Rejected transactions by error code.\n# TYPE plasma_operator_txs_rejected_total counter"
        );
        if let Ok(m) = self.rejected.lock() {
            for (code, n) in m.iter() {
                let _ = writeln!(
                    s,
                    "plasma_operator_txs_rejected_total{{code=\"{code}\"}} {n}"
                );
            }
        }
        let mut gauge = |name: &str, help: &str, v: f64| {
            let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        };
        gauge(
            "plasma_operator_pending_txs",
            "Transactions waiting for a block.",
            g.pending as f64,
        );
        gauge(
            "plasma_operator_utxos",
            "Outputs in the UTXO set.",
            g.utxos as f64,
        );
        gauge(
            "plasma_operator_next_block",
            "Number of the next child block.",
            g.next_blknum as f64,
        );
        gauge(
            "plasma_operator_deposit_cursor",
            "Last root-chain block scanned for deposits.",
            g.deposit_cursor as f64,
        );
        gauge(
            "plasma_operator_last_seal_seconds",
            "Time to seal the last block (root and commit).",
            get(&self.last_seal_micros) as f64 / 1e6,
        );
        plasma_service::health::render_gauges(
            &mut s,
            "plasma_operator_unhealthy",
            &crate::node::REASONS,
            &g.problems,
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_text_format() {
        let m = Metrics::default();
        m.txs_accepted.fetch_add(3, Ordering::Relaxed);
        m.reject("double_spend");
        let text = m.render(Gauges {
            problems: vec![plasma_rpc_types::HealthProblem::new(
                "submission_stalled",
                "waited",
            )],
            pending: 2,
            utxos: 5,
            next_blknum: 1000,
            deposit_cursor: 7,
        });
        assert!(text.contains("plasma_operator_txs_accepted_total 3\n"));
        assert!(text.contains("plasma_operator_unhealthy{reason=\"storage_failed\"} 0\n"));
        assert!(text.contains("plasma_operator_unhealthy{reason=\"submission_stalled\"} 1\n"));
        assert!(text.contains("plasma_operator_txs_rejected_total{code=\"double_spend\"} 1\n"));
        assert!(
            text.contains(
                "# TYPE plasma_operator_pending_txs gauge\nplasma_operator_pending_txs 2\n"
            )
        );
    }
}
