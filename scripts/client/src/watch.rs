//! `plasma watch`: a user-side watcher. Each round it checks the operator and one or more
//! indexers (against each other), and once something is wrong — an indexer halted on a
//! withheld or invalid block, indexers that disagree about the user's outputs, or the
//! operator unreachable for too long — it takes the user's funds out by itself: in-flight
//! exits of the journal's pending transactions with piggybacks on what the user owns in
//! them, piggybacks on other users' in-flight exits that pay the user, standard exits of
//! every other output, and `processExits` once they mature. The alarm is sticky: a
//! watcher that started leaving finishes leaving. Every round, alarm or not, it also
//! answers the indexer's open byzantine in-flight events itself: it challenges a
//! non-canonical in-flight exit and answers a false canonicity challenge.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use alloy::primitives::{Address, B256};
use alloy::providers::Provider;
use eyre::WrapErr;
use serde::Serialize;

use crate::api::IndexerClient;
use crate::ctx::Ctx;
use crate::inflight::{self, Slot};
use crate::journal::{EntryState, Journal};
use crate::{mine, user, wallet};

/// How the watcher decides.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// Indexers to check the context's indexer against.
    pub other_indexers: Vec<String>,
    /// The operator counts as gone after this long without an answer.
    pub operator_down_after: Duration,
}

/// Something the watcher saw or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Event {
    /// The reason the watcher started taking the funds out.
    Alarm {
        /// Why.
        reason: String,
    },
    /// An in-flight exit of a pending journal transaction was started.
    InFlightExitStarted {
        /// The exit id (the transaction's hash).
        exit_id: B256,
    },
    /// A piggyback on an in-flight exit.
    Piggybacked {
        /// The exit.
        exit_id: B256,
        /// An output (else an input).
        is_output: bool,
        /// Its index.
        index: u8,
    },
    /// A standard exit was started.
    ExitStarted {
        /// The output.
        utxo_pos: u64,
    },
    /// A byzantine in-flight event answered: a non-canonical exit challenged
    /// (`challenge`), or a false canonicity challenge answered (`respond`).
    Defended {
        /// The in-flight exit.
        exit_id: B256,
        /// `challenge` or `respond`.
        action: String,
    },
    /// Matured exits were processed.
    Processed {
        /// How many.
        exits: usize,
    },
    /// An action failed; it is tried again next round.
    Failed {
        /// What was tried.
        action: String,
        /// The error.
        error: String,
    },
    /// Nothing of the user's is left in the child chain or in an exit.
    Done,
}

/// The watcher's state between rounds.
#[derive(Debug)]
pub struct Watcher {
    config: WatchConfig,
    others: Vec<IndexerClient>,
    operator_seen: Instant,
    alarm: Option<String>,
    piggybacked: HashSet<(B256, bool, u8)>,
    defended: HashSet<i64>,
}

impl Watcher {
    /// A watcher that has just seen the operator.
    pub fn new(config: WatchConfig) -> Self {
        let others = config
            .other_indexers
            .iter()
            .map(|u| IndexerClient::new(u))
            .collect();
        Self {
            config,
            others,
            operator_seen: Instant::now(),
            alarm: None,
            piggybacked: HashSet::new(),
            defended: HashSet::new(),
        }
    }

    /// Why the watcher is taking the funds out, once it is.
    pub fn alarm(&self) -> Option<&str> {
        self.alarm.as_deref()
    }

    /// One round: defends in-flight exits, checks, and when alarmed, takes the funds
    /// out. Returns what it saw and did; the last event is [`Event::Done`] when nothing
    /// is left to take out.
    pub async fn round(&mut self, ctx: &Ctx, journal: &Journal) -> eyre::Result<Vec<Event>> {
        let mut events = Vec::new();
        self.defend(ctx, &mut events).await?;
        if self.alarm.is_none()
            && let Some(reason) = self.check(ctx).await?
        {
            tracing::warn!(%reason, "watch: taking the funds out");
            events.push(Event::Alarm {
                reason: reason.clone(),
            });
            self.alarm = Some(reason);
        }
        if self.alarm.is_none() {
            return Ok(events);
        }
        self.leave(ctx, journal, &mut events).await?;
        Ok(events)
    }

