//! The shared HTTP edge over a real socket: every error answer has the JSON envelope.

use axum::{Json, Router, extract::Path, http::StatusCode, routing::get};
use plasma_service::http::{MAX_URI_BYTES, edge, error_response, post_json};
use serde_json::{Value, json};

async fn serve() -> String {
    let router = edge(
        Router::new()
            .route("/x", get(|| async { "ok" }))
            .route(
                "/n/{n}",
                get(|Path(n): Path<u64>| async move { n.to_string() }),
            )
            .route(
                "/echo",
                post_json(|Json(v): Json<Value>| async move { Json(v) }),
            )
            .route(
                "/own",
                get(|| async { error_response(StatusCode::CONFLICT, "own_code", "kept") }),
            ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

async fn answer(r: reqwest::RequestBuilder) -> (u16, Value, reqwest::header::HeaderMap) {
    let r = r.send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    let body = r.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body:?}"));
    (status, json, headers)
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no envelope>")
}

#[tokio::test]
async fn every_error_has_the_envelope() {
    let url = serve().await;
    let c = reqwest::Client::new();
    let long = format!("{url}/x?{}", "a".repeat(MAX_URI_BYTES));
    let cases = [
        (
            "wrong method",
            c.delete(format!("{url}/x")),
            405,
            "method_not_allowed",
        ),
        (
            "undecodable path",
            c.get(format!("{url}/n/%FF")),
            400,
            "malformed_request",
        ),
        (
            "bad number",
            c.get(format!("{url}/n/abc")),
            400,
            "malformed_request",
        ),
        ("no route", c.get(format!("{url}/nope")), 404, "not_found"),
        (
            "wrong method with a text body",
            c.put(format!("{url}/echo"))
                .header("content-type", "text/plain")
                .body("{}"),
            405,
            "method_not_allowed",
        ),
        ("long target", c.get(long), 414, "uri_too_long"),
        (
            "text body",
            c.post(format!("{url}/echo"))
                .header("content-type", "text/plain")
                .body("{}"),
            415,
            "unsupported_media_type",
        ),
        (
            "undeclared body",
            c.post(format!("{url}/echo")).body("{}"),
            415,
            "unsupported_media_type",
        ),
        (
            "bad JSON",
            c.post(format!("{url}/echo"))
                .header("content-type", "application/json")
                .body("{"),
            400,
            "malformed_request",
        ),
        (
            "own envelope kept",
            c.get(format!("{url}/own")),
            409,
            "own_code",
        ),
    ];
    for (name, request, status, want) in cases {
        let (s, body, _) = answer(request).await;
        assert_eq!((s, code(&body)), (status, want), "{name}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{name}: {body}"
        );
    }
    let (_, _, headers) = answer(c.delete(format!("{url}/x"))).await;
    assert_eq!(
        headers["allow"], "GET,HEAD",
        "the 405 keeps its Allow header"
    );
}

#[tokio::test]
async fn json_bodies_and_plain_answers_pass() {
    let url = serve().await;
    let c = reqwest::Client::new();
    for ct in [
        "application/json",
        "application/json; charset=utf-8",
        "application/merge-patch+json",
    ] {
        let r = c
            .post(format!("{url}/echo"))
            .header("content-type", ct)
            .body(r#"{"a":1}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{ct}");
        assert_eq!(r.json::<Value>().await.unwrap(), json!({"a": 1}));
    }
    let r = c.get(format!("{url}/n/7")).send().await.unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (200, "7".to_owned())
    );
}
