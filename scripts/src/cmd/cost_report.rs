//! `plasma cost-report`: measures on a fresh anvil the whole-transaction `gasUsed` of every
//! root-chain operation (deposits, block submission, exit start, challenge, processing)
//! and of a plain ERC-20 transfer, derives the root-chain gas per child-chain transaction
//! of a full block, and recomputes the seed document's case study beside those figures.

use std::time::Duration;

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::DynProvider;
use alloy::providers::ext::AnvilApi;
use eyre::ensure;
use plasma_core::merkle::{MAX_LEAVES, block_root};
use plasma_core::position::UtxoPos;
use plasma_core::tx::{Output as TxOutput, Transaction};
use serde::Serialize;

use crate::Output;
use crate::case_study::{self, Check, Inputs};
use crate::chain::{self, confirm, dev_signer};
use crate::cmd::deploy::{ParamArgs, deploy_root_chain};
use crate::procs::{self, Service};
use crate::user::{self, ERC20Mock, IERC20, RootChainContract};

/// Arguments of `plasma cost-report`.
#[derive(Debug, Clone, clap::Args)]
pub struct CostReportArgs {
    /// Gas price for the dollar figures, in gwei (an assumption, printed with the report).
    #[arg(long, default_value_t = 10.0)]
    pub gas_price_gwei: f64,
    /// ETH price in dollars for the dollar figures (an assumption, printed with the report).
    #[arg(long, default_value_t = 3_000.0)]
    pub eth_usd: f64,
    /// Layer-1 transfers a year the case study's $120M volume takes (weekly rebalancing of
    /// ten positions: 520).
    #[arg(long, default_value_t = 520)]
    pub transfers_per_year: u64,
}

/// One measured operation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    /// The operation.
    pub operation: &'static str,
    /// The conditions it was measured in.
    pub conditions: &'static str,
    /// Whole-transaction gasUsed (21,000 base and calldata included).
    pub gas_used: u64,
    /// OMG Network plasma_framework 2.0.0 on the same anvil, where comparable.
    pub omg: Option<u64>,
}

/// The measured side of the case study.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// Gas price assumed (gwei).
    pub gas_price_gwei: f64,
    /// ETH price assumed ($).
    pub eth_usd: f64,
    /// Dollar cost of one plain ERC-20 transfer on the root chain.
    pub l1_transfer_usd: f64,
    /// Root-chain gas per child-chain transaction in a full block (submitBlock / 65,536).
    pub plasma_gas_per_tx: f64,
    /// Dollar cost of that share.
    pub plasma_usd_per_tx: f64,
    /// Transfers a year assumed.
    pub transfers_per_year: u64,
    /// Yearly layer-1 gas cost of those transfers ($).
    pub l1_yearly_usd: f64,
    /// The same in basis points of the $120M volume.
    pub l1_yearly_bp: f64,
    /// Yearly Plasma root-chain cost: one ERC-20 deposit, one exit start, one processing
    /// (a tenth of a batch of 10) and the transfers' block share ($).
    pub plasma_yearly_usd: f64,
    /// The same in basis points of the $120M volume.
    pub plasma_yearly_bp: f64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Every measurement.
    pub measurements: Vec<Measurement>,
    /// The measured case study.
    pub measured: Measured,
    /// The document's case-study figures checked against its own inputs.
    pub document_checks: Vec<Check>,
}

impl CostReportArgs {
    /// Runs the command.
    pub async fn run(self, out: &Output) -> eyre::Result<()> {
        let dir = std::env::temp_dir().join(format!("plasma-cost-report-{}", std::process::id()));
        let port = procs::free_port()?;
        let anvil = procs::spawn_anvil(port, &[], &dir.join("anvil.log")).await?;
        let result = measure(&format!("http://127.0.0.1:{port}")).await;
        stop_quietly(anvil).await;
        let measurements = result?;
        let report = Report {
            measured: self.measured(&measurements)?,
            measurements,
            document_checks: case_study::checks(&Inputs::DOCUMENT),
        };
        out.emit(&report, render)
    }

