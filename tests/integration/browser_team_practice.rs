//! Two meetings of one team in the browser (issue 14, "done when"): the moderator sets the
//! schedule on the rooster page, which shows the rotation; a member proposes a case through the
//! anonymisation check and marks it "wil ik bespreken"; the moderator picks it for the first
//! scheduled meeting, which the rooster, the dashboard, the iCalendar feed (parsed) and the
//! reminder e-mails (on a real SMTP sink) then show as ready — by title only; that session
//! agrees two actions; the owner marks one done on the queue page, the other is overdue on the
//! dashboard; the second session opens with the look-back, where the moderator records both;
//! the team page shows its charts. Dashboard, queue and team page fit a 320 px phone.
//!
//! With `BERAAD_SCREENSHOTS` set it saves docs/screenshots/team-{dashboard,queue,page}.png and
//! their `-phone` versions (320 px).

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::browser::{assert_fits_width, driver, screenshot, sign_in, text_of, wait_count};
use crate::harness::{TestApp, TestUser};

const TITLE: &str = "Verlaging na ziekmelding";
const CASE: &str = "Mevrouw Jansen meldde zich ziek op de dag van een verplichte afspraak.";

async fn wait_path(c: &Client, prefix: &str) {
    let started = Instant::now();
    while !c.current_url().await.unwrap().path().starts_with(prefix) {
        assert!(started.elapsed() < Duration::from_secs(10), "waiting for {prefix}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

async fn type_into(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id)).await.unwrap().send_keys(text).await.unwrap();
}

/// Sets a form field's value the way a date or time picker would.
async fn set_value(c: &Client, css: &str, value: &str) {
    c.execute("document.querySelector(arguments[0]).value = arguments[1];", vec![json!(css), json!(value)])
        .await
        .unwrap();
}

/// Answers the open confirmation dialog with its first (the "yes") button.
async fn confirm(c: &Client) {
    wait_count(c, "dialog[open] button", |n| n >= 2).await;
    click(c, "dialog[open] .confirm-buttons button:first-child").await;
}

async fn name_of(app: &TestApp, user: &TestUser) -> String {
    app.store().user(user.id).await.unwrap().unwrap().display_name
}

/// The moderator sets a weekly slot from today on tomorrow's weekday at 19:30 on the rooster page.
async fn set_schedule(g: &Client, app: &TestApp, team: i64) {
    let (today, _) = crate::rhythm::local_day(0);
    let (_, weekday) = crate::rhythm::local_day(1);
    g.goto(&app.url(&format!("/teams/{team}/rooster"))).await.unwrap();
    g.find(Locator::Id("recurrence")).await.unwrap().select_by_value("weekly").await.unwrap();
    g.find(Locator::Id("weekday")).await.unwrap().select_by_value(weekday).await.unwrap();
    set_value(g, "#start", "19:30").await;
    set_value(g, "#minutes", "90").await;
    set_value(g, "#first_date", &today).await;
    click(g, "#slot-form button[type=submit]").await;
    wait_count(g, ".meeting", |n| n >= 2).await;
}

/// The member proposes the case; a name in it must be replaced before it can be proposed.
async fn propose_through_the_guard(m: &Client, app: &TestApp, member: &TestUser) {
    let team = member.team_id;
    m.goto(&app.url(&format!("/teams/{team}/wachtrij"))).await.unwrap();
    click(m, "#propose").await;
    wait_path(m, &format!("/teams/{team}/wachtrij/nieuw")).await;
    type_into(m, "title", TITLE).await;
    type_into(m, "summary", "Mag je verlagen als iemand ziek was?").await;
    type_into(m, "case_text", CASE).await;
    click(m, "#create").await;
    wait_count(m, "#findings li", |n| n >= 1).await;
    assert!(m.current_url().await.unwrap().path().ends_with("/nieuw"), "not proposed while unresolved");
    assert!(app.store().queue(team, member.id).await.unwrap().is_empty(), "nothing unreviewed stored");
    click(m, "#findings li .replace").await;
    wait_count(m, "#preview mark", |n| n == 0).await;
    click(m, "#create").await;
    wait_path(m, &format!("/teams/{team}/wachtrij")).await;
    wait_count(m, ".queue-item", |n| n == 1).await;
    assert_eq!(text_of(m, ".queue-item h3").await, TITLE);
    assert!(
        !m.source().await.unwrap().contains("meldde zich ziek op de dag"),
        "the case is not in the queue"
    );
    // "Wil ik bespreken".
    click(m, ".queue-item .interest").await;
    let started = Instant::now();
    while text_of(m, ".queue-item .interest-count").await != "1" {
        assert!(started.elapsed() < Duration::from_secs(10), "marked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The team feed, made on the rooster page and parsed: the first meeting's description.
async fn first_meeting_in_feed(g: &Client, app: &TestApp, team: i64, date: &str) -> String {
    g.goto(&app.url(&format!("/teams/{team}/rooster"))).await.unwrap();
    click(g, "button[value=team_feed]").await;
    wait_count(g, "#feed-url", |n| n == 1).await;
    let url = g.find(Locator::Id("feed-url")).await.unwrap().attr("value").await.unwrap().unwrap();
    let ics = reqwest::get(&url).await.unwrap().text().await.unwrap();
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("the feed parses as iCalendar");
    let prop = |c: &icalendar::parser::Component, name: &str| {
        c.properties.iter().find(|p| p.name == name).map(|p| p.val.to_string()).unwrap_or_default()
    };
    let uid = format!("beraad-team{team}-{date}@beraad");
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT" && prop(c, "UID") == uid)
        .expect("the meeting");
    assert!(!unfolded.contains("meldde zich") && !unfolded.contains("Mag je verlagen"), "no case content");
    // The parser keeps iCalendar's escapes (`\n`, `\,`) in the text.
    prop(event, "DESCRIPTION").replace("\\n", "\n").replace("\\,", ",")
}

/// The reminders of the meeting tomorrow, sent to a real SMTP server (skipped without aiosmtpd).
async fn reminders_name_the_case(app: &TestApp, member: &TestUser, moderator: &TestUser) {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    let Some((mut sink, port)) = crate::rhythm_mail::smtp_sink(&maildir) else { return };
    let mailer =
        beraad::mail::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "Beraad <beraad@example.org>")
            .unwrap();
    let base: url::Url = app.url("/").parse().unwrap();
    let sent = beraad::rhythm::reminders::run_once(&app.store(), &mailer, &base, 2, beraad::clock::now_ms())
        .await
        .unwrap();
    assert_eq!(sent.sent, 2, "{sent:?}");
    let mails = crate::rhythm_mail::wait_mails(&maildir, 2).await;
    sink.end(Duration::from_secs(2));
    assert_eq!(mails.len(), 2);
    let to =
        |user: &TestUser| mails.iter().find(|m| m.contains(&format!("To: {}", user.email))).unwrap().clone();
    let (bringer, leader) = (to(member), to(moderator));
    assert!(bringer.contains("Subject: Herinnering: Inbrenger op"), "{bringer}");
    assert!(leader.contains("Subject: Herinnering: Gespreksleider op"), "{leader}");
    for mail in [&bringer, &leader] {
        // Quoted-printable may wrap long lines: compare without soft line breaks.
        let text = mail.replace("=\r\n", "").replace("=\n", "");
        assert!(text.contains(TITLE) || text.contains("Verlaging na"), "the case's title: {mail}");
        assert!(
            !text.contains("meldde zich") && !text.contains("Mag je verlagen"),
            "no case content: {mail}"
        );
    }
}

/// The moderator starts the next session in the editor; it opens with the look-back on both
/// actions, and the moderator records one done and one dropped with a reason.
async fn look_back_in_the_second_session(g: &Client, app: &TestApp) -> String {
    g.goto(&app.url("/sessions/new")).await.unwrap();
    type_into(g, "title", "Tweede bijeenkomst").await;
    type_into(g, "moderator_name", "Gespreksleider").await;
    g.find(Locator::Id("method")).await.unwrap().select_by_value("cura").await.unwrap();
    click(g, "#create").await;
    wait_path(g, "/sessies/").await;
    let next = g.current_url().await.unwrap().path().trim_start_matches("/sessies/").to_owned();
    wait_count(g, "#console:not([hidden]) #cmd-start", |n| n == 1).await;
    click(g, "#cmd-start").await;
    wait_count(g, "#look-back-list li", |n| n == 2).await;
    let first = text_of(g, "#look-back-list li:nth-child(1)").await;
    let (done_item, dropped_item) = if first.contains("Cliënt terugbellen") { (2, 1) } else { (1, 2) };
    click(g, &format!("#look-back-list li:nth-child({done_item}) .look-back-done")).await;
    wait_count(g, "#look-back-list li.outcome-done", |n| n == 1).await;
    g.find(Locator::Css(&format!("#look-back-list li:nth-child({dropped_item}) .look-back-note")))
        .await
        .unwrap()
        .send_keys("Cliënt is verhuisd")
        .await
        .unwrap();
    click(g, &format!("#look-back-list li:nth-child({dropped_item}) .look-back-dropped")).await;
    wait_count(g, "#look-back-list li.outcome-dropped", |n| n == 1).await;
    next
}

#[tokio::test]
async fn a_team_holds_two_meetings_from_its_schedule_to_the_look_back() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let member = app.browser_user("member").await;
    let moderator = app.browser_user("moderator").await;
    let team = member.team_id;
    let (member_name, moderator_name) = (name_of(&app, &member).await, name_of(&app, &moderator).await);
    let m = driver.context(1280, 1000).await.client;
    let g = driver.context(1280, 1100).await.client;
    sign_in(&m, &app, &member).await;
    sign_in(&g, &app, &moderator).await;

    // The schedule, and the rotation it gives: tomorrow the moderator leads, the member brings.
    set_schedule(&g, &app, team).await;
    let (tomorrow, _) = crate::rhythm::local_day(1);
    let first = g.find(Locator::Css(".meeting")).await.unwrap();
    assert_eq!(first.attr("data-date").await.unwrap().as_deref(), Some(tomorrow.as_str()));
    assert!(text_of(&g, ".meeting .moderator").await.contains(&moderator_name));
    assert!(text_of(&g, ".meeting .case-bringer").await.contains(&member_name));

    // The member's case, through the guard, into the queue; the moderator picks it for the
    // first meeting, offered with its date and time.
    propose_through_the_guard(&m, &app, &member).await;
    g.goto(&app.url(&format!("/teams/{team}/wachtrij"))).await.unwrap();
    assert_eq!(text_of(&g, ".queue-item .interest-count").await, "1");
    screenshot(&g, "team-queue.png").await;
    let meeting = g.find(Locator::Css(".queue-item select[name=meeting]")).await.unwrap();
    meeting.select_by_value(&tomorrow).await.unwrap();
    click(&g, ".queue-item form.pick button[type=submit]").await;
    wait_count(&g, ".prepared-list li", |n| n == 1).await;
    assert_eq!(wait_count(&g, ".queue-item", |n| n == 0).await, 0, "the case left the queue");
    let prepared = g.find(Locator::Css(".prepared-list li")).await.unwrap();
    assert_eq!(prepared.attr("data-meeting").await.unwrap().as_deref(), Some(tomorrow.as_str()));
    assert!(prepared.text().await.unwrap().contains(&format!("{tomorrow} 19:30")));
    let session = prepared.attr("data-session").await.unwrap().unwrap();

    // Ready for that meeting: on the rooster, the dashboard, in the feed and the reminders.
    m.goto(&app.url(&format!("/teams/{team}/rooster"))).await.unwrap();
    assert_eq!(text_of(&m, ".meeting .case").await, TITLE);
    m.goto(&app.url("/")).await.unwrap();
    assert!(text_of(&m, ".next-meeting .case-ready").await.contains(TITLE));
    let description = first_meeting_in_feed(&g, &app, team, &tomorrow).await;
    assert!(description.contains(&format!("Gespreksleider: {moderator_name}")), "{description}");
    assert!(description.contains(&format!("Inbrenger: {member_name}")), "{description}");
    assert!(description.contains(&format!("Casus klaar: {TITLE}")), "{description}");
    reminders_name_the_case(&app, &member, &moderator).await;

    // The first meeting's session is held (over the websocket) and agrees two actions.
    let res = moderator
        .http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let actions = json!([
        {"what": "Beleidsregel navragen", "who": member_name, "when": "2099-01-10"},
        {"what": "Cliënt terugbellen", "who": "Gespreksleider", "when": "2026-01-05"},
    ]);
    crate::team_practice::finish_session(&app, &session, &token, actions).await;

    // The owner marks theirs done; the other is overdue on the dashboard.
    m.goto(&app.url(&format!("/teams/{team}/wachtrij"))).await.unwrap();
    wait_count(&m, ".action-list li", |n| n == 2).await;
    click(&m, ".action-list li:not(.overdue) .done").await;
    confirm(&m).await;
    wait_count(&m, ".action-list li", |n| n == 1).await;
    m.goto(&app.url("/")).await.unwrap();
    wait_count(&m, ".dashboard-actions li.overdue", |n| n == 1).await;
    assert!(text_of(&m, ".dashboard-actions li.overdue").await.contains("Cliënt terugbellen"));
    screenshot(&m, "team-dashboard.png").await;

    // The second meeting opens with the look-back on both, recorded in that session.
    let next = look_back_in_the_second_session(&g, &app).await;
    let kinds: Vec<String> =
        app.store().events_since(&next, 0, 100).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "look_back_recorded").count(), 2, "{kinds:?}");

    // The team page (which reads the sessions' outcomes): its charts, with tables beside them.
    g.goto(&app.url(&format!("/teams/{team}"))).await.unwrap();
    wait_count(&g, "svg.chart", |n| n == 3).await;
    assert_eq!(text_of(&g, "#held").await, "1");
    let all = app.store().team_actions(team, false, 10).await.unwrap();
    assert!(all
        .iter()
        .any(|a| a.status == "dropped" && a.drop_reason.as_deref() == Some("Cliënt is verhuisd")));
    assert!(all.iter().all(|a| a.status != "open"), "{all:?}");
    screenshot(&g, "team-page.png").await;

    // At 320 px: dashboard, queue (with a case waiting) and team page need no sideways scrolling.
    crate::practice_meeting::propose(&app, &member, "Huisbezoek zonder afspraak vooraf").await;
    let p = driver.phone_context(320, 1400).await.client;
    sign_in(&p, &app, &moderator).await;
    for (path, name) in [
        ("/".to_owned(), "team-dashboard-phone.png"),
        (format!("/teams/{team}/wachtrij"), "team-queue-phone.png"),
        (format!("/teams/{team}"), "team-page-phone.png"),
    ] {
        p.goto(&app.url(&path)).await.unwrap();
        assert_fits_width(&p, &path, 320).await;
        screenshot(&p, name).await;
    }
    m.close().await.unwrap();
    g.close().await.unwrap();
    p.close().await.unwrap();
}
