//! Structured logs stay clean and traceable: a full run (sign-in, a live session with
//! contributions carrying a marker text, a precedent, a search, sign-out) against the real
//! binary with JSON logs at debug level. Every line within a request carries its request id,
//! every line of live session work its session id, and no line holds the marker, a token, an
//! e-mail address or a password. An incoming X-Request-Id is kept only when it is plain.

use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::harness::{make_user, store_on, TestApp};
use crate::ws_client::{join, WsClient};

const BIN: &str = env!("CARGO_BIN_EXE_beraad");
const MARKER: &str = "zwaluwstaartvlinder";
const PASSWORD: &str = "een heel geheim wachtwoord 42";

fn text(t: &str) -> Value {
    json!({ "type": "contribute", "content": { "type": "text", "text": t } })
}

/// The spans of a log line, innermost last (the JSON format lists them under `spans`).
fn spans(line: &Value) -> Vec<Value> {
    line["spans"].as_array().cloned().unwrap_or_default()
}

fn span_field<'a>(spans: &'a [Value], name: &str, field: &str) -> Option<&'a str> {
    spans.iter().rev().find(|s| s["name"] == name).and_then(|s| s[field].as_str())
}

#[tokio::test]
async fn a_full_run_logs_ids_and_nothing_secret() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .current_dir(dir.path())
        .env_remove("BERAAD_DATABASE_URL")
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let _child = crate::processes::KillOnDrop(child);
    let addr = loop {
        let text = std::fs::read_to_string(&log_path).unwrap();
        if let Some(addr) = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find_map(|j| j["addr"].as_str().map(str::to_owned))
        {
            break addr;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let base = format!("http://{addr}");
    let database = beraad::config::DatabaseConfig::Sqlite { path: dir.path().join("beraad.db") };
    let app = TestApp::of_process(base.clone(), database.clone()).await;
    let store = store_on(&database).await;
    let mut secrets: Vec<String> = vec![MARKER.into(), PASSWORD.into()];

    // 1. Sign-in with a password, and sign-out at the end.
    let person = make_user(&store, "moderator", "Team A").await;
    store.set_password_hash(person.id, &beraad::passwords::hash(PASSWORD.to_owned()).await).await.unwrap();
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let signed_in = browser
        .post(format!("{base}/inloggen"))
        .form(&[("email", person.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let cookie_value = cookie.split_once('=').unwrap().1.to_owned();
    let csrf = store.web_session(&beraad::secrets::hash(&cookie_value)).await.unwrap().unwrap().csrf_token;
    secrets.extend([
        person.email.clone(),
        cookie_value.clone(),
        csrf.clone(),
        person.cookie.clone(),
        person.csrf.clone(),
    ]);

    // 2. A live session whose case, names and contributions carry the marker.
    let moderator = make_user(&store, "moderator", "Team A").await;
    secrets.extend([moderator.email.clone(), moderator.cookie.clone(), moderator.csrf.clone()]);
    let res = moderator
        .http
        .post(app.url("/api/v1/sessions"))
        .json(&json!({
            "method": "dilemma", "variant": "question_first", "title": format!("Titel {MARKER}"),
            "case_text": format!("Casus {MARKER} met details."), "moderator_name": format!("Leider {MARKER}")
        }))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    let session = body["session_id"].as_str().unwrap().to_owned();
    let token = body["token"].as_str().unwrap().to_owned();
    let invite = body["invite_code"].as_str().unwrap().to_owned();
    let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
    let (_, pt) = join(&app, &session, &invite, &format!("Inbrenger {MARKER}"), "presenter").await;
    secrets.extend([token.clone(), invite.clone(), pt.clone()]);
    let mut pres = WsClient::connect(&app, &session, "pres", &pt, None).await;
    m.ok(json!({ "type": "start" })).await;
    m.ok(json!({ "type": "next_round" })).await;
    pres.ok(text(&format!("Bijdrage over {MARKER} en meer."))).await;
    m.ok(json!({ "type": "next_round" })).await;
    pres.ok(text(&format!("Vraag over {MARKER}?"))).await;
    m.close().await;
    pres.close().await;

    // 3. A precedent of a concluded session, adopted with the marker in its summary.
    let (done, done_token, _) = crate::precedent_lifecycle::concluded_session(&app).await;
    secrets.push(done_token.clone());
    let http = reqwest::Client::new();
    let draft: Value = http
        .post(app.url(&format!("/api/v1/sessions/{done}/precedent")))
        .bearer_auth(&done_token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_i64().expect("a draft");
    let mut record = draft["record"].clone();
    record["summary"] = json!(format!("Samenvatting {MARKER}: eerst een gesprek."));
    let put = http
        .put(app.url(&format!("/api/v1/precedents/{id}")))
        .bearer_auth(&done_token)
        .json(&record)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let adopted = http
        .post(app.url(&format!("/api/v1/precedents/{id}/adopt")))
        .bearer_auth(&done_token)
        .send()
        .await
        .unwrap();
    assert_eq!(adopted.status(), 200, "{}", adopted.text().await.unwrap());

    // 4. A search for the marker (query strings are never logged).
    let reader = make_user(&store, "archive_reader", "Team A").await;
    secrets.extend([reader.email.clone(), reader.cookie.clone(), reader.csrf.clone()]);
    for path in [format!("/archief?q={MARKER}"), format!("/api/v1/precedents?q={MARKER}")] {
        let res = reader.http.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains(MARKER), "{path} finds the precedent");
    }

    // 5. Sign-out.
    let out = browser
        .post(format!("{base}/uitloggen"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);

    // Request ids: every answer names one; a plain incoming id is kept, anything else replaced.
    let kept = http.get(app.url("/healthz")).header("x-request-id", "lb-0042.a").send().await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "lb-0042.a");
    for bad in [person.email.as_str(), &"x".repeat(65), "a b"] {
        let res = http.get(app.url("/healthz")).header("x-request-id", bad).send().await.unwrap();
        let id = res.headers()["x-request-id"].to_str().unwrap();
        assert!(id != bad && id.len() == 32, "{bad:?} → {id}");
    }

    // Let the last lines reach the file, then read them.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let text = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON line: {l}")))
        .collect();
    let mut in_requests = 0;
    let mut in_live = 0;
    for line in &lines {
        let spans = spans(line);
        let target = line["target"].as_str().unwrap_or("");
        if spans.iter().any(|s| s["name"] == "request") || target.starts_with("tower_http") {
            let id = span_field(&spans, "request", "request_id").unwrap_or("");
            assert!(!id.is_empty(), "a line within a request without its request id: {line}");
            in_requests += 1;
        }
        if target.starts_with("beraad::live")
            || spans.iter().any(|s| s["name"] == "live" || s["name"] == "room")
        {
            let id =
                span_field(&spans, "live", "session_id").or_else(|| span_field(&spans, "room", "session_id"));
            assert!(id.is_some_and(|id| !id.is_empty()), "live session work without its session id: {line}");
            in_live += 1;
        }
    }
    assert!(in_requests > 20, "requests were logged ({in_requests} lines)");
    assert!(in_live > 5, "live work was logged ({in_live} lines)");
    assert!(text.contains("lb-0042.a"), "a kept incoming id is logged");
    assert!(text.contains(&session), "session ids are logged");
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret:?} is in the log");
    }
    let email = regex_lite::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").unwrap();
    assert!(email.find(&text).is_none(), "an e-mail address is in the log: {:?}", email.find(&text));
}
