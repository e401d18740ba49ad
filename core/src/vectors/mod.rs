//! The shared test vectors (`vectors/core.json`, schema in docs/SPEC.md "Shared test
//! vectors"). [`generate`] builds them deterministically from fixed keys; the
//! `gen-vectors` binary writes them, the cargo tests regenerate them in memory and fail
//! on drift, and the forge tests read the same file. The valid transactions are in
//! `valid`, the malformed encodings in `invalid`, signatures, Merkle proofs and deposits
//! in `crypto`.

mod crypto;
mod invalid;
mod valid;

pub use invalid::invalid_transactions;
pub use valid::valid_transactions;

use crate::{
    deposit::{deposit_root, deposit_tx},
    merkle::{MerkleError, MerkleTree, leaf_hash, verify, zero_hashes},
    position::UtxoPos,
    sign::{HALF_ORDER, SECP256K1_ORDER as ORDER, domain, recover, sign_hash, signing_hash},
    tx::{DecodeError, Output, Transaction},
};
use alloy::{
    primitives::{Address, B256, Bytes, U256, address, keccak256},
    signers::local::PrivateKeySigner,
    sol_types::Eip712Domain,
};
use serde::{Deserialize, Serialize};

/// Chain id of the vectors' EIP-712 domain (anvil's).
pub const CHAIN_ID: u64 = 31337;
/// Verifying contract of the vectors' domain (the first contract anvil's first account deploys).
pub const VERIFYING_CONTRACT: Address = address!("5FbDB2315678afecb367f032d93F642f64180aa3");
/// Path of the committed file, relative to the workspace root.
pub const RELATIVE_PATH: &str = "vectors/core.json";

/// Valid transactions with their hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidVectors {
    /// Case names.
    pub name: Vec<String>,
    /// Canonical bytes.
    pub tx: Vec<Bytes>,
    /// `keccak256(tx)`.
    pub tx_hash: Vec<B256>,
    /// Merkle leaf `keccak256(0x00 ‖ tx)`.
    pub leaf: Vec<B256>,
    /// EIP-712 signing hash under the vectors' domain.
    pub signing_hash: Vec<B256>,
    /// Type byte.
    pub tx_type: Vec<u8>,
    /// Input count.
    pub num_inputs: Vec<u8>,
    /// Output count.
    pub num_outputs: Vec<u8>,
}

/// Malformed encodings with the rule they break first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidVectors {
    /// Case names.
    pub name: Vec<String>,
    /// The bytes.
    pub tx: Vec<Bytes>,
    /// The SPEC rule name ([`DecodeError::name`]).
    pub error: Vec<String>,
}

/// Signatures over given digests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureVectors {
    /// Case names.
    pub name: Vec<String>,
    /// The digest.
    pub hash: Vec<B256>,
    /// The signature bytes (any length).
    pub signature: Vec<Bytes>,
    /// The recovered signer; address(0) when invalid.
    pub signer: Vec<Address>,
    /// Whether both sides accept it.
    pub valid: Vec<bool>,
}

/// Merkle proofs and their verdicts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerkleVectors {
    /// Case names.
    pub name: Vec<String>,
    /// The leaf hash.
    pub leaf: Vec<B256>,
    /// The claimed index.
    pub index: Vec<u64>,
    /// The root.
    pub root: Vec<B256>,
    /// The proof bytes.
    pub proof: Vec<Bytes>,
    /// `""` when valid, else `Mismatch`, `IndexOutOfRange` or `BadProofLength`.
    pub error: Vec<String>,
}

/// Deposit transactions and roots as the contract builds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositVectors {
    /// Deposit block number.
    pub blknum: Vec<u64>,
    /// Owner.
    pub owner: Vec<Address>,
    /// Token (address(0) = ETH).
    pub token: Vec<Address>,
    /// Credited amount, decimal.
    pub amount: Vec<String>,
    /// The DEPOSIT transaction's bytes.
    pub tx: Vec<Bytes>,
    /// The deposit block's root.
    pub root: Vec<B256>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoreVectors {
    /// EIP-712 chain id.
    pub chain_id: u64,
    /// EIP-712 verifying contract.
    pub verifying_contract: Address,
    /// `Z[0] … Z[16]`.
    pub zero_hashes: Vec<B256>,
    /// Valid transactions.
    pub valid: ValidVectors,
    /// Malformed transactions.
    pub invalid: InvalidVectors,
    /// Signatures.
    pub signatures: SignatureVectors,
    /// Merkle proofs.
    pub merkle: MerkleVectors,
    /// Deposits.
    pub deposits: DepositVectors,
}

impl CoreVectors {
    /// The EIP-712 domain the vectors use.
    pub fn domain(&self) -> Eip712Domain {
        domain(self.chain_id, self.verifying_contract)
    }
}

/// The fixed signing keys (private keys 1, 2, 3: test-only, publicly known).
pub fn keys() -> [PrivateKeySigner; 3] {
    [1u8, 2, 3]
        .map(|k| PrivateKeySigner::from_bytes(&B256::with_last_byte(k)).expect("valid fixed key"))
}

pub(super) fn pos(blknum: u64, txindex: u64, oindex: u64) -> UtxoPos {
    UtxoPos::new(blknum, txindex, oindex).expect("fixed valid position")
}

pub(super) fn out(owner: Address, token: Address, amount: U256) -> Output {
    Output {
        owner,
        token,
        amount,
    }
}

pub(super) fn payment(inputs: Vec<UtxoPos>, outputs: Vec<Output>, metadata: B256) -> Transaction {
    Transaction::payment(inputs, outputs, metadata).expect("fixed valid payment")
}

/// A copy of `bytes` with `edit` applied.
pub(super) fn with(bytes: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = bytes.to_vec();
    edit(&mut b);
    b
}

/// Builds every vector. Deterministic: same output on every run and machine.
pub fn generate() -> CoreVectors {
    let domain = domain(CHAIN_ID, VERIFYING_CONTRACT);
    let valid = valid::valid_vectors(&domain);
    CoreVectors {
        chain_id: CHAIN_ID,
        verifying_contract: VERIFYING_CONTRACT,
        zero_hashes: zero_hashes().to_vec(),
        invalid: invalid::invalid_vectors(),
        signatures: crypto::signature_vectors(&valid),
        merkle: crypto::merkle_vectors(&valid),
        deposits: crypto::deposit_vectors(),
        valid,
    }
}

/// The file's text: pretty JSON with a final newline.
pub fn render(vectors: &CoreVectors) -> String {
    let mut text = serde_json::to_string_pretty(vectors).expect("vectors serialize");
    text.push('\n');
    text
}

/// `<workspace>/vectors/core.json`.
pub fn default_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(RELATIVE_PATH)
}

/// Generates the vectors and writes them to `path`, creating its folder.
pub fn write(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, render(&generate()))
}
