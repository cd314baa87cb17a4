//! BSNs and IBANs written the way people write (glued to letters, slashes, full-width or
//! zero-width characters, dashes, dots, no-break spaces) are refused at every entry point that
//! takes free text, on both backends, and nothing of them is stored: session creation (case,
//! title, names), joining, websocket contributions and conclusions, precedent editing, similar
//! precedents, custom methods (validation and creation), the archive import on the command line.
//! The scan endpoint, the editor's detector, stores nothing and reports them as findings that
//! cannot be kept.

use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::harness::on_both_backends;
use crate::precedent_lifecycle::concluded_session;
use crate::ws_client::{create_session, join, WsClient};

/// 123456782 passes the 11-proef, NL91ABNA0417164300 mod 97 (both fictitious).
const WRITTEN: [&str; 11] = [
    "BSN123456782",
    "x123456782y",
    "123/456/782",
    "１２３４５６７８２",
    "123\u{200b}456\u{200b}782",
    "123_456_782",
    "NL91-ABNA-0417-1643-00",
    "NL91.ABNA.0417.1643.00",
    "NL91\u{a0}ABNA\u{a0}0417\u{a0}1643\u{a0}00",
    "xNL91ABNA0417164300y",
    "nl91 abna 0417 1643 00",
];

fn sentence(written: &str) -> String {
    format!("Cliënt gaf {written} door aan de balie.")
}

async fn refused(res: reqwest::Response, what: &str) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(status, 422, "{what}: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    let code = body["error"]["code"].as_str().unwrap_or_default();
    assert!(code == "bsn_refused" || code == "iban_refused", "{what}: {body}");
    for needle in ["123456782", "456", "0417"] {
        assert!(!text.contains(needle), "{what}: the refusal does not echo the number: {text}");
    }
}

