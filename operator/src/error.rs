//! The one HTTP error type: every client mistake has a stable machine-readable code and a
//! human message (`{"error": {"code", "message"}}`); internal failures are logged and
//! answered with a bare 500 that never carries internals.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// A rejection or failure, as answered over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request body is not the expected JSON shape.
    #[error("malformed request: {0}")]
    MalformedRequest(String),
    /// The body exceeds the configured limit.
    #[error("request body exceeds {0} bytes")]
    PayloadTooLarge(usize),
    /// A batch holds more transactions than allowed.
    #[error("batch of {got} transactions exceeds the limit of {max}")]
    BatchTooLarge {
        /// Transactions in the batch.
        got: usize,
        /// The limit.
        max: usize,
    },
    /// The transaction bytes are not hex or not canonical (the SPEC rule that failed is
    /// named in the message), or not a PAYMENT.
    #[error("malformed transaction: {0}")]
    MalformedTx(String),
    /// A signature is malformed, missing, surplus, or not by the spent output's owner.
    /// A signature over another chain id or contract (wrong EIP-712 domain) recovers to
    /// some other address, so it is reported here too: the two are indistinguishable.
    #[error("bad signature: {0}")]
    BadSignature(String),
    /// An input points at no output the operator knows.
    #[error("unknown input {0}")]
    UnknownInput(u64),
    /// An input was spent in a sealed block.
    #[error("input {0} is already spent")]
    SpentInput(u64),
    /// An input's output is exiting on the root chain (exit started, neither challenged
    /// nor processed): no new spend of it is admitted.
    #[error("input {0} is exiting on the root chain")]
    ExitingOutput(u64),
    /// An input's output has exited on the root chain (exit processed): it is gone.
    #[error("input {0} has exited on the root chain")]
    ExitedOutput(u64),
    /// An input is spent by a pending transaction (or an earlier one of the same batch).
    #[error("input {0} is spent by a pending transaction")]
    DoubleSpend(u64),
    /// Outputs of a token exceed its inputs.
    #[error("value not conserved: {0}")]
    ValueNotConserved(String),
    /// The fee in the fee token (that of input 0) is below the minimum.
    #[error("fee {fee} is below the minimum {min}")]
    FeeTooLow {
        /// The fee paid, in the token of input 0.
        fee: String,
        /// The operator's minimum.
        min: String,
    },
    /// No such (published) block.
    #[error("{0}")]
    NotFound(String),
    /// The operator cannot accept writes (storage failed; restart it).
    #[error("operator unavailable")]
    Unavailable,
    /// Anything else; details go to the log only.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// The stable machine-readable code.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::MalformedRequest(_) => "malformed_request",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::BatchTooLarge { .. } => "batch_too_large",
            Self::MalformedTx(_) => "malformed_tx",
            Self::BadSignature(_) => "bad_signature",
            Self::UnknownInput(_) => "unknown_input",
            Self::SpentInput(_) => "spent_input",
            Self::ExitingOutput(_) => "exiting_output",
            Self::ExitedOutput(_) => "exited_output",
            Self::DoubleSpend(_) => "double_spend",
            Self::ValueNotConserved(_) => "value_not_conserved",
            Self::FeeTooLow { .. } => "fee_too_low",
            Self::NotFound(_) => "not_found",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status.
    pub const fn status(&self) -> StatusCode {
        match self {
            Self::MalformedRequest(_) | Self::MalformedTx(_) | Self::BadSignature(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::PayloadTooLarge(_) | Self::BatchTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnknownInput(_)
            | Self::SpentInput(_)
            | Self::ExitedOutput(_)
            | Self::ValueNotConserved(_)
            | Self::FeeTooLow { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::DoubleSpend(_) | Self::ExitingOutput(_) => StatusCode::CONFLICT,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body `{"code", "message"}` (also used per item in batch answers).
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// The `error` object of an answer.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// Machine-readable code.
    pub code: &'static str,
    /// Human message.
    pub message: String,
}

#[derive(Serialize)]
struct Envelope {
    error: ErrorBody,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(Envelope { error: self.body() })).into_response()
    }
}

/// Logs an internal failure and turns it into a bare 500.
pub(crate) fn internal(context: &str, err: impl std::fmt::Display) -> ApiError {
    tracing::error!(%err, "{context}");
    ApiError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak() {
        let err = internal("store", "database is locked at /secret/path");
        let body = serde_json::to_value(Envelope { error: err.body() }).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": {"code": "internal", "message": "internal error"}})
        );
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn codes_and_statuses() {
        assert_eq!(ApiError::DoubleSpend(1).code(), "double_spend");
        assert_eq!(ApiError::DoubleSpend(1).status(), StatusCode::CONFLICT);
        assert_eq!(
            ApiError::PayloadTooLarge(10).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            ApiError::FeeTooLow {
                fee: "0".into(),
                min: "1".into()
            }
            .code(),
            "fee_too_low"
        );
    }
}
