//! `plasma watch`: the user-side watcher (`plasma_client::watch`). It checks the operator
//! and the indexers every `--interval-ms`; once something is wrong it exits, piggybacks
//! and processes by itself, printing each thing it sees and does (one JSON document per
//! event with `--json`). With `--until-done` it stops once nothing of the key's is left.

use std::time::Duration;

use plasma_client::watch::{Event, WatchConfig, Watcher};

use super::UserArgs;
use crate::Output;

/// Arguments of `plasma watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    /// Connection, key and journal.
    pub user: UserArgs,
    /// Another indexer to check the first one against (repeatable).
    #[arg(long = "also-indexer")]
    pub also_indexer: Vec<String>,
    /// Seconds without an answer from the operator before leaving.
    #[arg(long, default_value_t = 60)]
    pub operator_down_after_secs: u64,
    /// Milliseconds between rounds.
    #[arg(long, default_value_t = 2_000)]
    pub interval_ms: u64,
    /// Stop once nothing of the key's is left in the child chain or in an exit.
    #[arg(long)]
    pub until_done: bool,
}

impl WatchArgs {
    /// Runs the command until interrupted (or done, with `--until-done`).
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let (ctx, journal) = self.user.connect().await?;
        let mut watcher = Watcher::new(WatchConfig {
            other_indexers: self.also_indexer.clone(),
            operator_down_after: Duration::from_secs(self.operator_down_after_secs),
        });
        tracing::info!(address = %ctx.me()?, "watching");
        loop {
            let events = match watcher.round(&ctx, &journal).await {
                Ok(events) => events,
                Err(e) => {
                    // The services or the root chain may be down; the next round retries.
                    tracing::warn!("watch round failed: {e:#}");
                    Vec::new()
                }
            };
            let done = events.contains(&Event::Done);
            for event in &events {
                out.emit(event, describe)?;
            }
            if done && self.until_done {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(self.interval_ms)).await;
        }
    }
}

fn describe(event: &Event) -> String {
    match event {
        Event::Alarm { reason } => format!("ALARM: {reason}; taking the funds out"),
        Event::InFlightExitStarted { exit_id } => format!("in-flight exit started: {exit_id}"),
        Event::Piggybacked {
            exit_id,
            is_output,
            index,
        } => format!(
            "piggybacked {} {index} of {exit_id}",
            if *is_output { "output" } else { "input" }
        ),
        Event::ExitStarted { utxo_pos } => format!("standard exit started: {utxo_pos}"),
        Event::Defended { exit_id, action } => format!("defended {exit_id}: {action}"),
        Event::Processed { exits } => format!("processExits: {exits} exits processed"),
        Event::Failed { action, error } => format!("failed ({action}), will retry: {error}"),
        Event::Done => "nothing left to take out".into(),
    }
}