    /// Answers the indexer's open byzantine in-flight events, once each, with this key:
    /// a non-canonical in-flight exit gets its canonicity challenge, a false canonicity
    /// challenge its inclusion proof (the canonicity share goes to this key).
    async fn defend(&mut self, ctx: &Ctx, events: &mut Vec<Event>) -> eyre::Result<()> {
        let me = ctx.me()?;
        let status = ctx
            .indexer
            .status()
            .await
            .wrap_err("the indexer's status")?;
        let open = status
            .byzantine_events
            .into_iter()
            .filter(|e| e.resolved_at.is_none() && !self.defended.contains(&e.id))
            .collect::<Vec<_>>();
        for event in open {
            let (Some(exit_id), "noncanonical_inflight_exit" | "invalid_canonicity_challenge") =
                (event.in_flight_exit_id, event.kind.as_str())
            else {
                continue;
            };
            let Some(tx_bytes) = inflight::status_of(ctx, exit_id)
                .await?
                .and_then(|e| e.tx_bytes)
            else {
                continue;
            };
            let (action, done) = if event.kind == "noncanonical_inflight_exit" {
                let r = inflight::challenge_non_canonical(ctx, &tx_bytes, me).await;
                ("challenge", r.map(|_| ()))
            } else {
                let r = inflight::respond_to_canonicity_challenge(ctx, &tx_bytes).await;
                ("respond", r.map(|_| ()))
            };
            match done {
                Ok(()) => {
                    tracing::info!(%exit_id, action, "watch: defended an in-flight exit");
                    self.defended.insert(event.id);
                    events.push(Event::Defended {
                        exit_id,
                        action: action.to_owned(),
                    });
                }
                Err(e) => failed(events, format!("{action} on in-flight exit {exit_id}"), e),
            }
        }
        Ok(())
    }

    /// The reason to leave, if there is one.
    async fn check(&mut self, ctx: &Ctx) -> eyre::Result<Option<String>> {
        if ctx.operator.status().await.is_ok() {
            self.operator_seen = Instant::now();
        } else if self.operator_seen.elapsed() > self.config.operator_down_after {
            return Ok(Some(format!(
                "the operator has not answered for {} s",
                self.operator_seen.elapsed().as_secs()
            )));
        }
        let me = ctx.me()?;
        let ours = ctx
            .indexer
            .status()
            .await
            .wrap_err("the indexer's status")?;
        if ours.child.halted {
            return Ok(Some(halted_reason("the indexer", &ours)));
        }
        let mut mine = ctx.indexer.utxos(me).await?;
        mine.sort_by_key(|u| u.utxo_pos);
        for (other, url) in self.others.iter().zip(&self.config.other_indexers) {
            let Ok(theirs) = other.status().await else {
                tracing::warn!(%url, "watch: an indexer to compare with is unreachable");
                continue;
            };
            if theirs.child.halted {
                return Ok(Some(halted_reason(url, &theirs)));
            }
            if theirs.child.valid == ours.child.valid {
                let mut their_utxos = other.utxos(me).await?;
                their_utxos.sort_by_key(|u| u.utxo_pos);
                if their_utxos != mine {
                    return Ok(Some(format!(
                        "the indexers disagree about this key's outputs at child block {:?} ({url})",
                        ours.child.valid
                    )));
                }
            }
        }
        Ok(None)
    }

