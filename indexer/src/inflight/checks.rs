//! The watchtower's in-flight pass: the in-flight byzantine events raised while their
//! condition holds, resolved once it no longer does, and the actions each one calls for.

use super::{
    Pass,
    actions::{challenge_canonicity, challenge_piggyback, respond},
    competitor,
};
use crate::{
    store::{
        ByzantineKind, InFlightExit, IndexerStore, PiggybackStatus, StoreError,
        events::inflight_key,
    },
    watchtower::Watchtower,
};
use plasma_core::tx::Transaction;

/// The in-flight part of a watchtower step at root-chain time `now`; returns the number
/// of transactions sent.
pub(crate) async fn watch<S: IndexerStore>(
    w: &Watchtower<S>,
    now: u64,
) -> Result<usize, StoreError> {
    let mut pass = Pass::default();
    for exit in w.store.exits_of_unknown_outputs().await? {
        let pos = exit.utxo_pos;
        let kind = ByzantineKind::ExitOfUnknownOutput;
        pass.holding.insert(format!("{}:{pos}", kind.as_str()));
        let detail = format!(
            "exit of {pos} by {:#x}: no valid block holds this output",
            exit.owner
        );
        if w.store.raise_exit_event(kind, pos, &detail).await? {
            tracing::warn!(pos, "BYZANTINE: exit of an unknown output");
            w.metrics.byzantine();
        }
    }
    for exit in w.store.open_inflight_exits().await? {
        check_exit(w, &exit, now, &mut pass).await?;
    }
    for event in w.store.byzantine_events().await? {
        let ours = event.exit_id.is_some() || event.kind == ByzantineKind::ExitOfUnknownOutput;
        if ours && event.resolved_at.is_none() && !pass.holding.contains(&event.key) {
            w.store.resolve_event(&event.key).await?;
        }
    }
    Ok(pass.sent)
}

/// Raises `kind` about `subject` of `exit` and notes that it holds.
async fn raise<S: IndexerStore>(
    w: &Watchtower<S>,
    pass: &mut Pass,
    exit: &InFlightExit,
    (kind, subject, pos): (ByzantineKind, &str, Option<u64>),
    detail: String,
) -> Result<(), StoreError> {
    pass.holding
        .insert(inflight_key(kind, exit.exit_id, subject));
    if w.store
        .raise_inflight_event(kind, exit.exit_id, subject, pos, &detail)
        .await?
    {
        tracing::warn!(exit_id = %exit.exit_id, %kind, subject, "BYZANTINE: {detail}");
        w.metrics.byzantine();
    }
    Ok(())
}

