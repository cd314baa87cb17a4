//! The live path's cost, side by side with a baseline: the same load generator
//! (`support/load.rs`: 100 sessions × 10, a burst and a paced load) drives the real
//! `beraad serve` (SQLite) and a minimal tokio-tungstenite server doing the same work
//! (`baseline/server.rs`: a durable SQLite insert with group commit, the ack, the fan-out to
//! the other nine). Each runs as its own process, fresh for every run, and the two alternate
//! (the first one changes every run) so load on the machine hits both; the medians of the runs
//! are printed with Beraad's ratio to the baseline.
//!
//! Per run and server: memory per idle connection (RSS growth over the connections opened,
//! with Beraad's session set-up), ack and fan-out p50/p99 of each load, and server CPU
//! (`/proc/PID/stat`) and context switches (`/proc/PID/task/*/status`) per contribution.
//!
//! With `BERAAD_BENCH_BEFORE_BIN` set to another build of `beraad` (e.g. the previous commit's
//! release binary), that build runs as a third server in every run, for before/after figures.
//!
//! `cargo bench --bench live_baseline` (5 runs); `-- quick` for one short run; `-- runs N`;
//! `-- memory` for the memory figures only; `-- only beraad` (or `baseline`, `before`) for one
//! server, e.g. under a profiler (`BERAAD_BENCH_WRAP`, `BERAAD_BENCH_CALLGRIND`: see
//! `support/server.rs` and `support/load.rs`).

use std::io::BufRead;
use std::time::Duration;

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

#[path = "baseline/server.rs"]
mod baseline;
#[allow(dead_code)] // each bench uses part of it
#[path = "support/server.rs"]
mod server;
#[allow(dead_code)]
#[path = "support/moderator.rs"]
mod support;
use server::{connect, rss_kib, Bench, ServerGuard, Ws};
#[allow(dead_code)]
#[path = "support/load.rs"]
mod load;
use load::{drain_all, pct, run_measured, session_with_tokens, settle, until, Load, Member};

const SESSIONS: usize = 100;
const SIZE: usize = 10;

/// The servers compared: the baseline, this build of `beraad`, and another build of it.
#[derive(Clone, PartialEq)]
enum System {
    Baseline,
    Beraad,
    Before(std::path::PathBuf),
}

impl System {
    fn name(&self) -> &'static str {
        match self {
            System::Baseline => "baseline",
            System::Beraad => "beraad",
            System::Before(_) => "before",
        }
    }
}

/// One run's figures for one server.
#[derive(Default, Clone, Copy)]
struct Figures {
    /// RSS growth over the sessions' set-up and their first connections, per connection.
    kib_per_connection: f64,
    /// RSS growth over a second connection of every member, the sessions already open.
    kib_per_added_connection: f64,
    /// ack p50, ack p99, fan-out p50, fan-out p99, CPU µs, context switches; burst then paced.
    burst: [f64; 6],
    paced: [f64; 6],
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--baseline-server") {
        baseline::main(std::path::Path::new(&args[i + 1]));
        return;
    }
    let quick = args.iter().any(|a| a == "quick");
    let runs = match args.iter().position(|a| a == "runs") {
        Some(i) => args[i + 1].parse().expect("runs N"),
        None if quick => 1,
        None => 5,
    };
    // `memory`: only the memory figures (no loads).
    let rounds = if args.iter().any(|a| a == "memory") {
        0
    } else if quick {
        5
    } else {
        20
    };
    println!(
        "live_baseline bench: {SESSIONS} sessions x {SIZE}, {rounds} rounds per load, {runs} run(s) alternating; \
         each server its own process (release), SQLite WAL synchronous=FULL, clients in this process, loopback"
    );
    let mut systems = vec![System::Baseline, System::Beraad];
    if let Some(bin) = std::env::var_os("BERAAD_BENCH_BEFORE_BIN") {
        systems.push(System::Before(bin.into()));
    }
    // `only NAME`: one of the servers (baseline, beraad, before), e.g. under a profiler.
    if let Some(i) = args.iter().position(|a| a == "only") {
        systems.retain(|s| s.name() == args[i + 1]);
    }
    let mut figures: Vec<Vec<Figures>> = vec![Vec::new(); systems.len()];
    for run in 0..runs {
        // Another one first in every run.
        for k in 0..systems.len() {
            let at = (run + k) % systems.len();
            let system = &systems[at];
            let measured = match system {
                System::Baseline => measure_baseline(rounds),
                System::Beraad => measure_beraad(std::path::Path::new(env!("CARGO_BIN_EXE_beraad")), rounds),
                System::Before(bin) => measure_beraad(bin, rounds),
            };
            print_run(run, system.name(), &measured);
            figures[at].push(measured);
        }
    }
    print_medians(&systems, &figures);
}

