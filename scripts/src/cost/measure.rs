//! Measuring: deploys on a fresh anvil and records the whole-transaction `gasUsed` of
//! every root-chain operation (deposits, block submission, exit start, challenge,
//! processing) and of a plain ERC-20 transfer, with the OMG Network's figures beside
//! them where comparable.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::DynProvider;
use alloy::providers::ext::AnvilApi;
use eyre::ensure;
use plasma_client::api::ChallengeData;
use plasma_client::chain::{self, confirm, dev_signer};
use plasma_client::user::{self, ERC20Mock, IERC20, RootChainContract};
use plasma_client::{DeployParams, deploy_root_chain};
use plasma_core::merkle::block_root;
use plasma_core::position::UtxoPos;
use plasma_core::tx::{Output as TxOutput, Transaction};

use super::Measurement;

/// The exit period of the measured deployment: the contracts' floor (`MIN_EXIT_PERIOD_FLOOR`),
/// so exits mature after a short clock jump.
const EXIT_PERIOD: u64 = 10;

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
    let params = DeployParams {
        min_exit_period: EXIT_PERIOD,
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
    // Child-block exits mature 2 periods after their block, and at least 1 after they start.
    provider.anvil_increase_time(3 * EXIT_PERIOD).await?;
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
    let challenge = ChallengeData {
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
