//! Memory after sessions end: opens and closes 1,000 live sessions against the release
//! `beraad serve` (SQLite) and prints the server's resident memory (VmRSS from
//! /proc/PID/status) before, at its peak, and after the sessions ended and their websockets
//! closed.
//!
//! `cargo bench --bench sessions_memory` (add `-- quick` for 100 sessions).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

#[path = "support/moderator.rs"]
mod support;
use support::Moderator;
#[path = "support/server.rs"]
mod server;
use server::{open_session, rss_kib, Bench, Ws};

async fn until(ws: &mut Ws, needle: &str) {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains(needle) => return,
            Some(Ok(_)) => {}
            other => panic!("connection ended waiting for {needle}: {other:?}"),
        }
    }
}

async fn command(ws: &mut Ws, cid: &str, command: Value) {
    ws.send(Message::Text(json!({"type":"command","cid":cid,"command":command}).to_string().into()))
        .await
        .unwrap();
    until(ws, &format!("\"cid\":\"{cid}\"")).await;
}

/// One whole session: created, four guests join and connect, a round of contributions,
/// ended; then every websocket closes.
async fn one_session(base: &str, addr: &str, moderator: &Moderator, n: usize) {
    let create = json!({"method":"dilemma","variant":"question_first","title":format!("Bench-sessie {}", ["een", "twee", "drie"][n % 3]),
           "case_text":"Een casus om te bespreken. ".repeat(200),"moderator_name":"Gespreksleider"});
    let guests = (0..4).map(|g| (format!("Gast {g}"), "participant"));
    let mut members = open_session(base, addr, moderator, create, guests).await;
    let mut m = members.remove(0);
    let mut guests = members;
    command(&mut m, "start", json!({"type":"start"})).await;
    for r in 0..4 {
        command(&mut m, &format!("next-{r}"), json!({"type":"next_round"})).await;
    }
    for (g, ws) in guests.iter_mut().enumerate() {
        let row = json!({"type":"contribute","content":{"type":"matrix_row","stakeholder":"buurman",
            "perspective":"p".repeat(400),"value":"zorg","norm":"helpen"}});
        command(ws, &format!("row-{g}"), row).await;
    }
    command(&mut m, "end", json!({"type":"end"})).await;
    for mut ws in guests.into_iter().chain(std::iter::once(m)) {
        let _ = ws.close(None).await;
        // Read the server's answer to the close, so the handshake completes.
        while let Some(Ok(_)) = ws.next().await {}
    }
}

/// The server's figures on `/metrics` that tell held state from memory the allocator keeps:
/// rooms in memory, open live connections, bytes the allocator handed out (KiB).
async fn held(metrics: &str) -> (f64, f64, f64) {
    let text = reqwest::get(format!("http://{metrics}/metrics")).await.unwrap().text().await.unwrap();
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' ')))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (
        value("beraad_live_sessions"),
        value("beraad_live_connections"),
        value("beraad_heap_in_use_bytes") / 1024.0,
    )
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let total = if quick { 100 } else { 1000 };
    // A free port for the metrics listener.
    let metrics = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let bin = std::path::PathBuf::from(
        std::env::var_os("BERAAD_BENCH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_beraad").into()),
    );
    let bench = Bench::start_with(&bin, &["--metrics-listen".into(), metrics.clone()]);
    let pid = bench.pid();
    bench.run(|base, addr, moderator| async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let before = rss_kib(pid);
        let held_before = held(&metrics).await;
        let peak = Arc::new(AtomicU64::new(before));
        let sampler = {
            let peak = peak.clone();
            tokio::spawn(async move {
                loop {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        };
        // 50 sessions at a time, each with 5 websockets.
        let started = std::time::Instant::now();
        for batch in 0..total / 50 {
            let runs = (0..50).map(|i| one_session(&base, &addr, &moderator, batch * 50 + i));
            futures_util::future::join_all(runs).await;
        }
        let elapsed = started.elapsed();
        let just_after = rss_kib(pid);
        tokio::time::sleep(Duration::from_secs(5)).await;
        sampler.abort();
        let after = rss_kib(pid);
        let held_after = held(&metrics).await;
        // Past the registry's next look at ended rooms (every 10 s), which gives memory back.
        tokio::time::sleep(Duration::from_secs(15)).await;
        let later = rss_kib(pid);
        let held_later = held(&metrics).await;
        println!("sessions_memory bench: `beraad serve` (release), SQLite, {total} sessions (5 websockets each, 50 at a time)");
        println!("  {total} sessions opened, used and ended in {:.1} s", elapsed.as_secs_f64());
        println!(
            "  server RSS: before {before} KiB, peak {} KiB, right after {just_after} KiB, 5 s after {after} KiB, 20 s after {later} KiB",
            peak.load(Ordering::Relaxed)
        );
        for (when, (rooms, connections, heap)) in
            [("before", held_before), ("5 s after", held_after), ("20 s after", held_later)]
        {
            println!("  {when}: {rooms} rooms in memory, {connections} live connections, heap in use {heap:.0} KiB");
        }
    });
}
