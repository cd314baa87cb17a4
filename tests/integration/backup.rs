//! `beraad backup` and `beraad restore` against the real binary: a backup taken while a
//! session runs holds every contribution acknowledged before it (and none after), restores
//! into a database whose audit chain verifies; restore refuses while a server uses the target;
//! PostgreSQL URLs get the pg_dump / pg_restore commands.

use serde_json::{json, Value};

use crate::cli::{assert_one_line_error, beraad, sigterm_and_wait, spawn_serve, url_of};
use crate::harness::{fresh_sqlite, make_user, store_on, TestApp};
use crate::ws_client::{create_session_as, join, WsClient};
use beraad::config::DatabaseConfig;

fn text(t: &str) -> Value {
    json!({ "type": "contribute", "content": { "type": "text", "text": t } })
}

async fn texts_in(database: &DatabaseConfig, session: &str) -> String {
    let store = store_on(database).await;
    let events = store.events_since(session, 0, 100_000).await.unwrap();
    store.close().await;
    events.iter().map(|e| e.payload.to_string()).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn a_backup_during_a_session_restores_every_acknowledged_contribution() {
    let (database, dir) = fresh_sqlite();
    let url = url_of(&database);
    assert!(beraad(&["migrate", "--database-url", &url]).status.success());
    let (server, addr) = spawn_serve(&url, dir.path());
    let app = TestApp::external(format!("http://{addr}"), database.clone());
    let store = store_on(&database).await;
    let moderator = make_user(&store, "moderator", "Team A").await;
    // Something in the audit log, so there is a chain to verify.
    make_user(&store, "admin", "Team A").await;
    store.close().await;

    let (session, token, invite) = create_session_as(&app, &moderator, "dilemma", None).await;
    let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
    let (_, t) = join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let mut presenter = WsClient::connect(&app, &session, "pres", &t, None).await;
    m.ok(json!({ "type": "start" })).await;
    for i in 0..20 {
        m.ok(text(&format!("VOOR-introductie-{i}"))).await;
    }
    m.ok(json!({ "type": "next_round" })).await;
    for i in 0..20 {
        presenter.ok(text(&format!("VOOR-casus-{i}"))).await;
    }

    // While the server runs and the session is open.
    let backup = dir.path().join("backup.db");
    let out = beraad(&["backup", backup.to_str().unwrap(), "--database-url", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("written to"));
    // A backup never overwrites.
    let again = beraad(&["backup", backup.to_str().unwrap(), "--database-url", &url]);
    assert_one_line_error(&again, "already exists");
    presenter.ok(text("NA-de-backup")).await;

    // The server holds the database: restore refuses and changes nothing.
    let refused = beraad(&["restore", backup.to_str().unwrap(), "--database-url", &url]);
    assert_one_line_error(&refused, "stop it first");
    assert!(texts_in(&database, &session).await.contains("NA-de-backup"));

    m.close().await;
    presenter.close().await;
    let (status, _) = tokio::task::spawn_blocking(move || sigterm_and_wait(server)).await.unwrap();
    assert!(status.success());
    let indexes = dir.path().join("beraad.db.index");
    assert!(
        indexes.join("0").join("meta.json").exists(),
        "the server kept its search index beside the database"
    );

    let out = beraad(&["restore", backup.to_str().unwrap(), "--database-url", &url]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("is kept as"), "{stderr}");
    assert!(!indexes.exists(), "the indexes of the replaced database are removed");
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("beraad.db.before-restore-"))
        .expect("the replaced database is kept");
    let kept = DatabaseConfig::Sqlite { path: kept.path() };
    assert!(texts_in(&kept, &session).await.contains("NA-de-backup"), "the kept copy is whole");

    let restored = texts_in(&database, &session).await;
    for i in 0..20 {
        assert!(restored.contains(&format!("\"VOOR-introductie-{i}\"")), "introduction {i} is restored");
        assert!(restored.contains(&format!("\"VOOR-casus-{i}\"")), "case contribution {i} is restored");
    }
    assert!(!restored.contains("NA-de-backup"), "the backup is the state at its moment");
    let verify = beraad(&["audit", "verify", "--database-url", &url]);
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    assert!(said.contains("chain intact") && !said.contains(" 0 entries"), "{said}");

    // And the server starts on the restored database.
    let (server, addr) = spawn_serve(&url, dir.path());
    let ready = reqwest::get(format!("http://{addr}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    drop(server);
}

#[test]
fn restore_refuses_what_is_not_a_beraad_backup() {
    let (database, dir) = fresh_sqlite();
    let url = url_of(&database);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "geen database").unwrap();
    assert_one_line_error(
        &beraad(&["restore", junk.to_str().unwrap(), "--database-url", &url]),
        "not a readable SQLite database",
    );
    assert_one_line_error(
        &beraad(&["restore", dir.path().join("nothing.db").to_str().unwrap(), "--database-url", &url]),
        "there is no backup file",
    );
    assert!(!database_path(&database).exists(), "nothing was put in place");
    assert_one_line_error(
        &beraad(&["backup", dir.path().join("b.db").to_str().unwrap(), "--database-url", &url]),
        "there is no database",
    );
}

fn database_path(database: &DatabaseConfig) -> std::path::PathBuf {
    match database {
        DatabaseConfig::Sqlite { path } => path.clone(),
        DatabaseConfig::Postgres { .. } => unreachable!(),
    }
}

#[test]
fn postgres_urls_get_the_postgres_tools() {
    let url = "postgres://beraad:geheim@127.0.0.1:5432/beraad";
    let out = beraad(&["backup", "x.dump", "--database-url", url]);
    assert_one_line_error(&out, "pg_dump --format=custom");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("geheim"));
    assert_one_line_error(&beraad(&["restore", "x.dump", "--database-url", url]), "pg_restore");
}