async fn check_exit<S: IndexerStore>(
    w: &Watchtower<S>,
    exit: &InFlightExit,
    now: u64,
    pass: &mut Pass,
) -> Result<(), StoreError> {
    let id = exit.exit_id;
    let first_phase = exit
        .first_phase_end(w.min_exit_period)
        .is_some_and(|end| now < end);
    let positions: Vec<u64> = exit.inputs.iter().map(|i| i.pos).collect();
    let known = w.store.load_outputs(&positions).await?;
    let unknown = w.store.unknown_outputs(&positions).await?;
    let included = w.store.tx_by_hash(id).await?;
    // An included transaction's bytes are known even when the start's calldata hid them.
    let filled;
    let exit = match &included {
        Some(record) if exit.tx.is_none() => {
            filled = InFlightExit {
                tx: Some(record.bytes.clone()),
                ..exit.clone()
            };
            &filled
        }
        _ => exit,
    };
    let tx = exit.tx.as_ref().and_then(|b| Transaction::decode(b).ok());

    for input in &exit.inputs {
        if unknown.contains(&input.pos) {
            let detail = format!(
                "in-flight exit {id:#x} spends {} (input {}), an output no valid block holds",
                input.pos, input.index
            );
            let kind = ByzantineKind::ExitOfUnknownOutput;
            let subject = format!("input:{}", input.index);
            raise(w, pass, exit, (kind, &subject, Some(input.pos)), detail).await?;
        }
    }

    let competitor = competitor(&w.store, id, &exit.inputs, included.is_some()).await?;
    if exit.decided_canonical.is_none() {
        if exit.canonical
            && let Some(c) = &competitor
        {
            let at = c.tx_pos.map_or_else(
                || "in another in-flight exit".to_owned(),
                |p| format!("at {p}"),
            );
            let detail = format!(
                "in-flight exit {id:#x} is not canonical: input {} ({}) is spent by tx {:#x} {at}",
                c.input.index, c.input.pos, c.hash
            );
            let kind = ByzantineKind::NonCanonicalInFlightExit;
            raise(w, pass, exit, (kind, "", Some(c.input.pos)), detail).await?;
            if first_phase {
                challenge_canonicity(w, exit, c, pass).await?;
            }
        }
        if !exit.canonical
            && let Some(record) = &included
            && let Some(last) = exit.challenges.last()
            && record.pos.0 < exit_competitor_bound(exit)
        {
            let detail = format!(
                "canonicity challenge of {id:#x} by {:#x} is invalid: the transaction is included at {}, before the competitor {:#x}",
                last.challenger, record.pos.0, last.competing_tx_hash
            );
            let kind = ByzantineKind::InvalidCanonicityChallenge;
            raise(w, pass, exit, (kind, "", Some(record.pos.0)), detail).await?;
            respond(w, exit, record.pos.0, pass).await?;
        }
    }

    if first_phase {
        for input in &exit.inputs {
            if exit.piggyback(false, input.index).is_none()
                && let Some(out) = known.get(&input.pos)
            {
                let detail = format!(
                    "{:#x} may piggyback input {} of in-flight exit {id:#x} until the first phase ends",
                    out.output.owner, input.index
                );
                let subject = format!("input:{}", input.index);
                let kind = ByzantineKind::PiggybackAvailable;
                raise(w, pass, exit, (kind, &subject, Some(input.pos)), detail).await?;
            }
        }
        // Outputs of a transaction known not to be canonical are never paid.
        if let Some(tx) = tx.as_ref().filter(|_| competitor.is_none()) {
            for (index, output) in tx.outputs.iter().enumerate() {
                let index = u8::try_from(index).unwrap_or(u8::MAX);
                if exit.piggyback(true, index).is_none() {
                    let detail = format!(
                        "{:#x} may piggyback output {index} of in-flight exit {id:#x} until the first phase ends",
                        output.owner
                    );
                    let subject = format!("output:{index}");
                    let kind = ByzantineKind::PiggybackAvailable;
                    raise(w, pass, exit, (kind, &subject, None), detail).await?;
                }
            }
        }
    }

    for piggyback in &exit.piggybacks {
        if piggyback.status != PiggybackStatus::Active {
            continue;
        }
        let pos = if piggyback.is_output {
            included
                .as_ref()
                .map(|r| r.pos.0 + u64::from(piggyback.index))
        } else {
            exit.inputs
                .iter()
                .find(|i| i.index == piggyback.index)
                .map(|i| i.pos)
        };
        let Some(pos) = pos else { continue };
        let Some(spend) = w.store.spend_of(pos).await? else {
            continue;
        };
        if spend.spending_tx_hash == id {
            continue;
        }
        let side = if piggyback.is_output {
            "output"
        } else {
            "input"
        };
        let detail = format!(
            "piggyback on {side} {} of in-flight exit {id:#x} by {:#x} is invalid: {pos} is spent by tx {:#x}",
            piggyback.index, piggyback.owner, spend.spending_tx_hash
        );
        let subject = format!("{side}:{}", piggyback.index);
        let kind = ByzantineKind::InvalidPiggyback;
        raise(w, pass, exit, (kind, &subject, Some(pos)), detail).await?;
        challenge_piggyback(
            w,
            exit,
            piggyback,
            included.as_ref().map(|r| r.pos.0),
            &spend,
            pass,
        )
        .await?;
    }
    Ok(())
}

/// The position a response must be strictly before (the oldest competitor shown).
fn exit_competitor_bound(exit: &InFlightExit) -> u64 {
    exit.challenges
        .iter()
        .map(|c| c.competitor_pos)
        .min()
        .unwrap_or(u64::MAX)
}
