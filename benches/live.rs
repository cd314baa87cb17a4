//! Live-session latency bench: send → ack and send → arrival at the other participants, on
//! loopback, SQLite, release build. Prints p50/p99 and resident memory per idle connection.
//!
//! `cargo bench --bench live` (add `-- quick` for a short run).

use std::time::{Duration, Instant};

use beraad::app;
use beraad::config::{DatabaseConfig, ServeConfig};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Member {
    /// Taken out while a measuring task uses it.
    ws: Option<Ws>,
}

async fn post(base: &str, path: &str, body: Value) -> Value {
    let res = reqwest::Client::new().post(format!("{base}{path}")).json(&body).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn connect(addr: &str, session: &str, token: &str) -> Member {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws/sessions/{session}")).await.unwrap();
    ws.send(Message::Text(json!({"type":"hello","protocol":1,"token":token}).to_string().into()))
        .await
        .unwrap();
    loop {
        if let Some(Ok(Message::Text(t))) = ws.next().await {
            if t.contains("\"welcome\"") {
                break;
            }
        }
    }
    Member { ws: Some(ws) }
}

async fn until(ws: &mut Ws, needle: &str) -> Instant {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains(needle) => return Instant::now(),
            Some(Ok(_)) => {}
            other => panic!("connection ended: {other:?}"),
        }
    }
}

/// One session of `n` (moderator + presenter + n-2 participants) in round 5 of the dilemma
/// method, where everyone contributes and everyone sees it at once.
async fn session(base: &str, addr: &str, n: usize) -> Vec<Member> {
    let created =
        post(base, "/api/v1/sessions", json!({"method":"dilemma","title":"Bench","moderator_name":"M"}))
            .await;
    let session = created["session_id"].as_str().unwrap().to_owned();
    let invite = created["invite_code"].as_str().unwrap().to_owned();
    let mut members = vec![connect(addr, &session, created["token"].as_str().unwrap()).await];
    for i in 1..n {
        let role = if i == 1 { "presenter" } else { "participant" };
        let joined = post(
            base,
            &format!("/api/v1/sessions/{session}/join"),
            json!({"invite_code": invite, "display_name": format!("Deelnemer {i}"), "role": role}),
        )
        .await;
        members.push(connect(addr, &session, joined["token"].as_str().unwrap()).await);
    }
    let m = members[0].ws.as_mut().unwrap();
    for (i, c) in ["start", "next_round", "next_round", "next_round", "next_round"].iter().enumerate() {
        m.send(Message::Text(
            json!({"type":"command","cid":format!("setup{i}"),"command":{"type":c}}).to_string().into(),
        ))
        .await
        .unwrap();
        until(m, &format!("\"setup{i}\"")).await;
    }
    // Let the fan-out of the set-up settle.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for member in members.iter_mut() {
        let ws = member.ws.as_mut().unwrap();
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(20), ws.next()).await {}
    }
    members
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Each round: one sender per session writes; measures its ack and the arrival at one other member.
async fn run(sessions: &mut [Vec<Member>], rounds: usize) -> (Vec<f64>, Vec<f64>) {
    let mut acks = Vec::new();
    let mut fanouts = Vec::new();
    for r in 0..rounds {
        let mut tasks = Vec::new();
        for (s, members) in sessions.iter_mut().enumerate() {
            let sender_index = 2 + r % (members.len() - 2);
            let receiver_index = if sender_index == 2 { 3 } else { 2 };
            let mut sender = members[sender_index].ws.take().unwrap();
            let mut receiver = members[receiver_index].ws.take().unwrap();
            let marker = format!("m{s}r{r}x");
            let needle = format!("\"perspective\":\"{marker}\"");
            tasks.push(tokio::spawn(async move {
                let cmd = json!({"type":"command","cid":marker,"command":{"type":"contribute","content":{"type":"matrix_row",
                    "stakeholder":"cliënt","perspective":marker,"value":"zorg","norm":"helpen"}}});
                let sent = Instant::now();
                sender.send(Message::Text(cmd.to_string().into())).await.unwrap();
                let recv = tokio::spawn(async move {
                    let t = until(&mut receiver, &needle).await;
                    (t, receiver)
                });
                let acked = until(&mut sender, "\"ack\"").await;
                let (arrived, receiver) = recv.await.unwrap();
                (s, sender_index, receiver_index, sender, receiver, acked - sent, arrived.saturating_duration_since(sent))
            }));
        }
        for t in tasks {
            let (s, si, ri, sender, receiver, ack, fan) = t.await.unwrap();
            sessions[s][si].ws = Some(sender);
            sessions[s][ri].ws = Some(receiver);
            acks.push(ack.as_secs_f64() * 1000.0);
            fanouts.push(fan.as_secs_f64() * 1000.0);
        }
        // Drain the other members' queues so they never lag.
        for members in sessions.iter_mut() {
            for m in members.iter_mut() {
                let ws = m.ws.as_mut().unwrap();
                while let Ok(Some(_)) = tokio::time::timeout(Duration::from_micros(200), ws.next()).await {}
            }
        }
    }
    (acks, fanouts)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: DatabaseConfig::Sqlite { path: dir.path().join("bench.db") },
            base_url: "http://127.0.0.1/".parse().unwrap(),
        };
        let server = app::start(config).await.unwrap();
        let addr = server.addr.to_string();
        let base = format!("http://{addr}");
        println!("live bench, SQLite (WAL, synchronous=FULL), loopback, one process for server and clients");
        for (count, size, rounds) in [(1usize, 30usize, if quick { 20 } else { 100 }), (if quick { 20 } else { 100 }, 10, if quick { 5 } else { 20 })] {
            let before = rss_kib();
            let mut sessions = Vec::new();
            for _ in 0..count {
                sessions.push(session(&base, &addr, size).await);
            }
            let conns = count * size;
            let after = rss_kib();
            let (mut acks, mut fans) = run(&mut sessions, rounds).await;
            println!(
                "{count} session(s) x {size}: {} contributions; ack p50 {:.2} ms p99 {:.2} ms; fan-out p50 {:.2} ms p99 {:.2} ms; \
                 memory {:.1} KiB per connection (server and client side together, {conns} connections)",
                acks.len(), pct(&mut acks, 0.5), pct(&mut acks, 0.99), pct(&mut fans, 0.5), pct(&mut fans, 0.99),
                (after.saturating_sub(before)) as f64 / conns as f64
            );
        }
        server.shutdown().await.unwrap();
    });
}
