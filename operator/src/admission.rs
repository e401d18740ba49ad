//! Validation of submitted transactions, in two stages:
//!
//! 1. [`prepare`] — stateless, run on every core: hex and canonical decoding, type and
//!    shape checks, EIP-712 signing hash and libsecp256k1 recovery of every signature.
//! 2. [`settle`] — under the ledger lock, in submission order: inputs exist and are
//!    unspent and not reserved by a pending transaction (nor by an earlier one of the
//!    same batch), each signer owns the output it spends, per-token conservation and the
//!    minimum fee; then the inputs are reserved.
//!
//! Nothing changes in the ledger unless every check passes.

use std::sync::Arc;

use alloy::primitives::{Address, B256, Bytes, U256};
use plasma_core::{
    sign::signing_hash_with,
    signed::{HashedTx, SignedTx},
    validate::{check_conservation, check_owners, fee_paid, recover_signers},
};
use serde::{Deserialize, Serialize};

use crate::{ledger::Ledger, rejection::Rejection, store::LoggedTx};

/// One transaction as submitted: `{"tx": "0x…", "signatures": ["0x…"]}`. Hex is decoded
/// per item so that one bad item of a batch does not spoil the others.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WireItem {
    /// Transaction bytes, hex.
    pub tx: String,
    /// One 65-byte signature per input, hex.
    pub signatures: Vec<String>,
}

impl From<&SignedTx> for WireItem {
    fn from(s: &SignedTx) -> Self {
        Self {
            tx: s.raw.to_string(),
            signatures: s.signatures.iter().map(ToString::to_string).collect(),
        }
    }
}

/// A transaction that passed the stateless checks.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The decoded transaction, hashed here (on the caller's core, before the ledger's
    /// lock).
    pub signed: HashedTx,
    /// The address each signature recovers to, in input order.
    pub signers: Vec<Address>,
}

/// `0x`-prefixed hex; `what` names the field in the rejection (only built on failure).
fn hex_field(what: impl Fn() -> String, s: &str) -> Result<Vec<u8>, String> {
    let digits = s
        .strip_prefix("0x")
        .ok_or_else(|| format!("{} must be 0x-prefixed hex", what()))?;
    alloy::hex::decode(digits).map_err(|e| format!("{} is not hex: {e}", what()))
}

