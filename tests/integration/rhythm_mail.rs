//! Reminder e-mails against a real SMTP server on 127.0.0.1 (aiosmtpd from PyPI, writing what it
//! receives to a maildir): the moderator and the case bringer of the meeting two days ahead get
//! one each, with the team's link and no case content, and two reminder runs at once (as two
//! server processes would) never send one twice. Skipped with a message when aiosmtpd is
//! missing, unless `BERAAD_REQUIRE_SMTP` is set (CI).

use std::process::Command;
use std::time::Duration;

use crate::harness::TestApp;
use crate::processes::ProcessGroup;
use crate::rhythm::{put_schedule, weekly_slot};
use beraad::mail::Mailer;
use beraad::rhythm::reminders;

const REQUIRE_SMTP_ENV: &str = "BERAAD_REQUIRE_SMTP";

/// An aiosmtpd server on a free port writing to `maildir`; `None` when aiosmtpd is missing.
pub fn smtp_sink(maildir: &std::path::Path) -> Option<(ProcessGroup, u16)> {
    let available =
        Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
    if !available {
        if std::env::var_os(REQUIRE_SMTP_ENV).is_some() {
            panic!("{REQUIRE_SMTP_ENV} is set but aiosmtpd is missing: pip install aiosmtpd==1.4.6");
        }
        eprintln!("skipping the SMTP test: aiosmtpd is not installed (pip install aiosmtpd==1.4.6)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = Command::new("python3");
    command.args([
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        &format!("127.0.0.1:{port}"),
        "-c",
        "aiosmtpd.handlers.Mailbox",
    ]);
    command.arg(maildir);
    let group = ProcessGroup::spawn(command);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((group, port));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("aiosmtpd did not start listening");
}

fn received(maildir: &std::path::Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(maildir.join("new")) else { return Vec::new() };
    let mut all: Vec<String> = dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    all.sort();
    all
}

/// The messages in `maildir` once there are `n` (or after five seconds, however many came).
pub async fn wait_mails(maildir: &std::path::Path, n: usize) -> Vec<String> {
    let mut mails = Vec::new();
    for _ in 0..50 {
        mails = received(maildir);
        if mails.len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    mails
}

#[tokio::test]
async fn reminders_reach_the_moderator_and_case_bringer_once() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    let Some((mut sink, port)) = smtp_sink(&maildir) else { return };
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    let member = app.user("member").await;
    let team = moderator.team_id;
    // A meeting two days from now (and weekly after it).
    assert_eq!(put_schedule(&app, &moderator, &weekly_slot(2)).await.status(), 200);
    // A session of the team has a title and a case text; neither may reach an e-mail.
    let _ = crate::ws_client::create_session_as(&app, &moderator, "dilemma", None).await;

    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Beraad <beraad@example.org>").unwrap();
    let store = app.store();
    let base: url::Url = "https://beraad.example.org/".parse().unwrap();
    let now = beraad::clock::now_ms();
    // Three days ahead is not yet: nothing.
    let early = reminders::run_once(&store, &mailer, &base, 1, now).await.unwrap();
    assert_eq!(early.sent, 0);
    // Two processes at once: each reminder is claimed by one.
    let (one, two) = tokio::join!(
        reminders::run_once(&store, &mailer, &base, 2, now),
        reminders::run_once(&store, &mailer, &base, 2, now)
    );
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.sent + two.sent, 2, "{one:?} {two:?}");
    assert_eq!(reminders::run_once(&store, &mailer, &base, 2, now).await.unwrap().sent, 0);

    let mails = wait_mails(&maildir, 2).await;
    sink.end(Duration::from_secs(2));
    assert_eq!(mails.len(), 2, "{mails:?}");
    let to_moderator =
        mails.iter().find(|m| m.contains(&format!("To: {}", moderator.email))).expect("the moderator's");
    let to_member =
        mails.iter().find(|m| m.contains(&format!("To: {}", member.email))).expect("the case bringer's");
    assert!(to_moderator.contains("Subject: Herinnering: Gespreksleider op"), "{to_moderator}");
    assert!(to_member.contains("Subject: Herinnering: Inbrenger op"), "{to_member}");
    for m in &mails {
        assert!(m.contains(&format!("https://beraad.example.org/teams/{team}/rooster")), "{m}");
        assert!(m.contains("19:30"), "local time: {m}");
        assert!(!m.contains("afspraak") && !m.contains("Verlaging"), "no case content: {m}");
    }
}

#[tokio::test]
async fn without_smtp_the_server_says_no_mail_is_sent() {
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    assert!(app.server.as_ref().unwrap().state.mailer.is_none());
    let page =
        moderator.http.get(app.url(&format!("/teams/{}/rooster", moderator.team_id))).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("Er is geen mailserver ingesteld"), "{html}");
}