pub(crate) fn beraad(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_beraad"))
        .args(args)
        .env("BERAAD_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

pub(crate) fn url_of(database: &beraad::config::DatabaseConfig) -> String {
    match database {
        beraad::config::DatabaseConfig::Sqlite { path } => format!("sqlite://{}", path.display()),
        beraad::config::DatabaseConfig::Postgres { url } => url.clone(),
    }
}

/// Every file in `dir` and the folders below it (the database, its WAL, the search index).
pub(crate) fn files_below(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_below(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Everything the database holds, as text: the SQLite files (database, WAL and search index) read raw, or a
/// data-only dump of the test's PostgreSQL schema.
pub(crate) fn database_text(database: &beraad::config::DatabaseConfig) -> String {
    match database {
        beraad::config::DatabaseConfig::Sqlite { path } => {
            let mut out = String::new();
            for file in files_below(path.parent().unwrap()) {
                out.push_str(&String::from_utf8_lossy(&std::fs::read(file).unwrap()));
            }
            assert!(out.len() > 1000, "the database files were read");
            out
        }
        beraad::config::DatabaseConfig::Postgres { url } => {
            let (base, options) = url.split_once('?').unwrap();
            let schema = options.rsplit("search_path%3D").next().unwrap();
            let out = Command::new("pg_dump")
                .args(["--data-only", "--schema", schema, base])
                .output()
                .expect("pg_dump runs");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains("COPY"), "the dump has data");
            text
        }
    }
}

on_both_backends! {
    async fn written_numbers_are_refused_everywhere_and_never_stored(app) {
        let moderator = app.user("moderator").await;

        // Session creation: case, title, moderator's name.
        for written in WRITTEN {
            for field in ["case_text", "title", "moderator_name"] {
                let mut body = json!({"method":"cura","title":"Casus","case_text":"Een casus.","moderator_name":"M"});
                body[field] = json!(sentence(written));
                let res = moderator.http.post(app.url("/api/v1/sessions")).json(&body).send().await.unwrap();
                refused(res, &format!("session {field} with {written:?}")).await;
            }
        }

        // Joining under a name, then contributions and a conclusion over the websocket.
        let (session, token, invite) = create_session(&app, "dilemma", Some("question_first")).await;
        let res = app
            .http
            .post(app.url(&format!("/api/v1/sessions/{session}/join")))
            .json(&json!({"invite_code": invite, "display_name": format!("Anna {}", WRITTEN[0]), "role": "participant"}))
            .send()
            .await
            .unwrap();
        refused(res, "join").await;
        let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
        let (_, t) = join(&app, &session, &invite, "Inbrenger", "presenter").await;
        let mut presenter = WsClient::connect(&app, &session, "pres", &t, None).await;
        m.ok(json!({"type":"start"})).await;
        m.ok(json!({"type":"next_round"})).await;
        for written in WRITTEN {
            let code = presenter
                .refused(json!({"type":"contribute","content":{"type":"text","text": sentence(written)}}))
                .await;
            assert!(code.ends_with("_refused"), "contribution with {written:?}: {code}");
        }
        presenter.ok(json!({"type":"contribute","content":{"type":"text","text":"Bel mij op +31 (0)20 123 4567."}})).await;
        let code = m
            .refused(json!({"type":"conclude","conclusion": sentence(WRITTEN[3]),"reasoning":"","dissent":"","actions":[]}))
            .await;
        assert!(code.ends_with("_refused"), "{code}");
        presenter.close().await;
        m.close().await;

        // Precedent editing.
        let (concluded, ctoken, _) = concluded_session(&app).await;
        let draft: Value = app
            .http
            .post(app.url(&format!("/api/v1/sessions/{concluded}/precedent")))
            .bearer_auth(&ctoken)
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = draft["id"].as_i64().expect("a draft");
        for written in WRITTEN {
            let mut record = draft["record"].clone();
            record["summary"] = json!(sentence(written));
            let res = app
                .http
                .put(app.url(&format!("/api/v1/precedents/{id}")))
                .bearer_auth(&ctoken)
                .json(&record)
                .send()
                .await
                .unwrap();
            refused(res, &format!("precedent edit with {written:?}")).await;
        }

        // Similar precedents, custom methods, the scan endpoint.
        let reader = app.user("archive_reader").await;
        let admin = app.user("admin").await;
        for written in WRITTEN {
            let res = reader
                .http
                .post(app.url("/api/v1/precedents/similar"))
                .json(&json!({"text": sentence(written)}))
                .send()
                .await
                .unwrap();
            refused(res, &format!("similar with {written:?}")).await;

            let method = json!({"key":"met_nummer","name":"M","description": sentence(written),"family":"intervision","output":"advice",
                "rounds":[{"key":"a","kind":"dialogue","title":"T","prompt":"P","minutes":5,"contributors":"everyone"}]});
            let res = admin.http.post(app.url("/api/v1/methods/validate")).json(&method).send().await.unwrap();
            refused(res, &format!("method validation with {written:?}")).await;
            let res = admin.http.post(app.url("/api/v1/methods")).json(&method).send().await.unwrap();
            refused(res, &format!("method creation with {written:?}")).await;

            let text = sentence(written);
            let res = admin.http.post(app.url("/api/v1/scan")).json(&json!({"text": text})).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let findings: Vec<Value> = res.json().await.unwrap();
            let hard: Vec<&Value> = findings.iter().filter(|f| f["kind"] == "bsn" || f["kind"] == "iban").collect();
            assert_eq!(hard.len(), 1, "scan of {written:?}: {findings:?}");
            let (start, end) = (hard[0]["start"].as_u64().unwrap() as usize, hard[0]["end"].as_u64().unwrap() as usize);
            let span: String = text.chars().skip(start).take(end - start).collect();
            assert!(span.contains(written.trim_start_matches('x').trim_end_matches('y').trim_start_matches("BSN")), "{span:?}");
            assert_eq!(hard[0]["keepable"], false, "{findings:?}");
        }

        // The archive import on the command line: refused whole, nothing imported.
        let dir = tempfile::tempdir().unwrap();
        let url = url_of(&app.database);
        for written in WRITTEN {
            let file = dir.path().join("import.jsonl");
            let line = json!({"ref":"G1","title":"Reiskosten","date":"2025-01-10","method":"dilemma",
                "case": sentence(written),"question":"Vergoeden?","outcome":"Ja."});
            std::fs::write(&file, format!("{line}\n")).unwrap();
            let out = beraad(&url, &["archive", "import", file.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "import with {written:?}: {stderr}");
            assert!(stderr.contains("bsn") || stderr.contains("iban") || stderr.contains("BSN") || stderr.contains("IBAN"), "{stderr}");
        }
        let out = beraad(&url, &["archive", "search", "--json"]);
        let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(hits.as_array().unwrap().len(), 0, "nothing imported: {hits}");

        // Nothing of any written form reached the database.
        let stored = database_text(&app.database);
        assert!(stored.contains("+31 (0)20 123 4567"), "the allowed phone number was stored, so the check reads the data");
        for written in WRITTEN {
            assert!(!stored.contains(written), "{written:?} was stored");
        }
        for needle in ["123456782", "0417164300", "0417-1643", "0417.1643", "abna 0417"] {
            assert!(!stored.contains(needle), "{needle} was stored");
        }
    }
}
