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
use support::{moderator, post, Moderator};

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(addr: &str, session: &str, token: &str) -> Ws {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{addr}/ws/sessions/{session}").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", format!("beraad.v1, token.{token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::Text(json!({"type":"hello","protocol":1,"token":token}).to_string().into()))
        .await
        .unwrap();
    until(&mut ws, "\"welcome\"").await;
    ws
}

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
    let created = post(
        base,
        "/api/v1/sessions",
        json!({"method":"dilemma","variant":"question_first","title":format!("Sessie {n}"),
               "case_text":"Een casus om te bespreken. ".repeat(200),"moderator_name":"Gespreksleider"}),
        Some(moderator),
    )
    .await;
    let session = created["session_id"].as_str().unwrap().to_owned();
    let invite = created["invite_code"].as_str().unwrap().to_owned();
    let mut m = connect(addr, &session, created["token"].as_str().unwrap()).await;
    let mut guests = Vec::new();
    for g in 0..4 {
        let joined = post(
            base,
            &format!("/api/v1/sessions/{session}/join"),
            json!({"invite_code": invite, "display_name": format!("Gast {g}"), "role": "participant"}),
            None,
        )
        .await;
        guests.push(connect(addr, &session, joined["token"].as_str().unwrap()).await);
    }
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

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Starts the real server binary on a fresh SQLite file; returns the child and its address.
fn spawn_server(dir: &std::path::Path) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_beraad"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .arg("--database-url")
        .arg(format!("sqlite://{}", dir.join("bench.db").display()))
        .env("RUST_LOG", "warn,beraad::app=info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("server logs its address").unwrap();
        if let Some(addr) =
            serde_json::from_str::<Value>(&line).ok().and_then(|j| j["addr"].as_str().map(str::to_owned))
        {
            break addr;
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let total = if quick { 100 } else { 1000 };
    let dir = tempfile::tempdir().unwrap();
    let (child, addr) = spawn_server(dir.path());
    let server = ServerGuard(child);
    let pid = server.0.id();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let db = dir.path().join("bench.db");
    rt.block_on(async move {
        let base = format!("http://{addr}");
        let moderator = moderator(&db).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let before = rss_kib(pid);
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
        println!("sessions_memory bench: `beraad serve` (release), SQLite, {total} sessions (5 websockets each, 50 at a time)");
        println!("  {total} sessions opened, used and ended in {:.1} s", elapsed.as_secs_f64());
        println!(
            "  server RSS: before {before} KiB, peak {} KiB, right after {just_after} KiB, 5 s after {after} KiB",
            peak.load(Ordering::Relaxed)
        );
    });
    drop(server);
}

/// Stops the server when the bench ends, also when it panics.
struct ServerGuard(std::process::Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let _ = self.0.wait();
    }
}
