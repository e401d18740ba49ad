//! What a user does with the root chain and the operator: deposit, build and sign a
//! payment, start, challenge and process exits. The CLI commands, the devnet smoke run,
//! the cost report and the end-to-end tests all go through these functions.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::DynProvider;
use alloy::rpc::types::TransactionReceipt;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol;
use alloy::sol_types::Eip712Domain;
use eyre::{WrapErr, bail, ensure};
use plasma_core::position::UtxoPos;
use plasma_core::signed::SignedTxWire;
use plasma_core::tx::{Output, Transaction};
use serde::Serialize;

use crate::api::{ExitData, Utxo};
use crate::chain::confirm;

pub use plasma_bindings::{ERC20Mock, RootChain};

/// The RootChain contract bound to a provider.
pub type RootChainContract = RootChain::RootChainInstance<DynProvider>;

sol! {
    /// The ERC-20 calls the CLI makes. `approve` and `transfer` are only ever sent, never
    /// decoded, so tokens that return no bool (USDT) work.
    #[sol(rpc)]
    interface IERC20 {
        function approve(address spender, uint256 amount) external returns (bool);
        function transfer(address to, uint256 amount) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function balanceOf(address owner) external view returns (uint256);
        function decimals() external view returns (uint8);
    }
}

/// Deploys the mock ERC-20 (18 decimals, public mint) and mints `amount` to each of
/// `recipients`. Devnets and tests only.
pub async fn deploy_mock_token(
    provider: &DynProvider,
    recipients: &[Address],
    amount: U256,
) -> eyre::Result<Address> {
    let token = ERC20Mock::deploy(provider.clone(), "Devnet Token".into(), "DEV".into())
        .await
        .wrap_err("deploying the mock ERC-20")?;
    // Send every mint first, then wait: one block for all of them on a timed chain.
    let mut pending = Vec::new();
    for to in recipients {
        pending.push(
            token
                .mint(*to, amount)
                .send()
                .await
                .wrap_err("minting the mock ERC-20")?,
        );
    }
    for p in pending {
        confirm(p, "mint", 1).await?;
    }
    Ok(*token.address())
}

/// A deposit that landed on the root chain.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deposited {
    /// The deposit block.
    pub blknum: u64,
    /// Position of the deposit output.
    pub utxo_pos: u64,
    /// Owner of the output.
    pub owner: Address,
    /// Token (zero for ETH).
    pub token: Address,
    /// Credited amount.
    #[serde(with = "plasma_rpc_types::amount")]
    pub amount: U256,
    /// The deposit block's timestamp (for its exit).
    pub timestamp: u64,
    /// Gas used by the deposit transaction (approval not included).
    pub gas_used: u64,
    /// Wei the depositor paid in transaction fees, approvals included.
    #[serde(with = "plasma_rpc_types::amount")]
    pub fee_paid: U256,
    /// Root-chain transaction hash.
    pub tx_hash: B256,
}

/// What a mined transaction cost its sender in wei (`gasUsed × effectiveGasPrice`).
pub fn fee_paid(receipt: &TransactionReceipt) -> U256 {
    U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price)
}

fn deposited(receipt: &TransactionReceipt, approval_fees: U256) -> eyre::Result<Deposited> {
    let log = receipt
        .decoded_log::<RootChain::DepositCreated>()
        .ok_or_else(|| eyre::eyre!("the deposit receipt has no DepositCreated event"))?;
    let blknum: u64 = log
        .blknum
        .try_into()
        .wrap_err("deposit block number overflows u64")?;
    Ok(Deposited {
        blknum,
        utxo_pos: UtxoPos::new(blknum, 0, 0)?.0,
        owner: log.owner,
        token: log.token,
        amount: log.amount,
        timestamp: log
            .timestamp
            .try_into()
            .wrap_err("deposit timestamp overflows u64")?,
        gas_used: receipt.gas_used,
        fee_paid: fee_paid(receipt) + approval_fees,
        tx_hash: receipt.transaction_hash,
    })
}

