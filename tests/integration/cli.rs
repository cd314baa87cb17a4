//! The real `beraad` binary: bad configuration gives one clear line and a non-zero exit;
//! `serve` starts, answers and stops cleanly on SIGTERM; `migrate` and `--help` work.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{fresh_postgres, fresh_sqlite, store_on};
use crate::processes::KillOnDrop;
use beraad::config::DatabaseConfig;
use beraad::store::NewOrganisation;

const BIN: &str = env!("CARGO_BIN_EXE_beraad");

pub(crate) fn beraad(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("BERAAD_DATABASE_URL")
        .env_remove("BERAAD_LISTEN")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

pub(crate) fn url_of(database: &DatabaseConfig) -> String {
    match database {
        DatabaseConfig::Sqlite { path } => format!("sqlite://{}", path.display()),
        DatabaseConfig::Postgres { url } => url.clone(),
    }
}

/// Exactly one line on stderr, containing `needle`, no panic, exit code non-zero.
pub(crate) fn assert_one_line_error(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line expected, got:\n{stderr}");
    assert!(stderr.starts_with("beraad: error: "), "{stderr}");
    assert!(stderr.contains(needle), "expected '{needle}' in: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn unknown_database_scheme() {
    let out =
        beraad(&["serve", "--listen", "127.0.0.1:0", "--database-url", "mysql://root@localhost/beraad"]);
    assert_one_line_error(&out, "unsupported database URL scheme 'mysql'");
}

#[test]
fn invalid_organisation_code() {
    let out = beraad(&["serve", "--listen", "127.0.0.1:0", "--org", "gem-utrecht"]);
    assert_one_line_error(&out, "invalid organisation code 'gem-utrecht'");
}

#[test]
fn database_url_from_the_environment() {
    let out = Command::new(BIN)
        .args(["migrate"])
        .env("BERAAD_DATABASE_URL", "redis://127.0.0.1/0")
        .output()
        .unwrap();
    assert_one_line_error(&out, "'redis'");
}

#[test]
fn unreachable_database() {
    let out = beraad(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        "postgres://postgres:geheim@127.0.0.1:1/x",
    ]);
    assert_one_line_error(&out, "cannot connect to PostgreSQL at postgres://postgres:***@127.0.0.1:1/x");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("geheim"), "the password is never printed");
}

#[test]
fn unwritable_database_file() {
    // /proc refuses new files even to root.
    let out =
        beraad(&["serve", "--listen", "127.0.0.1:0", "--database-url", "sqlite:///proc/beraad/beraad.db"]);
    assert_one_line_error(&out, "cannot open the SQLite database /proc/beraad/beraad.db");
}

#[test]
fn port_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (database, _dir) = fresh_sqlite();
    let listen = format!("127.0.0.1:{port}");
    let out = beraad(&["serve", "--listen", &listen, "--database-url", &url_of(&database)]);
    assert_one_line_error(&out, &format!("cannot listen on {listen}"));
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["scan", "--help"],
        vec!["methods", "--help"],
        vec!["archive", "import", "--help"],
        vec!["archive", "search", "--help"],
        vec!["archive", "export", "--help"],
    ] {
        let out = beraad(&args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage:"), "{text}");
    }
    let serve = String::from_utf8_lossy(&beraad(&["serve", "--help"]).stdout).to_string();
    for env in ["BERAAD_LISTEN", "BERAAD_DATABASE_URL", "BERAAD_BASE_URL", "BERAAD_LOG_FORMAT"] {
        assert!(serve.contains(env), "serve --help mentions {env}");
    }
}