/// Stage 1: decode and recover (no state needed; safe to run on many threads). The
/// signing hash is taken under the deployment's precomputed domain separator.
pub fn prepare(item: &WireItem, separator: B256) -> Result<Prepared, Rejection> {
    let raw = hex_field(|| "tx".into(), &item.tx).map_err(Rejection::MalformedTx)?;
    let sigs = item
        .signatures
        .iter()
        .enumerate()
        .map(|(i, s)| hex_field(|| format!("signature {i}"), s).map(Bytes::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Rejection::BadSignature)?;
    let signed = SignedTx::from_wire(Bytes::from(raw), sigs)
        .map_err(|e| Rejection::MalformedTx(format!("{}: {e}", e.name())))?;
    let signers = recover_signers(&signed, signing_hash_with(&signed.tx, separator))?;
    Ok(Prepared {
        signed: HashedTx::new(signed),
        signers,
    })
}

/// Stage 2: checks against the ledger and admits. Returns the transaction's hash and its
/// row for the log (the mempool holds the same transaction), or `None` when it was
/// already acknowledged (an idempotent resubmission: nothing changes and the answer is
/// the original's).
pub fn settle(
    ledger: &mut Ledger,
    p: Prepared,
    min_fee: U256,
) -> Result<(Option<LoggedTx>, B256), Rejection> {
    let hash = p.signed.hash();
    if ledger.is_known(&hash) {
        return Ok((None, hash));
    }
    let signed = Arc::new(p.signed);
    let seq = ledger.admit(signed.clone(), |spent| {
        check_owners(&p.signers, spent)?;
        let fee = fee_paid(spent, &check_conservation(spent, &signed.tx.outputs)?);
        if fee < min_fee {
            return Err(Rejection::FeeTooLow { fee, min: min_fee });
        }
        Ok(())
    })?;
    Ok((Some(LoggedTx { seq, signed }), hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::{signers::local::PrivateKeySigner, sol_types::Eip712Domain};
    use plasma_core::{Output, Transaction, UtxoPos, sign::domain};

    fn setup() -> (PrivateKeySigner, Eip712Domain, Ledger, UtxoPos) {
        let key = PrivateKeySigner::from_bytes(&B256::repeat_byte(7)).unwrap();
        let dom = domain(31337, Address::repeat_byte(0xcc));
        let mut ledger = Ledger::new();
        let pos = UtxoPos::new(1, 0, 0).unwrap();
        ledger.credit(
            pos,
            Output {
                owner: key.address(),
                token: Address::ZERO,
                amount: U256::from(10),
            },
        );
        (key, dom, ledger, pos)
    }

    fn item(key: &PrivateKeySigner, dom: &Eip712Domain, pos: UtxoPos, amounts: &[u64]) -> WireItem {
        let outputs = amounts
            .iter()
            .map(|a| Output {
                owner: Address::repeat_byte(2),
                token: Address::ZERO,
                amount: U256::from(*a),
            })
            .collect();
        let tx = Transaction::payment(vec![pos], outputs, B256::ZERO).unwrap();
        let sig = plasma_core::sign::sign(key, &tx, dom).unwrap();
        WireItem {
            tx: tx.encode().to_string(),
            signatures: vec![format!("0x{}", alloy::hex::encode(sig))],
        }
    }

    #[test]
    fn fee_and_conservation() {
        let (key, dom, mut ledger, pos) = setup();
        let over = prepare(&item(&key, &dom, pos, &[6, 5]), dom.separator()).unwrap();
        assert_eq!(
            settle(&mut ledger, over, U256::ZERO).unwrap_err().code(),
            "value_not_conserved"
        );
        let cheap = prepare(&item(&key, &dom, pos, &[6, 4]), dom.separator()).unwrap();
        assert_eq!(
            settle(&mut ledger, cheap, U256::from(1))
                .unwrap_err()
                .code(),
            "fee_too_low"
        );
        let ok = prepare(&item(&key, &dom, pos, &[6, 3]), dom.separator()).unwrap();
        let admitted = settle(&mut ledger, ok, U256::from(1)).unwrap().0;
        assert_eq!(admitted.map(|row| row.seq), Some(1));
        assert_eq!(ledger.pending_len(), 1);
    }

    #[test]
    fn resubmission_is_idempotent_and_a_rival_spend_is_not() {
        let (key, dom, mut ledger, pos) = setup();
        let wire = item(&key, &dom, pos, &[6, 3]);
        let (row, hash) = settle(
            &mut ledger,
            prepare(&wire, dom.separator()).unwrap(),
            U256::ZERO,
        )
        .unwrap();
        assert_eq!(row.map(|row| row.seq), Some(1));
        let again = settle(
            &mut ledger,
            prepare(&wire, dom.separator()).unwrap(),
            U256::ZERO,
        )
        .unwrap();
        assert_eq!(again, (None, hash), "same answer, nothing admitted");
        assert_eq!(ledger.pending_len(), 1);
        let rival = prepare(&item(&key, &dom, pos, &[5, 3]), dom.separator()).unwrap();
        assert_eq!(
            settle(&mut ledger, rival, U256::ZERO).unwrap_err().code(),
            "double_spend"
        );
    }

    #[test]
    fn wrong_domain_is_a_bad_signature() {
        let (key, dom, mut ledger, pos) = setup();
        let other = domain(1, Address::repeat_byte(0xcc));
        let p = prepare(&item(&key, &other, pos, &[1]), dom.separator()).unwrap();
        assert_eq!(
            settle(&mut ledger, p, U256::ZERO).unwrap_err().code(),
            "bad_signature"
        );
        assert_eq!(ledger.pending_len(), 0);
    }
}
