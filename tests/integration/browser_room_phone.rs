//! The room's forms on a phone (issue 13.1): every round kind's form, with long Dutch texts in
//! labels, options and prompts, fits 320 and 375 px wide screens — no sideways scrolling — and
//! every control can be scrolled into view and tapped.
//!
//! The forms are built by the room's own code (`room-forms.js`) inside the real room page with
//! its real style sheets; the test fills them with long texts instead of running a session to
//! each round, so that every kind (and the presenter's answer form) is covered at both widths.

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::driver;
use crate::browser_room::wait_js;
use crate::harness::TestApp;

const LONG: &str = "Optie A: de uitkering verlagen met honderd procent gedurende een maand omdat de \
                    cliënt zonder geldige reden twee afspraken met de klantmanager heeft gemist";

/// Builds the form of `kind` for `role` in the room page and reports overflow and the ids of
/// the controls, in a JSON object.
async fn show_form(c: &Client, kind: &str, role: &str, real: bool) -> Value {
    let script = r#"
        const [kind, role, long, real, done] = arguments;
        Promise.all([import('/static/js/room-forms.js'), import('/static/js/room-results.js')]).then(([forms, results]) => {
          const strings = JSON.parse(document.getElementById('room').dataset.strings);
          // Long labels stress the layout; the screenshot shows the real ones.
          const t = real ? (k) => strings[k] ?? k : (k) => (k + ' ' + long).slice(0, 90);
          const all = [
            { id: 'q1', round_index: 0, content: { type: 'question', text: long + ' — vraag?' } },
            { id: 'o1', round_index: 0, content: { type: 'option', label: long, damage: long } },
            { id: 'o2', round_index: 0, content: { type: 'option', label: long.replace('A', 'B'), damage: long } },
            { id: 's1', round_index: 0, content: { type: 'text', text: long } },
          ];
          for (const id of ['phase-lobby', 'phase-concluding', 'phase-closed']) document.getElementById(id).hidden = true;
          document.getElementById('phase-round').hidden = false;
          document.getElementById('round-title').textContent = 'Individuele afweging';
          document.getElementById('round-prompt').textContent = real ? '' : long + ' ' + long;
          document.getElementById('round-rule').hidden = real;
          document.getElementById('round-rule').textContent = long;
          // The options of step 3 as the room lays them out (a table; cards on a phone).
          const named = { kind: 'named', id: 'u-2', display_name: 'Inbrenger' };
          const tr = (k, vars = {}) => (strings[k] ?? k).replace(/\{(\w+)\}/g, (_, n) => String(vars[n] ?? ''));
          document.getElementById('contributions').replaceChildren(
            ...(real
              ? results.renderResults('options', all.filter((c) => c.content.type === 'option').map((c) => ({ ...c, author: named })), { t: tr, authorName: (a) => a.display_name })
              : all.map((c) => { const li = document.createElement('li'); li.textContent = forms.describe(c.content, t); return li; })));
          const form = document.getElementById('contribute');
          form.hidden = false;
          document.getElementById('contribute-fields').replaceChildren(...forms.fieldsFor(kind, role, all, 0, t));
          for (const s of form.querySelectorAll('select')) s.selectedIndex = s.options.length - 1;
          const doc = document.documentElement;
          const controls = [...form.querySelectorAll('input, select, textarea, button')];
          controls.forEach((e, i) => { if (!e.id) e.id = 'control-' + i; });
          done({ scroll: doc.scrollWidth, client: doc.clientWidth, form: form.getBoundingClientRect().width,
                 ids: controls.map((e) => e.id) });
        }, (e) => done({ error: String(e) }));
    "#;
    c.execute_async(script, vec![kind.into(), role.into(), LONG.into(), real.into()]).await.unwrap()
}

/// Whether the control is wholly inside the viewport after scrolling to it, and is the element
/// a tap in its middle would reach.
async fn reachable(c: &Client, id: &str) -> Value {
    let script = r#"
        const e = document.getElementById(arguments[0]);
        e.scrollIntoView({ block: 'center', inline: 'nearest' });
        const r = e.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { left: r.left, right: r.right, width: innerWidth,
                 inside: r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight,
                 hit: hit === e || e.contains(hit) };
    "#;
    c.execute(script, vec![id.into()]).await.unwrap()
}

#[tokio::test]
async fn every_round_form_fits_a_phone_and_every_control_can_be_tapped() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, _, _) = crate::ws_client::create_session(&app, "dilemma", Some("question_first")).await;
    let kinds = [
        ("narrative", "presenter"),
        ("questions", "participant"),
        ("questions", "presenter"),
        ("silent_write", "participant"),
        ("round_robin", "participant"),
        ("dialogue", "participant"),
        ("matrix", "participant"),
        ("options", "presenter"),
        ("choice", "participant"),
        ("selection", "participant"),
        ("conclusion", "participant"),
        ("evaluation", "participant"),
        ("look_back", "participant"),
    ];
    for width in [320, 375] {
        let ctx = driver.phone_context(width, 740).await;
        let c = &ctx.client;
        c.goto(&app.url(&format!("/sessies/{session}"))).await.unwrap();
        wait_js(c, "the room", "document.getElementById('contribute-fields') !== null").await;
        let inner = c.execute("return innerWidth", vec![]).await.unwrap();
        assert_eq!(inner.as_u64(), Some(u64::from(width)), "the viewport is a phone's");
        for (kind, role) in kinds {
            let shown = show_form(c, kind, role, false).await;
            assert!(shown.get("error").is_none(), "{kind}: {shown}");
            let (scroll, client) = (shown["scroll"].as_f64().unwrap(), shown["client"].as_f64().unwrap());
            assert!(scroll <= client, "{kind} ({role}) at {width} px: page {scroll} px wide in {client} px");
            let ids: Vec<String> =
                shown["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
            assert!(ids.len() >= 2, "{kind}: a field and the send button: {ids:?}");
            for id in &ids {
                let r = reachable(c, id).await;
                assert_eq!(r["inside"], true, "{kind} ({role}) at {width} px: #{id} not in view: {r}");
                assert_eq!(r["hit"], true, "{kind} ({role}) at {width} px: #{id} covered: {r}");
                // A real tap reaches it (fantoccini refuses when the element is covered or
                // outside the viewport). The send button's submit is stopped by the page.
                let e = c.find(Locator::Id(id)).await.unwrap();
                if e.tag_name().await.unwrap() != "select" {
                    e.click().await.unwrap_or_else(|err| panic!("{kind} at {width} px: #{id}: {err}"));
                }
            }
        }
        if width == 375 {
            show_form(c, "choice", "participant", true).await;
            c.execute("window.scrollTo(0, document.getElementById('contribute').offsetTop - 330)", vec![])
                .await
                .unwrap();
            crate::browser_room::screenshot(c, "room-phone-individual-judgement").await;
        }
    }
}

