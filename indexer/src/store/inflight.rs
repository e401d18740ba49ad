//! In-flight exits (MoreVP): the follower's in-flight events ([`InFlightEvent`]), each
//! exit's state folded from them ([`InFlightExit`], [`InFlightStatus`], [`Piggyback`]),
//! what the watchtower sent about them, and their part of a rollback.
//!
//! The start is a row of `inflight_exits` (with its inputs in `inflight_inputs`); every
//! later event is a row of `inflight_log` tagged with its root-chain block. The state of
//! an exit is the fold of its rows in log order, so a rollback is one range delete per
//! table and a restart reads exactly what was committed.

use super::{
    Store, StoreError, Tx, address, amount, hash, now_secs, signed, stored_text, unsigned,
};
use alloy::primitives::{Address, B256, Bytes, U256};
use std::future::Future;

stored_text! {
    /// Where an in-flight exit stands (derived from its events).
    InFlightStatus, "in-flight exit status" {
        /// Started; canonical so far (never challenged, or the challenge was answered).
        Active => "active",
        /// A canonicity challenge stands unanswered: the exit is non-canonical.
        NonCanonical => "non_canonical",
        /// Processing decided its canonicity; piggybacks are being settled.
        Processing => "processing",
        /// Every queue entry was settled; the bond went to its owner.
        Finalized => "finalized",
    }
}

stored_text! {
    /// Where a piggyback stands.
    PiggybackStatus, "piggyback status" {
        /// Piggybacked, not settled.
        Active => "active",
        /// Removed by an input-spent or output-spent challenge.
        Blocked => "blocked",
        /// Settled by processing (paid, or zero when not owed).
        Withdrawn => "withdrawn",
    }
}

stored_text! {
    /// What the watchtower sends about an in-flight exit (once per exit, action and index).
    InFlightAction, "in-flight action" {
        /// `challengeInFlightExitNotCanonical`.
        ChallengeCanonicity => "challenge_canonicity",
        /// `respondToNonCanonicalChallenge`.
        Respond => "respond",
        /// `challengeInFlightExitInputSpent`.
        ChallengeInput => "challenge_input",
        /// `challengeInFlightExitOutputSpent`.
        ChallengeOutput => "challenge_output",
    }
}

/// An in-flight event of the root chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InFlightEvent {
    /// `InFlightExitStarted`.
    Started {
        /// keccak256 of the in-flight transaction.
        exit_id: B256,
        /// Who started it (owns the bond).
        starter: Address,
        /// The inputs' positions and output ids, by input index.
        inputs: Vec<(u64, B256)>,
        /// When processing may pay it.
        exitable_at: u64,
        /// Its priority position.
        youngest_pos: u64,
    },
    /// `InFlightExitPiggybacked`.
    Piggybacked {
        /// The exit.
        exit_id: B256,
        /// Owner of the input or output.
        owner: Address,
        /// Output (true) or input.
        is_output: bool,
        /// Its index.
        index: u8,
        /// Token.
        token: Address,
        /// Amount.
        amount: U256,
    },
    /// `InFlightExitChallenged`: the exit is non-canonical.
    Challenged {
        /// The exit.
        exit_id: B256,
        /// Owner of the canonicity share if the exit ends non-canonical.
        challenger: Address,
        /// Hash of the competing transaction.
        competing_tx_hash: B256,
        /// Its position, `u64::MAX` when not shown included.
        competitor_pos: u64,
    },
    /// `InFlightExitChallengeResponded`: canonical again.
    Responded {
        /// The exit.
        exit_id: B256,
        /// Owner of the canonicity share.
        responder: Address,
        /// Position of the in-flight transaction.
        tx_pos: u64,
    },
    /// `InFlightExitInputBlocked` or `InFlightExitOutputBlocked`.
    Blocked {
        /// The exit.
        exit_id: B256,
        /// Receiver of the challenger's share.
        challenger: Address,
        /// Output (true) or input.
        is_output: bool,
        /// Its index.
        index: u8,
    },
    /// `InFlightExitInputWithdrawn` or `InFlightExitOutputWithdrawn`.
    Withdrawn {
        /// The exit.
        exit_id: B256,
        /// Owner.
        owner: Address,
        /// Output (true) or input.
        is_output: bool,
        /// Its index.
        index: u8,
        /// Token.
        token: Address,
        /// Amount paid (zero when not owed).
        paid: U256,
        /// The transfer failed and was credited to `withdrawable`.
        deferred: bool,
    },
    /// `InFlightExitCanonicityDecided`.
    CanonicityDecided {
        /// The exit.
        exit_id: B256,
        /// The decision.
        canonical: bool,
    },
    /// `InFlightExitFinalized`.
    Finalized {
        /// The exit.
        exit_id: B256,
        /// Who got the canonicity share.
        bond_owner: Address,
    },
}

