//! The edge's resource bounds over real loopback TCP: stale connections beyond the limit
//! are closed while a normal client is still served, slow answers time out, and bodies
//! beyond the in-flight cap are refused with 503 while small requests go through.

use std::time::{Duration, Instant};

use axum::{
    Json, Router,
    routing::{get, post},
};
use plasma_service::{
    http::edge,
    serve::{EdgeArgs, serve},
};
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

async fn start(limits: EdgeArgs) -> String {
    let router = edge(
        Router::new()
            .route("/x", get(|| async { "ok" }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .route(
                "/hold",
                post(|Json(v): Json<Value>| async move {
                    tokio::time::sleep(Duration::from_millis(800)).await;
                    Json(v.as_str().map_or(0, str::len))
                }),
            ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, router, limits, std::future::pending()));
    format!("{addr}")
}

/// Whether the server closes `socket` within `within` (EOF or reset).
async fn closed_within(mut socket: TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let read = tokio::time::timeout(within, async {
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => continue, // an error answer before closing is fine
            }
        }
    });
    read.await.unwrap_or(false)
}

#[tokio::test]
async fn stale_connections_beyond_the_limit_are_closed_and_a_client_is_still_served() {
    let addr = start(EdgeArgs {
        max_connections: 8,
        header_read_timeout_ms: 400,
        idle_timeout_ms: 400,
        ..EdgeArgs::default()
    })
    .await;
    let mut stale = Vec::new();
    for i in 0..24 {
        let mut socket = TcpStream::connect(&addr).await.unwrap();
        if i % 2 == 0 {
            // Slowloris: a request header that never ends.
            socket
                .write_all(b"GET /x HTTP/1.1\r\nHost: a\r\nX-Slow: ")
                .await
                .unwrap();
        }
        stale.push(socket);
    }
    let started = Instant::now();
    let answer = reqwest::Client::new()
        .get(format!("http://{addr}/x"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("a normal client is served despite 24 stale connections");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "ok");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "served within the timeouts, took {:?}",
        started.elapsed()
    );
    for (i, socket) in stale.into_iter().enumerate() {
        assert!(
            closed_within(socket, Duration::from_secs(5)).await,
            "stale connection {i} was not closed"
        );
    }
}

#[tokio::test]
async fn a_slow_answer_gets_408_with_the_envelope() {
    let addr = start(EdgeArgs {
        request_timeout_ms: 200,
        ..EdgeArgs::default()
    })
    .await;
    let started = Instant::now();
    let answer = reqwest::get(format!("http://{addr}/slow")).await.unwrap();
    assert_eq!(answer.status(), 408);
    assert!(started.elapsed() < Duration::from_secs(3));
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"]["code"], "request_timeout");
    let ok = reqwest::get(format!("http://{addr}/x")).await.unwrap();
    assert_eq!(ok.status(), 200, "the service still answers");
}

#[tokio::test]
async fn bodies_beyond_the_in_flight_cap_get_503_and_small_requests_succeed() {
    let addr = start(EdgeArgs {
        max_body_bytes_in_flight: 1024 * 1024,
        ..EdgeArgs::default()
    })
    .await;
    let client = reqwest::Client::new();
    let big = serde_json::to_vec(&"a".repeat(300 * 1024)).unwrap();
    let mut large = Vec::new();
    for _ in 0..12 {
        let request = client
            .post(format!("http://{addr}/hold"))
            .header("content-type", "application/json")
            .body(big.clone());
        large.push(tokio::spawn(async move {
            let answer = request.send().await.unwrap();
            let status = answer.status().as_u16();
            (status, answer.json::<Value>().await.unwrap())
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let small = client
        .post(format!("http://{addr}/hold"))
        .header("content-type", "application/json")
        .body("\"hi\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        small.status(),
        200,
        "a small body fits beside the large ones"
    );
    assert_eq!(small.json::<Value>().await.unwrap(), 2);
    let (mut served, mut refused) = (0, 0);
    for task in large {
        match task.await.unwrap() {
            (200, body) => {
                assert_eq!(body, 300 * 1024);
                served += 1;
            }
            (503, body) => {
                assert_eq!(body["error"]["code"], "unavailable");
                refused += 1;
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert!(
        (1..=3).contains(&served),
        "at most 3 bodies of 300 KiB fit in 1 MiB, {served} served"
    );
    assert_eq!(served + refused, 12);
    let after = client
        .post(format!("http://{addr}/hold"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200, "the budget is given back");
}