    fn measured(&self, m: &[Measurement]) -> eyre::Result<Measured> {
        let gas = |op: &str, cond: &str| {
            m.iter()
                .find(|x| x.operation == op && x.conditions.starts_with(cond))
                .map(|x| x.gas_used as f64)
                .ok_or_else(|| eyre::eyre!("missing measurement {op} ({cond})"))
        };
        let usd = |gas: f64| gas * self.gas_price_gwei * 1e-9 * self.eth_usd;
        let transfer = gas("ERC-20 transfer", "to an existing holder")?;
        let plasma_gas_per_tx = gas("submitBlock", "back-to-back")? / MAX_LEAVES as f64;
        let fixed = gas("ERC-20 deposit", "second")?
            + gas("start standard exit", "ETH child-block output, empty queue")?
            + gas("process exits", "batch of 10")? / 10.0;
        let volume = Inputs::DOCUMENT.annual_volume;
        let n = self.transfers_per_year as f64;
        let l1_yearly_usd = usd(transfer * n);
        let plasma_yearly_usd = usd(fixed + plasma_gas_per_tx * n);
        Ok(Measured {
            gas_price_gwei: self.gas_price_gwei,
            eth_usd: self.eth_usd,
            l1_transfer_usd: usd(transfer),
            plasma_gas_per_tx,
            plasma_usd_per_tx: usd(plasma_gas_per_tx),
            transfers_per_year: self.transfers_per_year,
            l1_yearly_usd,
            l1_yearly_bp: l1_yearly_usd / volume * 10_000.0,
            plasma_yearly_usd,
            plasma_yearly_bp: plasma_yearly_usd / volume * 10_000.0,
        })
    }
}

async fn stop_quietly(anvil: Service) {
    if let Err(e) = anvil.stop(Duration::from_secs(5)).await {
        tracing::warn!("stopping anvil: {e}");
    }
}

struct Parties {
    alice_address: Address,
    bob_address: Address,
    carol_address: Address,
    operator: RootChainContract,
    alice: RootChainContract,
    bob: RootChainContract,
    carol: RootChainContract,
    domain: alloy::sol_types::Eip712Domain,
}

fn m(
    operation: &'static str,
    conditions: &'static str,
    gas_used: u64,
    omg: Option<u64>,
) -> Measurement {
    tracing::info!(operation, conditions, gas_used, "measured");
    Measurement {
        operation,
        conditions,
        gas_used,
        omg,
    }
}

/// Deploys on the anvil at `rpc_url` and measures every operation.
pub async fn measure(rpc_url: &str) -> eyre::Result<Vec<Measurement>> {
    let op_signer = dev_signer(0);
    let op = chain::wallet_provider(rpc_url, op_signer.clone())?;
    let params = ParamArgs {
        min_exit_period: 1,
        bond_gas_price: U256::from(500_000_000_000u64),
    };
    let deployment = deploy_root_chain(&op, op_signer.address(), &params, 1).await?;
    let at = |p: DynProvider| RootChainContract::new(deployment.root_chain, p);
    let parties = Parties {
        alice_address: dev_signer(2).address(),
        bob_address: dev_signer(3).address(),
        carol_address: dev_signer(4).address(),
        operator: at(op.clone()),
        alice: at(chain::wallet_provider(rpc_url, dev_signer(2))?),
        bob: at(chain::wallet_provider(rpc_url, dev_signer(3))?),
        carol: at(chain::wallet_provider(rpc_url, dev_signer(4))?),
        domain: plasma_core::sign::domain(deployment.chain_id, deployment.root_chain),
    };
    let mut out = Vec::new();
    measure_deposits(&parties, &mut out).await?;
    measure_exits(&parties, &mut out).await?;
    Ok(out)
}

