//! The hand-maintained OpenAPI 3.1 document (`operator/openapi.json`), checked against
//! the router and the error codes by tests.

/// The document served at `GET /openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{api::error::ApiError, rejection::Rejection};
    use alloy::primitives::U256;
    use axum::http::StatusCode;
    use plasma_core::{exit::ExitPhase, transition::InputError};

    #[test]
    fn document_lists_every_route_and_error_code() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI_JSON).unwrap();
        plasma_service::openapi_check::edge_answers_documented(&doc).unwrap();
        let paths: Vec<&str> = doc["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for p in [
            "/v1/transactions",
            "/v1/transactions/batch",
            "/v1/blocks/{blknum}",
            "/v1/blocks/latest",
            "/v1/status",
            "/health",
            "/metrics",
            "/openapi.json",
            "/admin/byzantine",
        ] {
            assert!(paths.contains(&p), "{p} missing from openapi.json");
        }
        let codes = &doc["components"]["schemas"]["ErrorEnvelope"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        let input = |e| ApiError::Rejected(Rejection::Input(e));
        let all = [
            ApiError::MalformedRequest(String::new()),
            ApiError::PayloadTooLarge(0),
            ApiError::BatchTooLarge { got: 0, max: 0 },
            Rejection::MalformedTx(String::new()).into(),
            Rejection::BadSignature(String::new()).into(),
            input(InputError::Unknown(0)),
            input(InputError::Spent(0)),
            input(InputError::Exit {
                pos: 0,
                phase: ExitPhase::Exiting,
            }),
            input(InputError::Exit {
                pos: 0,
                phase: ExitPhase::Exited,
            }),
            input(InputError::Pending(0)),
            Rejection::ValueNotConserved(String::new()).into(),
            Rejection::FeeTooLow {
                fee: U256::ZERO,
                min: U256::ZERO,
            }
            .into(),
            ApiError::NotFound(String::new()),
            Rejection::Unavailable.into(),
            ApiError::Internal,
        ];
        let problems = &doc["components"]["schemas"]["Status"]["properties"]["problems"]["items"]["properties"]
            ["code"]["enum"];
        assert_eq!(
            problems,
            &serde_json::json!(crate::node::REASONS),
            "health reasons documented"
        );
        let listed: Vec<&str> = codes
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        // The shared HTTP edge answers these itself (plasma_service::http).
        let edge = [
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::URI_TOO_LONG,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ]
        .map(plasma_service::http::code_for);
        let codes: Vec<&str> = all
            .iter()
            .map(ApiError::code)
            .chain(edge)
            .chain(["unhealthy"]) // GET /health
            .collect();
        assert_eq!(listed.len(), codes.len());
        for code in codes {
            assert!(listed.contains(&code), "{code} missing from openapi.json");
        }
    }
}
