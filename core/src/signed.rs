//! A transaction with its signatures, in the wire form the operator accepts and publishes:
//! `{"tx": "0x…", "signatures": ["0x…"]}`.

use crate::tx::{DecodeError, Transaction};
use alloy::primitives::{B256, Bytes, keccak256};
use serde::{Deserialize, Serialize};

/// The JSON wire form, before decoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTxWire {
    /// The canonical transaction bytes.
    pub tx: Bytes,
    /// One 65-byte signature per input (PAYMENT), none for a DEPOSIT.
    pub signatures: Vec<Bytes>,
}

/// A decoded transaction together with its bytes and signatures. Signatures are not
/// checked here (see [`crate::validate`]); the transaction is canonical.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SignedTxWire", try_from = "SignedTxWire")]
pub struct SignedTx {
    /// The decoded transaction.
    pub tx: Transaction,
    /// Its canonical bytes.
    pub raw: Bytes,
    /// The signatures as received.
    pub signatures: Vec<Bytes>,
}

impl SignedTx {
    /// Decodes the wire form (the bytes must be canonical).
    pub fn from_wire(raw: Bytes, signatures: Vec<Bytes>) -> Result<Self, DecodeError> {
        let tx = Transaction::decode(&raw)?;
        Ok(Self {
            tx,
            raw,
            signatures,
        })
    }

    /// Wraps a transaction and its signatures.
    pub fn new(tx: Transaction, signatures: Vec<Bytes>) -> Self {
        let raw = tx.encode();
        Self {
            tx,
            raw,
            signatures,
        }
    }

    /// `keccak256(txBytes)`.
    pub fn hash(&self) -> B256 {
        keccak256(&self.raw)
    }

    /// The wire form.
    pub fn to_wire(&self) -> SignedTxWire {
        SignedTxWire {
            tx: self.raw.clone(),
            signatures: self.signatures.clone(),
        }
    }
}

/// A signed transaction with its hash, `keccak256(txBytes)`, computed once (the operator
/// looks a transaction up, logs it and seals it by that hash). Derefs to the transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedTx {
    signed: SignedTx,
    hash: B256,
}

impl HashedTx {
    /// Hashes the transaction.
    pub fn new(signed: SignedTx) -> Self {
        let hash = signed.hash();
        Self { signed, hash }
    }

    /// `keccak256(txBytes)`, as computed when wrapped.
    pub fn hash(&self) -> B256 {
        self.hash
    }

    /// The transaction.
    pub fn into_signed(self) -> SignedTx {
        self.signed
    }
}

impl From<SignedTx> for HashedTx {
    fn from(signed: SignedTx) -> Self {
        Self::new(signed)
    }
}

impl std::ops::Deref for HashedTx {
    type Target = SignedTx;

    fn deref(&self) -> &SignedTx {
        &self.signed
    }
}

impl TryFrom<SignedTxWire> for SignedTx {
    type Error = DecodeError;

    fn try_from(wire: SignedTxWire) -> Result<Self, Self::Error> {
        Self::from_wire(wire.tx, wire.signatures)
    }
}

impl From<SignedTx> for SignedTxWire {
    fn from(signed: SignedTx) -> Self {
        Self {
            tx: signed.raw,
            signatures: signed.signatures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{position::UtxoPos, tx::Output};
    use alloy::primitives::{Address, U256};

    fn sample() -> SignedTx {
        let tx = Transaction::payment(
            vec![UtxoPos::new(1000, 0, 0).unwrap()],
            vec![Output {
                owner: Address::repeat_byte(0xaa),
                token: Address::ZERO,
                amount: U256::from(1),
            }],
            B256::ZERO,
        )
        .unwrap();
        SignedTx::new(tx, vec![Bytes::from(vec![0x1b; 65])])
    }

    #[test]
    fn wire_form_round_trips() {
        let signed = sample();
        let json = serde_json::to_value(&signed).unwrap();
        assert_eq!(json["tx"], serde_json::json!(signed.raw.to_string()));
        assert_eq!(json["signatures"].as_array().unwrap().len(), 1);
        let back: SignedTx = serde_json::from_value(json).unwrap();
        assert_eq!(back, signed);
        assert_eq!(back.hash(), signed.tx.hash());
    }

    #[test]
    fn hashed_keeps_the_hash_of_the_bytes() {
        let signed = sample();
        let hashed = HashedTx::new(signed.clone());
        assert_eq!(hashed.hash(), alloy::primitives::keccak256(&signed.raw));
        assert_eq!(*hashed, signed);
        assert_eq!(hashed.into_signed(), signed);
    }

    #[test]
    fn wire_form_rejects_non_canonical_bytes() {
        let mut wire = sample().to_wire();
        let mut bytes = wire.tx.to_vec();
        bytes.push(0);
        wire.tx = bytes.into();
        let err =
            serde_json::from_value::<SignedTx>(serde_json::to_value(&wire).unwrap()).unwrap_err();
        assert!(err.to_string().contains("bad length"), "{err}");
    }
}
