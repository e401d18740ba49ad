//! Signing for chain-free tests: the EIP-712 domain of a made-up deployment, ETH outputs
//! and signed payments in the wire form both services take.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::Eip712Domain;
use plasma_core::position::UtxoPos;
use plasma_core::signed::SignedTxWire;
use plasma_core::tx::{Output, Transaction};

/// Chain id of the chain-free tests' signature domain (anvil's).
pub const TEST_CHAIN_ID: u64 = 31337;

/// The RootChain address of the chain-free tests' signature domain.
pub fn test_root_chain() -> Address {
    Address::repeat_byte(0xcc)
}

/// The signature domain of the chain-free tests.
pub fn test_domain() -> Eip712Domain {
    plasma_core::sign::domain(TEST_CHAIN_ID, test_root_chain())
}

/// An ETH output of `amount` wei to `owner`.
pub fn eth(owner: Address, amount: u64) -> Output {
    Output {
        owner,
        token: Address::ZERO,
        amount: U256::from(amount),
    }
}

/// A payment spending `inputs` into `outputs`, with one signature by each of `signers`
/// in order (normally the owner of each input; fewer or others to test refusals).
pub fn signed_payment(
    domain: &Eip712Domain,
    inputs: &[UtxoPos],
    signers: &[&PrivateKeySigner],
    outputs: Vec<Output>,
) -> SignedTxWire {
    let tx = Transaction::payment(inputs.to_vec(), outputs, B256::ZERO).expect("a valid payment");
    let signatures = signers
        .iter()
        .map(|k| Bytes::copy_from_slice(&plasma_core::sign::sign(k, &tx, domain).expect("signs")))
        .collect();
    SignedTxWire {
        tx: tx.encode(),
        signatures,
    }
}
