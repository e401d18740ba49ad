//! `plasma send`: builds a payment from the sender's unspent outputs (listed by the
//! indexer), signs it (EIP-712) and submits it to the operator.

use std::time::{Duration, Instant};

use alloy::primitives::{Address, B256, U256};
use eyre::WrapErr;
use serde::Serialize;

use super::{ConnArgs, Ctx, KeyArgs};
use crate::Output;
use crate::api::Utxo;
use crate::chain::parse_amount;
use crate::user::{self, IERC20};

/// Arguments of `plasma send`.
#[derive(Debug, Clone, clap::Args)]
pub struct SendArgs {
    #[command(flatten)]
    /// Connection.
    pub conn: ConnArgs,
    #[command(flatten)]
    /// Sender's key.
    pub key: KeyArgs,
    /// Recipient.
    #[arg(long)]
    pub to: Address,
    /// Amount in whole units of the token.
    #[arg(long)]
    pub amount: String,
    /// ERC-20 token; ETH when omitted.
    #[arg(long)]
    pub token: Option<Address>,
    /// Fee in whole units of the same token, left to the operator.
    #[arg(long, default_value = "0")]
    pub fee: String,
    /// Wait (up to this many seconds) until the indexer lists the recipient's new output.
    #[arg(long)]
    pub wait: Option<u64>,
}

/// The result of `plasma send`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    /// Hash of the transaction bytes.
    pub tx_hash: B256,
    /// Inputs spent.
    pub inputs: Vec<u64>,
    /// Whether the recipient's output was seen in a block (only with `--wait`).
    pub included: Option<bool>,
}

impl SendArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let ctx = self.conn.connect(Some(self.key.signer()?)).await?;
        let token = self.token.unwrap_or(Address::ZERO);
        let decimals = token_decimals(&ctx, token).await?;
        let amount = parse_amount(&self.amount, decimals)?;
        let fee = if self.fee.trim() == "0" {
            U256::ZERO
        } else {
            parse_amount(&self.fee, decimals)?
        };
        let before = ctx
            .indexer
            .utxos(self.to)
            .await
            .wrap_err("listing the recipient's outputs")?;
        let sent = send_payment(&ctx, self.to, token, amount, fee).await?;
        let included = match self.wait {
            Some(secs) => {
                Some(wait_for_new_output(&ctx, self.to, &before, Duration::from_secs(secs)).await?)
            }
            None => None,
        };
        let sent = Sent { included, ..sent };
        out.emit(&sent, |s| {
            let mut text = format!("submitted {:#x} spending {:?}", s.tx_hash, s.inputs);
            if let Some(included) = s.included {
                text.push_str(if included {
                    "\nincluded in a block"
                } else {
                    "\nnot seen in a block yet"
                });
            }
            text
        })
    }
}

/// How long `unknown_input` answers are retried.
const UNKNOWN_INPUT_GRACE: Duration = Duration::from_secs(15);

/// Decimals of `token` on the root chain (18 for ETH).
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

/// Plans, signs and submits a payment from the context's key.
pub async fn send_payment(
    ctx: &Ctx,
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
    // The indexer and the operator follow the root chain independently: a fresh deposit the
    // indexer lists may not have reached the operator yet, so `unknown_input` is retried
    // for a few seconds before it counts.
    let start = Instant::now();
    let submitted = loop {
        match ctx.operator.submit(&wire).await {
            Err(e)
                if e.code() == Some("unknown_input") && start.elapsed() < UNKNOWN_INPUT_GRACE =>
            {
                tracing::debug!("operator does not know an input yet; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => break other.wrap_err("the operator refused the payment")?,
        }
    };
    Ok(Sent {
        tx_hash: submitted.tx_hash,
        inputs: tx.inputs.iter().map(|p| p.0).collect(),
        included: None,
    })
}

/// Polls the indexer until `owner` has an output that was not in `before`.
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