/// The results of every round kind, laid out for discussion (issue 13.9: tables, the tally with
/// bars, judgement cards, questions with answers), with long Dutch texts, a moderator's mark
/// and the author's buttons, fit 320 and 375 px without sideways scrolling, and every button
/// can be tapped.
#[tokio::test]
async fn every_results_layout_fits_a_phone() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, _, _) = crate::ws_client::create_session(&app, "dilemma", Some("question_first")).await;
    let script = r#"
        const [kind, long, done] = arguments;
        Promise.all([import('/static/js/room-results.js')]).then(([results]) => {
          const strings = JSON.parse(document.getElementById('room').dataset.strings);
          const t = (k, vars = {}) => (strings[k] ?? k).replace(/\{(\w+)\}/g, (_, n) => String(vars[n] ?? ''));
          const you = { kind: 'you' };
          const named = { kind: 'named', id: 'u-2', display_name: 'Anna de Vries-van Oosterhout' };
          const mark = { kind: 'marked', reason: long };
          const choice = (o, v) => ({ type: 'choice', option: o, supporting_value: v, harmed_value: long, damage_limitation: long, needs: long });
          const all = [
            { id: 'a', round_index: 0, author: you, editable: true, content: { type: 'option', label: long, damage: long } },
            { id: 'b', round_index: 0, author: named, moderation: mark, content: { type: 'matrix_row', stakeholder: long, perspective: long, value: long, norm: long } },
            { id: 'c', round_index: 0, author: named, content: choice(long, long) },
            { id: 'd', round_index: 0, author: you, editable: true, content: choice('B', 'bestaanszekerheid') },
            { id: 'e', round_index: 0, author: named, content: { type: 'question', text: long + '?' } },
            { id: 'f', round_index: 0, author: { kind: 'presenter' }, content: { type: 'answer', question_id: 'e', text: long } },
            { id: 'g', round_index: 0, author: named, content: { type: 'text', text: long } },
            { id: 'h', round_index: 0, author: named, moderation: { kind: 'hidden', reason: long } },
            { id: 'i', round_index: 0, author: you, editable: true, content: { type: 'action', what: long, who: long, when: '2026-12-15' } },
          ];
          const actions = (c) => {
            const out = [];
            for (const label of c.editable ? ['Bewerken', 'Intrekken', 'Modereren'] : ['Modereren']) {
              const b = document.createElement('button'); b.type = 'button'; b.className = 'secondary small'; b.textContent = label; out.push(b);
            }
            return out;
          };
          for (const id of ['phase-lobby', 'phase-concluding', 'phase-closed']) document.getElementById(id).hidden = true;
          document.getElementById('phase-round').hidden = false;
          const box = document.getElementById('contributions');
          box.replaceChildren(...results.renderResults(kind, all, { t, authorName: (a) => a.display_name ?? a.kind, actions, tally: [{ target: 'g', votes: 3 }] }));
          const doc = document.documentElement;
          const buttons = [...box.querySelectorAll('button')];
          buttons.forEach((e, i) => { e.id = 'b-' + i; });
          done({ scroll: doc.scrollWidth, client: doc.clientWidth, rows: box.querySelectorAll('tr, li').length, ids: buttons.map((e) => e.id) });
        }, (e) => done({ error: String(e) }));
    "#;
    for width in [320, 375] {
        let ctx = driver.phone_context(width, 740).await;
        let c = &ctx.client;
        c.goto(&app.url(&format!("/sessies/{session}"))).await.unwrap();
        wait_js(c, "the room", "document.getElementById('contributions') !== null").await;
        for kind in ["options", "matrix", "choice", "questions", "selection", "conclusion", "narrative"] {
            let shown = c.execute_async(script, vec![kind.into(), LONG.into()]).await.unwrap();
            assert!(shown.get("error").is_none(), "{kind}: {shown}");
            let (scroll, client) = (shown["scroll"].as_f64().unwrap(), shown["client"].as_f64().unwrap());
            assert!(scroll <= client, "{kind} results at {width} px: page {scroll} px wide in {client} px");
            assert!(shown["rows"].as_u64().unwrap() > 0, "{kind}: nothing laid out");
            for id in shown["ids"].as_array().unwrap() {
                let r = reachable(c, id.as_str().unwrap()).await;
                assert_eq!(r["inside"], true, "{kind} at {width} px: {id} not in view: {r}");
                assert_eq!(r["hit"], true, "{kind} at {width} px: {id} covered: {r}");
            }
        }
    }
}