async fn measure_deposits(p: &Parties, out: &mut Vec<Measurement>) -> eyre::Result<()> {
    let alice = p.alice_address;
    let one = U256::from(10).pow(U256::from(18));
    let d1 = user::deposit_eth(&p.alice, alice, one).await?;
    out.push(m("ETH deposit", "first deposit ever", d1.gas_used, None));
    let d2 = user::deposit_eth(&p.alice, alice, one).await?;
    out.push(m(
        "ETH deposit",
        "later deposit (1-output deposit tx)",
        d2.gas_used,
        Some(166_258),
    ));

    let token =
        user::deploy_mock_token(p.alice.provider(), &[alice], one * U256::from(1_000)).await?;
    let t1 = user::deposit_token(&p.alice, alice, token, alice, one).await?;
    out.push(m(
        "ERC-20 deposit",
        "first deposit of the token (approve not counted)",
        t1.gas_used,
        None,
    ));
    let t2 = user::deposit_token(&p.alice, alice, token, alice, one).await?;
    out.push(m(
        "ERC-20 deposit",
        "second deposit of the token (approve not counted)",
        t2.gas_used,
        Some(187_412),
    ));

    let erc20 = IERC20::new(token, p.alice.provider().clone());
    let fresh = Address::repeat_byte(0x5a);
    let r = confirm(erc20.transfer(fresh, one).send().await?, "transfer", 1).await?;
    out.push(m(
        "ERC-20 transfer",
        "to a new holder (OpenZeppelin ERC20)",
        r.gas_used,
        None,
    ));
    let r = confirm(erc20.transfer(fresh, one).send().await?, "transfer", 1).await?;
    out.push(m(
        "ERC-20 transfer",
        "to an existing holder (OpenZeppelin ERC20)",
        r.gas_used,
        None,
    ));
    ensure!(
        ERC20Mock::new(token, p.alice.provider().clone())
            .balanceOf(fresh)
            .call()
            .await?
            == one * U256::from(2)
    );

    let b1 = user::submit_block(&p.operator, B256::repeat_byte(1)).await?;
    out.push(m(
        "submitBlock",
        "after a deposit",
        b1.gas_used,
        Some(81_978),
    ));
    let b2 = user::submit_block(&p.operator, B256::repeat_byte(2)).await?;
    out.push(m("submitBlock", "back-to-back", b2.gas_used, Some(79_178)));
    Ok(())
}

/// A 1-input / 2-output payment of `deposit` (0.6 to `to`, the rest back to its owner).
fn split(deposit: &user::Deposited, to: Address) -> eyre::Result<Transaction> {
    let first = deposit.amount * U256::from(6) / U256::from(10);
    let outputs = vec![
        TxOutput {
            owner: to,
            token: deposit.token,
            amount: first,
        },
        TxOutput {
            owner: deposit.owner,
            token: deposit.token,
            amount: deposit.amount - first,
        },
    ];
    Ok(Transaction::payment(
        vec![UtxoPos(deposit.utxo_pos)],
        outputs,
        B256::ZERO,
    )?)
}