fn measure_beraad(bin: &std::path::Path, rounds: usize) -> Figures {
    let bench = Bench::start_bin(bin);
    let pid = bench.pid();
    bench.run(|base, addr, moderator| async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_kib(pid);
        let mut sessions = Vec::new();
        let mut ids = Vec::new();
        for _ in 0..SESSIONS {
            let (id, members) = session_with_tokens(&base, &addr, SIZE, &moderator).await;
            sessions.push(members);
            ids.push(id);
            drain_all(&mut sessions);
        }
        let after = rss_kib(pid);
        // A second connection of every member (the cap is 3 a participant): what a connection
        // costs with its session, room and SQLite caches already there.
        let mut added = Vec::new();
        for (session, tokens) in &ids {
            for token in tokens {
                added.push(connect(&addr, session, token).await);
            }
            drain_all(&mut sessions);
        }
        let with_added = added_rss(pid, added, &mut sessions).await;
        let mut figures = loads(pid, sessions, rounds, before, after).await;
        figures.kib_per_added_connection = with_added.saturating_sub(after) as f64 / (SESSIONS * SIZE) as f64;
        figures
    })
}

/// The RSS with the `added` connections open and idle; then closes them (with the handshake).
async fn added_rss(pid: u32, added: Vec<Ws>, sessions: &mut [Vec<Member>]) -> u64 {
    tokio::time::sleep(Duration::from_millis(300)).await;
    drain_all(sessions);
    let rss = rss_kib(pid);
    for mut ws in added {
        let _ = ws.close(None).await;
        while let Ok(Some(Ok(_))) =
            tokio::time::timeout(Duration::from_secs(2), futures_util::StreamExt::next(&mut ws)).await
        {
        }
    }
    drain_all(sessions);
    rss
}

fn measure_baseline(rounds: usize) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let mut child = server::wrapped(&std::env::current_exe().unwrap())
        .arg("--baseline-server")
        .arg(dir.path().join("baseline.db"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the baseline server starts");
    let stdout = child.stdout.take().unwrap();
    let server = ServerGuard(child);
    let line =
        std::io::BufReader::new(stdout).lines().next().expect("the baseline prints its address").unwrap();
    let addr = line.strip_prefix("addr ").expect("addr line").to_owned();
    let pid = server.0.id();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_kib(pid);
        let mut sessions = Vec::new();
        for s in 0..SESSIONS {
            let mut members = Vec::new();
            for _ in 0..SIZE {
                members.push(Member { ws: Some(baseline_connect(&addr, s).await) });
            }
            settle(&mut members).await;
            sessions.push(members);
            drain_all(&mut sessions);
        }
        let after = rss_kib(pid);
        let mut added = Vec::new();
        for s in 0..SESSIONS {
            for _ in 0..SIZE {
                added.push(baseline_connect(&addr, s).await);
            }
            drain_all(&mut sessions);
        }
        let with_added = added_rss(pid, added, &mut sessions).await;
        let mut figures = loads(pid, sessions, rounds, before, after).await;
        figures.kib_per_added_connection = with_added.saturating_sub(after) as f64 / (SESSIONS * SIZE) as f64;
        drop(server);
        figures
    })
}

