//! The block producer: seals a block as soon as `--block-size` transactions are pending,
//! and otherwise every `--block-interval-ms` if anything is pending (no empty blocks).

use std::{sync::Arc, time::Duration};

use tokio::time::{Instant, sleep, sleep_until};

use crate::node::Node;

/// Runs forever.
pub async fn run(node: Arc<Node>, interval: Duration) {
    let full = node.config().block_size;
    let mut deadline = Instant::now() + interval;
    loop {
        let timed_out = tokio::select! {
            _ = sleep_until(deadline) => true,
            _ = node.seal_wake.notified() => false,
        };
        let mut min = if timed_out { 1 } else { full };
        loop {
            match node.seal(min).await {
                Ok(Some(_)) => min = full,
                Ok(None) => break,
                Err(err) => {
                    tracing::error!(%err, "sealing failed");
                    sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
        if timed_out {
            deadline = Instant::now() + interval;
        }
    }
}
