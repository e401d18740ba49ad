//! What a user does through a [`Ctx`], in the terms a command line takes: deposit an
//! amount in whole units, pay from the outputs the indexer lists, exit outputs with the
//! proofs it serves, challenge with the spend it knows.

use std::time::{Duration, Instant};

use alloy::primitives::{Address, B256, U256};
use eyre::{WrapErr, bail};
use serde::Serialize;

use plasma_core::signed::SignedTxWire;

use crate::api::{ClientError, Submitted, Utxo};
use crate::chain::parse_amount;
use crate::ctx::Ctx;
use crate::journal::{EntryState, Journal};
use crate::user::{self, Deposited, ExitStarted, IERC20};

/// A payment the operator accepted.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    /// Hash of the transaction bytes.
    pub tx_hash: B256,
    /// Inputs spent.
    pub inputs: Vec<u64>,
    /// Its journal entry, when the wallet journals.
    pub journal_id: Option<u64>,
    /// Whether the recipient's output was seen in a block (only when waited for).
    pub included: Option<bool>,
}

/// How long `unknown_input` answers are retried.
const UNKNOWN_INPUT_GRACE: Duration = Duration::from_secs(15);

/// Decimals of `token` on the root chain (18 for ETH, the zero address).
pub async fn token_decimals(ctx: &Ctx, token: Address) -> eyre::Result<u8> {
    if token.is_zero() {
        return Ok(18);
    }
    IERC20::new(token, ctx.provider.clone())
        .decimals()
        .call()
        .await
        .wrap_err_with(|| format!("{token} does not answer decimals(): is it an ERC-20?"))
}

/// Parses `amount` in whole units of `token` (`1.5` ETH, `100` USDC).
pub async fn amount_of(ctx: &Ctx, token: Address, amount: &str) -> eyre::Result<U256> {
    parse_amount(amount, token_decimals(ctx, token).await?)
}

/// Deposits `amount` (whole units) of `token` (ETH when zero) from the context's key for
/// `owner`, approving the token first when needed.
pub async fn deposit(
    ctx: &Ctx,
    token: Address,
    owner: Address,
    amount: &str,
) -> eyre::Result<Deposited> {
    let amount = amount_of(ctx, token, amount).await?;
    if token.is_zero() {
        user::deposit_eth(&ctx.root, owner, amount).await
    } else {
        user::deposit_token(&ctx.root, ctx.me()?, token, owner, amount).await
    }
}

/// Plans, signs and submits a payment from the context's key. With a `journal`, the
/// signed transaction is recorded there (fsynced) before it is submitted, and its fate
/// after: acknowledged, refused, or left `signed` when the operator cannot be reached —
/// in every case its in-flight exit stays possible (`plasma exit --in-flight <id>`).
pub async fn send_payment(
    ctx: &Ctx,
    journal: Option<&Journal>,
    to: Address,
    token: Address,
    amount: U256,
    fee: U256,
) -> eyre::Result<Sent> {
    let me = ctx.me()?;
    let utxos = ctx
        .indexer
        .utxos(me)
        .await
        .wrap_err("listing your outputs at the indexer")?;
    let tx = user::plan_payment(&utxos, me, to, token, amount, fee)?;
    let wire = user::sign_all(&tx, ctx.signer()?, &ctx.domain())?;
    let entry = journal
        .map(|j| j.record_signed(me, &wire))
        .transpose()
        .wrap_err("recording the signed payment in the journal (nothing was submitted)")?;
    let submitted = submit(ctx, &wire).await;
    let (Some(journal), Some(entry)) = (journal, &entry) else {
        let submitted = submitted.wrap_err("the operator refused the payment")?;
        return Ok(Sent {
            tx_hash: submitted.tx_hash,
            inputs: tx.inputs.iter().map(|p| p.0).collect(),
            journal_id: None,
            included: None,
        });
    };
    let state = match &submitted {
        Ok(_) => EntryState::Acknowledged,
        Err(ClientError::Status { code, message, .. }) => EntryState::Refused {
            code: code.clone(),
            message: message.clone(),
        },
        Err(_) => EntryState::Signed,
    };
    journal.set_state(entry.id, state)?;
    let submitted = submitted.wrap_err_with(|| {
        format!(
            "the operator did not take the payment; it is journal entry {} ({:#x}): \
             `plasma exit --in-flight {}` exits it if the operator holds it back",
            entry.id, entry.tx_hash, entry.id
        )
    })?;
    Ok(Sent {
        tx_hash: submitted.tx_hash,
        inputs: tx.inputs.iter().map(|p| p.0).collect(),
        journal_id: Some(entry.id),
        included: None,
    })
}

/// Submits a signed transaction. The indexer and the operator follow the root chain
/// independently: a fresh deposit the indexer lists may not have reached the operator
/// yet, so `unknown_input` is retried for a few seconds before it counts.
pub async fn submit(ctx: &Ctx, wire: &SignedTxWire) -> Result<Submitted, ClientError> {
    let start = Instant::now();
    loop {
        match ctx.operator.submit(wire).await {
            Err(e)
                if e.code() == Some("unknown_input") && start.elapsed() < UNKNOWN_INPUT_GRACE =>
            {
                tracing::debug!("operator does not know an input yet; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => return other,
        }
    }
}

/// Polls the indexer until `owner` has an output that was not in `before`; false when
/// `timeout` passes first.
pub async fn wait_for_new_output(
    ctx: &Ctx,
    owner: Address,
    before: &[Utxo],
    timeout: Duration,
) -> eyre::Result<bool> {
    let start = Instant::now();
    loop {
        let now = ctx.indexer.utxos(owner).await?;
        if now.iter().any(|u| !before.contains(u)) {
            return Ok(true);
        }
        if start.elapsed() > timeout {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Positions of the key's unspent outputs that are not exiting, as the indexer lists them.
pub async fn exitable_positions(ctx: &Ctx) -> eyre::Result<Vec<u64>> {
    let utxos = ctx
        .indexer
        .utxos(ctx.me()?)
        .await
        .wrap_err("listing outputs")?;
    Ok(utxos
        .iter()
        .filter(|u| u.exit_status.is_none())
        .map(|u| u.utxo_pos)
        .collect())
}

/// Starts the standard exits of `positions` with the proofs the indexer serves.
pub async fn start_exits(ctx: &Ctx, positions: &[u64]) -> eyre::Result<Vec<ExitStarted>> {
    if positions.is_empty() {
        bail!(
            "nothing to exit: the indexer lists no unspent outputs for {:#x}",
            ctx.me()?
        );
    }
    let mut started = Vec::new();
    for &pos in positions {
        let data = ctx
            .indexer
            .exit_data(pos)
            .await
            .wrap_err_with(|| format!("exit data for {pos}"))?;
        let exit = user::start_exit(&ctx.root, &data).await?;
        tracing::info!(
            utxo_pos = pos,
            exitable_at = exit.exitable_at,
            "exit started"
        );
        started.push(exit);
    }
    Ok(started)
}

/// Challenges the exit of `utxo_pos` with the spend the indexer knows, the bond's share
/// going to `challenger`. Returns the gas used.
pub async fn challenge(ctx: &Ctx, utxo_pos: u64, challenger: Address) -> eyre::Result<u64> {
    let data = ctx
        .indexer
        .challenge_data(utxo_pos)
        .await
        .wrap_err("challenge data from the indexer")?;
    user::challenge_exit(&ctx.root, &data, challenger).await
}
