//! The error envelope both services answer with.

use serde::{Deserialize, Serialize};

/// `{"error": {"code", "message"}}`: the body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One error: a machine-readable code and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Machine-readable code (`double_spend`, `not_found`, …).
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

impl ErrorBody {
    /// An envelope around `code` and `message`.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
            },
        }
    }
}
