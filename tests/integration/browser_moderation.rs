//! The moderator moderates (issue 13.8), in the browser: a participant edits and withdraws her
//! own question while the round is open; the moderator hides one that is advice, with a
//! reason everyone sees; the author and the moderator still see the text, the others only the
//! reason; every change is an event in the session's log.

use fantoccini::Client;
use serde_json::{json, Value};

use crate::browser::driver;
use crate::browser_room::{at_round, click, fill, send, wait_js};
use crate::harness::TestApp;
use crate::ws_client::{self, WsClient};

/// Opens the room (or `path`) in `c` as the holder of `token`.
pub(crate) async fn open_as(c: &Client, app: &TestApp, path: &str, session: &str, token: &str) {
    c.goto(&app.url(path)).await.unwrap();
    c.execute(
        "localStorage.setItem(`beraad.token.${arguments[0]}`, arguments[1]); location.reload();",
        vec![session.into(), token.into()],
    )
    .await
    .unwrap();
    wait_js(c, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
}

/// Clicks the button labelled `label` beside the contribution holding `text`.
async fn click_beside(c: &Client, text: &str, label: &str) {
    let script = "const [text, label] = arguments; \
        const item = [...document.querySelectorAll('#contributions .contribution')].find((e) => e.querySelector('.contribution-text')?.textContent.includes(text)); \
        const b = item && [...item.querySelectorAll('.contribution-actions button')].find((b) => b.textContent === label); \
        if (b) { b.click(); return true; } return false;";
    let clicked = c.execute(script, vec![text.into(), label.into()]).await.unwrap();
    assert_eq!(clicked, Value::Bool(true), "no {label} beside {text}");
}

#[tokio::test]
async fn a_participant_edits_and_withdraws_and_the_moderator_hides_advice_with_a_reason() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, moderator_token, invite) =
        ws_client::create_session(&app, "dilemma", Some("question_first")).await;
    let (_, anna_token) = ws_client::join(&app, &session, &invite, "Anna", "participant").await;
    let (_, bram_token) = ws_client::join(&app, &session, &invite, "Bram", "participant").await;
    ws_client::join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let mut steer = WsClient::connect(&app, &session, "mod", &moderator_token, None).await;
    let mut bram = WsClient::connect(&app, &session, "bram", &bram_token, None).await;

    let room = format!("/sessies/{session}");
    let moderator = driver.context(1280, 1000).await;
    let participant = driver.context(1280, 1000).await;
    let (m, a) = (&moderator.client, &participant.client);
    open_as(m, &app, &room, &session, &moderator_token).await;
    open_as(a, &app, &room, &session, &anna_token).await;
    steer.ok(json!({"type": "start"})).await;
    for _ in 0..3 {
        steer.ok(json!({"type": "next_round"})).await;
    }
    // Step 4, clarifying questions: "only questions, no advice".
    at_round(a, 3).await;
    fill(a, "f-text", "Zou je niet gewoon doorbetalen? ADVIESTEKST").await;
    send(a).await;
    wait_js(
        m,
        "the question",
        "document.getElementById('contributions').textContent.includes('ADVIESTEKST')",
    )
    .await;

    // Anna edits her own; everyone sees the new text, marked "bewerkt".
    fill(a, "f-text", "Wat zei de cliënt precies? EERSTEVERSIE").await;
    send(a).await;
    wait_js(
        a,
        "the second question",
        "document.getElementById('contributions').textContent.includes('EERSTEVERSIE')",
    )
    .await;
    click_beside(a, "EERSTEVERSIE", "Bewerken").await;
    wait_js(a, "the editor", "!document.getElementById('edit-form').hidden").await;
    fill(a, "edit-text", "Wat zei de cliënt aan de telefoon? BEWERKT").await;
    click(a, "#edit-form button[type=submit]").await;
    wait_js(m, "the edit", "document.getElementById('contributions').textContent.includes('BEWERKT') && document.getElementById('contributions').textContent.includes('(bewerkt)')").await;
    assert!(!m.source().await.unwrap().contains("EERSTEVERSIE"), "the old text is gone from the room");

    // The moderator hides the advice with a reason: a button beside every contribution.
    click_beside(m, "ADVIESTEKST", "Modereren").await;
    wait_js(m, "the moderation form", "!document.getElementById('moderate-form').hidden").await;
    // A reason is needed: without one the form says so and nothing is sent.
    click(m, "#moderate-form button[value=hide]").await;
    wait_js(
        m,
        "the reason is asked for",
        "document.getElementById('moderate-reason').getAttribute('aria-invalid') === 'true'",
    )
    .await;
    fill(m, "moderate-reason", "Dit is een advies; in deze stap stellen we alleen vragen.").await;
    click(m, "#moderate-form button[value=hide]").await;
    let reason_shown = "document.getElementById('contributions').textContent.includes('Verborgen door de gespreksleider: Dit is een advies')";
    wait_js(a, "the reason, to the author", reason_shown).await;
    wait_js(m, "the reason, to the moderator", reason_shown).await;
    // The author and the moderator still see the text; another participant gets only the reason.
    assert!(a.source().await.unwrap().contains("ADVIESTEKST"));
    assert!(m.source().await.unwrap().contains("ADVIESTEKST"));
    bram.send_json(json!({"type": "sync"})).await;
    let view = bram.until(|f| f["type"] == "view").await;
    let seen = view["view"]["contributions"].to_string();
    assert!(!seen.contains("ADVIESTEKST"), "hidden text reached another participant: {seen}");
    assert!(seen.contains("alleen vragen"), "the reason is visible to all: {seen}");

    // Anna withdraws her edited question: it asks first, then it is gone for everyone.
    click_beside(a, "BEWERKT", "Intrekken").await;
    click(a, "dialog.confirm button.danger").await;
    wait_js(m, "withdrawn", "!document.getElementById('contributions').textContent.includes('BEWERKT')")
        .await;
    wait_js(
        a,
        "withdrawn for the author too",
        "!document.getElementById('contributions').textContent.includes('BEWERKT')",
    )
    .await;

    // Every change is an event in the log.
    let events = app.store().events_since(&session, 0, 1000).await.unwrap();
    let types: Vec<String> =
        events.iter().map(|e| e.payload["type"].as_str().unwrap_or_default().to_owned()).collect();
    for kind in ["contribution_edited", "contribution_moderated", "contributions_withdrawn"] {
        assert!(types.iter().any(|t| t == kind), "{kind} missing in {types:?}");
    }
    assert!(events.iter().any(|e| e.payload["reason"] == "by_author"));
}
