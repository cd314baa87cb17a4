//! `GET /metrics` on `--metrics-listen` (the real binary): every metric is there, and a flow
//! of sign-ins, a live session and a search moves each one. Not on the public port.

use serde_json::json;

use crate::cli::{spawn_serve_with, url_of};
use crate::harness::{fresh_sqlite, make_user, store_on, TestApp, PASSWORD};
use crate::ws_client::{create_session_as, join, WsClient};

/// The value of the series `series` (name with its labels, exactly as written); 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or(0.0)
}

async fn scrape(addr: &str) -> String {
    let res = reqwest::get(format!("http://{addr}/metrics")).await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

const SERIES: &[&str] = &[
    "beraad_live_connections",
    "beraad_live_sessions",
    "beraad_commands_total{outcome=\"ack\"}",
    "beraad_commands_total{outcome=\"moderator_only\"}",
    "beraad_command_duration_seconds_count",
    "beraad_event_log_commit_duration_seconds_count",
    "beraad_fanout_queue_depth_count",
    "beraad_live_closes_total{code=\"1000\",reason=\"closed by the client\"}",
    "beraad_search_duration_seconds_count",
    "beraad_sign_ins_total{outcome=\"ok\"}",
    "beraad_sign_ins_total{outcome=\"failed\"}",
];

#[tokio::test]
async fn every_metric_appears_and_moves() {
    let (database, dir) = fresh_sqlite();
    let metrics_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let metrics = format!("127.0.0.1:{metrics_port}");
    let (_server, addr) = spawn_serve_with(&url_of(&database), dir.path(), &["--metrics-listen", &metrics]);
    let app = TestApp::external(format!("http://{addr}"), database.clone());

    let before = scrape(&metrics).await;
    for name in [
        "beraad_live_connections",
        "beraad_live_sessions",
        "beraad_command_duration_seconds",
        "beraad_event_log_commit_duration_seconds",
        "beraad_fanout_queue_depth",
        "beraad_search_duration_seconds",
        "beraad_scan_duration_seconds",
        "beraad_db_pool_connections",
        "beraad_heap_in_use_bytes",
    ] {
        assert!(before.contains(&format!("# TYPE {name} ")), "{name} is described:\n{before}");
    }
    // The allocator's figure is read at each scrape (glibc, as on every supported platform).
    assert!(value(&before, "beraad_heap_in_use_bytes") > 1_000_000.0, "{before}");
    assert_eq!(value(&before, "beraad_db_pool_connections{state=\"max\"}"), 8.0, "{before}");
    // The pool keeps at least one connection open; whether it is idle at this instant depends on
    // start-up work (the search index load), so the two states are counted together.
    let open = value(&before, "beraad_db_pool_connections{state=\"idle\"}")
        + value(&before, "beraad_db_pool_connections{state=\"in_use\"}");
    assert!(open >= 1.0, "{before}");
    // Not on the public port.
    assert_eq!(reqwest::get(format!("http://{addr}/metrics")).await.unwrap().status(), 404);

    let store = store_on(&database).await;
    let moderator = make_user(&store, "moderator", "Team A").await;
    let reader = make_user(&store, "archive_reader", "Team A").await;
    store.set_password_hash(reader.id, &beraad::passwords::hash(PASSWORD.to_owned()).await).await.unwrap();
    store.close().await;

    // Sign-ins: one wrong, one right.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for password in ["fout wachtwoord van lengte", PASSWORD] {
        let form = [("email", reader.email.as_str()), ("password", password), ("next", "")];
        http.post(format!("http://{addr}/inloggen")).form(&form).send().await.unwrap();
    }
    // A search.
    let res = reader.http.get(format!("http://{addr}/api/v1/precedents?q=verlaging")).send().await.unwrap();
    assert_eq!(res.status(), 200);

    // A live session: two connections, acks and a refusal.
    let (session, token, invite) = create_session_as(&app, &moderator, "dilemma", None).await;
    let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
    let (_, t) = join(&app, &session, &invite, "Deelnemer", "participant").await;
    let mut p = WsClient::connect(&app, &session, "p", &t, None).await;
    m.ok(json!({ "type": "start" })).await;
    let contribution = json!({ "type": "contribute", "content": { "type": "text", "text": "Welkom" } });
    m.ok(contribution.clone()).await;
    assert_eq!(p.refused(contribution).await, "moderator_only");
    let during = scrape(&metrics).await;
    assert_eq!(value(&during, "beraad_live_connections"), 2.0, "{during}");
    assert_eq!(value(&during, "beraad_live_sessions"), 1.0, "{during}");
    p.close().await;
    m.close().await;

    // Closes are counted when the server has seen them.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let after = loop {
        let after = scrape(&metrics).await;
        if value(&after, "beraad_live_connections") == 0.0 || std::time::Instant::now() > deadline {
            break after;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(value(&after, "beraad_live_connections"), 0.0, "{after}");
    for series in SERIES.iter().skip(2) {
        assert!(value(&after, series) > value(&before, series), "{series} moved:\n{after}");
    }
}
