//! Live sessions across server processes on one PostgreSQL (issue 16, point 5): N release
//! `beraad serve` processes on a database made for the run (dropped after), the members of
//! every session spread over them in turn (member j on server j mod N), so the member who
//! receives a contribution is always on another server than its author when N > 1. The same
//! load generator as the other live benches (`support/load.rs`): a burst (every session at
//! once) and a paced load (each session once a second). Prints ack and fan-out p50/p99, the
//! servers' CPU per contribution (all processes), and the notifications on the change feed's
//! channel (counted by a listener of the bench's own; each server receives every one).
//!
//! Where the time goes on the way to another server: the bench's listener notes when each
//! contribution's notification arrives (PostgreSQL wakes every listener at once, so the servers'
//! listeners get it then too), which splits the fan-out into "notified" (sent → the
//! notification) and "then delivered" (the notification → the member on the other server).
//!
//! `BERAAD_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) is where
//! the database is created. `cargo bench --bench live_instances` (`-- quick`: fewer sessions
//! and rounds). `BERAAD_BENCH_CONFIGS` picks configurations as servers x sessions (default
//! `1x100,2x100,3x100,3x25,1x25`), `BERAAD_BENCH_ROUNDS` the rounds per load (default 20),
//! `BERAAD_BENCH_BEFORE_BIN` another build of `beraad` that runs each configuration too, in the
//! same run (before / after), `BERAAD_BENCH_RUNS` how often the whole list runs (default 1), and
//! `BERAAD_BENCH_BURST_EVERY_MS` how far apart the burst's rounds start (default 50).
//! The builds take turns at going first, configuration by configuration and run by run: each
//! has a fresh database, but the machine (PostgreSQL's own caches included) is warmer for the
//! second.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
use server::{connect, spawn_serve_bin, ServerGuard};
#[allow(dead_code)]
#[path = "support/load.rs"]
mod load;
use load::{cpu_us, drain_all, pct, run_timed, settle, until, Load, Member};

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

/// One session whose members are spread over `addrs`, in round 5 of the dilemma method; its id
/// and its members.
async fn spread_session(base: &str, addrs: &[String], moderator: &Moderator) -> (String, Vec<Member>) {
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
    (session, members)
}

/// The notifications on the change feed's channel: how many, and when each session's commit
/// (session id, seq) was announced.
#[derive(Default)]
struct Notifications {
    count: AtomicU64,
    committed: Mutex<HashMap<(String, u64), Instant>>,
}

async fn follow_notifications(url: &str) -> Arc<Notifications> {
    let seen = Arc::new(Notifications::default());
    let mut listener = sqlx::postgres::PgListener::connect(url).await.unwrap();
    listener.listen(beraad::feed::CHANNEL).await.unwrap();
    let noted = seen.clone();
    tokio::spawn(async move {
        while let Ok(Some(n)) = listener.try_recv().await {
            let at = Instant::now();
            noted.count.fetch_add(1, Ordering::Relaxed);
            let Ok(notice) = serde_json::from_str::<serde_json::Value>(n.payload()) else { continue };
            if let (Some(session), Some(seq)) = (notice["session"].as_str(), notice["seq"].as_u64()) {
                noted.committed.lock().unwrap().entry((session.to_owned(), seq)).or_insert(at);
            }
        }
    });
    seen
}

