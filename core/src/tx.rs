//! The transaction model and its canonical fixed-width encoding (docs/SPEC.md).
//!
//! ```text
//! tx     = txType:u8 ‖ nIn:u8 ‖ nOut:u8 ‖ input × nIn ‖ output × nOut ‖ metadata:bytes32
//! input  = utxoPos:u64
//! output = owner:address ‖ token:address ‖ amount:u256
//! ```
//!
//! [`Transaction::decode`] checks the SPEC's nine rules in the SPEC's order and reports the
//! first that fails, exactly as the Solidity `TxLib` does, so one transaction has one byte
//! string and both languages name the same error for the same malformed input.

use crate::position::UtxoPos;
use alloy::primitives::{Address, B256, Bytes, U256, keccak256};
use serde::{Deserialize, Serialize};

/// Bytes of the header `txType ‖ nIn ‖ nOut`.
pub const HEADER_LEN: usize = 3;
/// Bytes of one input.
pub const INPUT_LEN: usize = 8;
/// Bytes of one output.
pub const OUTPUT_LEN: usize = 72;
/// Bytes of the metadata.
pub const METADATA_LEN: usize = 32;
/// Most inputs (and most outputs) of a payment.
pub const MAX_IO: usize = 4;

/// The transaction types the chain knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TxType {
    /// A transfer: 1–4 inputs, 1–4 outputs, signed by the spent outputs' owners.
    Payment = 1,
    /// Built by the root chain on a deposit: no inputs, one output.
    Deposit = 2,
}

impl TxType {
    /// The type byte.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The type for a type byte, if known.
    pub const fn from_u8(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(Self::Payment),
            2 => Some(Self::Deposit),
            _ => None,
        }
    }

    /// The allowed input counts.
    const fn input_range(self) -> (usize, usize) {
        match self {
            Self::Payment => (1, MAX_IO),
            Self::Deposit => (0, 0),
        }
    }

    /// The allowed output counts.
    const fn output_range(self) -> (usize, usize) {
        match self {
            Self::Payment => (1, MAX_IO),
            Self::Deposit => (1, 1),
        }
    }
}

/// A transaction output: `amount` of `token` (address(0) = ETH) owned by `owner`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Output {
    /// The owner, who signs to spend it.
    pub owner: Address,
    /// The token; `Address::ZERO` is ETH.
    pub token: Address,
    /// The amount in the token's base unit.
    pub amount: U256,
}

/// Why a byte string is not a canonical transaction. Variant names are the SPEC's rule
/// names; [`DecodeError::name`] gives them as strings (the shared vectors use them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Rule 1: fewer than 3 bytes.
    #[error("transaction too short: {len} bytes")]
    TooShort {
        /// Length of the input.
        len: usize,
    },
    /// Rule 2: type byte is not PAYMENT (1) or DEPOSIT (2).
    #[error("unknown transaction type {tx_type}")]
    UnknownType {
        /// The type byte.
        tx_type: u8,
    },
    /// Rule 3: input count outside the type's range.
    #[error("bad input count {count}")]
    BadInputCount {
        /// The input count byte.
        count: u8,
    },
    /// Rule 4: output count outside the type's range.
    #[error("bad output count {count}")]
    BadOutputCount {
        /// The output count byte.
        count: u8,
    },
    /// Rule 5: length differs from `3 + 8·nIn + 72·nOut + 32`.
    #[error("bad length: expected {expected} bytes, got {len}")]
    BadLength {
        /// Length implied by the counts.
        expected: usize,
        /// Actual length.
        len: usize,
    },
    /// Rule 6: input `index` is not a valid UTXO position.
    #[error("input {index} has invalid position {pos}")]
    BadPosition {
        /// Index of the input.
        index: usize,
        /// The raw position.
        pos: u64,
    },
    /// Rule 7: input `index` is not greater than input `index - 1`.
    #[error("input {index} is not greater than the previous input")]
    InputsNotIncreasing {
        /// Index of the input.
        index: usize,
    },
    /// Rule 8: output `index` is owned by address(0).
    #[error("output {index} has the zero owner")]
    ZeroOwner {
        /// Index of the output.
        index: usize,
    },
    /// Rule 9: output `index` has amount 0.
    #[error("output {index} has amount zero")]
    ZeroAmount {
        /// Index of the output.
        index: usize,
    },
}

impl DecodeError {
    /// The SPEC's rule name (`"TooShort"`, …), as used by the vectors and `TxLib_<Name>`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "TooShort",
            Self::UnknownType { .. } => "UnknownType",
            Self::BadInputCount { .. } => "BadInputCount",
            Self::BadOutputCount { .. } => "BadOutputCount",
            Self::BadLength { .. } => "BadLength",
            Self::BadPosition { .. } => "BadPosition",
            Self::InputsNotIncreasing { .. } => "InputsNotIncreasing",
            Self::ZeroOwner { .. } => "ZeroOwner",
            Self::ZeroAmount { .. } => "ZeroAmount",
        }
    }
}

/// A transaction; every value of this type built through [`Transaction::decode`],
/// [`Transaction::payment`] or [`Transaction::new`] is canonical.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Transaction {
    /// The type.
    pub tx_type: TxType,
    /// Spent positions, strictly increasing.
    pub inputs: Vec<UtxoPos>,
    /// Created outputs.
    pub outputs: Vec<Output>,
    /// 32 bytes of free user data.
    pub metadata: B256,
}

