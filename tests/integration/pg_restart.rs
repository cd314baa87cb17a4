//! PostgreSQL restarted in the middle of a session (issue 16, point 4), for real: the test runs
//! a PostgreSQL cluster of its own (the machine's binaries, `initdb` into a temporary folder, a
//! free port), two `beraad serve` processes on it and the clients of one session spread over
//! them; then stops PostgreSQL (fast shutdown: every connection is cut) and starts it again
//! while the round goes on. Every instance must recover — the feed's listener reconnects and
//! the rooms it hosts catch up — every client gets every event exactly once and in order, and
//! nothing acknowledged is lost.
//!
//! Skipped with a message when the PostgreSQL 15 binaries are missing, unless
//! `BERAAD_REQUIRE_POSTGRES` is set. Run as root, the cluster runs as the `postgres` user.
//! The cluster and the servers are ended when the test ends, passes or panics (guards).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use sqlx::Connection;

use crate::harness::{TestApp, REQUIRE_POSTGRES_ENV};
use crate::multi_process::{cmd, event_seqs, listening, row, start, welcome_seq, Instance};
use crate::processes::ProcessGroup;
use crate::ws_client::{create_session, join, WsClient};

const BIN_DIR: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL cluster of the test's own, stopped (fast) when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    server: Option<ProcessGroup>,
}

