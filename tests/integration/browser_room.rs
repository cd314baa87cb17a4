//! The live room in headless Chromium: a moderator and three colleagues, each in their own
//! browser profile (one at phone width), run a dilemma-method session from the case editor to
//! the end; one reloads in the middle of a hidden round and loses nothing; nobody sees another's
//! hidden writing before the reveal; the moderator adopts the precedent and the archive finds it. With
//! `BERAAD_SCREENSHOTS=1` the run saves screenshots to `docs/screenshots/`.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{driver, text_of, wait_count, Context};
use crate::harness::TestApp;

/// Waits until the JavaScript expression is truthy.
pub(crate) async fn wait_js(c: &Client, what: &str, expr: &str) {
    let started = Instant::now();
    loop {
        // While a page is loading the expression may throw: that counts as not yet.
        let v =
            c.execute(&format!("try {{ return !!({expr}); }} catch (e) {{ return false; }}"), vec![]).await;
        if matches!(v, Ok(Value::Bool(true))) {
            return;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let notice = match c.find(Locator::Css("#room-notice")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => format!(
                    "(no room on {})",
                    c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
                ),
            };
            panic!("timed out waiting for {what} ({expr}); notice: {notice}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// Clicks `css` once it is shown.
pub(crate) async fn click(c: &Client, css: &str) {
    let started = Instant::now();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if e.is_displayed().await.unwrap_or(false) && e.click().await.is_ok() {
                return;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(15), "{css} never became clickable");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks `opener` until a confirm dialog is open (on a machine loaded by a whole test run a
/// click can land before the page is ready for it and be lost), then clicks `choice` in it.
pub(crate) async fn answer_dialog(c: &Client, opener: &str, choice: &str) {
    let open = "return document.querySelector('dialog.confirm[open]') !== null";
    for _ in 0..3 {
        click(c, opener).await;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if c.execute(open, vec![]).await.unwrap().as_bool() == Some(true) {
                return click(c, &format!("dialog.confirm {choice}")).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    panic!("{opener} opened no confirm dialog");
}

/// Waits until the room shows round `index` (0-based) and the form fits it.
pub(crate) async fn at_round(c: &Client, index: usize) {
    wait_js(
        c,
        &format!("round {index}"),
        &format!("document.getElementById('round-step').textContent.startsWith('Stap {} ')", index + 1),
    )
    .await;
}

pub(crate) async fn moderator_next(m: &Client, to: usize) {
    click(m, "#cmd-next").await;
    at_round(m, to).await;
}

pub(crate) async fn send(c: &Client) {
    click(c, "#contribute button[type=submit]").await;
}

/// Saves a screenshot to `docs/screenshots/` when `BERAAD_SCREENSHOTS` is set.
pub(crate) async fn screenshot(c: &Client, name: &str) {
    if std::env::var_os("BERAAD_SCREENSHOTS").is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), c.screenshot().await.unwrap()).unwrap();
}

pub(crate) async fn join(ctx: &Context, link: &str, name: &str, role: &str) {
    let c = &ctx.client;
    c.goto(link).await.unwrap();
    fill(c, "display_name", name).await;
    c.find(Locator::Css(&format!("#role option[value={role}]"))).await.unwrap().click().await.unwrap();
    click(c, "#join button[type=submit]").await;
    wait_js(c, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
}

/// Joins with the keyboard only: Tab from the top of the page to the name field (it must be
/// reachable, in order, without a mouse), type, Tab to the role, Tab to the button, Enter.
async fn join_by_keyboard(ctx: &Context, link: &str, name: &str) {
    use fantoccini::key::Key;
    let c = &ctx.client;
    c.goto(link).await.unwrap();
    let focused = |c: &Client| {
        let c = c.clone();
        async move {
            let v = c
                .execute("return document.activeElement ? document.activeElement.id : ''", vec![])
                .await
                .unwrap();
            v.as_str().unwrap_or_default().to_owned()
        }
    };
    let body = c.find(Locator::Css("body")).await.unwrap();
    let mut tabs = 0;
    while focused(c).await != "display_name" {
        body.send_keys(&Key::Tab.to_string()).await.unwrap();
        tabs += 1;
        assert!(tabs < 20, "the name field is not reachable with Tab");
    }
    let active = c.active_element().await.unwrap();
    active.send_keys(name).await.unwrap();
    active.send_keys(&Key::Tab.to_string()).await.unwrap();
    assert_eq!(focused(c).await, "role", "after the name comes the role");
    c.active_element().await.unwrap().send_keys(&Key::Tab.to_string()).await.unwrap();
    c.active_element().await.unwrap().send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_js(c, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
}

#[tokio::test]
async fn a_dilemma_session_runs_in_four_browsers_and_a_reload_loses_nothing() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let moderator = driver.context(1280, 1000).await;
    let m = &moderator.client;
    // The moderator signs in; the others join as guests by the invite link.
    let user = app.browser_user("moderator").await;
    crate::browser::sign_in(m, &app, &user).await;

    // The moderator writes the case and lands in the room with an invite link.
    m.goto(&app.url("/sessions/new")).await.unwrap();
    fill(m, "title", "Verlaging na een gemiste afspraak").await;
    fill(m, "moderator_name", "Gespreksleider").await;
    fill(
        m,
        "case_text",
        "Een cliënt miste twee afspraken en meldde zich daarna ziek. Hittepunt: opleggen of niet.",
    )
    .await;
    click(m, "#create").await;
    wait_js(m, "the room", "location.pathname.startsWith('/sessies/')").await;
    wait_js(m, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
    wait_js(m, "the invite link", "document.getElementById('invite-link').value").await;
    let link = m.find(Locator::Id("invite-link")).await.unwrap().prop("value").await.unwrap().unwrap();

    let presenter = driver.context(1280, 1000).await;
    let second = driver.context(1280, 1000).await;
    let phone = driver.context(390, 844).await;
    join(&presenter, &link, "Inbrenger", "presenter").await;
    join(&second, &link, "Sam", "participant").await;
    join_by_keyboard(&phone, &link, "Noor").await;
    let (p, s, n) = (&presenter.client, &second.client, &phone.client);
    wait_count(m, "#people li", |k| k == 4).await;
    screenshot(m, "room-moderator-lobby").await;

    click(m, "#cmd-start").await;
    at_round(m, 0).await;
    moderator_next(m, 1).await;
    // 2. The case, by the presenter only.
    at_round(p, 1).await;
    fill(p, "f-text", "Maandag afspraak gemist, dinsdag ziek gemeld.").await;
    send(p).await;
    wait_js(m, "the case", "document.getElementById('contributions').textContent.includes('ziek gemeld')")
        .await;
    moderator_next(m, 2).await;
    // 3. The moral question with options A and B and their damage.
    at_round(p, 2).await;
    for (label, damage) in [("A: verlagen", "geldnood"), ("B: niet verlagen", "ongelijkheid")] {
        fill(p, "f-label", label).await;
        fill(p, "f-damage", damage).await;
        send(p).await;
        wait_js(
            p,
            "option",
            &format!("document.getElementById('contributions').textContent.includes('{label}')"),
        )
        .await;
    }
    // The moral question itself, written by the presenter in this step (issue 13.4).
    fill(p, "moral-text", "Moet ik de uitkering verlagen nu de cliënt zich ziek meldde?").await;
    click(p, "#moral-form button[type=submit]").await;
    wait_js(
        m,
        "the moral question",
        "document.getElementById('moral-question-text').textContent.includes('zich ziek meldde')",
    )
    .await;
    moderator_next(m, 3).await;
    // 4. Clarifying questions; the rule is shown with the round, the moral question above it.
    at_round(s, 3).await;
    wait_js(
        s,
        "the moral question from then on",
        "!document.getElementById('moral-question').hidden && document.getElementById('moral-question-text').textContent.includes('zich ziek meldde')",
    )
    .await;
    assert!(
        !s.find(Locator::Id("moral-form")).await.unwrap().is_displayed().await.unwrap(),
        "only the presenter and moderator write it"
    );
    assert!(text_of(s, "#round-rule").await.to_lowercase().contains("vragen"));
    fill(s, "f-text", "Was het de eerste keer?").await;
    send(s).await;
    wait_js(
        p,
        "the question",
        "document.getElementById('contributions').textContent.includes('eerste keer')",
    )
    .await;
    moderator_next(m, 4).await;
    // 5. Perspectives, values and norms, from a phone.
    at_round(n, 4).await;
    fill(n, "f-stakeholder", "cliënt").await;
    fill(n, "f-perspective", "wil zekerheid").await;
    fill(n, "f-value", "bestaanszekerheid").await;
    fill(n, "f-norm", "eerst een gesprek").await;
    send(n).await;
    wait_js(
        m,
        "the row",
        "document.getElementById('contributions').textContent.includes('bestaanszekerheid')",
    )
    .await;
    screenshot(n, "room-participant-phone").await;
    moderator_next(m, 5).await;
    moderator_next(m, 6).await;

    // 7. The individual judgement: written alone, shown at once.
    at_round(s, 6).await;
    fill(s, "f-supporting", "GEHEIMSAM").await;
    fill(s, "f-harmed", "gelijkheid").await;
    send(s).await;
    // Reload at once, before or after the ack: nothing is lost, nothing doubled.
    s.refresh().await.unwrap();
    wait_js(
        s,
        "connected after reload",
        "document.getElementById('connection').dataset.state === 'connected'",
    )
    .await;
    at_round(s, 6).await;
    wait_js(
        s,
        "own choice after reload",
        "document.getElementById('contributions').textContent.includes('GEHEIMSAM')",
    )
    .await;
    wait_js(s, "nothing pending", "document.getElementById('pending').hidden").await;
    wait_js(m, "1 of 3", "document.getElementById('round-progress').textContent.includes('1 van 3')").await;
    // Who has submitted shows beside their name; what they wrote does not.
    wait_js(m, "who submitted", "[...document.querySelectorAll('#people li')].some(li => li.textContent.includes('Sam') && li.textContent.includes('heeft ingeleverd'))").await;
    assert!(!text_of(m, "#people").await.contains("Noor — heeft"), "only those who did");
    screenshot(m, "room-moderator-hidden-round").await;
    for c in [m, p, n] {
        assert!(!c.source().await.unwrap().contains("GEHEIMSAM"), "hidden writing reached another browser");
    }
    // One judgement per person (issue 13.5): Noor sends a first version, then replaces it;
    // the count stays at two, her screen says "aangepast", and the first never reaches anyone.
    at_round(n, 6).await;
    fill(n, "f-supporting", "VOORLOPIG").await;
    fill(n, "f-harmed", "gelijkheid").await;
    send(n).await;
    wait_js(m, "2 of 3", "document.getElementById('round-progress').textContent.includes('2 van 3')").await;
    fill(n, "f-supporting", "GEHEIMNOOR").await;
    fill(n, "f-harmed", "gelijkheid").await;
    send(n).await;
    wait_js(n, "revised", "document.getElementById('contributions').textContent.includes('(aangepast)')")
        .await;
    assert!(!text_of(n, "#contributions").await.contains("VOORLOPIG"), "the replaced one is gone");
    assert!(text_of(m, "#round-progress").await.contains("2 van 3"), "still two people");
    at_round(p, 6).await;
    fill(p, "f-supporting", "GEHEIMINBRENGER").await;
    fill(p, "f-harmed", "rechtszekerheid").await;
    send(p).await;
    for c in [m, p, s, n] {
        wait_js(c, "the reveal", "['GEHEIMSAM','GEHEIMINBRENGER','GEHEIMNOOR'].every(w => document.getElementById('contributions').textContent.includes(w))").await;
    }
    let own = s
        .execute(
            // One judgement card (the value also shows in the tally of values named most).
            "return [...document.querySelectorAll('#contributions .judgement')].filter((e) => e.textContent.includes('GEHEIMSAM')).length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(own, 1, "the reloaded participant's choice is there exactly once");
    for c in [m, p, s, n] {
        assert!(!c.source().await.unwrap().contains("VOORLOPIG"), "a replaced judgement was revealed");
    }
    screenshot(s, "room-participant-revealed").await;

    moderator_next(m, 7).await;
    moderator_next(m, 8).await;
    // 9. Conclusion and actions.
    at_round(n, 8).await;
    fill(n, "f-what", "Werkinstructie aanpassen").await;
    fill(n, "f-who", "teamleider").await;
    n.execute("document.getElementById('f-when').value = '2026-12-15'", vec![]).await.unwrap();
    send(n).await;
    wait_js(
        m,
        "the action",
        "document.getElementById('contributions').textContent.includes('Werkinstructie')",
    )
    .await;
    fill(m, "c-conclusion", "Geen verlaging zonder eerst een gesprek.").await;
    fill(m, "c-reasoning", "Bestaanszekerheid weegt zwaarder dan gelijke behandeling.").await;
    fill(m, "c-dissent", "Eén deelnemer kiest A.").await;
    click(m, "#conclude button[type=submit]").await;
    wait_js(
        n,
        "the conclusion",
        "document.getElementById('conclusion-body').textContent.includes('eerst een gesprek')",
    )
    .await;
    screenshot(m, "room-moderator-conclusion").await;
    moderator_next(m, 9).await;
    click(m, "#cmd-next").await;
    wait_js(m, "concluding", "!document.getElementById('phase-concluding').hidden").await;
    // Ending asks first (issue 13.7): Escape keeps the session open and focus on the button.
    click(m, "#cmd-end").await;
    wait_js(m, "the end dialog", "document.querySelector('dialog.confirm[open]') !== null").await;
    let focused = m.execute("return document.activeElement.textContent", vec![]).await.unwrap();
    assert_eq!(focused.as_str(), Some("Annuleren"), "focus starts on the safe choice");
    let labelled = m
        .execute(
            "const d = document.querySelector('dialog.confirm'); return document.getElementById(d.getAttribute('aria-labelledby')).textContent",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(labelled.as_str(), Some("Sessie afsluiten?"));
    m.active_element().await.unwrap().send_keys(&fantoccini::key::Key::Escape.to_string()).await.unwrap();
    wait_js(m, "the dialog closed", "document.querySelector('dialog.confirm') === null").await;
    wait_js(m, "focus back", "document.activeElement.id === 'cmd-end'").await;
    let open = m.execute("return document.getElementById('phase-closed').hidden", vec![]).await.unwrap();
    assert_eq!(open, Value::Bool(true), "cancelled: the session is still open");
    click(m, "#cmd-end").await;
    click(m, "dialog.confirm button.danger").await;
    for c in [m, p, s, n] {
        wait_js(c, "closed", "!document.getElementById('phase-closed').hidden").await;
    }
    let session_id = m.current_url().await.unwrap().path().trim_start_matches("/sessies/").to_owned();
    let row = app.store().session(&session_id).await.unwrap().unwrap();
    assert_eq!(row.header.status, beraad::store::SessionStatus::Closed);

    // The moderator writes up the precedent from the session and adopts it.
    click(m, "#to-precedent a").await;
    wait_js(m, "the draft", "!document.getElementById('draft').hidden").await;
    let drafted = m.find(Locator::Id("d-conclusion")).await.unwrap().prop("value").await.unwrap().unwrap();
    assert_eq!(drafted, "Geen verlaging zonder eerst een gesprek.", "the conclusion comes from the session");
    let question = m.find(Locator::Id("d-question")).await.unwrap().prop("value").await.unwrap().unwrap();
    assert_eq!(
        question, "Moet ik de uitkering verlagen nu de cliënt zich ziek meldde?",
        "the moral question of step 3 is the precedent's"
    );
    let positions = m
        .execute(
            "return [...document.querySelectorAll('#list-positions input')].map(i => i.value).join(' | ')",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        positions.contains("deelnemer 1") && !positions.contains("Sam"),
        "positions under pseudonyms: {positions}"
    );
    fill(m, "d-summary", "Geen verlaging bij een eerste gemiste afspraak zonder gesprek.").await;
    click(m, "[data-add=law_refs]").await;
    fill(m, "f-law_refs-0", "Participatiewet art. 18 lid 2").await;
    click(m, "input[name=theme][value=verlaging]").await;
    // Adoption asks first (issue 13.7): cancelled, nothing is adopted.
    click(m, "#adopt").await;
    click(m, "dialog.confirm button.secondary").await;
    wait_js(m, "the dialog closed", "document.querySelector('dialog.confirm') === null").await;
    assert!(!text_of(m, "#draft-status").await.contains("MB:GEM:"));
    click(m, "#adopt").await;
    click(m, "dialog.confirm button.danger").await;
    wait_js(m, "adopted", "document.getElementById('draft-status').textContent.includes('MB:GEM:')").await;
    let status = text_of(m, "#draft-status").await;
    let citation = status
        .split_whitespace()
        .find(|w| w.starts_with("MB:GEM:"))
        .unwrap()
        .trim_end_matches('.')
        .to_owned();

    // A session cannot refer to its own precedent: the form says so, and nothing is linked.
    fill(m, "l-citation", &citation).await;
    click(m, "#link button[type=submit]").await;
    wait_js(m, "the refusal", "document.getElementById('link-error').textContent.length > 0").await;
    assert_eq!(m.find_all(Locator::Css("#links li")).await.unwrap().len(), 0);

    // The archive finds it.
    m.goto(&app.url("/archief?q=gesprek&law=art.%2018")).await.unwrap();
    wait_js(m, "the result", &format!("document.body.textContent.includes('{citation}')")).await;
    screenshot(m, "archive-search").await;
}

/// A signed-in member of the session's team opens the room without a token: one "Deelnemen"
/// click joins and connects, no invite needed.
#[tokio::test]
async fn a_team_member_joins_from_the_room_with_one_click() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, _, _) = crate::ws_client::create_session(&app, "cura", None).await;
    let member = app.browser_user("member").await;
    let ctx = driver.context(1280, 1000).await;
    let c = &ctx.client;
    crate::browser::sign_in(c, &app, &member).await;
    c.goto(&app.url(&format!("/sessies/{session}"))).await.unwrap();
    wait_js(c, "the join button", "!document.getElementById('member-join').hidden").await;
    click(c, "#member-join").await;
    wait_js(c, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
    wait_count(c, "#people li", |k| k == 2).await;
}

/// Roles (issue 13.3): a signed-in member asks to join as case presenter and is one; the
/// moderator changes that role from the console, and everyone's list follows.
#[tokio::test]
async fn a_member_joins_as_presenter_and_the_moderator_changes_roles() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let (session, moderator_token, _) =
        crate::ws_client::create_session(&app, "dilemma", Some("question_first")).await;
    let room = app.url(&format!("/sessies/{session}"));

    let member = app.browser_user("member").await;
    let member_ctx = driver.context(1280, 1000).await;
    let c = &member_ctx.client;
    crate::browser::sign_in(c, &app, &member).await;
    c.goto(&room).await.unwrap();
    click(c, "#member-join-presenter").await;
    wait_js(c, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
    wait_js(c, "joined as presenter", "document.getElementById('people').textContent.includes('inbrenger')")
        .await;

    // The moderator's browser holds the moderator's token (as after creating the session).
    let mod_ctx = driver.context(1280, 1000).await;
    let m = &mod_ctx.client;
    m.goto(&room).await.unwrap();
    m.execute(
        "localStorage.setItem(`beraad.token.${arguments[0]}`, arguments[1]); location.reload();",
        vec![session.clone().into(), moderator_token.into()],
    )
    .await
    .unwrap();
    wait_js(m, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
    wait_js(m, "the role form", "!document.getElementById('role-form').hidden && document.getElementById('role-who').options.length === 1").await;
    let who = text_of(m, "#role-who").await;
    assert!(who.contains("inbrenger"), "{who}");
    m.find(Locator::Css("#role-role option[value=observer]")).await.unwrap().click().await.unwrap();
    click(m, "#role-form button[type=submit]").await;
    // Everyone's list follows; the member now only watches.
    wait_js(c, "now an observer", "document.getElementById('people').textContent.includes('toehoorder')")
        .await;
    wait_js(m, "the form follows", "document.getElementById('role-who').textContent.includes('toehoorder')")
        .await;
    m.find(Locator::Css("#role-role option[value=participant]")).await.unwrap().click().await.unwrap();
    click(m, "#role-form button[type=submit]").await;
    wait_js(c, "now a participant", "[...document.querySelectorAll('#people li')].some(li => li.textContent.includes('deelnemer') && li.textContent.includes('(jij)'))").await;
}
