//! Why the operator refuses a submitted transaction: its domain answer, each with a
//! stable machine-readable code. The HTTP layer ([`crate::api`]) maps these to statuses.

use alloy::primitives::U256;
use plasma_core::{exit::ExitPhase, transition::InputError, validate::ValidationError};

/// A submitted transaction was not admitted; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The transaction bytes are not hex or not canonical (the SPEC rule that failed is
    /// named in the message), or not a PAYMENT.
    #[error("malformed transaction: {0}")]
    MalformedTx(String),
    /// A signature is malformed, missing, surplus, or not by the spent output's owner.
    /// A signature over another chain id or contract (wrong EIP-712 domain) recovers to
    /// some other address, so it is reported here too: the two are indistinguishable.
    #[error("bad signature: {0}")]
    BadSignature(String),
    /// An input cannot be spent (unknown, spent, reserved by a pending transaction, or
    /// held or taken by a root-chain exit).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Outputs of a token exceed its inputs.
    #[error("value not conserved: {0}")]
    ValueNotConserved(String),
    /// The fee in the fee token (that of input 0) is below the minimum.
    #[error("fee {fee} is below the minimum {min}")]
    FeeTooLow {
        /// The fee paid, in the token of input 0.
        fee: U256,
        /// The operator's minimum.
        min: U256,
    },
    /// The operator cannot accept writes (storage failed).
    #[error("operator unavailable")]
    Unavailable,
}

impl Rejection {
    /// The stable machine-readable code (docs/SPEC.md, the OpenAPI document).
    pub const fn code(&self) -> &'static str {
        match self {
            Self::MalformedTx(_) => "malformed_tx",
            Self::BadSignature(_) => "bad_signature",
            Self::Input(e) => match e {
                InputError::Unknown(_) | InputError::NotEarlier(_) => "unknown_input",
                InputError::Spent(_) => "spent_input",
                InputError::Pending(_) | InputError::SpentTwice(_) => "double_spend",
                InputError::Exit {
                    phase: ExitPhase::Exiting,
                    ..
                } => "exiting_output",
                InputError::Exit {
                    phase: ExitPhase::Exited,
                    ..
                } => "exited_output",
            },
            Self::ValueNotConserved(_) => "value_not_conserved",
            Self::FeeTooLow { .. } => "fee_too_low",
            Self::Unavailable => "unavailable",
        }
    }
}

impl From<ValidationError> for Rejection {
    fn from(e: ValidationError) -> Self {
        match e {
            ValidationError::NotPayment(t) => {
                Self::MalformedTx(format!("only payments can be submitted, not {t:?}"))
            }
            ValidationError::Overspend { .. } | ValidationError::Overflow { .. } => {
                Self::ValueNotConserved(e.to_string())
            }
            ValidationError::SpentCount { .. }
            | ValidationError::SignatureCount { .. }
            | ValidationError::BadSignature { .. }
            | ValidationError::WrongSigner { .. } => Self::BadSignature(e.to_string()),
        }
    }
}
