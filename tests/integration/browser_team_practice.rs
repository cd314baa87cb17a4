//! Two meetings of one team in the browser: a member proposes a case through the anonymisation
//! check, marks it "wil ik bespreken", a moderator picks it into a prepared session; that
//! session agrees two actions; the owner marks one done on the queue page, the other is overdue
//! on the dashboard; the next session opens with the look-back, where the moderator records
//! both; the team page shows its charts. Screenshots (with `BERAAD_SCREENSHOTS`):
//! docs/screenshots/team-queue.png and team-page.png.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::browser::{driver, sign_in, text_of, wait_count};
use crate::harness::TestApp;

async fn screenshot(c: &Client, name: &str) {
    if std::env::var_os("BERAAD_SCREENSHOTS").is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), c.screenshot().await.unwrap()).unwrap();
}

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

/// Answers the open confirmation dialog with its first (the "yes") button.
async fn confirm(c: &Client) {
    wait_count(c, "dialog[open] button", |n| n >= 2).await;
    click(c, "dialog[open] .confirm-buttons button:first-child").await;
}

#[tokio::test]
async fn a_case_goes_from_the_queue_to_a_session_whose_actions_are_looked_back_on() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let member = app.browser_user("member").await;
    let moderator = app.browser_user("moderator").await;
    let team = member.team_id;
    let member_name = app.store().user(member.id).await.unwrap().unwrap().display_name;
    let m = driver.context(1280, 1000).await.client;
    let g = driver.context(1280, 1100).await.client;
    sign_in(&m, &app, &member).await;
    sign_in(&g, &app, &moderator).await;

    // The member proposes a case; a name in it must be replaced before it can be proposed.
    m.goto(&app.url(&format!("/teams/{team}/wachtrij"))).await.unwrap();
    click(&m, "#propose").await;
    wait_path(&m, &format!("/teams/{team}/wachtrij/nieuw")).await;
    m.find(Locator::Id("title")).await.unwrap().send_keys("Verlaging na ziekmelding").await.unwrap();
    m.find(Locator::Id("summary"))
        .await
        .unwrap()
        .send_keys("Mag je verlagen als iemand ziek was?")
        .await
        .unwrap();
    let case = "Mevrouw Jansen meldde zich ziek op de dag van een verplichte afspraak.";
    m.find(Locator::Id("case_text")).await.unwrap().send_keys(case).await.unwrap();
    click(&m, "#create").await;
    wait_count(&m, "#findings li", |n| n >= 1).await;
    assert!(m.current_url().await.unwrap().path().ends_with("/nieuw"), "not proposed while unresolved");
    assert!(app.store().queue(team, member.id).await.unwrap().is_empty(), "nothing unreviewed stored");
    click(&m, "#findings li .replace").await;
    wait_count(&m, "#preview mark", |n| n == 0).await;
    click(&m, "#create").await;
    wait_path(&m, &format!("/teams/{team}/wachtrij")).await;
    wait_count(&m, ".queue-item", |n| n == 1).await;
    assert_eq!(text_of(&m, ".queue-item h3").await, "Verlaging na ziekmelding");
    assert!(
        !m.source().await.unwrap().contains("meldde zich ziek op de dag"),
        "the case itself is not in the queue"
    );
    // "Wil ik bespreken".
    click(&m, ".queue-item .interest").await;
    let started = Instant::now();
    while text_of(&m, ".queue-item .interest-count").await != "1" {
        assert!(started.elapsed() < Duration::from_secs(10), "marked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The moderator sees the queue with the mark and picks the case for a planned time.
    g.goto(&app.url(&format!("/teams/{team}/wachtrij"))).await.unwrap();
    assert_eq!(text_of(&g, ".queue-item .interest-count").await, "1");
    screenshot(&g, "team-queue.png").await;
    let day = beraad::domain::local_time::date_of(beraad::clock::now_ms() + 7 * 24 * 3_600_000);
    g.execute(
        "document.querySelector('.queue-item input[name=planned_at]').value = arguments[0];",
        vec![json!(format!("{day}T14:00"))],
    )
    .await
    .unwrap();
    click(&g, ".queue-item form.pick button[type=submit]").await;
    wait_count(&g, ".prepared-list li", |n| n == 1).await;
    assert_eq!(wait_count(&g, ".queue-item", |n| n == 0).await, 0, "the case left the queue");
    let prepared =
        g.find(Locator::Css(".prepared-list li")).await.unwrap().attr("data-session").await.unwrap().unwrap();
    assert!(text_of(&g, ".prepared-list li").await.contains(&format!("{day} 14:00")));

    // The prepared session is held (over the websocket) and agrees two actions.
    let res = moderator
        .http
        .post(app.url(&format!("/api/v1/sessions/{prepared}/join")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let actions = json!([
        {"what": "Beleidsregel navragen", "who": member_name, "when": "2099-01-10"},
        {"what": "Cliënt terugbellen", "who": "Gespreksleider", "when": "2026-01-05"},
    ]);
    crate::team_practice::finish_session(&app, &prepared, &token, actions).await;

    // The owner marks theirs done; the other is overdue on the dashboard.
    m.goto(&app.url(&format!("/teams/{team}/wachtrij"))).await.unwrap();
    wait_count(&m, ".action-list li", |n| n == 2).await;
    click(&m, ".action-list li:not(.overdue) .done").await;
    confirm(&m).await;
    wait_count(&m, ".action-list li", |n| n == 1).await;
    m.goto(&app.url("/")).await.unwrap();
    wait_count(&m, ".dashboard-actions li.overdue", |n| n == 1).await;
    assert!(text_of(&m, ".dashboard-actions li.overdue").await.contains("Cliënt terugbellen"));

    // The next session opens with the look-back on both; the moderator records both.
    g.goto(&app.url("/sessions/new")).await.unwrap();
    g.find(Locator::Id("title")).await.unwrap().send_keys("Tweede bijeenkomst").await.unwrap();
    g.find(Locator::Id("moderator_name")).await.unwrap().send_keys("Gespreksleider").await.unwrap();
    let method = g.find(Locator::Id("method")).await.unwrap();
    method.select_by_value("cura").await.unwrap();
    click(&g, "#create").await;
    wait_path(&g, "/sessies/").await;
    let next = g.current_url().await.unwrap().path().trim_start_matches("/sessies/").to_owned();
    wait_count(&g, "#console:not([hidden]) #cmd-start", |n| n == 1).await;
    click(&g, "#cmd-start").await;
    wait_count(&g, "#look-back-list li", |n| n == 2).await;
    let first = text_of(&g, "#look-back-list li:nth-child(1)").await;
    let (done_item, dropped_item) = if first.contains("Cliënt terugbellen") { (2, 1) } else { (1, 2) };
    click(&g, &format!("#look-back-list li:nth-child({done_item}) .look-back-done")).await;
    wait_count(&g, "#look-back-list li.outcome-done", |n| n == 1).await;
    g.find(Locator::Css(&format!("#look-back-list li:nth-child({dropped_item}) .look-back-note")))
        .await
        .unwrap()
        .send_keys("Cliënt is verhuisd")
        .await
        .unwrap();
    click(&g, &format!("#look-back-list li:nth-child({dropped_item}) .look-back-dropped")).await;
    wait_count(&g, "#look-back-list li.outcome-dropped", |n| n == 1).await;
    let kinds: Vec<String> =
        app.store().events_since(&next, 0, 100).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "look_back_recorded").count(), 2, "{kinds:?}");

    // The team page: its charts, with tables beside them.
    g.goto(&app.url(&format!("/teams/{team}"))).await.unwrap();
    wait_count(&g, "svg.chart", |n| n == 3).await;
    assert_eq!(text_of(&g, "#held").await, "1");
    let dropped = app.store().team_actions(team, false, 10).await.unwrap();
    assert!(dropped
        .iter()
        .any(|a| a.status == "dropped" && a.drop_reason.as_deref() == Some("Cliënt is verhuisd")));
    screenshot(&g, "team-page.png").await;
    m.close().await.unwrap();
    g.close().await.unwrap();
}