async fn configuration(
    bin: &Path,
    label: &str,
    admin: &str,
    instances: usize,
    sessions: usize,
    rounds: usize,
) {
    let db = Database::create(admin).await;
    let servers: Vec<(ServerGuard, String)> = (0..instances).map(|_| spawn_serve_bin(bin, &db.url)).collect();
    let addrs: Vec<String> = servers.iter().map(|(_, a)| a.clone()).collect();
    let pids: Vec<u32> = servers.iter().map(|(s, _)| s.0.id()).collect();
    let moderator = moderator_on(&beraad::config::DatabaseConfig::Postgres { url: db.url.clone() }).await;
    let base = format!("http://{}", addrs[0]);
    let (mut open, mut ids) = (Vec::new(), Vec::new());
    // Ten sessions set up at a time (the set-up is not measured).
    for chunk in (0..sessions).collect::<Vec<_>>().chunks(10) {
        let made =
            futures_util::future::join_all(chunk.iter().map(|_| spread_session(&base, &addrs, &moderator)));
        for (id, members) in made.await {
            ids.push(id);
            open.push(members);
        }
        drain_all(&mut open);
    }
    let notifications = follow_notifications(&db.url).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let loads = [("burst", Load::Burst), ("paced", Load::Paced { period: Duration::from_secs(1) })];
    for (i, (name, load)) in loads.into_iter().enumerate() {
        let cpu = |pids: &[u32]| pids.iter().map(|p| cpu_us(*p)).sum::<u64>();
        let (cpu_before, notified_before) = (cpu(&pids), notifications.count.load(Ordering::Relaxed));
        let started = Instant::now();
        let (back, timed) = run_timed(open, rounds, load, &format!("l{i}")).await;
        open = back;
        // Let the last notifications arrive.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let secs = started.elapsed().as_secs_f64();
        let n = timed.len() as f64;
        let notified = notifications.count.load(Ordering::Relaxed) - notified_before;
        let ms = |from: Instant, to: Instant| to.saturating_duration_since(from).as_secs_f64() * 1000.0;
        let mut acks: Vec<f64> = timed.iter().map(|t| ms(t.sent, t.acked)).collect();
        let mut fans: Vec<f64> = timed.iter().map(|t| ms(t.sent, t.arrived)).collect();
        // Sent → notification, and notification → arrival on the other server.
        let (mut to_notice, mut after_notice) = (Vec::new(), Vec::new());
        {
            let committed = notifications.committed.lock().unwrap();
            for t in &timed {
                if let Some(&at) = committed.get(&(ids[t.session].clone(), t.seq)) {
                    to_notice.push(ms(t.sent, at));
                    after_notice.push(ms(at, t.arrived));
                }
            }
        }
        let split = if to_notice.is_empty() {
            String::new()
        } else {
            format!(
                "; notified p50 {:.2} p99 {:.2} ms, then delivered p50 {:.2} p99 {:.2} ms ({} matched)",
                pct(&mut to_notice, 0.5),
                pct(&mut to_notice, 0.99),
                pct(&mut after_notice, 0.5),
                pct(&mut after_notice, 0.99),
                to_notice.len(),
            )
        };
        println!(
            "{label}{instances} server(s), {sessions} x {SIZE}, {name}: {} contributions; ack p50 {:.2} p99 {:.2} ms; \
             fan-out p50 {:.2} p99 {:.2} ms; CPU {:.0} µs per contribution (all servers); \
             {notified} notifications ({:.0}/s, {:.2} per contribution), {} deliveries to servers{split}",
            timed.len(),
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
    let rounds = std::env::var("BERAAD_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(rounds);
    let configs: Vec<(usize, usize)> = match std::env::var("BERAAD_BENCH_CONFIGS") {
        Ok(list) => list
            .split(',')
            .map(|c| {
                let (servers, sessions) =
                    c.trim().split_once('x').expect("configurations as SERVERSxSESSIONS");
                (servers.parse().unwrap(), sessions.parse().unwrap())
            })
            .collect(),
        Err(_) => vec![(1, full), (2, full), (3, full), (3, full / 4), (1, full / 4)],
    };
    let this: PathBuf = env!("CARGO_BIN_EXE_beraad").into();
    let mut builds = Vec::new();
    if let Some(before) = std::env::var_os("BERAAD_BENCH_BEFORE_BIN") {
        builds.push((PathBuf::from(before), "before: "));
        builds.push((this, "after: "));
    } else {
        builds.push((this, ""));
    }
    println!(
        "live_instances bench: `beraad serve` (release) processes on one PostgreSQL 15 (local), \
         clients in this process, loopback, {rounds} rounds per load"
    );
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let runs: usize = std::env::var("BERAAD_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    rt.block_on(async {
        for run in 0..runs {
            println!("run {} of {runs}", run + 1);
            for (c, &(instances, sessions)) in configs.iter().enumerate() {
                // Which build goes first changes from one run to the next for every configuration.
                for k in 0..builds.len() {
                    let (bin, label) = &builds[(k + run + c) % builds.len()];
                    configuration(bin, label, &admin, instances, sessions, rounds).await;
                }
            }
        }
    });
}
