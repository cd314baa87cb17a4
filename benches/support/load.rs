//! The load generator of the live benches: sessions of connected members, one contribution per
//! session per round, timed from the send to the sender's `ack` and to its arrival at another
//! member. The same generator drives `beraad serve` and the baseline server
//! (`benches/baseline/server.rs`), so their figures compare. Included with `#[path]` as `load`,
//! beside `support/server.rs` (as `server`) and `support/moderator.rs` (as `support`).

use std::time::{Duration, Instant};

use futures_util::{FutureExt, SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::server::{open_session_with_tokens, Ws};
use crate::support::Moderator;

pub struct Member {
    /// Taken out while a measuring task uses it.
    pub ws: Option<Ws>,
}

/// Reads frames until one contains `needle`; the instant it arrived.
pub async fn until(ws: &mut Ws, needle: &str) -> Instant {
    until_frame(ws, needle).await.0
}

/// [`until`], with the frame.
pub async fn until_frame(ws: &mut Ws, needle: &str) -> (Instant, String) {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains(needle) => return (Instant::now(), t.to_string()),
            Some(Ok(_)) => {}
            other => panic!("connection ended: {other:?}"),
        }
    }
}

/// One session of `n` (moderator + presenter + n-2 participants) in round 5 of the dilemma
/// method, where everyone contributes and everyone sees it at once.
pub async fn session(base: &str, addr: &str, n: usize, moderator: &Moderator) -> Vec<Member> {
    session_with_tokens(base, addr, n, moderator).await.1
}

/// [`session`], with the session's id and its members' tokens (to connect them again).
pub async fn session_with_tokens(
    base: &str,
    addr: &str,
    n: usize,
    moderator: &Moderator,
) -> ((String, Vec<String>), Vec<Member>) {
    let create = json!({"method":"dilemma","title":"Bench","moderator_name":"M"});
    let guests = (1..n).map(|i| (format!("Deelnemer {i}"), if i == 1 { "presenter" } else { "participant" }));
    let open = open_session_with_tokens(base, addr, moderator, create, guests).await;
    let tokens = open.members.iter().map(|(t, _)| t.clone()).collect();
    let mut members: Vec<Member> = open.members.into_iter().map(|(_, ws)| Member { ws: Some(ws) }).collect();
    let m = members[0].ws.as_mut().unwrap();
    for (i, c) in ["start", "next_round", "next_round", "next_round", "next_round"].iter().enumerate() {
        m.send(Message::Text(
            json!({"type":"command","cid":format!("setup{i}"),"command":{"type":c}}).to_string().into(),
        ))
        .await
        .unwrap();
        until(m, &format!("\"setup{i}\"")).await;
    }
    settle(&mut members).await;
    ((open.session, tokens), members)
}

/// Reads whatever is already waiting on every client without blocking, so no client lags and
/// each answers the server's heartbeat pings (as a browser does by itself). A close from the
/// server ends the bench with its code and reason (it is never expected).
///
/// Outside tokio's cooperative budget: within one poll of the calling task the budget runs out
/// after 128 socket operations, and every socket after that reads as "not ready". Drained
/// within the budget, only the first 64 or so clients answered their pings (a pong is a read
/// and a write): with a drain every half second while sessions were added, about 130 pongs a
/// second for a server that pings every connection every 15 s, so from about 2,000 connections
/// on the last ones in the list went silent for two heartbeats and the server closed them
/// (1001 "no pong"), as it should.
pub fn drain_all(sessions: &mut [Vec<Member>]) {
    for (s, session) in sessions.iter_mut().enumerate() {
        for (m, member) in session.iter_mut().enumerate() {
            let ws = member.ws.as_mut().unwrap();
            while let Some(Some(read)) = tokio::task::unconstrained(ws.next()).now_or_never() {
                if let Ok(Message::Close(_)) | Err(_) = read {
                    panic!("session {s} member {m}: the server ended the connection: {read:?}");
                }
            }
        }
    }
}

/// Reads for a moment on every member, so what a set-up sent is gone before measuring.
pub async fn settle(members: &mut [Member]) {
    tokio::time::sleep(Duration::from_millis(200)).await;
    for member in members.iter_mut() {
        let ws = member.ws.as_mut().unwrap();
        while let Ok(Some(read)) = tokio::time::timeout(Duration::from_millis(20), ws.next()).await {
            if let Ok(Message::Close(_)) | Err(_) = read {
                panic!("the server ended a connection during set-up: {read:?}");
            }
        }
    }
}

/// The CPU time process `pid` has used (all its threads, user + system; `/proc/PID/stat`), in
/// microseconds (at the kernel's clock-tick resolution, usually 10 ms).
pub fn cpu_us(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name, which is in parentheses: state is the first of them.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // SAFETY: sysconf reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    ticks * 1_000_000 / per_second
}

/// The context switches (voluntary and not) of every live thread of process `pid`, from
/// `/proc/PID/task/*/status`.
pub fn context_switches(pid: u32) -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else { continue };
        for line in status.lines() {
            if line.starts_with("voluntary_ctxt_switches") || line.starts_with("nonvoluntary_ctxt_switches") {
                total += line.split_whitespace().nth(1).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            }
        }
    }
    total
}

