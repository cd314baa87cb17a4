//! Live-session latency bench: send → ack and send → arrival at the other participants, on
//! loopback, SQLite, release build, against the real `beraad serve` process. Prints p50/p99 and
//! the server's resident memory per idle connection.
//!
//! `cargo bench --bench live` (add `-- quick` for a short run).

use std::time::{Duration, Instant};

use futures_util::{FutureExt, SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

#[path = "support/moderator.rs"]
mod support;
use support::Moderator;
#[path = "support/server.rs"]
mod server;
use server::{open_session, rss_kib, Bench, Ws};

struct Member {
    /// Taken out while a measuring task uses it.
    ws: Option<Ws>,
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
async fn session(base: &str, addr: &str, n: usize, moderator: &Moderator) -> Vec<Member> {
    let create = json!({"method":"dilemma","title":"Bench","moderator_name":"M"});
    let guests = (1..n).map(|i| (format!("Deelnemer {i}"), if i == 1 { "presenter" } else { "participant" }));
    let open = open_session(base, addr, moderator, create, guests).await;
    let mut members: Vec<Member> = open.into_iter().map(|ws| Member { ws: Some(ws) }).collect();
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

/// Reads whatever is already waiting on every client without blocking, so no client lags and
/// each answers the server's heartbeat pings (as a browser does by itself).
fn drain_all(sessions: &mut [Vec<Member>]) {
    for member in sessions.iter_mut().flatten() {
        let ws = member.ws.as_mut().unwrap();
        while let Some(Some(_)) = ws.next().now_or_never() {}
    }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// How the sessions' contributions are spread in time.
#[derive(Clone, Copy)]
enum Load {
    /// Every session sends at the same instant, each round (the worst case).
    Burst,
    /// Each session sends once per `period`, the sessions evenly staggered within it.
    Paced { period: Duration },
}

/// Runs `rounds` rounds; in each, one member per session contributes, and the ack and the
/// arrival at another member of the same session are timed. One task per session.
async fn run(
    sessions: Vec<Vec<Member>>,
    rounds: usize,
    load: Load,
    tag: &str,
) -> (Vec<Vec<Member>>, Vec<f64>, Vec<f64>) {
    let count = sessions.len() as u32;
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::new();
    for (s, mut members) in sessions.into_iter().enumerate() {
        let tag = tag.to_owned();
        tasks.push(tokio::spawn(async move {
            let (mut acks, mut fans) = (Vec::new(), Vec::new());
            for r in 0..rounds {
                let at = match load {
                    Load::Burst => start + Duration::from_millis(50) * r as u32,
                    Load::Paced { period } => start + period * r as u32 + period / count * s as u32,
                };
                tokio::time::sleep_until(at).await;
                let sender_index = 2 + r % (members.len() - 2);
                let receiver_index = if sender_index == 2 { 3 } else { 2 };
                // Unique per run: a reused cid would be answered as a duplicate and fan out nothing.
                let marker = format!("{tag}s{s}r{r}x");
                let cmd = json!({"type":"command","cid":marker,"command":{"type":"contribute","content":{"type":"matrix_row",
                    "stakeholder":"cliënt","perspective":marker,"value":"zorg","norm":"helpen"}}});
                let mut receiver = members[receiver_index].ws.take().unwrap();
                let needle = format!("\"perspective\":\"{marker}\"");
                let sent = Instant::now();
                let sender = members[sender_index].ws.as_mut().unwrap();
                sender.send(Message::Text(cmd.to_string().into())).await.unwrap();
                let recv = tokio::spawn(async move { (until(&mut receiver, &needle).await, receiver) });
                let acked = until(sender, "\"ack\"").await;
                let (arrived, receiver) = recv.await.unwrap();
                members[receiver_index].ws = Some(receiver);
                acks.push((acked - sent).as_secs_f64() * 1000.0);
                fans.push(arrived.saturating_duration_since(sent).as_secs_f64() * 1000.0);
                drain_all(std::slice::from_mut(&mut members));
            }
            (members, acks, fans)
        }));
    }
    let (mut all, mut acks, mut fans) = (Vec::new(), Vec::new(), Vec::new());
    for t in tasks {
        let (members, a, f) = t.await.unwrap();
        all.push(members);
        acks.extend(a);
        fans.extend(f);
    }
    (all, acks, fans)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let bench = Bench::start();
    let pid = bench.pid();
    bench.run(|base, addr, moderator| async move {
        println!("live bench: `beraad serve` (release) as its own process, SQLite (WAL, synchronous=FULL),");
        println!("clients in this process, loopback, 2 cores shared by both");
        let scenarios: [(usize, usize, usize); 2] = if quick { [(1, 30, 20), (20, 10, 5)] } else { [(1, 30, 100), (100, 10, 20)] };
        for (count, size, rounds) in scenarios {
            let before = rss_kib(pid);
            let mut sessions = Vec::new();
            for _ in 0..count {
                sessions.push(session(&base, &addr, size, &moderator).await);
                drain_all(&mut sessions);
            }
            let conns = count * size;
            let after = rss_kib(pid);
            println!(
                "{count} session(s) x {size}: server memory {:.1} KiB per connection \
                 ({conns} idle connections with their rooms; RSS {before} -> {after} KiB)",
                (after.saturating_sub(before)) as f64 / conns as f64
            );
            let loads = [
                ("burst: every session at the same instant", Load::Burst),
                ("paced: each session once a second, staggered", Load::Paced { period: Duration::from_secs(1) }),
            ];
            for (i, (name, load)) in loads.into_iter().enumerate() {
                let (back, mut acks, mut fans) = run(sessions, rounds, load, &format!("l{i}")).await;
                sessions = back;
                println!(
                    "  {name}: {} contributions; ack p50 {:.2} ms p99 {:.2} ms; fan-out p50 {:.2} ms p99 {:.2} ms",
                    acks.len(), pct(&mut acks, 0.5), pct(&mut acks, 0.99), pct(&mut fans, 0.5), pct(&mut fans, 0.99),
                );
            }
        }
    });
}
