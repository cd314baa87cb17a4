//! The structured precedent editor in headless Chromium (issue 13, point 10): positions,
//! perspectives, options, values and actions as rows of labelled fields with add and remove
//! buttons; law references checked at the field ("art 18 lid 4 PW" accepted, a wrong one
//! explained there with an example); errors from the server shown at the field that has them;
//! "Reden van de correctie" only when correcting; the page title after adoption; no sideways
//! scrolling at 320 px. With `BERAAD_SCREENSHOTS=1` it saves `docs/screenshots/precedent-editor.png`.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{driver, text_of, wait_count};
use crate::browser_room::{click, fill, screenshot, wait_js};
use crate::harness::TestApp;
use crate::precedent_lifecycle::concluded_session_by;

/// Opens the editor of `session` in `c` with the moderator's session token (as the browser
/// that ran the session holds it).
async fn open_editor(c: &Client, app: &TestApp, session: &str, token: &str) {
    c.goto(&app.url(&format!("/sessies/{session}/precedent"))).await.unwrap();
    c.execute(
        "localStorage.setItem(`beraad.token.${arguments[0]}`, arguments[1]); location.reload();",
        vec![session.into(), token.into()],
    )
    .await
    .unwrap();
    wait_js(c, "the draft", "!document.getElementById('draft').hidden").await;
}

async fn value_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id)).await.unwrap().prop("value").await.unwrap().unwrap_or_default()
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Types into a field and leaves it (the change event fires, as when tabbing on).
async fn type_and_leave(c: &Client, id: &str, text: &str) {
    fill(c, id, text).await;
    c.find(Locator::Id(id)).await.unwrap().send_keys(&fantoccini::key::Key::Tab.to_string()).await.unwrap();
}

