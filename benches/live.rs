//! Live-session latency bench: send → ack and send → arrival at the other participants, on
//! loopback, SQLite, release build, against the real `beraad serve` process. Prints p50/p99 and
//! the server's resident memory per idle connection.
//!
//! `cargo bench --bench live` (add `-- quick` for a short run). `-- capacity`: what one SQLite
//! instance carries — sessions of 10 added 50 or 100 at a time up to 600 (or
//! `BERAAD_BENCH_CAPACITY_MAX`), both loads measured at each step (for `docs/deploy.md`); with
//! `BERAAD_BENCH_BEFORE_BIN` another build's steps first.

use std::time::Duration;

#[path = "support/server.rs"]
mod server;
#[path = "support/moderator.rs"]
mod support;
use server::{rss_kib, Bench};
#[path = "support/load.rs"]
mod load;
use load::{drain_all, pct, run_measured, session, Load};

/// Adds sessions of 10 step by step and measures both loads at each step.
async fn capacity(pid: u32, base: String, addr: String, moderator: support::Moderator) {
    println!("capacity: sessions x 10 on one SQLite instance, 10 rounds per load at each step");
    let mut sessions = Vec::new();
    let most: usize =
        std::env::var("BERAAD_BENCH_CAPACITY_MAX").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let steps = [50, 100].into_iter().chain((200..=most).step_by(100));
    for count in steps {
        while sessions.len() < count {
            sessions.push(session(&base, &addr, 10, &moderator).await);
            drain_all(&mut sessions);
        }
        let loads = [("burst", Load::Burst), ("paced", Load::Paced { period: Duration::from_secs(1) })];
        for (i, (name, load)) in loads.into_iter().enumerate() {
            let mut m = run_measured(pid, sessions, 10, load, &format!("c{count}l{i}")).await;
            sessions = m.sessions;
            println!(
                "  {count} x 10 ({} connections), {name}: ack p50 {:.2} p99 {:.2} ms; fan-out p99 {:.2} ms; \
                 {:.0} µs CPU per contribution; RSS {} KiB",
                count * 10,
                pct(&mut m.acks, 0.5),
                pct(&mut m.acks, 0.99),
                pct(&mut m.fans, 0.99),
                m.cpu_us,
                rss_kib(pid),
            );
        }
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    if std::env::args().any(|a| a == "capacity") {
        // With BERAAD_BENCH_BEFORE_BIN (another release build of `beraad`), that build first.
        if let Some(before) = std::env::var_os("BERAAD_BENCH_BEFORE_BIN") {
            println!("before ({}):", before.to_string_lossy());
            let bench = Bench::start_bin(std::path::Path::new(&before));
            let pid = bench.pid();
            let stopped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                bench.run(|base, addr, moderator| capacity(pid, base, addr, moderator))
            }));
            if stopped.is_err() {
                println!("  (the build before stopped here)");
            }
            println!("after (this build):");
        }
        let bench = Bench::start();
        let pid = bench.pid();
        bench.run(|base, addr, moderator| capacity(pid, base, addr, moderator));
        return;
    }
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
                let mut m = run_measured(pid, sessions, rounds, load, &format!("l{i}")).await;
                sessions = m.sessions;
                println!(
                    "  {name}: {} contributions; ack p50 {:.2} ms p99 {:.2} ms; fan-out p50 {:.2} ms p99 {:.2} ms; \
                     server CPU {:.0} µs and {:.1} context switches per contribution",
                    m.acks.len(), pct(&mut m.acks, 0.5), pct(&mut m.acks, 0.99), pct(&mut m.fans, 0.5),
                    pct(&mut m.fans, 0.99), m.cpu_us, m.switches,
                );
            }
        }
    });
}
