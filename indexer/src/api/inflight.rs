//! In-flight exits: the exit data of a signed transaction (`StartArgs`), the competitor
//! of a transaction, the proof of its canonicity, and the in-flight exit list.

use super::{AppState, error::ApiError, params, views};
use crate::store::{InFlightInput, InFlightStatus, IndexerStore};
use alloy::primitives::{B256, Bytes};
use axum::{
    Json,
    extract::{Path, Query, State, rejection::JsonRejection, rejection::QueryRejection},
};
use plasma_core::{
    position::UtxoPos,
    sign,
    tx::{Transaction, TxType},
};
use plasma_rpc_types::indexer::{
    CanonicityProof, CompetitorData, InFlightExit, InFlightExitData, InFlightExitPage,
    InFlightExitRequest, Inclusion,
};
use serde::Deserialize;

/// `{"txBytes": …}`: the transaction asked about.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TxRequest {
    tx_bytes: Bytes,
}

fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(b)| b)
        .map_err(|e| ApiError::bad("invalid_body", e.body_text()))
}

/// The canonical PAYMENT in `bytes`, or 400.
fn payment(bytes: &[u8]) -> Result<Transaction, ApiError> {
    let tx = Transaction::decode(bytes)
        .map_err(|e| ApiError::bad("invalid_tx", format!("not a canonical transaction: {e}")))?;
    if tx.tx_type != TxType::Payment {
        return Err(ApiError::bad(
            "not_payment",
            "only PAYMENT transactions exit in flight",
        ));
    }
    Ok(tx)
}

/// Inclusion of the stored transaction at `tx_pos`.
async fn inclusion<S: IndexerStore>(
    state: &AppState<S>,
    tx_pos: u64,
) -> Result<Option<Inclusion>, ApiError> {
    let Some(source) = state.store.exit_source(tx_pos).await? else {
        return Ok(None);
    };
    let pos = UtxoPos(tx_pos);
    let proof = state
        .proofs
        .proof(&state.store, pos.blknum(), pos.txindex())
        .await?;
    Ok(Some(Inclusion {
        tx_pos,
        proof,
        block_timestamp: source.block_timestamp,
    }))
}

/// `POST /v1/inflight-exit-data`.
pub(crate) async fn exit_data<S: IndexerStore>(
    State(state): State<AppState<S>>,
    request: Result<Json<InFlightExitRequest>, JsonRejection>,
) -> Result<Json<InFlightExitData>, ApiError> {
    let request = body(request)?;
    let tx = payment(&request.tx_bytes)?;
    if request.signatures.len() != tx.inputs.len() {
        return Err(ApiError::bad(
            "signature_count",
            format!(
                "{} signatures for {} inputs",
                request.signatures.len(),
                tx.inputs.len()
            ),
        ));
    }
    let exit_id = tx.hash();
    if state.store.inflight_exit(exit_id).await?.is_some() {
        return Err(ApiError::conflict(
            "inflight_exit_exists",
            format!("an in-flight exit of {exit_id:#x} exists"),
        ));
    }
    let domain = sign::domain(state.params.chain_id, state.params.root_chain);
    let signing_hash = sign::signing_hash(&tx, &domain);
    let mut data = InFlightExitData {
        exit_id,
        in_flight_tx: request.tx_bytes.clone(),
        input_txs: Vec::new(),
        input_utxo_pos: Vec::new(),
        input_proofs: Vec::new(),
        input_block_timestamps: Vec::new(),
        input_signatures: request.signatures.clone(),
    };
    for (index, (input, signature)) in tx.inputs.iter().zip(&request.signatures).enumerate() {
        let source = state.store.exit_source(input.0).await?.ok_or_else(|| {
            ApiError::not_found(
                "input_not_found",
                format!(
                    "input {index} ({}) is not an output of a valid block",
                    input.0
                ),
            )
        })?;
        let owner = source.output.output.owner;
        match sign::recover(signing_hash, signature) {
            Ok(signer) if signer == owner => {}
            _ => {
                return Err(ApiError::bad(
                    "bad_signature",
                    format!("signature {index} is not by the input's owner {owner:#x}"),
                ));
            }
        }
        if let Some(spend) = state.store.spend_of(input.0).await?
            && spend.spending_tx_hash != exit_id
        {
            return Err(ApiError::conflict(
                "input_spent",
                format!(
                    "input {index} ({}) is spent by tx {:#x}: the exit would be non-canonical",
                    input.0, spend.spending_tx_hash
                ),
            ));
        }
        let pos = UtxoPos(input.0);
        let proof = state
            .proofs
            .proof(&state.store, pos.blknum(), pos.txindex())
            .await?;
        data.input_txs.push(source.tx_bytes);
        data.input_utxo_pos.push(input.0);
        data.input_proofs.push(proof);
        data.input_block_timestamps.push(source.block_timestamp);
    }
    Ok(Json(data))
}