/// A member's websocket on the baseline server, after `hello` was welcomed.
async fn baseline_connect(addr: &str, session: usize) -> Ws {
    let url = format!("ws://{addr}/s/{session}");
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(server::client_config()), false)
        .await
        .unwrap();
    ws.send(Message::Text(json!({"type":"hello","protocol":1}).to_string().into())).await.unwrap();
    until(&mut ws, "\"welcome\"").await;
    ws
}

/// The burst, then the paced load, on sessions already open.
async fn loads(pid: u32, mut sessions: Vec<Vec<Member>>, rounds: usize, before: u64, after: u64) -> Figures {
    let mut figures = Figures {
        kib_per_connection: after.saturating_sub(before) as f64 / (SESSIONS * SIZE) as f64,
        ..Figures::default()
    };
    if rounds == 0 {
        return figures;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let loads = [Load::Burst, Load::Paced { period: Duration::from_secs(1) }];
    for (i, load) in loads.into_iter().enumerate() {
        let mut m = run_measured(pid, sessions, rounds, load, &format!("l{i}")).await;
        sessions = m.sessions;
        let row = [
            pct(&mut m.acks, 0.5),
            pct(&mut m.acks, 0.99),
            pct(&mut m.fans, 0.5),
            pct(&mut m.fans, 0.99),
            m.cpu_us,
            m.switches,
        ];
        if i == 0 {
            figures.burst = row
        } else {
            figures.paced = row
        }
    }
    figures
}

fn print_run(run: usize, name: &str, f: &Figures) {
    let show = |r: &[f64; 6]| {
        format!(
            "ack {:.2}/{:.2} ms, fan-out {:.2}/{:.2} ms, {:.0} µs CPU, {:.1} switches",
            r[0], r[1], r[2], r[3], r[4], r[5]
        )
    };
    println!(
        "run {} {name:>8}: {:.1} KiB/conn cold, {:.1} KiB/added conn | burst {} | paced {}",
        run + 1,
        f.kib_per_connection,
        f.kib_per_added_connection,
        show(&f.burst),
        show(&f.paced)
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn print_medians(systems: &[System], figures: &[Vec<Figures>]) {
    let names: Vec<&str> = systems.iter().map(System::name).collect();
    println!(
        "\nmedians of {} run(s): | what | {} | beraad / baseline |",
        figures[0].len(),
        names.join(" | ")
    );
    let line = |what: &str, get: &dyn Fn(&Figures) -> f64, unit: &str| {
        let medians: Vec<f64> = figures.iter().map(|f| median(f.iter().map(get).collect())).collect();
        let cells: Vec<String> = medians.iter().map(|m| format!("{m:.2} {unit}")).collect();
        let ratio = if medians.len() > 1 { format!("{:.2}x", medians[1] / medians[0]) } else { "-".into() };
        println!("| {what} | {} | {ratio} |", cells.join(" | "));
    };
    let names = [
        "ack p50",
        "ack p99",
        "fan-out p50",
        "fan-out p99",
        "server CPU per contribution",
        "context switches per contribution",
    ];
    let units = ["ms", "ms", "ms", "ms", "µs", ""];
    for (load, pick) in [("paced", 1usize), ("burst", 0)] {
        for k in 0..6 {
            let get = move |f: &Figures| if pick == 0 { f.burst[k] } else { f.paced[k] };
            line(&format!("{load}: {}", names[k]), &get, units[k]);
        }
    }
    line(
        "memory per idle connection (cold: with its session's set-up)",
        &|f: &Figures| f.kib_per_connection,
        "KiB",
    );
    line(
        "memory per added idle connection (sessions open)",
        &|f: &Figures| f.kib_per_added_connection,
        "KiB",
    );
}
