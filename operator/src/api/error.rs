//! The one HTTP error type: every client mistake has a stable machine-readable code and a
//! human message (`{"error": {"code", "message"}}`); internal failures are logged and
//! answered with a bare 500 that never carries internals.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use plasma_core::{exit::ExitPhase, transition::InputError};
use plasma_rpc_types::ErrorBody;

use crate::rejection::Rejection;

/// A rejection or failure, as answered over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request is not the expected JSON shape, or a parameter is not canonical.
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
    /// The node refused the transaction.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// No such (published) block or endpoint.
    #[error("{0}")]
    NotFound(String),
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
            Self::Rejected(r) => r.code(),
            Self::NotFound(_) => "not_found",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status.
    pub const fn status(&self) -> StatusCode {
        match self {
            Self::MalformedRequest(_) => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge(_) | Self::BatchTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Rejected(r) => match r {
                Rejection::MalformedTx(_) | Rejection::BadSignature(_) => StatusCode::BAD_REQUEST,
                Rejection::Input(InputError::Pending(_) | InputError::SpentTwice(_))
                | Rejection::Input(InputError::Exit {
                    phase: ExitPhase::Exiting,
                    ..
                }) => StatusCode::CONFLICT,
                Rejection::Input(_)
                | Rejection::ValueNotConserved(_)
                | Rejection::FeeTooLow { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                Rejection::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            },
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The error envelope `{"error": {"code", "message"}}` (also used per item in batch
    /// answers).
    pub fn body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
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
    use alloy::primitives::U256;

    #[test]
    fn internal_errors_do_not_leak() {
        let err = internal("store", "database is locked at /secret/path");
        let body = serde_json::to_value(err.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": {"code": "internal", "message": "internal error"}})
        );
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn codes_and_statuses() {
        let pending = ApiError::from(Rejection::Input(InputError::Pending(1)));
        assert_eq!(pending.code(), "double_spend");
        assert_eq!(pending.status(), StatusCode::CONFLICT);
        assert_eq!(
            ApiError::PayloadTooLarge(10).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            ApiError::from(Rejection::FeeTooLow {
                fee: U256::ZERO,
                min: U256::from(1)
            })
            .code(),
            "fee_too_low"
        );
    }
}