/// `POST /v1/inflight-exit-competitor`.
pub(crate) async fn competitor_data<S: IndexerStore>(
    State(state): State<AppState<S>>,
    request: Result<Json<TxRequest>, JsonRejection>,
) -> Result<Json<CompetitorData>, ApiError> {
    let request = body(request)?;
    let tx = payment(&request.tx_bytes)?;
    let id = tx.hash();
    let inputs: Vec<InFlightInput> = tx
        .inputs
        .iter()
        .enumerate()
        .map(|(index, pos)| InFlightInput {
            index: u8::try_from(index).unwrap_or(u8::MAX),
            pos: pos.0,
            input_id: B256::ZERO,
        })
        .collect();
    let included = state.store.tx_by_hash(id).await?.is_some();
    let competitor = crate::inflight::competitor(&state.store, id, &inputs, included)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "competitor_not_found",
                "no known transaction spends an input of this one",
            )
        })?;
    let input_pos = competitor.input.pos;
    let input = state.store.exit_source(input_pos).await?.ok_or_else(|| {
        ApiError::not_found("input_not_found", format!("no valid output at {input_pos}"))
    })?;
    let competing_inclusion = match competitor.tx_pos {
        Some(tx_pos) => Some(inclusion(&state, tx_pos).await?.ok_or(ApiError::Internal)?),
        None => None,
    };
    Ok(Json(CompetitorData {
        exit_id: id,
        input_index: competitor.input.index,
        input_utxo_pos: input_pos,
        input_tx: input.tx_bytes,
        competing_tx: competitor.tx,
        competing_tx_hash: competitor.hash,
        competing_input_index: competitor.input_index,
        competing_signature: competitor.signature,
        competing_inclusion,
    }))
}

/// `POST /v1/inflight-exit-canonicity-proof`.
pub(crate) async fn canonicity_proof<S: IndexerStore>(
    State(state): State<AppState<S>>,
    request: Result<Json<TxRequest>, JsonRejection>,
) -> Result<Json<CanonicityProof>, ApiError> {
    let request = body(request)?;
    let tx = payment(&request.tx_bytes)?;
    let id = tx.hash();
    let record = state.store.tx_by_hash(id).await?.ok_or_else(|| {
        ApiError::not_found(
            "tx_not_included",
            format!("{id:#x} is in no valid block this indexer knows"),
        )
    })?;
    let inclusion = inclusion(&state, record.pos.0)
        .await?
        .ok_or(ApiError::Internal)?;
    Ok(Json(CanonicityProof {
        exit_id: id,
        in_flight_tx: request.tx_bytes,
        inclusion,
    }))
}

/// `GET /v1/inflight-exits/{exitId}`.
pub(crate) async fn one<S: IndexerStore>(
    State(state): State<AppState<S>>,
    Path(raw): Path<String>,
) -> Result<Json<InFlightExit>, ApiError> {
    let id: B256 = params::tx_hash(&raw)?;
    let exit = state.store.inflight_exit(id).await?.ok_or_else(|| {
        ApiError::not_found(
            "inflight_exit_not_found",
            format!("no in-flight exit {id:#x}"),
        )
    })?;
    Ok(Json(views::inflight(exit, state.params.min_exit_period)))
}

/// `GET /v1/inflight-exits` query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InFlightQuery {
    status: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// `GET /v1/inflight-exits`.
pub(crate) async fn list<S: IndexerStore>(
    State(state): State<AppState<S>>,
    query: Result<Query<InFlightQuery>, QueryRejection>,
) -> Result<Json<InFlightExitPage>, ApiError> {
    let Query(q) = query.map_err(params::query_error)?;
    let status = q
        .status
        .as_deref()
        .map(|status| {
            InFlightStatus::parse(status).ok_or_else(|| {
                ApiError::bad(
                    "invalid_status",
                    format!(
                        "status must be active, non_canonical, processing or finalized, got '{status}'"
                    ),
                )
            })
        })
        .transpose()?;
    let (limit, offset) = params::Page {
        limit: q.limit,
        offset: q.offset,
    }
    .get()?;
    let exits = state.store.inflight_exits(status, limit, offset).await?;
    let period = state.params.min_exit_period;
    Ok(Json(InFlightExitPage {
        exits: exits
            .into_iter()
            .map(|e| views::inflight(e, period))
            .collect(),
        limit,
        offset,
        now: state.now(),
    }))
}