#[tokio::test]
async fn the_structured_editor_edits_rows_checks_laws_at_the_field_and_fits_a_phone() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let moderator = app.user("moderator").await;
    let (session, token, _) = concluded_session_by(&app, &moderator).await;

    let ctx = driver.context(1280, 1000).await;
    let c = &ctx.client;
    open_editor(c, &app, &session, &token).await;

    // The session's options, positions and values arrive as rows of fields, not as lines.
    assert_eq!(wait_count(c, "#list-options .row", |n| n == 2).await, 2);
    assert_eq!(value_of(c, "f-options-0-label").await, "A: verlagen");
    assert_eq!(value_of(c, "f-options-1-damage").await, "ongelijkheid");
    assert_eq!(value_of(c, "f-positions-0-pseudonym").await, "deelnemer 1");
    assert_eq!(value_of(c, "f-positions-0-value").await, "gelijkheid", "the supporting value");
    assert_eq!(value_of(c, "f-positions-0-damage").await, "bestaanszekerheid", "the harmed value");
    assert_eq!(value_of(c, "f-harmed_values-0").await, "bestaanszekerheid", "harmed values: their own list");
    let label = js(c, "return document.querySelector('label[for=f-options-1-damage]').textContent").await;
    assert_eq!(label.as_str(), Some("Schade"), "every field is labelled");
    assert!(
        c.find(Locator::Css("textarea#d-options, textarea#d-positions")).await.is_err(),
        "no pipe-separated lines"
    );
    // "Reden van de correctie" is for corrections only.
    assert_eq!(js(c, "return document.getElementById('reason-field').hidden").await, Value::Bool(true));

    // A row is added (focus moves into it) and removed again.
    click(c, "[data-add=options]").await;
    wait_count(c, "#list-options .row", |n| n == 3).await;
    assert_eq!(js(c, "return document.activeElement.id").await.as_str(), Some("f-options-2-label"));
    fill(c, "f-options-2-label", "C: eerst een gesprek").await;
    click(c, "#list-options .row:nth-child(3) .remove-row").await;
    wait_count(c, "#list-options .row", |n| n == 2).await;

    // Law articles: the common way of writing is accepted at the field and shown in full…
    click(c, "[data-add=law_refs]").await;
    type_and_leave(c, "f-law_refs-0", "art 18 lid 4 PW").await;
    wait_js(
        c,
        "the law recognised",
        "document.getElementById('f-law_refs-0-check').classList.contains('ok')",
    )
    .await;
    assert!(text_of(c, "#f-law_refs-0-check").await.contains("Participatiewet art. 18 lid 4"));
    // …and a wrong one is explained at its field, with an example.
    click(c, "[data-add=law_refs]").await;
    type_and_leave(c, "f-law_refs-1", "art. achttien").await;
    wait_js(
        c,
        "the law refused",
        "document.getElementById('f-law_refs-1').getAttribute('aria-invalid') === 'true'",
    )
    .await;
    let error = text_of(c, "#f-law_refs-1-error").await;
    assert!(error.contains("art. 18 lid 4 Pw"), "an example at the field: {error}");

    // Saving with problems: the server's answer is shown at the fields that have them, and
    // focus goes to the first.
    fill(c, "d-title", " ").await;
    click(c, "#save").await;
    wait_js(c, "the errors", "!document.getElementById('draft-error').hidden").await;
    wait_js(c, "the law at its field", "document.getElementById('f-law_refs-1-error') !== null").await;
    let focused = js(c, "return document.activeElement.id").await;
    assert_eq!(focused.as_str(), Some("f-law_refs-1"), "focus on the field with the problem");
    let linked = js(
        c,
        "return [...document.querySelectorAll('#draft-error-list a')].map(a => a.getAttribute('href'))",
    )
    .await;
    assert_eq!(linked, serde_json::json!(["#f-law_refs-1"]), "the list at the top links to the field");

    // The law fixed, the title left empty: that error is at the title.
    click(c, "#list-law_refs .row:nth-child(2) .remove-row").await;
    click(c, "#save").await;
    wait_js(c, "the title's error", "document.getElementById('d-title-error') !== null").await;
    assert_eq!(js(c, "return document.activeElement.id").await.as_str(), Some("d-title"));
    assert_eq!(
        js(c, "return document.getElementById('d-title').getAttribute('aria-invalid')").await.as_str(),
        Some("true")
    );

    fill(c, "d-title", "Geen verlaging bij een eerste verzuim met ziekmelding").await;
    fill(c, "d-summary", "Geen verlaging bij een eerste gemiste afspraak zonder gesprek.").await;
    click(c, "[data-add=actions]").await;
    fill(c, "f-actions-1-what", "Casus bespreken in het teamoverleg").await;
    fill(c, "f-actions-1-who", "teamleider").await;
    click(c, "input[name=theme][value=verlaging]").await;
    click(c, "#save").await;
    wait_js(c, "saved", "document.getElementById('draft-status').textContent === 'Opgeslagen.'").await;
    assert_eq!(js(c, "return document.querySelectorAll('[aria-invalid]').length").await, Value::from(0));
    c.execute("document.getElementById('list-options').scrollIntoView()", vec![]).await.unwrap();
    screenshot(c, "precedent-editor").await;

    // The JSON API got the record it always got: lists as JSON, the law in its canonical form.
    let row = app.store().precedent_of_session(&session).await.unwrap().unwrap();
    assert_eq!(row.record["law_refs"], serde_json::json!(["Participatiewet art. 18 lid 4"]));
    assert_eq!(row.record["options"].as_array().unwrap().len(), 2);
    assert_eq!(row.record["actions"][1]["who"], "teamleider");
    assert_eq!(row.record["harmed_values"], serde_json::json!(["bestaanszekerheid"]));

    // Adopted: the page is about the adopted precedent, and corrections ask for a reason.
    click(c, "#adopt").await;
    click(c, "dialog.confirm button.danger").await;
    wait_js(c, "adopted", "document.getElementById('draft-status').textContent.includes('MB:')").await;
    let heading = text_of(c, "#draft-heading").await;
    assert!(heading.starts_with("Vastgesteld precedent MB:"), "{heading}");
    let title = c.title().await.unwrap();
    assert!(title.starts_with("Vastgesteld precedent MB:"), "{title}");
    assert_eq!(js(c, "return document.getElementById('reason-field').hidden").await, Value::Bool(false));

    // At 320 px the editor does not scroll sideways and its row buttons can be reached.
    let phone = driver.phone_context(320, 740).await;
    let p = &phone.client;
    open_editor(p, &app, &session, &token).await;
    let widths = js(p, "return [document.documentElement.scrollWidth, innerWidth]").await;
    assert_eq!(widths[0], widths[1], "no horizontal overflow at 320 px: {widths}");
    let outside = js(
        p,
        "return [...document.querySelectorAll('#draft input, #draft textarea, #draft button')]
           .filter(e => e.offsetParent !== null)
           .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
           .map(e => e.id || e.className)",
    )
    .await;
    assert_eq!(outside, serde_json::json!([]), "every field inside the screen");
}
