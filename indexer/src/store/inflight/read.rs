//! The SQLite implementation of [`InFlightStore`]: each exit's state folded from its
//! rows, the lists, the resolver's completion and the watchtower's record of actions.

use super::{
    CanonicityChallenge, InFlightAction, InFlightExit, InFlightInput, InFlightStatus,
    InFlightStore, Piggyback, PiggybackStatus,
};
use crate::store::{Store, StoreError, address, amount, hash, now_secs, signed, unsigned};
use alloy::primitives::{B256, Bytes};

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
            let actor = actor.ok_or(StoreError::corrupt("actor"));
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
                    return Err(StoreError::corrupt("in-flight event"));
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
    u8::try_from(value).map_err(|_| StoreError::corrupt("index"))
}
