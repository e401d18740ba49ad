//! The HTTP edge both services share, so that every answer a client can get is the one
//! documented: each error carries the JSON envelope `{"error": {"code", "message"}}`, also
//! those axum produces by itself (405, undecodable path parameters, …); URIs have a length
//! limit; and a request body must be declared `application/json`.

use axum::{
    Json, Router,
    body::to_bytes,
    extract::Request,
    handler::Handler,
    http::{StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{MethodRouter, post},
};
use plasma_rpc_types::ErrorBody;

/// The longest request target (path and query) accepted, in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The longest message kept from a plain-text error body.
const MAX_MESSAGE_BYTES: usize = 1024;

/// An error answer with the envelope.
pub fn error_response(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(ErrorBody::new(code, message))).into_response()
}

/// The code of an error answer the service did not build itself, by its status.
pub const fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "malformed_request",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_requests",
        503 => "unavailable",
        500..=599 => "internal",
        _ => "http_error",
    }
}

/// Puts the shared edge in front of every route of `router` (fallbacks included).
pub fn edge<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(middleware::from_fn(envelope_errors))
        .layer(middleware::from_fn(limit_uri))
}

/// A POST route whose body must be declared `application/json` (else 415
/// `unsupported_media_type`). The check runs only when the method matches, so another
/// method on the path still gets 405.
pub fn post_json<H, T, S>(handler: H) -> MethodRouter<S>
where
    H: Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    post(handler).route_layer(middleware::from_fn(require_json))
}

async fn limit_uri(request: Request, next: Next) -> Response {
    let len = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return error_response(
            StatusCode::URI_TOO_LONG,
            code_for(StatusCode::URI_TOO_LONG),
            format!("request target of {len} bytes exceeds {MAX_URI_BYTES}"),
        );
    }
    next.run(request).await
}

/// Whether a `Content-Type` value is JSON (`application/json`, `application/x+json`,
/// parameters such as `charset` allowed).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

async fn require_json(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if !declared.is_some_and(is_json) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code_for(StatusCode::UNSUPPORTED_MEDIA_TYPE),
            format!(
                "the body must be application/json, not {}",
                declared.unwrap_or("undeclared")
            ),
        );
    }
    next.run(request).await
}

async fn envelope_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json_answer = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json);
    if !(status.is_client_error() || status.is_server_error()) || is_json_answer {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = to_bytes(body, MAX_MESSAGE_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let message = if text.is_empty() || status.is_server_error() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut enveloped = error_response(status, code_for(status), message);
    // Keep what the answer means beyond its body (`Allow` on a 405, …).
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            enveloped.headers_mut().insert(name, value.clone());
        }
    }
    enveloped
}
