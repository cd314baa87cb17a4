//! A BSN or IBAN is refused at every entry point, and afterwards appears nowhere: not in the
//! database files (SQLite file and WAL), not in the server's log. Runs the real binary with
//! debug logging, as an operator chasing a problem might.

use std::process::{Command, Stdio};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_beraad");
/// Valid by the 11-proef and by mod 97 (fictitious).
const BSN: &str = "111222333";
const BSN_DOTTED: &str = "1112.22.333";
const IBAN: &str = "NL91ABNA0417164300";
const IBAN_SPACED: &str = "NL91 ABNA 0417 1643 00";

#[tokio::test]
async fn refused_numbers_are_not_stored_and_not_logged() {
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
    // Killed when dropped, so a failing assertion leaves no server running.
    let mut child = crate::processes::KillOnDrop(child);
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
    // The moderator: a user made in the server's database (SQLite allows a second writer).
    let store = crate::harness::store_on(&beraad::config::DatabaseConfig::Sqlite {
        path: dir.path().join("beraad.db"),
    })
    .await;
    let moderator = crate::harness::make_user(&store, "moderator", "Team A").await;
    let http = moderator.http.clone();
    let post = |path: &str, body: Value| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move { http.post(url).json(&body).send().await.unwrap() }
    };

    // 1. Creating a session: in the case, the title and the moderator's name.
    for field in ["case_text", "title", "moderator_name"] {
        for number in [BSN, BSN_DOTTED, IBAN, IBAN_SPACED] {
            let mut body =
                json!({"method":"cura","title":"Casus","case_text":"Een casus.","moderator_name":"M"});
            body[field] = json!(format!("Gegevens: {number} (zie dossier)"));
            let res = post("/api/v1/sessions", body).await;
            assert_eq!(res.status(), 422, "{field} with {number}");
            let text = res.text().await.unwrap();
            assert!(text.contains("_refused"), "{text}");
            assert!(!text.contains(number), "the refusal does not echo the number: {text}");
        }
    }
    // 2. A clean session, then joining under a name with a BSN.
    let created: Value =
        post("/api/v1/sessions", json!({"method":"cura","title":"Casus","moderator_name":"M"}))
            .await
            .json()
            .await
            .unwrap();
    let session = created["session_id"].as_str().unwrap();
    let res = post(
        &format!("/api/v1/sessions/{session}/join"),
        json!({"invite_code": created["invite_code"], "display_name": format!("Anna {BSN}")}),
    )
    .await;
    assert_eq!(res.status(), 422);
    // 3. A live contribution and a conclusion over the websocket.
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        format!("ws://{addr}/ws/sessions/{session}"),
    )
    .unwrap();
    let protocols = format!("beraad.v1, token.{}", created["token"].as_str().unwrap());
    request.headers_mut().insert("sec-websocket-protocol", protocols.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::Text(json!({"type":"hello","protocol":1,"token":created["token"]}).to_string().into()))
        .await
        .unwrap();
    let commands = [
        json!({"type":"start"}),
        json!({"type":"contribute","content":{"type":"text","text":format!("rekening {IBAN_SPACED}")}}),
        json!({"type":"conclude","conclusion":format!("BSN {BSN_DOTTED}"),"reasoning":"","dissent":"","actions":[]}),
    ];
    for (i, command) in commands.iter().enumerate() {
        ws.send(Message::Text(
            json!({"type":"command","cid":format!("c{i}"),"command":command}).to_string().into(),
        ))
        .await
        .unwrap();
    }
    let mut refusals = 0;
    while refusals < 2 {
        let Some(Ok(Message::Text(t))) = ws.next().await else { panic!("connection ended") };
        let frame: Value = serde_json::from_str(&t).unwrap();
        if frame["type"] == "error" {
            assert!(frame["code"].as_str().unwrap().ends_with("_refused"), "{frame}");
            refusals += 1;
        }
        assert!(!t.contains(BSN) && !t.contains("0417"), "never sent back: {t}");
    }
    // 4. A custom method with an IBAN in its description.
    let method = json!({"key":"met_iban","name":"M","description":format!("betaal naar {IBAN}"),"family":"intervision","output":"advice",
        "rounds":[{"key":"a","kind":"dialogue","title":"T","prompt":"P","minutes":5,"contributors":"everyone"}]});
    assert_eq!(post("/api/v1/methods", method).await.status(), 422);

    let _ = ws.close(None).await;
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(child.wait().unwrap().success());

    // Nothing of the numbers in any file the server wrote, nor in its log.
    let mut checked = 0;
    for path in crate::guard_writing::files_below(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for needle in [BSN, BSN_DOTTED, "0417164300", "0417 1643 00"] {
            assert!(!text.contains(needle), "{} contains {needle}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 2, "the database and the log were both checked");
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.lines().count() > 5, "the log has content: {log}");
    assert!(std::fs::metadata(dir.path().join("beraad.db")).unwrap().len() > 0);
}
