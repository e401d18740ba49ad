//! EIP-712 signing hashes, signing and signature recovery (docs/SPEC.md "Signatures").
//!
//! Domain `("Plasma", "1", chainId, rootChain)`; struct
//! `Transaction(uint8 txType,uint64[] inputs,Output[] outputs,bytes32 metadata)` with
//! `Output(address owner,address token,uint256 amount)`. Recovery runs on libsecp256k1
//! (alloy's `secp256k1` feature) and rejects what the contracts reject: a length other
//! than 65, `v ∉ {27, 28}`, `s > n/2`, an unrecoverable signature and the zero address.

use crate::tx::Transaction;
use alloy::{
    primitives::{Address, B256, Signature, U256, keccak256},
    signers::{SignerSync, local::PrivateKeySigner},
    sol_types::{Eip712Domain, SolStruct},
};
use std::{borrow::Cow, sync::LazyLock};

/// Bytes of a signature `r ‖ s ‖ v`.
pub const SIGNATURE_LEN: usize = 65;
/// The EIP-712 domain name.
pub const DOMAIN_NAME: &str = "Plasma";
/// The EIP-712 domain version.
pub const DOMAIN_VERSION: &str = "1";

/// secp256k1's group order `n`.
pub const SECP256K1_ORDER: U256 = U256::from_be_bytes(alloy::primitives::hex!(
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
));
/// secp256k1's group order `n` halved (rounded down): the largest accepted `s`.
pub const HALF_ORDER: U256 = U256::from_be_bytes(alloy::primitives::hex!(
    "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0"
));

mod eip712 {
    //! The EIP-712 struct definitions (kept apart: their names shadow the crate's types).
    #![allow(missing_docs, unreachable_pub)]
    alloy::sol! {
        struct Output {
            address owner;
            address token;
            uint256 amount;
        }
        struct Transaction {
            uint8 txType;
            uint64[] inputs;
            Output[] outputs;
            bytes32 metadata;
        }
    }
}

/// Why a signature is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    /// Not 65 bytes.
    #[error("signature is {len} bytes, not 65")]
    BadLength {
        /// The length.
        len: usize,
    },
    /// `v` is not 27 or 28.
    #[error("signature v = {v} is not 27 or 28")]
    BadV {
        /// The `v` byte.
        v: u8,
    },
    /// `s` is in the upper half of the order (malleable twin).
    #[error("signature s is above n/2")]
    HighS,
    /// No public key recovers from it (r = 0, r not on the curve, s = 0, …).
    #[error("no public key recovers from the signature")]
    Unrecoverable,
    /// Recovery gave address(0).
    #[error("signature recovers to the zero address")]
    ZeroAddress,
    /// The signer failed.
    #[error("signing failed")]
    Signing,
}

/// The EIP-712 domain of a root-chain deployment.
pub fn domain(chain_id: u64, root_chain: Address) -> Eip712Domain {
    Eip712Domain::new(
        Some(Cow::Borrowed(DOMAIN_NAME)),
        Some(Cow::Borrowed(DOMAIN_VERSION)),
        Some(U256::from(chain_id)),
        Some(root_chain),
        None,
    )
}

/// `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(tx))`.
pub fn signing_hash(tx: &Transaction, domain: &Eip712Domain) -> B256 {
    signing_hash_with(tx, domain.separator())
}

/// [`signing_hash`] under a domain separator computed once (`domain.separator()`): what
/// the operator and the indexer use for every transaction they check.
pub fn signing_hash_with(tx: &Transaction, separator: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[..2].copy_from_slice(&[0x19, 0x01]);
    buf[2..34].copy_from_slice(separator.as_slice());
    buf[34..].copy_from_slice(struct_hash(tx).as_slice());
    keccak256(buf)
}

/// `keccak256` of each struct's EIP-712 type string (`Transaction`, `Output`), once.
static TYPE_HASHES: LazyLock<(B256, B256)> = LazyLock::new(|| {
    (
        keccak256(eip712::Transaction::eip712_encode_type().as_bytes()),
        keccak256(eip712::Output::eip712_encode_type().as_bytes()),
    )
});