/// Deposits `amount` wei for `owner`.
pub async fn deposit_eth(
    root: &RootChainContract,
    owner: Address,
    amount: U256,
) -> eyre::Result<Deposited> {
    // The congestion fee (zero unless the interval is crowded) comes on top of the amount.
    let fee = deposit_fee(root).await?;
    let pending = root
        .depositETH(owner)
        .value(amount + fee)
        .send()
        .await
        .wrap_err("sending depositETH")?;
    deposited(&confirm(pending, "deposit", 1).await?, U256::ZERO)
}

/// The congestion fee of the next deposit (docs/CONTRACTS.md).
async fn deposit_fee(root: &RootChainContract) -> eyre::Result<U256> {
    root.depositFee()
        .call()
        .await
        .wrap_err("reading depositFee")
}

/// Approves (if needed) and deposits `amount` of `token` from `payer` (the account `root`'s
/// provider signs for) for `owner`.
pub async fn deposit_token(
    root: &RootChainContract,
    payer: Address,
    token: Address,
    owner: Address,
    amount: U256,
) -> eyre::Result<Deposited> {
    let erc20 = IERC20::new(token, root.provider().clone());
    let allowance = erc20
        .allowance(payer, *root.address())
        .call()
        .await
        .wrap_err("reading the token allowance")?;
    let mut approval_fees = U256::ZERO;
    if allowance < amount {
        if !allowance.is_zero() {
            // USDT-like tokens refuse to change a non-zero allowance to another non-zero one.
            let pending = erc20.approve(*root.address(), U256::ZERO).send().await?;
            approval_fees += fee_paid(&confirm(pending, "approval reset", 1).await?);
        }
        let pending = erc20
            .approve(*root.address(), amount)
            .send()
            .await
            .wrap_err("sending approve")?;
        approval_fees += fee_paid(&confirm(pending, "approval", 1).await?);
    }
    let fee = deposit_fee(root).await?;
    let pending = root
        .depositToken(owner, token, amount)
        .value(fee)
        .send()
        .await
        .wrap_err("sending depositToken")?;
    deposited(&confirm(pending, "deposit", 1).await?, approval_fees)
}

/// Chooses inputs among `utxos` (largest first, at most 4) and builds a payment of
/// `amount` of `token` from `from` to `to`, with `fee` left unassigned and the change
/// back to `from`.
pub fn plan_payment(
    utxos: &[Utxo],
    from: Address,
    to: Address,
    token: Address,
    amount: U256,
    fee: U256,
) -> eyre::Result<Transaction> {
    let need = amount
        .checked_add(fee)
        .ok_or_else(|| eyre::eyre!("amount + fee overflows"))?;
    let mut mine: Vec<&Utxo> = utxos
        .iter()
        .filter(|u| u.owner == from && u.token == token)
        .collect();
    mine.sort_by(|a, b| b.amount.cmp(&a.amount).then(a.utxo_pos.cmp(&b.utxo_pos)));
    let total: U256 = mine.iter().map(|u| u.amount).sum();
    ensure!(
        total >= need,
        "insufficient child-chain balance of {token}: have {total}, need {need} (amount + fee)"
    );
    let mut inputs = Vec::new();
    let mut sum = U256::ZERO;
    for utxo in mine {
        if sum >= need {
            break;
        }
        if inputs.len() == plasma_core::tx::MAX_IO {
            bail!("{need} needs more than 4 inputs; send to yourself first to merge outputs");
        }
        inputs.push(UtxoPos(utxo.utxo_pos));
        sum += utxo.amount;
    }
    inputs.sort();
    let mut outputs = vec![Output {
        owner: to,
        token,
        amount,
    }];
    let change = sum - need;
    if !change.is_zero() {
        outputs.push(Output {
            owner: from,
            token,
            amount: change,
        });
    }
    Ok(Transaction::payment(inputs, outputs, B256::ZERO)?)
}