/// An input of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlightInput {
    /// Input index in the in-flight transaction.
    pub index: u8,
    /// Position of the spent output.
    pub pos: u64,
    /// Its output id (as the contract computed it).
    pub input_id: B256,
}

/// A piggyback on an input or output of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piggyback {
    /// Output (true) or input.
    pub is_output: bool,
    /// Its index.
    pub index: u8,
    /// Owner.
    pub owner: Address,
    /// Token.
    pub token: Address,
    /// Amount.
    pub amount: U256,
    /// Status.
    pub status: PiggybackStatus,
    /// Who blocked it, when blocked.
    pub blocked_by: Option<Address>,
    /// What processing paid, when withdrawn.
    pub paid: Option<U256>,
    /// Whether that payout was deferred, when withdrawn.
    pub deferred: Option<bool>,
    /// Root-chain block of the piggyback.
    pub root_block: u64,
}

/// A canonicity challenge of an in-flight exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicityChallenge {
    /// Owner of the canonicity share if the exit ends non-canonical.
    pub challenger: Address,
    /// Hash of the competing transaction.
    pub competing_tx_hash: B256,
    /// Its position, `u64::MAX` when not shown included.
    pub competitor_pos: u64,
    /// Root-chain block of the challenge.
    pub root_block: u64,
}

/// A stored in-flight exit, folded from its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlightExit {
    /// keccak256 of the in-flight transaction.
    pub exit_id: B256,
    /// Who started it.
    pub starter: Address,
    /// When processing may pay it.
    pub exitable_at: u64,
    /// Its priority position.
    pub youngest_pos: u64,
    /// Root-chain block of the start.
    pub started_root_block: u64,
    /// Root-chain time of the start (the first phase lasts half an exit period from it),
    /// once resolved.
    pub started_at: Option<u64>,
    /// The in-flight transaction's bytes, once resolved from the start's calldata.
    pub tx: Option<Bytes>,
    /// Its inputs' signatures, when the start's calldata was a direct call.
    pub signatures: Vec<Bytes>,
    /// Inputs, by index.
    pub inputs: Vec<InFlightInput>,
    /// Piggybacks, in the order they were made.
    pub piggybacks: Vec<Piggyback>,
    /// Canonicity challenges, in order.
    pub challenges: Vec<CanonicityChallenge>,
    /// The latest response: responder and the in-flight transaction's position.
    pub response: Option<(Address, u64)>,
    /// Canonical in the challenge game as it stands.
    pub canonical: bool,
    /// The canonicity processing decided, once decided.
    pub decided_canonical: Option<bool>,
    /// Who got the canonicity share, once finalized.
    pub finalized_bond_owner: Option<Address>,
    /// Status.
    pub status: InFlightStatus,
}

impl InFlightExit {
    /// The piggyback on this input or output, if any.
    pub fn piggyback(&self, is_output: bool, index: u8) -> Option<&Piggyback> {
        self.piggybacks
            .iter()
            .find(|p| p.is_output == is_output && p.index == index)
    }

