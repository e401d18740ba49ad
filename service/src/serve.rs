//! The accept loop both services serve their API with, so that a client cannot exhaust
//! them: a connection limit (accepting pauses at the limit, so the process never runs out
//! of file descriptors), a header-read timeout (slowloris), an idle keep-alive timeout, a
//! request timeout and a global cap on request-body bytes in flight. The flags are
//! [`EdgeArgs`], flattened into both binaries.

use std::{
    convert::Infallible,
    future::Future,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, extract::Request, http::StatusCode, response::Response};
use clap::Args;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Semaphore, watch},
};
use tower::ServiceExt;

use crate::http::{code_for, error_response};

/// The HTTP edge's resource bounds: the same flags, defaults and environment variables in
/// both services.
#[derive(Debug, Clone, Args)]
pub struct EdgeArgs {
    /// Most open client connections; at the limit the service stops accepting until one
    /// closes (new clients wait in the listen backlog).
    #[arg(long, env = "PLASMA_MAX_CONNECTIONS", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// A client must send a request's complete header within this long, in milliseconds,
    /// or its connection is closed.
    #[arg(long, env = "PLASMA_HEADER_READ_TIMEOUT_MS", default_value_t = 10_000)]
    pub header_read_timeout_ms: u64,
    /// A connection with no request in progress is closed after this long, in
    /// milliseconds (also one that never sends a request).
    #[arg(long, env = "PLASMA_IDLE_TIMEOUT_MS", default_value_t = 60_000)]
    pub idle_timeout_ms: u64,
    /// A request not answered within this long gets 408 `request_timeout`, in
    /// milliseconds.
    #[arg(long, env = "PLASMA_REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,
    /// Most request-body bytes in flight over all connections (by `Content-Length`; a body
    /// without one counts as 1 MiB). A request that would exceed it gets 503
    /// `unavailable` at once.
    #[arg(long, env = "PLASMA_MAX_BODY_BYTES_IN_FLIGHT", default_value_t = 256 * 1024 * 1024)]
    pub max_body_bytes_in_flight: u64,
}

impl Default for EdgeArgs {
    fn default() -> Self {
        Self {
            max_connections: 512,
            header_read_timeout_ms: 10_000,
            idle_timeout_ms: 60_000,
            request_timeout_ms: 30_000,
            max_body_bytes_in_flight: 256 * 1024 * 1024,
        }
    }
}

/// What a body without `Content-Length` is charged against the in-flight cap.
const UNKNOWN_LENGTH_CHARGE: u64 = 1024 * 1024;

/// Serves `router` on `listener` within `limits` until `shutdown` resolves, then stops
/// accepting, lets the requests in progress finish and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: EdgeArgs,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let max = limits.max_connections.max(1) as usize;
    let connections = Arc::new(Semaphore::new(max));
    let body_budget = Arc::new(BodyBudget::new(limits.max_body_bytes_in_flight));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(limits.header_read_timeout_ms.max(1)));
    let shared = Arc::new(Shared {
        router,
        http,
        limits,
        body_budget,
    });
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // EMFILE and the like: back off instead of spinning.
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let shared = Arc::clone(&shared);
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            shared.connection(stream, peer, stop).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a permit until it ends.
    let _ = connections.acquire_many(max as u32).await;
    Ok(())
}

struct Shared {
    router: Router,
    http: hyper::server::conn::http1::Builder,
    limits: EdgeArgs,
    body_budget: Arc<BodyBudget>,
}

/// When the connection last went idle (ms since it opened) and how many requests it has
/// in progress.
#[derive(Default)]
struct Activity {
    in_progress: AtomicUsize,
    idle_since_ms: AtomicU64,
}

impl Shared {
    async fn connection(
        &self,
        stream: TcpStream,
        peer: SocketAddr,
        mut stop: watch::Receiver<bool>,
    ) {
        let _ = stream.set_nodelay(true);
        let opened = Instant::now();
        let activity = Arc::new(Activity::default());
        let service = {
            let activity = Arc::clone(&activity);
            let router = self.router.clone();
            let budget = Arc::clone(&self.body_budget);
            let timeout = Duration::from_millis(self.limits.request_timeout_ms.max(1));
            hyper::service::service_fn(move |request: Request<Incoming>| {
                let activity = Arc::clone(&activity);
                let router = router.clone();
                let budget = Arc::clone(&budget);
                activity.in_progress.fetch_add(1, Ordering::SeqCst);
                async move {
                    let response = answer(router, &budget, timeout, request).await;
                    activity
                        .idle_since_ms
                        .store(elapsed_ms(opened), Ordering::SeqCst);
                    activity.in_progress.fetch_sub(1, Ordering::SeqCst);
                    Ok::<_, Infallible>(response)
                }
            })
        };
        let conn = self.http.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        let idle = Duration::from_millis(self.limits.idle_timeout_ms.max(1));
        let mut tick = tokio::time::interval(idle.min(Duration::from_secs(1)) / 2);
        let mut closing = false;
        loop {
            tokio::select! {
                done = conn.as_mut() => {
                    if let Err(err) = done {
                        tracing::debug!(%peer, %err, "connection ended");
                    }
                    return;
                }
                _ = stop.changed(), if !closing => {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
                _ = tick.tick(), if !closing => {
                    let busy = activity.in_progress.load(Ordering::SeqCst) > 0;
                    let since = activity.idle_since_ms.load(Ordering::SeqCst);
                    if !busy && elapsed_ms(opened).saturating_sub(since) >= idle.as_millis() as u64 {
                        tracing::debug!(%peer, "closing an idle connection");
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
        }
    }
}

fn elapsed_ms(since: Instant) -> u64 {
    since.elapsed().as_millis() as u64
}

/// One request: charged against the body budget, bounded in time.
async fn answer(
    router: Router,
    budget: &BodyBudget,
    timeout: Duration,
    request: Request<Incoming>,
) -> Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let charge = match declared {
        Some(len) => len,
        None if request
            .headers()
            .contains_key(axum::http::header::TRANSFER_ENCODING) =>
        {
            UNKNOWN_LENGTH_CHARGE
        }
        None => 0,
    };
    let Some(_reservation) = budget.reserve(charge) else {
        return error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            code_for(StatusCode::SERVICE_UNAVAILABLE),
            format!("too many request-body bytes in flight, cannot take {charge} more; retry"),
        );
    };
    let request = request.map(axum::body::Body::new);
    match tokio::time::timeout(timeout, router.oneshot(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(_) => error_response(
            StatusCode::REQUEST_TIMEOUT,
            code_for(StatusCode::REQUEST_TIMEOUT),
            format!("no answer within {} ms", timeout.as_millis()),
        ),
    }
}

/// The global cap on request-body bytes in flight.
struct BodyBudget {
    cap: u64,
    used: AtomicU64,
}

/// Bytes reserved from a [`BodyBudget`], given back on drop.
struct Reservation<'a> {
    budget: &'a BodyBudget,
    bytes: u64,
}

impl BodyBudget {
    fn new(cap: u64) -> Self {
        Self {
            cap,
            used: AtomicU64::new(0),
        }
    }

    /// Reserves `bytes`, or `None` if they would exceed the cap.
    fn reserve(&self, bytes: u64) -> Option<Reservation<'_>> {
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                used.checked_add(bytes).filter(|&total| total <= self.cap)
            })
            .ok()
            .map(|_| Reservation {
                budget: self,
                bytes,
            })
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM: both services stop gracefully on either.
pub async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}
