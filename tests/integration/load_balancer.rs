//! Behind a load balancer, with the real binary: `--trusted-proxies` decides whose
//! `X-Forwarded-For` names the client (throttling and the audit log see that address), and on
//! SIGTERM `/readyz` turns 503 while everything else still serves, until the drain grace ends
//! (or a second signal comes) and connections close.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use beraad::config::DatabaseConfig;

use crate::harness::{fresh_sqlite, store_on};
use crate::processes::KillOnDrop;

const BIN: &str = env!("CARGO_BIN_EXE_beraad");

fn serve(database: &DatabaseConfig, extra: &[&str]) -> (KillOnDrop, String) {
    let DatabaseConfig::Sqlite { path } = database else { unreachable!() };
    let url = format!("sqlite://{}", path.display());
    let child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json", "--base-url", "http://127.0.0.1/"])
        .args(["--database-url", &url])
        .args(extra)
        .env_remove("BERAAD_TRUSTED_PROXIES")
        .env_remove("BERAAD_DRAIN_GRACE")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut child = KillOnDrop(child);
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve logs its address").unwrap();
        let json: serde_json::Value = serde_json::from_str(&line).expect("json log lines");
        if let Some(addr) = json["addr"].as_str() {
            break addr.to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, format!("http://{addr}"))
}

/// A failed sign-in sent with `X-Forwarded-For: 203.0.113.9`; returns the failures counted for
/// that address and for 127.0.0.1.
async fn failed_sign_in_counted_for(extra: &[&str], account: &str) -> (i64, i64) {
    let (database, _dir) = fresh_sqlite();
    let (_child, base) = serve(&database, extra);
    let res = reqwest::Client::new()
        .post(format!("{base}/inloggen"))
        .header("origin", "http://127.0.0.1")
        .header("x-forwarded-for", "198.51.100.1, 203.0.113.9")
        .form(&[("email", account), ("password", "niet het wachtwoord"), ("next", "")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error() || res.status().is_success(), "{}", res.status());
    let store = store_on(&database).await;
    let (_, forwarded) = store.sign_in_failures_since(account, "203.0.113.9", 0).await.unwrap();
    let (_, peer) = store.sign_in_failures_since(account, "127.0.0.1", 0).await.unwrap();
    (forwarded, peer)
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    let account = "iemand@gemeente.nl";
    assert_eq!(failed_sign_in_counted_for(&[], account).await, (0, 1), "ignored without --trusted-proxies");
    assert_eq!(
        failed_sign_in_counted_for(&["--trusted-proxies", "10.0.0.0/8"], account).await,
        (0, 1),
        "ignored from a peer that is not a trusted proxy"
    );
    assert_eq!(
        failed_sign_in_counted_for(&["--trusted-proxies", "127.0.0.1/32"], account).await,
        (1, 0),
        "the client behind a trusted proxy (the right-most entry; the left one a client may forge)"
    );
}

#[test]
fn a_bad_trusted_proxy_is_refused_at_start() {
    let out = Command::new(BIN).args(["serve", "--trusted-proxies", "10.0.0.0/40"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("prefix"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn on_sigterm_readyz_turns_503_first_and_a_second_signal_closes() {
    let (database, _dir) = fresh_sqlite();
    let (mut child, base) = serve(&database, &["--drain-grace", "600"]);
    // A new connection per probe, as a load balancer's health check makes: a pooled keep-alive
    // connection can be closed by the server just as a probe is sent on it (the usual keep-alive
    // race; seen once in a CI run as a reset), which says nothing about readiness.
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    assert_eq!(http.get(format!("{base}/readyz")).send().await.unwrap().status(), 200);
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    // Not ready from the signal on; everything else still answers meanwhile.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let res = http.get(format!("{base}/readyz")).send().await.unwrap();
        if res.status() == 503 {
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["status"], "draining");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never turned 503");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), 200);
    assert!(child.try_wait().unwrap().is_none(), "still serving during the grace");
    // A second signal ends the grace: the server closes and exits cleanly.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    assert!(status.success(), "{status:?}");
}
