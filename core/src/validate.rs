//! Stateless checks of a PAYMENT shared by the operator and the indexer: one valid
//! signature per input by the owner of the output it spends, and per-token conservation
//! (outputs never exceed inputs; the surplus is the fee). The caller looks the spent
//! outputs up in its own UTXO set; unknown or already spent inputs are its errors.

use crate::{
    sign::{SigError, recover},
    signed::SignedTx,
    tx::{Output, TxType},
};
use alloy::primitives::{Address, B256, U256};
use std::collections::BTreeMap;

/// Per-token fee (inputs − outputs) of a valid payment; every token it spends has an entry.
pub type Fees = BTreeMap<Address, U256>;

/// Why a payment is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The transaction is not a PAYMENT.
    #[error("transaction type {0:?} is not a payment")]
    NotPayment(TxType),
    /// `spent` does not hold one output per input.
    #[error("{got} spent outputs given for {expected} inputs")]
    SpentCount {
        /// Inputs of the transaction.
        expected: usize,
        /// Outputs given.
        got: usize,
    },
    /// Not exactly one signature per input.
    #[error("{got} signatures for {expected} inputs")]
    SignatureCount {
        /// Inputs of the transaction.
        expected: usize,
        /// Signatures given.
        got: usize,
    },
    /// A signature is malformed or unrecoverable.
    #[error("signature {index} is invalid: {source}")]
    BadSignature {
        /// Index of the input.
        index: usize,
        /// Why.
        source: SigError,
    },
    /// A signature is by someone other than the spent output's owner.
    #[error("signature {index} is by {recovered}, not the owner {owner}")]
    WrongSigner {
        /// Index of the input.
        index: usize,
        /// The spent output's owner.
        owner: Address,
        /// Who signed.
        recovered: Address,
    },
    /// Outputs of a token exceed its inputs.
    #[error("token {token}: outputs {outputs} exceed inputs {inputs}")]
    Overspend {
        /// The token.
        token: Address,
        /// Sum of the inputs of this token.
        inputs: U256,
        /// Sum of the outputs of this token.
        outputs: U256,
    },
    /// A per-token sum exceeds 2^256 − 1.
    #[error("token {token}: amounts overflow uint256")]
    Overflow {
        /// The token.
        token: Address,
    },
}

impl ValidationError {
    /// A stable machine-readable code (`"bad_signature"`, …).
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotPayment(_) => "not_payment",
            Self::SpentCount { .. } => "spent_count",
            Self::SignatureCount { .. } => "signature_count",
            Self::BadSignature { .. } => "bad_signature",
            Self::WrongSigner { .. } => "wrong_signer",
            Self::Overspend { .. } => "overspend",
            Self::Overflow { .. } => "amount_overflow",
        }
    }
}

/// Sums amounts per token.
fn sum_per_token<'a>(
    outputs: impl IntoIterator<Item = &'a Output>,
) -> Result<Fees, ValidationError> {
    let mut sums = Fees::new();
    for output in outputs {
        let sum = sums.entry(output.token).or_insert(U256::ZERO);
        *sum = sum
            .checked_add(output.amount)
            .ok_or(ValidationError::Overflow {
                token: output.token,
            })?;
    }
    Ok(sums)
}

/// Per-token conservation: returns `inputs − outputs` per spent token.
pub fn check_conservation(spent: &[Output], outputs: &[Output]) -> Result<Fees, ValidationError> {
    let mut fees = sum_per_token(spent)?;
    for (token, out) in sum_per_token(outputs)? {
        let available = fees.get(&token).copied().unwrap_or(U256::ZERO);
        let fee = available
            .checked_sub(out)
            .ok_or(ValidationError::Overspend {
                token,
                inputs: available,
                outputs: out,
            })?;
        fees.insert(token, fee);
    }
    Ok(fees)
}

/// The stateless half, safe to run on many threads: a PAYMENT with exactly one signature
/// per input, each recovered (EIP-712, low-s) to the address that signed it.
pub fn recover_signers(
    signed: &SignedTx,
    signing_hash: B256,
) -> Result<Vec<Address>, ValidationError> {
    if signed.tx.tx_type != TxType::Payment {
        return Err(ValidationError::NotPayment(signed.tx.tx_type));
    }
    let expected = signed.tx.inputs.len();
    if signed.signatures.len() != expected {
        return Err(ValidationError::SignatureCount {
            expected,
            got: signed.signatures.len(),
        });
    }
    signed
        .signatures
        .iter()
        .enumerate()
        .map(|(index, sig)| {
            recover(signing_hash, sig)
                .map_err(|source| ValidationError::BadSignature { index, source })
        })
        .collect()
}

/// The stateful half: signer `i` owns `spent[i]`, the output input `i` spends.
pub fn check_owners(signers: &[Address], spent: &[Output]) -> Result<(), ValidationError> {
    if spent.len() != signers.len() {
        return Err(ValidationError::SpentCount {
            expected: signers.len(),
            got: spent.len(),
        });
    }
    for (index, (recovered, output)) in signers.iter().zip(spent).enumerate() {
        if *recovered != output.owner {
            return Err(ValidationError::WrongSigner {
                index,
                owner: output.owner,
                recovered: *recovered,
            });
        }
    }
    Ok(())
}

/// The fee the operator's minimum applies to: the payment's surplus in the token of its
/// first input (docs/SPEC.md "Fees").
pub fn fee_paid(spent: &[Output], fees: &Fees) -> U256 {
    spent
        .first()
        .and_then(|first| fees.get(&first.token))
        .copied()
        .unwrap_or(U256::ZERO)
}

/// Validates a PAYMENT spending `spent` (the outputs its inputs point at, in input
/// order): shape, conservation (cheap, first), then signatures and owners. Returns the
/// fees.
pub fn validate_payment(
    signed: &SignedTx,
    signing_hash: B256,
    spent: &[Output],
) -> Result<Fees, ValidationError> {
    if signed.tx.tx_type != TxType::Payment {
        return Err(ValidationError::NotPayment(signed.tx.tx_type));
    }
    let expected = signed.tx.inputs.len();
    if spent.len() != expected {
        return Err(ValidationError::SpentCount {
            expected,
            got: spent.len(),
        });
    }
    let fees = check_conservation(spent, &signed.tx.outputs)?;
    check_owners(&recover_signers(signed, signing_hash)?, spent)?;
    Ok(fees)
}

#[cfg(test)]
mod tests;
