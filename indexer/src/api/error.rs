//! The one error type of the REST API: `{"error": {"code", "message"}}` with a 4xx status
//! for client mistakes; internal failures are logged and become a bare 500.

use crate::store::StoreError;
use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use plasma_rpc_types::ErrorBody;

/// An API error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400: a malformed path or query parameter.
    BadRequest {
        /// Machine-readable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 404: an unknown thing.
    NotFound {
        /// Machine-readable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 409: the request is understood but the state does not allow it.
    Conflict {
        /// Machine-readable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 500: logged, never detailed to the client.
    Internal,
}

impl ApiError {
    /// 400 with a code and message.
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// 404 with a code and message.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }

    /// 409 with a code and message.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "request failed");
        Self::Internal
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Self::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message),
            Self::NotFound { code, message } => (StatusCode::NOT_FOUND, code, message),
            Self::Conflict { code, message } => (StatusCode::CONFLICT, code, message),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error".to_owned(),
            ),
        };
        (status, Json(ErrorBody::new(code, message))).into_response()
    }
}