/// Signs every input of `tx` with `signer` (the owner of all the spent outputs).
pub fn sign_all(
    tx: &Transaction,
    signer: &PrivateKeySigner,
    domain: &Eip712Domain,
) -> eyre::Result<SignedTxWire> {
    let sig =
        plasma_core::sign::sign(signer, tx, domain).map_err(|e| eyre::eyre!("signing: {e}"))?;
    let signatures = vec![Bytes::copy_from_slice(&sig); tx.inputs.len()];
    Ok(SignedTxWire {
        tx: tx.encode(),
        signatures,
    })
}

impl Deposited {
    /// The exit data of this deposit's output, built locally (a deposit block holds one
    /// transaction, rebuilt exactly as the contract built it).
    pub fn exit_data(&self) -> eyre::Result<ExitData> {
        let tx = plasma_core::deposit::deposit_tx(self.blknum, self.owner, self.token, self.amount);
        exit_data_in_block(self.blknum, self.timestamp, &[tx.encode()], 0, 0)
    }
}

/// The exit data of output `oindex` of transaction `txindex` in a block whose transactions
/// are `txs` (in block order), committed at `timestamp`.
pub fn exit_data_in_block(
    blknum: u64,
    timestamp: u64,
    txs: &[Bytes],
    txindex: usize,
    oindex: u64,
) -> eyre::Result<ExitData> {
    let tree = plasma_core::merkle::MerkleTree::from_txs(txs)
        .map_err(|e| eyre::eyre!("merkle tree: {e}"))?;
    let proof = tree
        .proof(txindex as u64)
        .map_err(|e| eyre::eyre!("merkle proof: {e}"))?;
    Ok(ExitData {
        utxo_pos: UtxoPos::new(blknum, txindex as u64, oindex)?.0,
        tx_bytes: txs[txindex].clone(),
        proof,
        block_timestamp: timestamp,
    })
}

mod exits;
mod inflight;

pub use exits::*;
pub use inflight::*;

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::address;

    const A: Address = address!("00000000000000000000000000000000000000aa");
    const B: Address = address!("00000000000000000000000000000000000000bb");

    fn utxo(pos: u64, owner: Address, amount: u64) -> Utxo {
        Utxo {
            utxo_pos: pos,
            blknum: pos / 1_000_000_000,
            owner,
            token: Address::ZERO,
            amount: U256::from(amount),
            exit_status: None,
        }
    }

    #[test]
    fn payment_takes_largest_inputs_and_returns_change() {
        let utxos = [
            utxo(1_000_000_000, A, 5),
            utxo(2_000_000_000, A, 30),
            utxo(3_000_000_000, B, 100),
        ];
        let tx = plan_payment(&utxos, A, B, Address::ZERO, U256::from(31), U256::from(1)).unwrap();
        assert_eq!(
            tx.inputs,
            vec![UtxoPos(1_000_000_000), UtxoPos(2_000_000_000)]
        );
        assert_eq!(
            tx.outputs[0],
            Output {
                owner: B,
                token: Address::ZERO,
                amount: U256::from(31)
            }
        );
        assert_eq!(
            tx.outputs[1],
            Output {
                owner: A,
                token: Address::ZERO,
                amount: U256::from(3)
            }
        );
    }

    #[test]
    fn exact_payment_has_no_change_and_shortfall_is_an_error() {
        let utxos = [utxo(1_000_000_000, A, 5)];
        let tx = plan_payment(&utxos, A, B, Address::ZERO, U256::from(5), U256::ZERO).unwrap();
        assert_eq!(tx.outputs.len(), 1);
        let err = plan_payment(&utxos, A, B, Address::ZERO, U256::from(6), U256::ZERO).unwrap_err();
        assert!(err.to_string().contains("insufficient"), "{err}");
    }

    #[test]
    fn more_than_four_inputs_asks_to_merge() {
        let utxos: Vec<Utxo> = (1..=5).map(|i| utxo(i * 1_000_000_000, A, 1)).collect();
        let err = plan_payment(&utxos, A, B, Address::ZERO, U256::from(5), U256::ZERO).unwrap_err();
        assert!(err.to_string().contains("more than 4 inputs"), "{err}");
    }
}
