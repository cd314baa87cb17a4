//! `beraad admin create` and `beraad audit verify`, the real binary against a server's database,
//! on both backends.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;

use crate::accounts::{exec, session_cookie, Browser, PASSWORD};
use crate::harness::{on_both_backends, TestApp};
use beraad::config::DatabaseConfig;

const BIN: &str = env!("CARGO_BIN_EXE_beraad");

fn url_of(database: &DatabaseConfig) -> String {
    match database {
        DatabaseConfig::Sqlite { path } => format!("sqlite://{}", path.display()),
        DatabaseConfig::Postgres { url } => url.clone(),
    }
}

/// Runs `beraad ARGS --database-url <the app's database>` with `stdin` as standard input.
fn beraad(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .args(["--database-url", &url_of(&app.database)])
        .env_remove("BERAAD_DATABASE_URL")
        .env_remove("BERAAD_BASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

on_both_backends! {
    async fn admin_create_reads_the_password_from_stdin(app) {
        let short = beraad(&app, &["admin", "create", "--email", "ada@gemeente.nl"], "te kort\n");
        assert!(!short.status.success());
        assert!(stderr(&short).contains("the password is too short: use at least 12 characters"), "{}", stderr(&short));
        assert!(app.store().user_by_email("ada@gemeente.nl").await.unwrap().is_none(), "nothing made");
        let empty = beraad(&app, &["admin", "create", "--email", "ada@gemeente.nl"], "");
        assert!(stderr(&empty).contains("no password on standard input"), "{}", stderr(&empty));

        let out = beraad(
            &app,
            &["admin", "create", "--email", "Ada@Gemeente.nl", "--org", "UTR", "--org-name", "Gemeente Utrecht", "--name", "Ada"],
            &format!("{PASSWORD}\n"),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("admin ada@gemeente.nl created in organisation UTR"), "{}", stdout(&out));
        let ada = app.store().user_by_email("ada@gemeente.nl").await.unwrap().unwrap();
        assert_eq!(ada.role, beraad::store::UserRole::Admin);
        assert_eq!(ada.display_name, "Ada");
        assert_eq!(app.store().organisation_by_code("UTR").await.unwrap().unwrap().name, "Gemeente Utrecht");
        assert!(ada.password_hash.unwrap().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let mut b = Browser::new(&app);
        assert_eq!(b.sign_in("ada@gemeente.nl", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(b.get("/beheer").await.status(), StatusCode::OK);

        let again = beraad(&app, &["admin", "create", "--email", "ada@gemeente.nl"], &format!("{PASSWORD}\n"));
        assert!(!again.status.success());
        assert!(stderr(&again).contains("exists already"), "{}", stderr(&again));
    }

    async fn admin_create_with_a_setup_link(app) {
        let out = beraad(
            &app,
            &["admin", "create", "--email", "bo@gemeente.nl", "--setup-link", "--base-url", "https://beraad.example/"],
            "",
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let text = stdout(&out);
        let token = regex_lite::Regex::new(r"https://beraad\.example/instellen/([A-Za-z0-9_-]{43})")
            .unwrap()
            .captures(&text)
            .unwrap_or_else(|| panic!("no link in {text}"))[1]
            .to_owned();
        assert!(app.store().user_by_email("bo@gemeente.nl").await.unwrap().unwrap().password_hash.is_none());
        let mut b = Browser::new(&app);
        let path = format!("/instellen/{token}");
        assert_eq!(b.get(&path).await.status(), StatusCode::OK);
        assert_eq!(b.post(&path, &[("password", "kort")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let resp = b.post(&path, &[("password", PASSWORD)]).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        b.cookie = session_cookie(&resp);
        assert_eq!(b.get("/beheer").await.status(), StatusCode::OK);
        // Single use.
        let other = Browser::new(&app);
        assert_eq!(other.get(&path).await.status(), StatusCode::GONE);
        assert_eq!(other.post(&path, &[("password", "een ander lang wachtwoord")]).await.status(), StatusCode::GONE);
        // Expired after 24 hours.
        let out = beraad(&app, &["admin", "create", "--email", "cas@gemeente.nl", "--setup-link"], "");
        let cas = regex_lite::Regex::new(r"/instellen/([A-Za-z0-9_-]{43})").unwrap().captures(&stdout(&out)).unwrap()[1].to_owned();
        exec(&app.database, "UPDATE account_tokens SET expires_at = expires_at - 24 * 3600 * 1000").await;
        assert_eq!(other.get(&format!("/instellen/{cas}")).await.status(), StatusCode::GONE);
    }

    async fn audit_verify_finds_an_edited_and_a_deleted_entry(app) {
        let out = beraad(&app, &["admin", "create", "--email", "ada@gemeente.nl"], &format!("{PASSWORD}\n"));
        assert!(out.status.success(), "{}", stderr(&out));
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", "fout wachtwoord!").await;
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let ok = beraad(&app, &["audit", "verify"], "");
        assert!(ok.status.success(), "{}", stderr(&ok));
        assert!(stdout(&ok).contains("audit log OK: 4 entries"), "{}", stdout(&ok));

        // An edited row: a failed sign-in made to look successful.
        exec(&app.database, "UPDATE audit_log SET result = 'ok' WHERE seq = 2").await;
        let edited = beraad(&app, &["audit", "verify"], "");
        assert!(!edited.status.success());
        assert!(stderr(&edited).contains("entry 2 was changed"), "{}", stderr(&edited));
        let html = b.get("/beheer/audit").await.text().await.unwrap();
        assert!(html.contains(r#"class="error" role="alert" id="audit-state""#), "the page says so too");
        exec(&app.database, "UPDATE audit_log SET result = 'failed' WHERE seq = 2").await;
        assert!(beraad(&app, &["audit", "verify"], "").status.success(), "restored");

        // A deleted row in the middle.
        exec(&app.database, "DELETE FROM audit_log WHERE seq = 3").await;
        let deleted = beraad(&app, &["audit", "verify"], "");
        assert!(!deleted.status.success());
        assert!(stderr(&deleted).contains("entry 3 is missing"), "{}", stderr(&deleted));
    }

    async fn audit_verify_finds_a_deleted_newest_entry(app) {
        let out = beraad(&app, &["admin", "create", "--email", "ada@gemeente.nl"], &format!("{PASSWORD}\n"));
        assert!(out.status.success(), "{}", stderr(&out));
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        assert!(beraad(&app, &["audit", "verify"], "").status.success());
        exec(&app.database, "DELETE FROM audit_log WHERE seq = 2").await;
        let deleted = beraad(&app, &["audit", "verify"], "");
        assert!(!deleted.status.success());
        assert!(stderr(&deleted).contains("entry 2 is missing"), "{}", stderr(&deleted));
    }
}