impl Cluster {
    /// Creates and starts a cluster; `None` (with a message) when the binaries are missing.
    async fn start() -> Option<Cluster> {
        if !Path::new(BIN_DIR).join("initdb").exists() {
            assert!(
                std::env::var_os(REQUIRE_POSTGRES_ENV).is_none(),
                "{REQUIRE_POSTGRES_ENV} is set but {BIN_DIR}/initdb is missing"
            );
            eprintln!("pg_restart: skipped, no PostgreSQL 15 binaries in {BIN_DIR}");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        if as_root() {
            let ok = Command::new("chown").arg("postgres:postgres").arg(dir.path()).status().unwrap();
            assert!(ok.success(), "chown the cluster's folder to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cluster = Cluster { dir, port, server: None };
        let initdb = cluster
            .command("initdb")
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "-D"])
            .arg(cluster.data())
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(initdb.status.success(), "initdb: {}", String::from_utf8_lossy(&initdb.stderr));
        cluster.run().await;
        Some(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A command of the PostgreSQL binaries, as the `postgres` user when the test runs as root.
    fn command(&self, program: &str) -> Command {
        let program = Path::new(BIN_DIR).join(program);
        if as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts the server in the foreground of a process group of its own and waits until it
    /// accepts connections.
    async fn run(&mut self) {
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(self.dir.path().join("log")).unwrap();
        let mut postgres = self.command("postgres");
        postgres
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1", "-k"])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log));
        self.server = Some(ProcessGroup::spawn(postgres));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while sqlx::PgConnection::connect(&self.url("postgres")).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "PostgreSQL did not start: {}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Fast shutdown (SIGINT: every session is cut, as in `pg_ctl stop -m fast`); returns once
    /// every process of the server is gone.
    fn stop(&mut self) {
        let Some(mut server) = self.server.take() else { return };
        // The group, and each member (`runuser` may put PostgreSQL in a group of its own; the
        // guard's tag finds it anyway).
        unsafe { libc::killpg(server.pgid(), libc::SIGINT) };
        for pid in server.members() {
            unsafe { libc::kill(pid, libc::SIGINT) };
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !server.members().is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(25));
        }
        server.end(Duration::from_secs(1));
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn as_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

/// The answer to `cid` received after the frames already recorded (a resend's own answer).
async fn fresh_answer(c: &mut WsClient, cid: &str) -> Value {
    let earlier = std::mem::take(&mut c.frames);
    let answer = c.answer(cid).await;
    let later = std::mem::replace(&mut c.frames, earlier);
    c.frames.extend(later);
    answer
}

/// Sends `command` as `cid` and resends it with the same cid until it is acknowledged (the
/// protocol's rule for `not_saved`); the ack.
async fn until_saved(c: &mut WsClient, cid: &str, command: Value) -> Value {
    for _ in 0..40 {
        c.send_command_with(cid, command.clone()).await;
        let answer = fresh_answer(c, cid).await;
        if answer["type"] == "ack" {
            return answer;
        }
        assert_eq!(answer["code"], "not_saved", "{}: only a failed save may refuse it: {answer}", c.name);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{}: {cid} never saved", c.name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_mid_session_loses_nothing_and_every_instance_recovers() {
    let Some(mut cluster) = Cluster::start().await else { return };
    let mut admin = sqlx::PgConnection::connect(&cluster.url("postgres")).await.unwrap();
    sqlx::query("CREATE DATABASE beraad").execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();
    let app_name = "beraad-pg-restart";
    let url = format!("{}?application_name={app_name}", cluster.url("beraad"));
    let database = beraad::config::DatabaseConfig::Postgres { url: url.clone() };
    let children: Vec<_> = (0..2).map(|_| start(&url)).collect();
    let mut instances = Vec::new();
    for child in children {
        let (child, addr) = listening(child);
        instances.push(Instance {
            child,
            app: TestApp::of_process(format!("http://{addr}"), database.clone()).await,
        });
    }
    let (a, b) = (&instances[0].app, &instances[1].app);

    // A moderator and two participants on A, a presenter and two participants on B.
    let (session, token, invite) = create_session(a, "dilemma", Some("question_first")).await;
    let mut clients = vec![WsClient::connect(a, &session, "mod", &token, None).await];
    let (_, t) = join(b, &session, &invite, "Inbrenger", "presenter").await;
    clients.push(WsClient::connect(b, &session, "pres", &t, None).await);
    for n in 0..4 {
        let at = if n % 2 == 0 { a } else { b };
        let (_, t) = join(at, &session, &invite, &format!("Deelnemer {n}"), "participant").await;
        clients.push(WsClient::connect(at, &session, &format!("p{n}"), &t, None).await);
    }
    let connected = clients.iter().map(welcome_seq).max().unwrap();
    clients[0].ok(cmd("start")).await;
    for _ in 0..4 {
        clients[0].ok(cmd("next_round")).await; // round 5: everyone writes, everyone sees it
    }
    clients[2].ok(row("VOOR-HERSTART")).await;

    // Mid-round: p1 (on B) writes while PostgreSQL goes down and comes back.
    clients[3].send_command_with("tijdens", row("TIJDENS-HERSTART")).await;
    cluster.stop();
    // While it is down, p2 (on A) writes too: refused as not saved, or saved after the restart.
    clients[4].send_command_with("zonder-db", row("ZONDER-DB")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.run().await;

    // What was not acknowledged is sent again with the same cid, as the protocol says.
    until_saved(&mut clients[3], "tijdens", row("TIJDENS-HERSTART")).await;
    until_saved(&mut clients[4], "zonder-db", row("ZONDER-DB")).await;
    // After the restart, on both instances.
    until_saved(&mut clients[5], "na-b", row("NA-HERSTART-B")).await;
    let last = until_saved(&mut clients[2], "na-a", row("NA-HERSTART-A")).await["seq"].as_u64().unwrap();

    // Every client, on either instance, gets every event once, in order, up to the last.
    for c in clients.iter_mut() {
        c.until(|f| f["type"] == "event" && f["event"]["seq"] == last).await;
        let expected: Vec<u64> = (connected + 1..=last).collect();
        assert_eq!(event_seqs(c, connected), expected, "{} saw another sequence", c.name);
    }
    let stored = a.store().events_since(&session, 0, 10_000).await.unwrap();
    assert_eq!(stored.len() as u64, last, "the log is gap-free");
    for marker in ["VOOR-HERSTART", "TIJDENS-HERSTART", "ZONDER-DB", "NA-HERSTART-B", "NA-HERSTART-A"] {
        let copies = stored.iter().filter(|e| e.payload.to_string().contains(marker)).count();
        assert_eq!(copies, 1, "{marker} stored once");
        for c in &clients {
            let seen =
                c.frames.iter().filter(|f| f["type"] == "event" && f.to_string().contains(marker)).count();
            assert_eq!(seen, 1, "{} got {marker} once", c.name);
        }
    }

    // Both instances listen again (their feeds reconnected).
    let mut check = sqlx::PgConnection::connect(&cluster.url("postgres")).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let listening: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
        )
        .bind(app_name)
        .fetch_one(&mut check)
        .await
        .unwrap();
        if listening == 2 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{listening} of 2 listeners came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    check.close().await.unwrap();
    drop(instances);
}
