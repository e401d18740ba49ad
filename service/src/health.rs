//! Health, the same way in both services: each keeps its reasons (codes) and computes
//! the problems that hold now; [`response`] answers `/health`, [`render_gauges`] writes
//! one `…_unhealthy{reason}` gauge per reason, and [`LastSeen`] is the clock behind
//! `root_chain_unreachable`.

use std::{
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use plasma_rpc_types::HealthProblem;

use crate::http::error_response;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// When something was last seen working (starts as "now").
#[derive(Debug)]
pub struct LastSeen(AtomicU64);

impl Default for LastSeen {
    fn default() -> Self {
        Self(AtomicU64::new(now_ms()))
    }
}

impl LastSeen {
    /// It worked just now.
    pub fn touch(&self) {
        self.0.store(now_ms(), Ordering::SeqCst);
    }

    /// How long since it last worked.
    pub fn elapsed(&self) -> Duration {
        Duration::from_millis(now_ms().saturating_sub(self.0.load(Ordering::SeqCst)))
    }
}

/// `GET /health`: `200 {"status": "ok"}` without problems, else `503` with the envelope,
/// code `unhealthy`, the message naming every problem (`code: message; …`).
pub fn response(problems: &[HealthProblem]) -> Response {
    if problems.is_empty() {
        return Json(serde_json::json!({"status": "ok"})).into_response();
    }
    let reasons: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.code, p.message))
        .collect();
    error_response(
        StatusCode::SERVICE_UNAVAILABLE,
        "unhealthy",
        reasons.join("; "),
    )
}

/// Appends the gauge `metric{reason="…"}`, 1 while the reason holds, for every reason.
pub fn render_gauges(out: &mut String, metric: &str, reasons: &[&str], problems: &[HealthProblem]) {
    let _ = writeln!(
        out,
        "# HELP {metric} 1 while the reason holds (see /v1/status problems).\n# TYPE {metric} gauge"
    );
    for reason in reasons {
        let holds = problems.iter().any(|p| p.code == *reason);
        let _ = writeln!(out, "{metric}{{reason=\"{reason}\"}} {}", u8::from(holds));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauges_name_every_reason_and_health_names_every_problem() {
        let problems = [HealthProblem::new("b", "seen b")];
        let mut text = String::new();
        render_gauges(&mut text, "x_unhealthy", &["a", "b"], &problems);
        assert!(text.contains("# TYPE x_unhealthy gauge\n"));
        assert!(text.contains("x_unhealthy{reason=\"a\"} 0\n"), "{text}");
        assert!(text.contains("x_unhealthy{reason=\"b\"} 1\n"), "{text}");
        assert_eq!(response(&[]).status(), StatusCode::OK);
        assert_eq!(
            response(&problems).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn last_seen_ages() {
        let seen = LastSeen::default();
        assert!(seen.elapsed() < Duration::from_secs(1));
        seen.0.store(now_ms() - 5_000, Ordering::SeqCst);
        assert!(seen.elapsed() >= Duration::from_secs(5));
        seen.touch();
        assert!(seen.elapsed() < Duration::from_secs(1));
    }
}