#[test]
fn migrate_creates_the_sqlite_file() {
    let (database, dir) = fresh_sqlite();
    let out = beraad(&["migrate", "--database-url", &url_of(&database)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("beraad.db").exists());
    // Again: nothing to do, still fine.
    assert!(beraad(&["migrate", "--database-url", &url_of(&database)]).status.success());
}

/// Runs `beraad serve` on a free port, waits for it to listen, and returns the child (killed
/// if dropped, so a failing test leaves no server running) and address.
pub(crate) fn spawn_serve(database_url: &str, cwd: &std::path::Path) -> (KillOnDrop, String) {
    spawn_serve_with(database_url, cwd, &[])
}

/// [`spawn_serve`] with more `serve` arguments.
pub(crate) fn spawn_serve_with(
    database_url: &str,
    cwd: &std::path::Path,
    extra: &[&str],
) -> (KillOnDrop, String) {
    spawn_serve_on("127.0.0.1:0", database_url, cwd, extra)
}

/// [`spawn_serve_with`] listening on `listen` (a port chosen beforehand, when the base URL must
/// be known before the server starts).
pub(crate) fn spawn_serve_on(
    listen: &str,
    database_url: &str,
    cwd: &std::path::Path,
    extra: &[&str],
) -> (KillOnDrop, String) {
    let child = Command::new(BIN)
        .args(["serve", "--listen", listen, "--log-format", "json"])
        .args(extra)
        .args(if database_url.is_empty() { vec![] } else { vec!["--database-url", database_url] })
        .current_dir(cwd)
        .env_remove("BERAAD_DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut child = KillOnDrop(child);
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve logs its address before exiting").unwrap();
        let json: serde_json::Value = serde_json::from_str(&line).expect("json log lines");
        if let Some(addr) = json["addr"].as_str() {
            break addr.to_owned();
        }
    };
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

pub(crate) fn sigterm_and_wait(mut child: KillOnDrop) -> (std::process::ExitStatus, Duration) {
    let started = Instant::now();
    let ok = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill -TERM works");
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("serve did not exit within 15 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn serve_answers_and_stops(database_url: &str, cwd: &std::path::Path) {
    let (child, addr) = spawn_serve(database_url, cwd);
    let base = format!("http://{addr}");
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    let home = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
    assert!(home.contains("<html lang=\"nl\">"));
    // An idle keep-alive connection must not hold up the shutdown.
    let client = reqwest::Client::new();
    client.get(format!("{base}/healthz")).send().await.unwrap();
    let (status, took) = tokio::task::spawn_blocking(move || sigterm_and_wait(child)).await.unwrap();
    assert!(status.success(), "exit status {status:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[tokio::test]
async fn serve_with_defaults_creates_beraad_db_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    serve_answers_and_stops("", dir.path()).await;
    assert!(dir.path().join("beraad.db").exists(), "default store is ./beraad.db");
}

async fn restarted_binary_keeps_data(database: DatabaseConfig) {
    let dir = tempfile::tempdir().unwrap();
    let url = url_of(&database);
    serve_answers_and_stops(&url, dir.path()).await;
    let store = store_on(&database).await;
    store
        .create_organisation(
            &beraad::guard::screen(NewOrganisation { code: "KEEP".into(), name: "Blijft".into(), now_ms: 1 })
                .unwrap(),
        )
        .await
        .unwrap();
    store.close().await;
    serve_answers_and_stops(&url, dir.path()).await;
    let store = store_on(&database).await;
    assert!(store.organisation_by_code("KEEP").await.unwrap().is_some());
}

mod restarted_binary_keeps_data {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let (database, _dir) = fresh_sqlite();
        restarted_binary_keeps_data(database).await;
    }

    #[tokio::test]
    async fn postgres() {
        let Some((database, _schema)) = fresh_postgres().await else { return };
        restarted_binary_keeps_data(database).await;
    }
}

#[test]
fn scan_prints_findings_as_json_from_a_file_and_from_stdin() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("casus.txt");
    let text = "Mw. Demir mailde vanaf s.demir72@live.nl; cliënte is 44 jaar (artikel 35).";
    std::fs::write(&file, text).unwrap();
    let out = beraad(&["scan", file.to_str().unwrap()]);
    assert!(out.status.success());
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let email = findings.iter().find(|f| f["kind"] == "email").expect("the e-mail address is found");
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (email["start"].as_u64().unwrap() as usize, email["end"].as_u64().unwrap() as usize);
    assert_eq!(chars[start..end].iter().collect::<String>(), "s.demir72@live.nl", "offsets count characters");
    assert!(findings.iter().all(|f| f["text"] != "44 jaar" && f["text"] != "artikel 35"));
    for key in ["kind", "start", "end", "text", "suggestion"] {
        assert!(email.get(key).is_some(), "{key}");
    }
    // Standard input, nothing found: an empty array and exit 0.
    let mut child =
        Command::new(BIN).arg("scan").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all("Niets bijzonders in artikel 18 lid 2.".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap(),
        Vec::<serde_json::Value>::new()
    );
}

#[test]
fn methods_lists_the_built_ins() {
    let out = beraad(&["methods"]);
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    for key in [
        "dilemma",
        "nijmegen",
        "socratic",
        "cura",
        "incident",
        "incident_short",
        "balint",
        "gossip",
        "five_step",
    ] {
        assert!(table.lines().any(|l| l.starts_with(key)), "{key} in:\n{table}");
    }
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&beraad(&["methods", "--json"]).stdout).unwrap();
    let dilemma = json.iter().find(|m| m["key"] == "dilemma").unwrap();
    assert_eq!(dilemma["rounds"].as_array().unwrap().len(), 10);
}
