//! Live sessions across server processes on one PostgreSQL (issue 16, point 5): N release
//! `beraad serve` processes on a database made for the run (dropped after), the members of
//! every session spread over them in turn (member j on server j mod N), so the member who
//! receives a contribution is always on another server than its author when N > 1. The same
//! load generator as the other live benches (`support/load.rs`): a burst (every session at
//! once) and a paced load (each session once a second). Prints ack and fan-out p50/p99, the
//! servers' CPU per contribution (all processes), and the notifications on the change feed's
//! channel (counted by a listener of the bench's own; each server receives every one).
//!
//! `BERAAD_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) is where
//! the database is created. `cargo bench --bench live_instances` (`-- quick`: fewer sessions
//! and rounds).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::SinkExt;
use serde_json::json;
use sqlx::Connection;
use tokio_tungstenite::tungstenite::Message;

#[allow(dead_code)]
#[path = "support/moderator.rs"]
mod support;
use support::{moderator_on, post, Moderator};
#[allow(dead_code)] // each bench uses part of it
#[path = "support/server.rs"]
mod server;
use server::{connect, spawn_serve, ServerGuard};
#[allow(dead_code)]
#[path = "support/load.rs"]
mod load;
use load::{cpu_us, drain_all, pct, run, settle, until, Load, Member};

const SIZE: usize = 10;

/// A database made for one configuration, dropped (with its connections) when this is.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    async fn create(admin: &str) -> Self {
        let name = format!("beraad_bench_{}_{}", std::process::id(), rand::random::<u32>());
        let mut conn = sqlx::PgConnection::connect(admin).await.expect("PostgreSQL for the bench");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
        Database { admin: admin.to_owned(), url: format!("{base}/{name}"), name }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let mut conn = sqlx::PgConnection::connect(&admin).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(_))) {
            eprintln!("could not drop the bench database {}", self.name);
        }
    }
}

/// One session whose members are spread over `addrs`, in round 5 of the dilemma method.
async fn spread_session(base: &str, addrs: &[String], moderator: &Moderator) -> Vec<Member> {
    let created = post(
        base,
        "/api/v1/sessions",
        json!({"method":"dilemma","title":"Bench","moderator_name":"M"}),
        Some(moderator),
    )
    .await;
    let session = created["session_id"].as_str().unwrap().to_owned();
    let invite = created["invite_code"].as_str().unwrap().to_owned();
    let mut members =
        vec![Member { ws: Some(connect(&addrs[0], &session, created["token"].as_str().unwrap()).await) }];
    for i in 1..SIZE {
        let role = if i == 1 { "presenter" } else { "participant" };
        let joined = post(
            base,
            &format!("/api/v1/sessions/{session}/join"),
            json!({"invite_code": invite, "display_name": format!("Deelnemer {i}"), "role": role}),
            None,
        )
        .await;
        let ws = connect(&addrs[i % addrs.len()], &session, joined["token"].as_str().unwrap()).await;
        members.push(Member { ws: Some(ws) });
    }
    let m = members[0].ws.as_mut().unwrap();
    for (i, c) in ["start", "next_round", "next_round", "next_round", "next_round"].iter().enumerate() {
        let cmd = json!({"type":"command","cid":format!("setup{i}"),"command":{"type":c}});
        m.send(Message::Text(cmd.to_string().into())).await.unwrap();
        until(m, &format!("\"setup{i}\"")).await;
    }
    settle(&mut members).await;
    members
}

/// Counts the notifications on the change feed's channel.
async fn count_notifications(url: &str) -> Arc<AtomicU64> {
    let count = Arc::new(AtomicU64::new(0));
    let mut listener = sqlx::postgres::PgListener::connect(url).await.unwrap();
    listener.listen(beraad::feed::CHANNEL).await.unwrap();
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok(Some(_)) = listener.try_recv().await {
            counted.fetch_add(1, Ordering::Relaxed);
        }
    });
    count
}

async fn configuration(admin: &str, instances: usize, sessions: usize, rounds: usize) {
    let db = Database::create(admin).await;
    let servers: Vec<(ServerGuard, String)> = (0..instances).map(|_| spawn_serve(&db.url)).collect();
    let addrs: Vec<String> = servers.iter().map(|(_, a)| a.clone()).collect();
    let pids: Vec<u32> = servers.iter().map(|(s, _)| s.0.id()).collect();
    let moderator = moderator_on(&beraad::config::DatabaseConfig::Postgres { url: db.url.clone() }).await;
    let base = format!("http://{}", addrs[0]);
    let mut open = Vec::new();
    for _ in 0..sessions {
        open.push(spread_session(&base, &addrs, &moderator).await);
        drain_all(&mut open);
    }
    let notifications = count_notifications(&db.url).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let loads = [("burst", Load::Burst), ("paced", Load::Paced { period: Duration::from_secs(1) })];
    for (i, (name, load)) in loads.into_iter().enumerate() {
        let cpu = |pids: &[u32]| pids.iter().map(|p| cpu_us(*p)).sum::<u64>();
        let (cpu_before, notified_before) = (cpu(&pids), notifications.load(Ordering::Relaxed));
        let started = std::time::Instant::now();
        let (back, mut acks, mut fans) = run(open, rounds, load, &format!("l{i}")).await;
        open = back;
        // Let the last notifications arrive.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let secs = started.elapsed().as_secs_f64();
        let n = acks.len() as f64;
        let notified = notifications.load(Ordering::Relaxed) - notified_before;
        println!(
            "{instances} server(s), {sessions} x {SIZE}, {name}: {} contributions; ack p50 {:.2} p99 {:.2} ms; \
             fan-out p50 {:.2} p99 {:.2} ms; CPU {:.0} µs per contribution (all servers); \
             {notified} notifications ({:.0}/s, {:.2} per contribution), {} deliveries to servers",
            acks.len(),
            pct(&mut acks, 0.5),
            pct(&mut acks, 0.99),
            pct(&mut fans, 0.5),
            pct(&mut fans, 0.99),
            cpu(&pids).saturating_sub(cpu_before) as f64 / n,
            notified as f64 / secs,
            notified as f64 / n,
            notified * instances as u64,
        );
    }
    drop(open);
    drop(servers);
    drop(db);
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let admin = std::env::var("BERAAD_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (full, rounds) = if quick { (20, 5) } else { (100, 20) };
    println!(
        "live_instances bench: `beraad serve` (release) processes on one PostgreSQL 15 (local), \
         clients in this process, loopback, {rounds} rounds per load"
    );
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        for (instances, sessions) in [(1, full), (2, full), (3, full), (3, full / 4), (1, full / 4)] {
            configuration(&admin, instances, sessions, rounds).await;
        }
    });
}