/// Length of the encoding of a transaction with these counts.
pub const fn encoded_len(n_in: usize, n_out: usize) -> usize {
    HEADER_LEN + INPUT_LEN * n_in + OUTPUT_LEN * n_out + METADATA_LEN
}

impl Transaction {
    /// Builds a transaction, checking the SPEC's shape rules (3, 4, 6–9).
    pub fn new(
        tx_type: TxType,
        inputs: Vec<UtxoPos>,
        outputs: Vec<Output>,
        metadata: B256,
    ) -> Result<Self, DecodeError> {
        check_counts(tx_type, inputs.len(), outputs.len())?;
        for (i, input) in inputs.iter().enumerate() {
            check_input(i, input.0, i.checked_sub(1).map(|p| inputs[p].0))?;
        }
        for (i, output) in outputs.iter().enumerate() {
            check_output(i, output)?;
        }
        Ok(Self {
            tx_type,
            inputs,
            outputs,
            metadata,
        })
    }

    /// Builds a PAYMENT, checking the SPEC's shape rules.
    pub fn payment(
        inputs: Vec<UtxoPos>,
        outputs: Vec<Output>,
        metadata: B256,
    ) -> Result<Self, DecodeError> {
        Self::new(TxType::Payment, inputs, outputs, metadata)
    }

    /// Decodes a canonical transaction, checking the SPEC's rules in order.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let len = bytes.len();
        if len < HEADER_LEN {
            return Err(DecodeError::TooShort { len });
        }
        let tx_type =
            TxType::from_u8(bytes[0]).ok_or(DecodeError::UnknownType { tx_type: bytes[0] })?;
        let (n_in, n_out) = (bytes[1], bytes[2]);
        check_counts(tx_type, n_in as usize, n_out as usize)?;
        let (n_in, n_out) = (n_in as usize, n_out as usize);
        let expected = encoded_len(n_in, n_out);
        if len != expected {
            return Err(DecodeError::BadLength { expected, len });
        }

        let mut at = HEADER_LEN;
        let mut inputs = Vec::with_capacity(n_in);
        for i in 0..n_in {
            let raw =
                u64::from_be_bytes(bytes[at..at + INPUT_LEN].try_into().expect("8-byte slice"));
            check_input(i, raw, inputs.last().map(|p: &UtxoPos| p.0))?;
            inputs.push(UtxoPos(raw));
            at += INPUT_LEN;
        }
        let mut outputs = Vec::with_capacity(n_out);
        for i in 0..n_out {
            let field = &bytes[at..at + OUTPUT_LEN];
            let output = Output {
                owner: Address::from_slice(&field[..20]),
                token: Address::from_slice(&field[20..40]),
                amount: U256::from_be_slice(&field[40..]),
            };
            check_output(i, &output)?;
            outputs.push(output);
            at += OUTPUT_LEN;
        }
        let metadata = B256::from_slice(&bytes[at..]);
        Ok(Self {
            tx_type,
            inputs,
            outputs,
            metadata,
        })
    }

    /// The canonical encoding.
    pub fn encode(&self) -> Bytes {
        let mut out = Vec::with_capacity(encoded_len(self.inputs.len(), self.outputs.len()));
        out.push(self.tx_type.as_u8());
        out.push(self.inputs.len() as u8);
        out.push(self.outputs.len() as u8);
        for input in &self.inputs {
            out.extend_from_slice(&input.0.to_be_bytes());
        }
        for output in &self.outputs {
            out.extend_from_slice(output.owner.as_slice());
            out.extend_from_slice(output.token.as_slice());
            out.extend_from_slice(&output.amount.to_be_bytes::<32>());
        }
        out.extend_from_slice(self.metadata.as_slice());
        out.into()
    }

    /// `keccak256(txBytes)`.
    pub fn hash(&self) -> B256 {
        keccak256(self.encode())
    }

    /// The output at `oindex`, if any.
    pub fn output(&self, oindex: u64) -> Option<&Output> {
        usize::try_from(oindex)
            .ok()
            .and_then(|i| self.outputs.get(i))
    }
}

/// Rules 3 and 4.
fn check_counts(tx_type: TxType, n_in: usize, n_out: usize) -> Result<(), DecodeError> {
    let (lo, hi) = tx_type.input_range();
    if !(lo..=hi).contains(&n_in) {
        return Err(DecodeError::BadInputCount {
            count: u8::try_from(n_in).unwrap_or(u8::MAX),
        });
    }
    let (lo, hi) = tx_type.output_range();
    if !(lo..=hi).contains(&n_out) {
        return Err(DecodeError::BadOutputCount {
            count: u8::try_from(n_out).unwrap_or(u8::MAX),
        });
    }
    Ok(())
}

/// Rules 6 and 7 for input `index`.
fn check_input(index: usize, raw: u64, previous: Option<u64>) -> Result<(), DecodeError> {
    if !UtxoPos(raw).is_valid() {
        return Err(DecodeError::BadPosition { index, pos: raw });
    }
    if previous.is_some_and(|prev| raw <= prev) {
        return Err(DecodeError::InputsNotIncreasing { index });
    }
    Ok(())
}

/// Rules 8 and 9 for output `index`.
fn check_output(index: usize, output: &Output) -> Result<(), DecodeError> {
    if output.owner.is_zero() {
        return Err(DecodeError::ZeroOwner { index });
    }
    if output.amount.is_zero() {
        return Err(DecodeError::ZeroAmount { index });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