    /// End of the first phase (piggybacks and canonicity challenges), once resolved.
    pub fn first_phase_end(&self, min_exit_period: u64) -> Option<u64> {
        self.started_at.map(|t| t + min_exit_period / 2)
    }
}

/// Reads and writes of in-flight exits (the root-chain events reach them through
/// [`super::SyncStore::apply_root_batch`]).
pub trait InFlightStore {
    /// One in-flight exit.
    fn inflight_exit(
        &self,
        exit_id: B256,
    ) -> impl Future<Output = Result<Option<InFlightExit>, StoreError>> + Send;

    /// In-flight exits, optionally of one status, in start order.
    fn inflight_exits(
        &self,
        status: Option<InFlightStatus>,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = Result<Vec<InFlightExit>, StoreError>> + Send;

    /// Ids and start blocks of exits whose transaction bytes or start time are unknown.
    fn unresolved_inflight_exits(
        &self,
    ) -> impl Future<Output = Result<Vec<(B256, u64)>, StoreError>> + Send;

    /// Records the in-flight transaction's bytes and signatures (when found) and the
    /// start's time.
    fn resolve_inflight_exit(
        &self,
        exit_id: B256,
        tx: Option<(Bytes, Vec<Bytes>)>,
        started_at: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The transaction this indexer sent for `action` on `index` of an exit, if any.
    fn inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
    ) -> impl Future<Output = Result<Option<B256>, StoreError>> + Send;

    /// Records a transaction this indexer sent, once mined successfully (it is not sent
    /// again; a rollback that removes its effect forgets it).
    fn record_inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
        tx_hash: B256,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ids of in-flight exits having an input at `pos`.
    fn inflight_exits_spending(
        &self,
        pos: u64,
    ) -> impl Future<Output = Result<Vec<B256>, StoreError>> + Send;
}

impl InFlightStore for Store {
    async fn inflight_exit(&self, exit_id: B256) -> Result<Option<InFlightExit>, StoreError> {
        let id = exit_id.as_slice();
        let Some(r) = sqlx::query!(
            "SELECT starter, exitable_at, youngest_pos, started_root_block, tx_bytes, signatures,
                    started_at
             FROM inflight_exits WHERE exit_id = ?1",
            id
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let inputs = sqlx::query!(
            "SELECT idx, pos, input_id FROM inflight_inputs WHERE exit_id = ?1 ORDER BY idx",
            id
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|i| {
            Ok(InFlightInput {
                index: small(i.idx)?,
                pos: unsigned(i.pos)?,
                input_id: hash(&i.input_id)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let mut exit = InFlightExit {
            exit_id,
            starter: address(&r.starter)?,
            exitable_at: unsigned(r.exitable_at)?,
            youngest_pos: unsigned(r.youngest_pos)?,
            started_root_block: unsigned(r.started_root_block)?,
            started_at: r.started_at.map(unsigned).transpose()?,
            tx: r.tx_bytes.map(Bytes::from),
            signatures: r
                .signatures
                .unwrap_or_default()
                .chunks(65)
                .map(Bytes::copy_from_slice)
                .collect(),
            inputs,
            piggybacks: Vec::new(),
            challenges: Vec::new(),
            response: None,
            canonical: true,
            decided_canonical: None,
            finalized_bond_owner: None,
            status: InFlightStatus::Active,
        };
        let log = sqlx::query!(
            r#"SELECT root_block, kind, actor, is_output AS "is_output: bool", idx, token, amount,
                      tx_hash, pos, flag AS "flag: bool"
               FROM inflight_log WHERE exit_id = ?1 ORDER BY id"#,
            id
        )
        .fetch_all(&self.pool)
        .await?;
        for row in log {
            let actor = row.actor.as_deref().map(address).transpose()?;
            let actor = actor.ok_or(StoreError::Corrupt { what: "actor" });
            let (is_output, index) = (row.is_output.unwrap_or_default(), row.idx.unwrap_or(0));
            let root_block = unsigned(row.root_block)?;
            match row.kind.as_str() {
                "piggybacked" => exit.piggybacks.push(Piggyback {
                    is_output,
                    index: small(index)?,
                    owner: actor?,
                    token: address(row.token.as_deref().unwrap_or_default())?,
                    amount: amount(row.amount.as_deref().unwrap_or_default())?,
                    status: PiggybackStatus::Active,
                    blocked_by: None,
                    paid: None,
                    deferred: None,
                    root_block,
                }),
                "challenged" => {
                    exit.canonical = false;
                    exit.challenges.push(CanonicityChallenge {
                        challenger: actor?,
                        competing_tx_hash: hash(row.tx_hash.as_deref().unwrap_or_default())?,
                        competitor_pos: row.pos.map_or(u64::MAX, |p| p as u64),
                        root_block,
                    });
                }
                "responded" => {
                    exit.canonical = true;
                    exit.response = Some((actor?, unsigned(row.pos.unwrap_or_default())?));
                }
                kind @ ("input_blocked" | "output_blocked" | "input_withdrawn"
                | "output_withdrawn") => {
                    let is_output = kind.starts_with("output");
                    let index = small(index)?;
                    let Some(p) = exit
                        .piggybacks
                        .iter_mut()
                        .find(|p| p.is_output == is_output && p.index == index)
                    else {
                        continue;
                    };
                    if kind.ends_with("blocked") {
                        p.status = PiggybackStatus::Blocked;
                        p.blocked_by = Some(actor?);
                    } else {
                        p.status = PiggybackStatus::Withdrawn;
                        p.paid = Some(amount(row.amount.as_deref().unwrap_or_default())?);
                        p.deferred = row.flag;
                    }
                }
                "canonicity_decided" => exit.decided_canonical = row.flag,
                "finalized" => exit.finalized_bond_owner = Some(actor?),
                _ => {
                    return Err(StoreError::Corrupt {
                        what: "in-flight event",
                    });
                }
            }
        }
        exit.status = if exit.finalized_bond_owner.is_some() {
            InFlightStatus::Finalized
        } else if exit.decided_canonical.is_some() {
            InFlightStatus::Processing
        } else if exit.canonical {
            InFlightStatus::Active
        } else {
            InFlightStatus::NonCanonical
        };
        Ok(Some(exit))
    }

    async fn inflight_exits(
        &self,
        status: Option<InFlightStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InFlightExit>, StoreError> {
        let ids = sqlx::query_scalar!(
            r#"SELECT exit_id AS "exit_id!" FROM inflight_exits ORDER BY started_root_block, rowid"#
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        let mut skipped = 0;
        for id in ids {
            let Some(exit) = self.inflight_exit(hash(&id)?).await? else {
                continue;
            };
            if status.is_some_and(|s| s != exit.status) {
                continue;
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
            if out.len() as i64 >= limit {
                break;
            }
            out.push(exit);
        }
        Ok(out)
    }

    async fn unresolved_inflight_exits(&self) -> Result<Vec<(B256, u64)>, StoreError> {
        let rows = sqlx::query!(
            r#"SELECT exit_id AS "exit_id!", started_root_block FROM inflight_exits
             WHERE started_at IS NULL ORDER BY started_root_block"#
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((hash(&r.exit_id)?, unsigned(r.started_root_block)?)))
            .collect()
    }

    async fn resolve_inflight_exit(
        &self,
        exit_id: B256,
        tx: Option<(Bytes, Vec<Bytes>)>,
        started_at: u64,
    ) -> Result<(), StoreError> {
        let (id, at) = (exit_id.as_slice(), signed(started_at));
        let sigs = tx
            .as_ref()
            .filter(|(_, s)| !s.is_empty() && s.iter().all(|s| s.len() == 65))
            .map(|(_, s)| s.concat());
        let tx = tx.as_ref().map(|(t, _)| t.as_ref());
        sqlx::query!(
            "UPDATE inflight_exits SET tx_bytes = ?2, signatures = ?3, started_at = ?4
             WHERE exit_id = ?1",
            id,
            tx,
            sigs,
            at
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
    ) -> Result<Option<B256>, StoreError> {
        let (id, name) = (exit_id.as_slice(), action.as_str());
        let row = sqlx::query_scalar!(
            "SELECT tx_hash FROM inflight_actions WHERE exit_id = ?1 AND action = ?2 AND idx = ?3",
            id,
            name,
            index
        )
        .fetch_optional(&self.pool)
        .await?;
        row.as_deref().map(hash).transpose()
    }

    async fn record_inflight_action(
        &self,
        exit_id: B256,
        action: InFlightAction,
        index: u8,
        tx_hash: B256,
    ) -> Result<(), StoreError> {
        let (id, name, h, now) = (
            exit_id.as_slice(),
            action.as_str(),
            tx_hash.as_slice(),
            now_secs(),
        );
        sqlx::query!(
            "INSERT INTO inflight_actions (exit_id, action, idx, tx_hash, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (exit_id, action, idx) DO UPDATE SET tx_hash = excluded.tx_hash",
            id,
            name,
            index,
            h,
            now
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn inflight_exits_spending(&self, pos: u64) -> Result<Vec<B256>, StoreError> {
        let p = signed(pos);
        let rows = sqlx::query_scalar!(
            "SELECT exit_id FROM inflight_inputs WHERE pos = ?1 ORDER BY exit_id",
            p
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| hash(r)).collect()
    }
}

/// An index (input or output, 0–3) from the database.
fn small(value: i64) -> Result<u8, StoreError> {
    u8::try_from(value).map_err(|_| StoreError::Corrupt { what: "index" })
}

/// One row of `inflight_log`.
#[derive(Default)]
struct LogRow<'a> {
    kind: &'a str,
    actor: Option<Address>,
    is_output: Option<bool>,
    index: Option<u8>,
    token: Option<Address>,
    amount: Option<U256>,
    tx_hash: Option<B256>,
    pos: Option<u64>,
    flag: Option<bool>,
}

/// Stores an in-flight event seen in `root_block`.
pub(crate) async fn apply(
    db: &mut Tx<'_>,
    root_block: i64,
    event: &InFlightEvent,
) -> Result<(), StoreError> {
    let (exit_id, row) = match event {
        InFlightEvent::Started {
            exit_id,
            starter,
            inputs,
            exitable_at,
            youngest_pos,
        } => {
            return start(
                db,
                root_block,
                *exit_id,
                *starter,
                inputs,
                *exitable_at,
                *youngest_pos,
            )
            .await;
        }
        InFlightEvent::Piggybacked {
            exit_id,
            owner,
            is_output,
            index,
            token,
            amount,
        } => (
            exit_id,
            LogRow {
                kind: "piggybacked",
                actor: Some(*owner),
                is_output: Some(*is_output),
                index: Some(*index),
                token: Some(*token),
                amount: Some(*amount),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Challenged {
            exit_id,
            challenger,
            competing_tx_hash,
            competitor_pos,
        } => (
            exit_id,
            LogRow {
                kind: "challenged",
                actor: Some(*challenger),
                tx_hash: Some(*competing_tx_hash),
                pos: (*competitor_pos != u64::MAX).then_some(*competitor_pos),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Responded {
            exit_id,
            responder,
            tx_pos,
        } => (
            exit_id,
            LogRow {
                kind: "responded",
                actor: Some(*responder),
                pos: Some(*tx_pos),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Blocked {
            exit_id,
            challenger,
            is_output,
            index,
        } => (
            exit_id,
            LogRow {
                kind: if *is_output {
                    "output_blocked"
                } else {
                    "input_blocked"
                },
                actor: Some(*challenger),
                is_output: Some(*is_output),
                index: Some(*index),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Withdrawn {
            exit_id,
            owner,
            is_output,
            index,
            token,
            paid,
            deferred,
        } => (
            exit_id,
            LogRow {
                kind: if *is_output {
                    "output_withdrawn"
                } else {
                    "input_withdrawn"
                },
                actor: Some(*owner),
                is_output: Some(*is_output),
                index: Some(*index),
                token: Some(*token),
                amount: Some(*paid),
                flag: Some(*deferred),
                ..LogRow::default()
            },
        ),
        InFlightEvent::CanonicityDecided { exit_id, canonical } => (
            exit_id,
            LogRow {
                kind: "canonicity_decided",
                flag: Some(*canonical),
                ..LogRow::default()
            },
        ),
        InFlightEvent::Finalized {
            exit_id,
            bond_owner,
        } => (
            exit_id,
            LogRow {
                kind: "finalized",
                actor: Some(*bond_owner),
                ..LogRow::default()
            },
        ),
    };
    let id = exit_id.as_slice();
    let actor = row.actor.map(|a| a.to_vec());
    let token = row.token.map(|a| a.to_vec());
    let amount = row.amount.map(|a| a.to_string());
    let tx_hash = row.tx_hash.map(|h| h.to_vec());
    let pos = row.pos.map(signed);
    sqlx::query!(
        "INSERT INTO inflight_log (exit_id, root_block, kind, actor, is_output, idx, token, amount, tx_hash, pos, flag)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        id,
        root_block,
        row.kind,
        actor,
        row.is_output,
        row.index,
        token,
        amount,
        tx_hash,
        pos,
        row.flag
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}

/// Stores an `InFlightExitStarted` with its inputs.
async fn start(
    db: &mut Tx<'_>,
    root_block: i64,
    exit_id: B256,
    starter: Address,
    inputs: &[(u64, B256)],
    exitable_at: u64,
    youngest_pos: u64,
) -> Result<(), StoreError> {
    let (id, starter) = (exit_id.as_slice(), starter.as_slice());
    let (at, youngest) = (signed(exitable_at), signed(youngest_pos));
    sqlx::query!(
        "INSERT INTO inflight_exits (exit_id, starter, exitable_at, youngest_pos, started_root_block)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        id,
        starter,
        at,
        youngest,
        root_block
    )
    .execute(&mut **db)
    .await?;
    for (index, (pos, input_id)) in inputs.iter().enumerate() {
        let (index, pos, input_id) = (signed(index as u64), signed(*pos), input_id.as_slice());
        sqlx::query!(
            "INSERT INTO inflight_inputs (exit_id, idx, pos, input_id) VALUES (?1, ?2, ?3, ?4)",
            id,
            index,
            pos,
            input_id
        )
        .execute(&mut **db)
        .await?;
    }
    Ok(())
}

/// Rollback: deletes exits started and events seen after root-chain block `ancestor`,
/// and forgets the actions whose effect is gone (so they are sent again if still due).
pub(crate) async fn rollback(db: &mut Tx<'_>, ancestor: i64) -> Result<(), StoreError> {
    let a = ancestor;
    sqlx::query!("DELETE FROM inflight_log WHERE root_block > ?1", a)
        .execute(&mut **db)
        .await?;
    sqlx::query!(
        "DELETE FROM inflight_inputs WHERE exit_id IN
             (SELECT exit_id FROM inflight_exits WHERE started_root_block > ?1)",
        a
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "DELETE FROM inflight_exits WHERE started_root_block > ?1",
        a
    )
    .execute(&mut **db)
    .await?;
    sqlx::query!(
        "DELETE FROM inflight_actions WHERE NOT EXISTS (SELECT 1 FROM inflight_log l
             WHERE l.exit_id = inflight_actions.exit_id AND (
                 (inflight_actions.action = 'challenge_canonicity' AND l.kind = 'challenged')
              OR (inflight_actions.action = 'respond' AND l.kind = 'responded')
              OR (inflight_actions.action = 'challenge_input' AND l.kind = 'input_blocked'
                  AND l.idx = inflight_actions.idx)
              OR (inflight_actions.action = 'challenge_output' AND l.kind = 'output_blocked'
                  AND l.idx = inflight_actions.idx)))"
    )
    .execute(&mut **db)
    .await?;
    Ok(())
}
