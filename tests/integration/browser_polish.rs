//! Polish (issue 13.16): a favicon; CURA's steps in Dutch; singular and plural of similar
//! precedents; the case open while it is told; no empty console in a closed room; method
//! variants that can be told apart.

use serde_json::json;

use crate::browser::driver;
use crate::browser_moderation::open_as;
use crate::browser_room::{at_round, wait_js};
use crate::harness::TestApp;
use crate::ws_client::{self, WsClient};

#[tokio::test]
async fn the_case_opens_while_told_and_a_closed_room_has_no_empty_console() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, moderator_token, invite) =
        ws_client::create_session(&app, "dilemma", Some("question_first")).await;
    ws_client::join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let mut steer = WsClient::connect(&app, &session, "mod", &moderator_token, None).await;
    let ctx = driver.context(1280, 1000).await;
    let m = &ctx.client;
    open_as(m, &app, &format!("/sessies/{session}"), &session, &moderator_token).await;
    let icon = m
        .execute("return document.querySelector('link[rel=icon]')?.getAttribute('href')", vec![])
        .await
        .unwrap();
    assert_eq!(icon.as_str(), Some("/static/favicon.svg"));
    steer.ok(json!({"type": "start"})).await;
    at_round(m, 0).await;
    wait_js(m, "the case folded in the introduction", "!document.getElementById('case').open").await;
    steer.ok(json!({"type": "next_round"})).await;
    at_round(m, 1).await;
    wait_js(m, "the case open in 'Casus'", "document.getElementById('case').open").await;
    steer.ok(json!({"type": "next_round"})).await;
    at_round(m, 2).await;
    wait_js(m, "folded again after", "!document.getElementById('case').open").await;
    wait_js(m, "the console", "!document.getElementById('console').hidden").await;
    steer.ok(json!({"type": "end"})).await;
    wait_js(m, "closed", "!document.getElementById('phase-closed').hidden").await;
    wait_js(m, "no empty console", "document.getElementById('console').hidden").await;
}

#[tokio::test]
async fn favicon_dutch_cura_steps_wording_and_distinct_method_names() {
    let mut app = TestApp::sqlite().await;
    let res = app.http.get(app.url("/static/favicon.svg")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");

    // CURA's steps read Dutch in Dutch (the letters stay: C, U, R, A).
    let methods: serde_json::Value =
        app.http.get(app.url("/api/v1/methods")).send().await.unwrap().json().await.unwrap();
    let list = methods.as_array().cloned().unwrap_or_else(|| methods["methods"].as_array().cloned().unwrap());
    let cura = list.iter().find(|m| m["key"] == "cura").expect("cura");
    let titles: Vec<String> = cura["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"]["nl"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        titles,
        ["C — Concentreren", "U — Uitstellen: eerst vertragen", "R — Reflecteren", "A — Actie: handelen"]
    );

    // "1 vergelijkbaar precedent", "2 vergelijkbare precedenten".
    assert_eq!(
        beraad::i18n::text(beraad::i18n::Lang::Nl, "similar.found_one").unwrap(),
        "1 vergelijkbaar precedent gevonden."
    );
    assert!(beraad::i18n::text(beraad::i18n::Lang::Nl, "similar.found")
        .unwrap()
        .contains("vergelijkbare precedenten"));
    assert_eq!(
        beraad::i18n::text(beraad::i18n::Lang::En, "similar.found_one").unwrap(),
        "1 similar precedent found."
    );

    // Every method the moderator can choose has a name of its own.
    app.sign_in("moderator").await;
    let page = app.http.get(app.url("/sessions/new")).send().await.unwrap().text().await.unwrap();
    let names: Vec<&str> = page
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split('>').nth(1))
        .map(|rest| rest.split("</option").next().unwrap_or_default())
        .collect();
    assert!(names.iter().filter(|n| n.starts_with("Dilemmamethode")).count() == 2, "{names:?}");
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "two methods share a name: {names:?}");
}