/// `hashStruct(tx)` alone (without the domain), encoded by hand over the `sol!` types'
/// type hashes computed once: alloy's derivation rebuilds and hashes every type string on
/// each call. The tests hold the two equal.
pub fn struct_hash(tx: &Transaction) -> B256 {
    let (tx_type_hash, output_type_hash) = *TYPE_HASHES;
    let inputs: Vec<u8> = tx
        .inputs
        .iter()
        .flat_map(|pos| U256::from(pos.0).to_be_bytes::<32>())
        .collect();
    let outputs: Vec<u8> = tx
        .outputs
        .iter()
        .flat_map(|o| {
            let mut word = [0u8; 128];
            word[..32].copy_from_slice(output_type_hash.as_slice());
            word[44..64].copy_from_slice(o.owner.as_slice());
            word[76..96].copy_from_slice(o.token.as_slice());
            word[96..].copy_from_slice(&o.amount.to_be_bytes::<32>());
            keccak256(word).0
        })
        .collect();
    let mut word = [0u8; 160];
    word[..32].copy_from_slice(tx_type_hash.as_slice());
    word[63] = tx.tx_type.as_u8();
    word[64..96].copy_from_slice(keccak256(inputs).as_slice());
    word[96..128].copy_from_slice(keccak256(outputs).as_slice());
    word[128..].copy_from_slice(tx.metadata.as_slice());
    keccak256(word)
}

/// The transaction as alloy's `sol!` EIP-712 struct (the tests' reference derivation).
#[cfg(test)]
fn eip712_struct(tx: &Transaction) -> eip712::Transaction {
    eip712::Transaction {
        txType: tx.tx_type.as_u8(),
        inputs: tx.inputs.iter().map(|pos| pos.0).collect(),
        outputs: tx
            .outputs
            .iter()
            .map(|o| eip712::Output {
                owner: o.owner,
                token: o.token,
                amount: o.amount,
            })
            .collect(),
        metadata: tx.metadata,
    }
}

/// Signs a prehashed digest, returning `r ‖ s ‖ v` with `v ∈ {27, 28}` and low `s`.
pub fn sign_hash(signer: &PrivateKeySigner, hash: B256) -> Result<[u8; SIGNATURE_LEN], SigError> {
    let sig = signer
        .sign_hash_sync(&hash)
        .map_err(|_| SigError::Signing)?;
    // k256 signs with low s; normalizing keeps that true whatever the backend.
    let sig = sig.normalized_s();
    Ok(sig.as_bytes())
}

/// Signs `tx` under `domain`.
pub fn sign(
    signer: &PrivateKeySigner,
    tx: &Transaction,
    domain: &Eip712Domain,
) -> Result<[u8; SIGNATURE_LEN], SigError> {
    sign_hash(signer, signing_hash(tx, domain))
}

/// Recovers the signer of `hash` from `r ‖ s ‖ v`, with the contracts' rejections, checked
/// in this order: length, high `s`, `v`, recovery, zero address.
pub fn recover(hash: B256, sig: &[u8]) -> Result<Address, SigError> {
    let bytes: &[u8; SIGNATURE_LEN] = sig
        .try_into()
        .map_err(|_| SigError::BadLength { len: sig.len() })?;
    // Same order as OpenZeppelin's ECDSA (length, high s, then v / recovery), so both
    // sides name the same class of failure.
    let r = U256::from_be_slice(&bytes[..32]);
    let s = U256::from_be_slice(&bytes[32..64]);
    if s > HALF_ORDER {
        return Err(SigError::HighS);
    }
    let v = bytes[64];
    let parity = match v {
        27 => false,
        28 => true,
        _ => return Err(SigError::BadV { v }),
    };
    let signer = Signature::new(r, s, parity)
        .recover_address_from_prehash(&hash)
        .map_err(|_| SigError::Unrecoverable)?;
    if signer.is_zero() {
        return Err(SigError::ZeroAddress);
    }
    Ok(signer)
}

#[cfg(test)]
mod tests;