/// The `p` quantile (0..=1) of `v`.
pub fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// How the sessions' contributions are spread in time.
#[derive(Clone, Copy)]
pub enum Load {
    /// Every session sends at the same instant, each round (the worst case): rounds start
    /// [`burst_every`] apart, and a session whose previous contribution has not arrived yet
    /// sends as soon as it has.
    Burst,
    /// Each session sends once per `period`, the sessions evenly staggered within it.
    Paced { period: Duration },
}

/// How far apart the rounds of a [`Load::Burst`] start: 50 ms, or `BERAAD_BENCH_BURST_EVERY_MS`.
/// At 50 ms a round of 100 sessions comes before the one before it is through on this
/// machine, so the burst measures a backlog; a longer gap measures one burst at a time.
pub fn burst_every() -> Duration {
    let ms = std::env::var("BERAAD_BENCH_BURST_EVERY_MS").ok().and_then(|v| v.parse().ok());
    Duration::from_millis(ms.unwrap_or(50))
}

/// Runs `rounds` rounds; in each, one member per session (never the first two: the moderator
/// and the presenter) contributes, and the ack and the arrival at the next member of the same
/// session are timed. One task per session. Returns the sessions, the acks and the arrivals
/// (ms).
pub async fn run(
    sessions: Vec<Vec<Member>>,
    rounds: usize,
    load: Load,
    tag: &str,
) -> (Vec<Vec<Member>>, Vec<f64>, Vec<f64>) {
    let (sessions, timed) = run_timed(sessions, rounds, load, tag).await;
    let ms = |from: Instant, to: Instant| to.saturating_duration_since(from).as_secs_f64() * 1000.0;
    let acks = timed.iter().map(|t| ms(t.sent, t.acked)).collect();
    let fans = timed.iter().map(|t| ms(t.sent, t.arrived)).collect();
    (sessions, acks, fans)
}

/// One timed contribution of [`run_timed`].
#[allow(dead_code)] // which fields a bench reads is its own choice
pub struct Timed {
    /// The session's index in the list given to [`run_timed`].
    pub session: usize,
    /// The seq its ack named.
    pub seq: u64,
    pub sent: Instant,
    pub acked: Instant,
    /// When it arrived at the receiving member.
    pub arrived: Instant,
}

/// [`run`], with the instants of every contribution and the seq it was committed as.
pub async fn run_timed(
    sessions: Vec<Vec<Member>>,
    rounds: usize,
    load: Load,
    tag: &str,
) -> (Vec<Vec<Member>>, Vec<Timed>) {
    let count = sessions.len() as u32;
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let burst_every = burst_every();
    let mut tasks = Vec::new();
    for (s, mut members) in sessions.into_iter().enumerate() {
        let tag = tag.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut timed = Vec::new();
            for r in 0..rounds {
                let at = match load {
                    Load::Burst => start + burst_every * r as u32,
                    Load::Paced { period } => start + period * r as u32 + period / count * s as u32,
                };
                tokio::time::sleep_until(at).await;
                // The member after the sender receives (with members spread over several
                // servers in turn, always one on another server).
                let writers = members.len() - 2;
                let sender_index = 2 + r % writers;
                let receiver_index = 2 + (r + 1) % writers;
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
                let (acked, ack) = until_frame(sender, "\"ack\"").await;
                let (arrived, receiver) = recv.await.unwrap();
                members[receiver_index].ws = Some(receiver);
                let seq = serde_json::from_str::<serde_json::Value>(&ack).unwrap()["seq"].as_u64().unwrap();
                timed.push(Timed { session: s, seq, sent, acked, arrived });
                drain_all(std::slice::from_mut(&mut members));
            }
            (members, timed)
        }));
    }
    let (mut all, mut timed) = (Vec::new(), Vec::new());
    for t in tasks {
        let (members, these) = t.await.unwrap();
        all.push(members);
        timed.extend(these);
    }
    (all, timed)
}

/// One load's figures: latencies (ms) and what the server process spent per contribution.
pub struct Measured {
    pub sessions: Vec<Vec<Member>>,
    pub acks: Vec<f64>,
    pub fans: Vec<f64>,
    /// Server CPU (user + system, all threads) per contribution, µs.
    pub cpu_us: f64,
    /// Server context switches per contribution.
    pub switches: f64,
}

/// [`run`], with the server process's CPU time and context switches over the run.
pub async fn run_measured(
    pid: u32,
    sessions: Vec<Vec<Member>>,
    rounds: usize,
    load: Load,
    tag: &str,
) -> Measured {
    let (cpu, switches) = (cpu_us(pid), context_switches(pid));
    callgrind(pid, "--zero");
    let (sessions, acks, fans) = run(sessions, rounds, load, tag).await;
    callgrind(pid, "--dump");
    let n = acks.len() as f64;
    Measured {
        sessions,
        acks,
        fans,
        cpu_us: cpu_us(pid).saturating_sub(cpu) as f64 / n,
        switches: context_switches(pid).saturating_sub(switches) as f64 / n,
    }
}

/// With `BERAAD_BENCH_CALLGRIND` set (the server running under `valgrind --tool=callgrind`,
/// see `BERAAD_BENCH_WRAP`): zeroes its counters before a load and dumps them after, so each
/// dump holds the instructions of one load.
fn callgrind(pid: u32, what: &str) {
    if std::env::var_os("BERAAD_BENCH_CALLGRIND").is_some() {
        let _ = std::process::Command::new("callgrind_control").arg(what).arg(pid.to_string()).status();
    }
}