async fn measure_exits(p: &Parties, out: &mut Vec<Measurement>) -> eyre::Result<()> {
    let alice = p.alice_address;
    let bob = p.bob_address;
    let amount = U256::from(10).pow(U256::from(17));
    // Ten deposits by Alice, each split 1-in/2-out to Bob in one child block.
    let mut txs: Vec<Bytes> = Vec::new();
    for _ in 0..10 {
        let deposit = user::deposit_eth(&p.alice, alice, amount).await?;
        txs.push(split(&deposit, bob)?.encode());
    }
    let root = block_root(&txs).map_err(|e| eyre::eyre!("block root: {e}"))?;
    let block = user::submit_block(&p.operator, root).await?;
    for (i, _) in txs.iter().enumerate() {
        let data = user::exit_data_in_block(block.blknum, block.timestamp, &txs, i, 0)?;
        let exit = user::start_exit(&p.bob, &data).await?;
        match i {
            0 => out.push(m(
                "start standard exit",
                "ETH child-block output, empty queue",
                exit.gas_used,
                Some(429_707),
            )),
            9 => out.push(m(
                "start standard exit",
                "ETH child-block output, queue of 9",
                exit.gas_used,
                Some(390_804),
            )),
            _ => {}
        }
    }
    let provider = p.operator.provider();
    provider.anvil_increase_time(10).await?;
    provider.anvil_mine(Some(1), None).await?;
    let processed = user::process_exits(&p.carol, Address::ZERO, 10).await?;
    ensure!(
        processed.exits.len() == 10,
        "expected 10 processed exits, got {}",
        processed.exits.len()
    );
    out.push(m(
        "process exits",
        "batch of 10 ETH exits (per exit: / 10)",
        processed.gas_used,
        Some(988_102),
    ));

    // Alice's change output of the first split exits, then a signed spend of it challenges.
    let data = user::exit_data_in_block(block.blknum, block.timestamp, &txs, 0, 1)?;
    user::start_exit(&p.alice, &data).await?;
    let change = Transaction::decode(&txs[0])?.outputs[1];
    let spend = Transaction::payment(
        vec![UtxoPos(data.utxo_pos)],
        vec![
            TxOutput {
                owner: bob,
                token: change.token,
                amount: change.amount - U256::from(1),
            },
            TxOutput {
                owner: alice,
                token: change.token,
                amount: U256::from(1),
            },
        ],
        B256::ZERO,
    )?;
    let signed = user::sign_all(&spend, &dev_signer(2), &p.domain)?;
    let challenge = crate::api::ChallengeData {
        utxo_pos: data.utxo_pos,
        spending_tx: signed.tx,
        input_index: 0,
        signature: signed.signatures[0].clone(),
    };
    let gas = user::challenge_exit(&p.carol, &challenge, p.carol_address).await?;
    out.push(m(
        "challenge standard exit",
        "spend is a 1-in/2-out tx",
        gas,
        Some(260_607),
    ));
    Ok(())
}

fn render(r: &Report) -> String {
    let mut s = String::from(
        "| operation | conditions | gasUsed | OMG plasma_framework |\n|---|---|---:|---:|\n",
    );
    for x in &r.measurements {
        let omg = x.omg.map(thousands).unwrap_or_else(|| "–".into());
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            x.operation,
            x.conditions,
            thousands(x.gas_used),
            omg
        ));
    }
    let c = &r.measured;
    s.push_str(&format!(
        "\nRoot-chain gas per child-chain transaction in a full block (65,536 txs): {:.2} gas \
         (${:.6} at {} gwei and ${}/ETH)\nOne plain ERC-20 transfer on the root chain: ${:.4}\n",
        c.plasma_gas_per_tx, c.plasma_usd_per_tx, c.gas_price_gwei, c.eth_usd, c.l1_transfer_usd
    ));
    s.push_str(&format!(
        "\nCase study, measured ({} transfers a year for the $120M volume):\n\
         | | document | measured gas at the assumptions above |\n|---|---:|---:|\n\
         | layer-1 yearly cost | $540,000 (45 bp) | ${:.2} ({:.5} bp) |\n\
         | Plasma yearly cost | $1,800 (0.15 bp) | ${:.2} ({:.5} bp) |\n",
        c.transfers_per_year,
        c.l1_yearly_usd,
        c.l1_yearly_bp,
        c.plasma_yearly_usd,
        c.plasma_yearly_bp
    ));
    s.push_str("\nThe document's figures against its own inputs:\n| claim | document | recomputed | holds | note |\n|---|---:|---:|---|---|\n");
    for k in &r.document_checks {
        s.push_str(&format!(
            "| {} | {} | {:.2} | {} | {} |\n",
            k.claim,
            k.document,
            k.recomputed,
            if k.holds { "yes" } else { "NO" },
            k.note
        ));
    }
    s
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
