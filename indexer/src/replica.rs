//! What the roles share through a Postgres database besides the data: the writer reports
//! its view of the root chain (`writer_status`), and an API replica — which follows
//! nothing itself — reads it into its own metrics, so its status endpoint shows the
//! writer's head and lag and how old the writer's last report is (its health degrades to
//! `writer_stale` past `--max-writer-report-age-secs`), and clears its proof cache when
//! the writer rolled back a reorganisation.

use crate::{
    metrics::Metrics,
    proofs::ProofCache,
    store::{PgStore, now_secs_u64, pg::writer::WriterProgress},
};
use std::{sync::Arc, time::Duration};

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The writer: records its progress every `poll`.
pub async fn report_progress(store: PgStore, metrics: Arc<Metrics>, poll: Duration) {
    loop {
        let progress = WriterProgress {
            root_head: signed(metrics.root_head()),
            root_head_timestamp: signed(metrics.root_head_timestamp()),
            reorgs: signed(metrics.reorgs()),
            updated_at: signed(now_secs_u64()),
        };
        if progress.root_head > 0
            && let Err(e) = store.record_progress(progress).await
        {
            tracing::warn!("recording the writer's progress: {e}");
        }
        tokio::time::sleep(poll).await;
    }
}

/// An API replica: reads the writer's progress every `poll`.
pub async fn follow_writer(
    store: PgStore,
    metrics: Arc<Metrics>,
    proofs: Arc<ProofCache>,
    poll: Duration,
) {
    let mut reorgs = None;
    loop {
        match store.progress().await {
            Ok(Some(report)) => {
                let unsigned = |n: i64| u64::try_from(n).unwrap_or_default();
                let p = report.progress;
                metrics
                    .health
                    .writer_report(unsigned(p.updated_at), unsigned(report.age_secs));
                metrics.set_root_head(unsigned(p.root_head), unsigned(p.root_head_timestamp));
                if reorgs.is_some_and(|seen| seen != p.reorgs) {
                    proofs.clear();
                }
                reorgs = Some(p.reorgs);
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("reading the writer's progress: {e}"),
        }
        tokio::time::sleep(poll).await;
    }
}