    /// Takes out whatever is left, and says when nothing is.
    async fn leave(
        &mut self,
        ctx: &Ctx,
        journal: &Journal,
        events: &mut Vec<Event>,
    ) -> eyre::Result<()> {
        let me = ctx.me()?;
        // 1. In-flight exits of the journal's open transactions, with piggybacks.
        let entries = mine::refresh_journal(ctx, journal).await?;
        let mut in_flight_inputs = HashSet::new();
        for entry in entries.iter().filter(|e| e.from == me) {
            if let Ok(tx) = inflight::payment(&entry.tx) {
                in_flight_inputs.extend(tx.inputs.iter().map(|p| p.0));
            }
            if !entry.state.is_pending() {
                continue;
            }
            let key = entry.id.to_string();
            match inflight::exit_journaled(ctx, journal, &key).await {
                Ok((_, started)) => {
                    events.push(Event::InFlightExitStarted {
                        exit_id: started.exit_id,
                    });
                    // Our own slots at once: the indexer may take a while to follow it.
                    for slot in inflight::slots_of(ctx, &entry.tx, me).await? {
                        self.piggyback(ctx, started.exit_id, &entry.tx, slot, events)
                            .await;
                    }
                }
                Err(e) => failed(events, format!("in-flight exit of journal entry {key}"), e),
            }
        }
        // 2. Piggybacks on every in-flight exit that holds something of ours.
        let overview = mine::overview(ctx, None, me).await?;
        for exit in &overview.in_flight_exits {
            let Some(tx_bytes) = &exit.tx_bytes else {
                continue;
            };
            let slots = inflight::slots_of(ctx, tx_bytes, me).await?;
            for slot in slots {
                let (is_output, index) = slot_parts(slot);
                let already = exit
                    .piggybacks
                    .iter()
                    .any(|p| p.is_output == is_output && p.index == index);
                if !already {
                    self.piggyback(ctx, exit.exit_id, tx_bytes, slot, events)
                        .await;
                }
            }
        }
        // 3. Standard exits of every other output.
        for pos in wallet::exitable_positions(ctx).await? {
            if in_flight_inputs.contains(&pos) {
                continue; // claimed through the in-flight exit's input piggyback
            }
            match wallet::start_exits(ctx, &[pos]).await {
                Ok(_) => events.push(Event::ExitStarted { utxo_pos: pos }),
                Err(e) => failed(events, format!("standard exit of {pos}"), e),
            }
        }
        // 4. Processing, once one of ours has matured.
        let now = ctx
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await?
            .map_or(0, |b| b.header.timestamp);
        // One overview serves both steps: when something matured, the exits it lists are
        // not empty, so the round is not done whatever processing does.
        let overview = mine::overview(ctx, Some(journal), me).await?;
        let matured = overview.exits.iter().any(|e| e.exitable_at <= now)
            || overview
                .in_flight_exits
                .iter()
                .any(|e| e.exitable_at <= now);
        if matured {
            match user::process_exits(&ctx.root, Address::ZERO, 100).await {
                Ok(done) => events.push(Event::Processed {
                    exits: done.exits.len(),
                }),
                Err(e) => failed(events, "processExits".into(), e),
            }
        }
        // 5. Done when nothing is left anywhere: no output, no open journal entry, no
        //    exit of ours the indexer has not seen finalized, and no in-flight exit the
        //    indexer has not resolved yet (it may pay us: a payee learns of a payment in
        //    a withheld block only from the payer's in-flight exit, and must piggyback it
        //    in its first phase).
        let left = wallet::exitable_positions(ctx).await?;
        let mut ours_open = false;
        for entry in journal.entries()?.iter().filter(|e| e.from == me) {
            if let EntryState::InFlightExited { exit_id, .. } = entry.state {
                let finalized = inflight::status_of(ctx, exit_id)
                    .await?
                    .is_some_and(|e| e.status == "finalized");
                ours_open |= !finalized;
            }
        }
        if left.iter().all(|p| in_flight_inputs.contains(p)) && !ours_open && overview.is_settled()
        {
            events.push(Event::Done);
        }
        Ok(())
    }

    /// Piggybacks `slot` of the in-flight exit of `tx_bytes`, once.
    async fn piggyback(
        &mut self,
        ctx: &Ctx,
        exit_id: B256,
        tx_bytes: &alloy::primitives::Bytes,
        slot: Slot,
        events: &mut Vec<Event>,
    ) {
        let (is_output, index) = slot_parts(slot);
        if !self.piggybacked.insert((exit_id, is_output, index)) {
            return;
        }
        match inflight::piggyback(ctx, tx_bytes, slot).await {
            Ok(_) => events.push(Event::Piggybacked {
                exit_id,
                is_output,
                index,
            }),
            Err(e) => {
                self.piggybacked.remove(&(exit_id, is_output, index));
                failed(events, format!("piggyback {slot:?} on {exit_id}"), e);
            }
        }
    }
}

/// Logs a failed action and reports it; the next round tries it again.
fn failed(events: &mut Vec<Event>, action: String, e: eyre::Report) {
    tracing::warn!(%action, "watch: {e:#}");
    events.push(Event::Failed {
        action,
        error: format!("{e:#}"),
    });
}

fn slot_parts(slot: Slot) -> (bool, u8) {
    match slot {
        Slot::Input(i) => (false, i),
        Slot::Output(i) => (true, i),
    }
}

fn halted_reason(who: &str, status: &crate::api::IndexerStatus) -> String {
    let kinds: Vec<&str> = status
        .byzantine_events
        .iter()
        .map(|e| e.kind.as_str())
        .collect();
    format!("{who} halted the chain ({})", kinds.join(", "))
}
