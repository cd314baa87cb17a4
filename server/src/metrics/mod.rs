//! Prometheus metrics (`prometheus-client`), served in the text format on their own address
//! (`beraad serve --metrics-listen`, never on the public port). The parts of the server record
//! through the one-line hooks below; docs/operations.md lists every metric with example alerts.
//!
//! Label values come from fixed sets (outcome and close-reason codes), never from input, so
//! the number of series is bounded.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::LazyLock;
use std::time::Instant;

use axum::http::header;
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::{EncodeLabelSet, EncodeMetric, MetricEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::{Metric, Registry, Unit};
use tokio_util::sync::CancellationToken;

use crate::store::DynStore;

mod depth_histogram;
use depth_histogram::DepthHistogram;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Outcome {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Close {
    pub code: u16,
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolState {
    pub state: &'static str,
}

/// Every metric, registered once per process.
pub struct Metrics {
    registry: Registry,
    live_connections: Gauge,
    live_sessions: Gauge,
    commands: Family<Outcome, Counter>,
    command_seconds: Histogram,
    commit_seconds: Histogram,
    outbox_depth: DepthHistogram,
    closes: Family<Close, Counter>,
    search_seconds: Histogram,
    scan_seconds: Histogram,
    sign_ins: Family<Outcome, Counter>,
    pool: Family<PoolState, Gauge>,
    heap_in_use: Gauge,
}

fn seconds() -> Histogram {
    // 0.5 ms … about 16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// One registration: name (prefixed `beraad_`), help, unit (a suffix of the name), the metric.
type Row = (&'static str, &'static str, Option<Unit>, Box<dyn Metric>);

/// A metric of any kind, so that the registrations below are rows of one table.
#[derive(Debug)]
struct AnyMetric(Box<dyn Metric>);

impl EncodeMetric for AnyMetric {
    fn encode(&self, encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        self.0.encode(encoder)
    }

    fn metric_type(&self) -> MetricType {
        self.0.metric_type()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("beraad");
    let m = Metrics {
        live_connections: Gauge::default(),
        live_sessions: Gauge::default(),
        commands: Family::default(),
        command_seconds: seconds(),
        commit_seconds: seconds(),
        outbox_depth: DepthHistogram::new(&[0, 1, 4, 16, 64, 128, 255]),
        closes: Family::default(),
        search_seconds: seconds(),
        scan_seconds: seconds(),
        sign_ins: Family::default(),
        pool: Family::default(),
        heap_in_use: Gauge::default(),
        registry: Registry::default(),
    };
    let table: [Row; 12] = [
        ("live_connections", "Open live (websocket) connections", None, Box::new(m.live_connections.clone())),
        ("live_sessions", "Live sessions with a room in this process", None, Box::new(m.live_sessions.clone())),
        (
            "commands",
            "Live commands answered, by outcome (ack, duplicate or error code)",
            None,
            Box::new(m.commands.clone()),
        ),
        (
            "command_duration",
            "From a command reaching its room to its ack or error (decide, commit, fan-out)",
            Some(Unit::Seconds),
            Box::new(m.command_seconds.clone()),
        ),
        (
            "event_log_commit_duration",
            "One append to the event log, until durable",
            Some(Unit::Seconds),
            Box::new(m.commit_seconds.clone()),
        ),
        (
            "search_duration",
            "Archive searches, index refresh included",
            Some(Unit::Seconds),
            Box::new(m.search_seconds.clone()),
        ),
        (
            "scan_duration",
            "Anonymisation scans of a precedent's text fields",
            Some(Unit::Seconds),
            Box::new(m.scan_seconds.clone()),
        ),
        (
            "fanout_queue_depth",
            "Frames already waiting in a connection's outgoing queue when one more is queued (capacity 256)",
            None,
            Box::new(m.outbox_depth.clone()),
        ),
        ("live_closes", "Live connections ended, by close code and reason", None, Box::new(m.closes.clone())),
        ("sign_ins", "Sign-in attempts, by outcome (ok, failed, throttled)", None, Box::new(m.sign_ins.clone())),
        (
            "db_pool_connections",
            "Database pool connections, by state (in_use, idle, max)",
            None,
            Box::new(m.pool.clone()),
        ),
        (
            "heap_in_use",
            "Memory the allocator handed out and got not back yet (glibc); the resident size above it is free memory the allocator keeps",
            Some(Unit::Bytes),
            Box::new(m.heap_in_use.clone()),
        ),
    ];
    for (name, help, unit, metric) in table {
        match unit {
            Some(unit) => registry.register_with_unit(name, help, unit, AnyMetric(metric)),
            None => registry.register(name, help, AnyMetric(metric)),
        }
    }
    Metrics { registry, ..m }
});

/// Counts while alive: held by whatever it counts (a connection task, a room task).
pub struct Counted(&'static Gauge);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.dec();
    }
}

fn counted(gauge: &'static Gauge) -> Counted {
    gauge.inc();
    Counted(gauge)
}

/// Observes the time until dropped.
pub struct Timer(&'static Histogram, Instant);

impl Drop for Timer {
    fn drop(&mut self) {
        self.0.observe(self.1.elapsed().as_secs_f64());
    }
}

/// One open live connection, for as long as the value lives.
pub fn live_connection() -> Counted {
    counted(&METRICS.live_connections)
}

/// One live session's room, for as long as the value lives.
pub fn live_session() -> Counted {
    counted(&METRICS.live_sessions)
}

/// A command answered with `outcome` after `started`.
pub fn command(outcome: &'static str, started: Instant) {
    METRICS.commands.get_or_create(&Outcome { outcome }).inc();
    METRICS.command_seconds.observe(started.elapsed().as_secs_f64());
}

/// Times one event-log append.
pub async fn commit<F: Future>(append: F) -> F::Output {
    let _timer = Timer(&METRICS.commit_seconds, Instant::now());
    append.await
}

/// Frames waiting in a connection's queue when another is queued.
pub fn fanout_queue_depth(depth: usize) {
    METRICS.outbox_depth.observe(depth as u64);
}

/// A live connection ended; `None`: the client closed it.
pub fn live_close(end: crate::live::CloseReason) {
    let reason = match end {
        crate::live::CloseReason::ECHO => "closed by the client",
        _ if end.reason.is_empty() => "connection lost",
        _ => end.reason,
    };
    METRICS.closes.get_or_create(&Close { code: end.code, reason }).inc();
}

/// Times an archive search until dropped.
pub fn search_timer() -> Timer {
    Timer(&METRICS.search_seconds, Instant::now())
}

/// Times an anonymisation scan until dropped.
pub fn scan_timer() -> Timer {
    Timer(&METRICS.scan_seconds, Instant::now())
}

/// A sign-in attempt's outcome: `ok`, `failed` or `throttled`.
pub fn sign_in(outcome: &'static str) {
    METRICS.sign_ins.get_or_create(&Outcome { outcome }).inc();
}

/// The registry in the Prometheus text format, with the pool figures read now.
pub fn render(store: &DynStore) -> String {
    let pool = store.pool_use();
    for (state, value) in [("in_use", pool.in_use), ("idle", pool.idle), ("max", pool.max)] {
        METRICS.pool.get_or_create(&PoolState { state }).set(i64::from(value));
    }
    if let Some(bytes) = crate::heap::in_use_bytes() {
        METRICS.heap_in_use.set(i64::try_from(bytes).unwrap_or(i64::MAX));
    }
    encode()
}

fn encode() -> String {
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &METRICS.registry).expect("writing to a String");
    text
}

/// Binds the metrics address (before the server starts, so a taken port stops it early).
pub async fn bind(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    use anyhow::Context;
    tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen for metrics on {addr}"))
}

/// Serves `GET /metrics` on `listener` until `stop` is cancelled.
pub fn serve(
    listener: tokio::net::TcpListener,
    store: DynStore,
    stop: CancellationToken,
) -> anyhow::Result<SocketAddr> {
    let bound = listener.local_addr()?;
    let router = Router::new().route(
        "/metrics",
        get(move || {
            let store = store.clone();
            async move {
                (
                    [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
                    render(&store),
                )
            }
        }),
    );
    tokio::spawn(async move {
        let served = axum::serve(listener, router).with_graceful_shutdown(stop.cancelled_owned()).await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "the metrics listener failed");
        }
    });
    tracing::info!(addr = %bound, "metrics on /metrics");
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str, series: &str) -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|r| r.strip_prefix(' ')))
            .map_or(0.0, |v| v.trim().parse().unwrap())
    }

    // The scan hook (the live flow in tests/integration/metrics.rs moves the others).
    #[test]
    fn the_scan_timer_observes_once_when_dropped() {
        let before = count(&encode(), "beraad_scan_duration_seconds_count");
        drop(scan_timer());
        assert_eq!(count(&encode(), "beraad_scan_duration_seconds_count"), before + 1.0);
    }
}
