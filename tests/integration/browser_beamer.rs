//! The beamer view (issue 13.9): `/sessies/{id}/beamer` shows the live round for the shared
//! screen — large type, step, prompt, countdown — with the results laid out for discussion:
//! options with their harm as a table, perspectives as the stakeholder × value × norm table,
//! judgements as a tally with bars (and the numbers as text). It follows the session live and
//! shows nothing of a hidden round before the reveal, not even the beamer holder's own writing.
//! With `BERAAD_SCREENSHOTS=1` it saves `docs/screenshots/beamer-*.png`.

use serde_json::{json, Value};

use crate::browser::driver;
use crate::browser_moderation::open_as;
use crate::browser_room::{screenshot, wait_js};
use crate::harness::TestApp;
use crate::ws_client::{self, WsClient};

fn choice(option: &str, value: &str, harmed: &str) -> Value {
    json!({"type": "contribute", "content": {"type": "choice", "option": option,
        "supporting_value": value, "harmed_value": harmed,
        "damage_limitation": "uitleggen waarom en een gesprek aanbieden", "needs": "steun van de teamleider"}})
}

const CONTRIBUTIONS: &str = "document.getElementById('contributions').textContent";

#[tokio::test]
async fn the_beamer_lays_out_each_round_live_and_keeps_hidden_rounds_hidden() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, moderator_token, invite) =
        ws_client::create_session(&app, "dilemma", Some("question_first")).await;
    let (_, pres_token) = ws_client::join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let (_, anna_token) = ws_client::join(&app, &session, &invite, "Anna", "participant").await;
    let (_, bram_token) = ws_client::join(&app, &session, &invite, "Bram", "participant").await;
    let mut steer = WsClient::connect(&app, &session, "mod", &moderator_token, None).await;
    let mut pres = WsClient::connect(&app, &session, "pres", &pres_token, None).await;
    let mut anna = WsClient::connect(&app, &session, "anna", &anna_token, None).await;
    let mut bram = WsClient::connect(&app, &session, "bram", &bram_token, None).await;

    // The moderator's beamer, and Anna's own screen in beamer mode.
    let screen = driver.context(1600, 900).await;
    let own = driver.context(1280, 800).await;
    let (b, o) = (&screen.client, &own.client);
    let path = format!("/sessies/{session}/beamer");
    open_as(b, &app, &path, &session, &moderator_token).await;
    open_as(o, &app, &path, &session, &anna_token).await;
    let console = b
        .execute(
            "return getComputedStyle(document.getElementById('console').closest('.room-side')).display",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(console.as_str(), Some("none"), "no controls on the shared screen");

    steer.ok(json!({"type": "start"})).await;
    steer.ok(json!({"type": "next_round"})).await;
    pres.ok(json!({"type": "contribute", "content": {"type": "text", "text": "Maandag afspraak gemist, dinsdag ziek gemeld."}})).await;
    steer.ok(json!({"type": "next_round"})).await;
    // Step 3: options with their harm, as a table, and the moral question above them.
    for (label, damage) in
        [("A: verlagen", "geldnood bij de cliënt"), ("B: niet verlagen", "ongelijke behandeling")]
    {
        pres.ok(
            json!({"type": "contribute", "content": {"type": "option", "label": label, "damage": damage}}),
        )
        .await;
    }
    pres.ok(json!({"type": "set_moral_question", "text": "Moet ik de uitkering verlagen nu de cliënt zich ziek meldde?"})).await;
    wait_js(
        b,
        "the options table",
        "document.querySelectorAll('#contributions table.results-table tbody tr').length === 2",
    )
    .await;
    let cells = b
        .execute("return [...document.querySelectorAll('#contributions table.results-table tbody tr')].map((tr) => [...tr.cells].slice(0, 2).map((td) => td.textContent))", vec![])
        .await
        .unwrap();
    assert_eq!(
        cells,
        json!([["A: verlagen", "geldnood bij de cliënt"], ["B: niet verlagen", "ongelijke behandeling"]])
    );
    wait_js(
        b,
        "the moral question",
        "document.getElementById('moral-question-text').textContent.includes('ziek meldde')",
    )
    .await;
    wait_js(b, "the countdown", "!document.getElementById('round-timer').hidden && document.getElementById('round-timer').textContent.includes(':')").await;
    let big = b
        .execute(
            "return parseFloat(getComputedStyle(document.getElementById('round-title')).fontSize)",
            vec![],
        )
        .await
        .unwrap();
    assert!(big.as_f64().unwrap() >= 36.0, "large type on the beamer: {big}");
    screenshot(b, "beamer-options").await;

    // Step 5: perspectives as the stakeholder × perspective × value × norm table.
    steer.ok(json!({"type": "next_round"})).await;
    steer.ok(json!({"type": "next_round"})).await;
    anna.ok(json!({"type": "contribute", "content": {"type": "matrix_row", "stakeholder": "cliënt",
        "perspective": "wil zekerheid", "value": "bestaanszekerheid", "norm": "geen verlaging zonder gesprek"}})).await;
    wait_js(b, "the matrix", "[...document.querySelectorAll('#contributions thead th')].map((th) => th.textContent).join('|').startsWith('Betrokkene|Perspectief|Waarde|Norm')").await;
    wait_js(b, "the row", &format!("{CONTRIBUTIONS}.includes('geen verlaging zonder gesprek')")).await;

    // Step 7: the individual judgement is hidden until all have chosen.
    steer.ok(json!({"type": "next_round"})).await;
    steer.ok(json!({"type": "next_round"})).await;
    anna.ok(choice("B: niet verlagen", "menselijkheid", "gelijkheid")).await;
    bram.ok(choice("B: niet verlagen", "bestaanszekerheid", "gelijkheid")).await;
    wait_js(b, "2 of 3", "document.getElementById('round-progress').textContent.includes('2 van 3')").await;
    wait_js(
        o,
        "2 of 3 on Anna's",
        "document.getElementById('round-progress').textContent.includes('2 van 3')",
    )
    .await;
    for (c, who) in [(b, "the moderator's beamer"), (o, "Anna's beamer")] {
        let source = c.source().await.unwrap();
        assert!(
            !source.contains("menselijkheid") && !source.contains("bestaanszekerheid</"),
            "{who} shows a hidden judgement"
        );
        let shown = c.execute(&format!("return {CONTRIBUTIONS}"), vec![]).await.unwrap();
        assert_eq!(shown.as_str(), Some(""), "{who} shows nothing of the hidden round");
    }
    pres.ok(choice("A: verlagen", "bestaanszekerheid", "rechtsgelijkheid")).await;

    // Revealed: the tally (2 × B, 1 × A) and the values named most, as bars with numbers.
    for c in [b, o] {
        wait_js(c, "the reveal", &format!("{CONTRIBUTIONS}.includes('menselijkheid')")).await;
    }
    let tally = b
        .execute("const t = document.querySelector('#contributions table.chart'); return { caption: t.caption.textContent, rows: [...t.tBodies[0].rows].map((r) => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].querySelector('.bar').getBoundingClientRect().width > 0]) }", vec![])
        .await
        .unwrap();
    assert_eq!(tally["caption"], "Wie koos wat");
    assert_eq!(
        tally["rows"],
        json!([["B: niet verlagen", "2 van 3", true], ["A: verlagen", "1 van 3", true]])
    );
    let values = b
        .execute("return [...document.querySelectorAll('#contributions table.chart')][1].tBodies[0].rows[0].cells[0].textContent", vec![])
        .await
        .unwrap();
    assert_eq!(values.as_str(), Some("bestaanszekerheid"), "the value named most comes first");
    let bars_hidden = b
        .execute("return [...document.querySelectorAll('#contributions .bar')].every((e) => e.getAttribute('aria-hidden') === 'true')", vec![])
        .await
        .unwrap();
    assert_eq!(bars_hidden, Value::Bool(true), "the numbers are the text alternative of the bars");
    let wide = b
        .execute(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(wide, Value::Bool(true), "no sideways scrolling on the beamer");
    screenshot(b, "beamer-judgements").await;
}
