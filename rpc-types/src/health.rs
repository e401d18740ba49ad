//! Why a service is unhealthy: both services list their reasons in `/v1/status` and
//! answer `/health` with 503 naming them.

use serde::{Deserialize, Serialize};

/// One reason a service is unhealthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthProblem {
    /// The reason, one of the service's documented codes (e.g. `storage_failed`,
    /// `root_chain_unreachable`).
    pub code: String,
    /// What was seen.
    pub message: String,
}

impl HealthProblem {
    /// A reason with what was seen.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
