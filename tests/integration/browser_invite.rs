//! The invite link on every device (issue 13.2): the moderator signs in on a second, fresh
//! browser (the meeting-room laptop) and her console shows an invite link and its QR code at
//! once; the link made on the first device keeps working; revoking from the console asks
//! first, then only the newest link lets anyone in.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::driver;
use crate::browser_room::{answer_dialog, wait_js};
use crate::harness::TestApp;

/// The status of a guest's join with `code`.
async fn join_status(app: &TestApp, session: &str, code: &str) -> u16 {
    app.http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({ "invite_code": code, "display_name": "Gast", "role": "participant" }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn code_of(link: &str) -> String {
    link.split('#').nth(1).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_moderator_sees_link_and_qr_on_a_second_device_and_can_revoke_old_links() {
    let Some(driver) = driver() else { return };
    let app = TestApp::sqlite_same_origin().await;
    let user = app.browser_user("moderator").await;
    // The session was made elsewhere (the moderator's own laptop): its code is not in this browser.
    let (session, _, first_code) =
        crate::ws_client::create_session_as(&app, &user, "dilemma", Some("question_first")).await;

    let laptop = driver.context(1280, 1000).await;
    let m = &laptop.client;
    crate::browser::sign_in(m, &app, &user).await;
    m.goto(&app.url(&format!("/sessies/{session}"))).await.unwrap();
    wait_js(m, "connected", "document.getElementById('connection').dataset.state === 'connected'").await;
    wait_js(m, "the console", "!document.getElementById('console').hidden").await;
    wait_js(m, "the invite link", "document.getElementById('invite-link').value.includes('/deelnemen#')")
        .await;
    wait_js(m, "the QR code", "document.querySelector('#invite-qr svg') !== null").await;
    assert!(m.find(Locator::Id("invite")).await.unwrap().is_displayed().await.unwrap());
    let link = m.find(Locator::Id("invite-link")).await.unwrap().prop("value").await.unwrap().unwrap();
    let second_code = code_of(&link);
    assert!(link.starts_with(&app.url(&format!("/sessies/{session}/deelnemen#"))), "{link}");
    assert_ne!(second_code, first_code, "a link of its own: the server keeps only hashes");
    // Both devices' links work.
    assert_eq!(join_status(&app, &session, &first_code).await, 201);
    assert_eq!(join_status(&app, &session, &second_code).await, 201);

    // Revoking asks first; cancelled, nothing changes.
    answer_dialog(m, "#invite-revoke", "button.secondary").await;
    wait_js(m, "the dialog closed", "document.querySelector('dialog.confirm') === null").await;
    assert_eq!(join_status(&app, &session, &first_code).await, 201);
    answer_dialog(m, "#invite-revoke", "button.danger").await;
    wait_js(
        m,
        "a new link",
        &format!("!document.getElementById('invite-link').value.endsWith('{second_code}')"),
    )
    .await;
    wait_js(m, "said so", "document.getElementById('invite-status').textContent.length > 0").await;
    let newest =
        code_of(&m.find(Locator::Id("invite-link")).await.unwrap().prop("value").await.unwrap().unwrap());
    assert_eq!(join_status(&app, &session, &first_code).await, 404, "the first device's link was revoked");
    assert_eq!(join_status(&app, &session, &second_code).await, 404, "this device's old link was revoked");
    assert_eq!(join_status(&app, &session, &newest).await, 201);
    wait_js(m, "the new QR code", "document.querySelector('#invite-qr svg') !== null").await;
}

// The invite API on both backends: `keep_earlier` keeps earlier codes valid (at most 10 at once:
// an 11th revokes the oldest); without it every earlier code stops working.
crate::harness::on_both_backends! {
    async fn invite_codes_are_kept_or_revoked_as_asked(app) {
        let (session, token, first) = crate::ws_client::create_session(&app, "cura", None).await;
        let fresh = |keep: Option<bool>| {
            let mut req = app
                .http
                .post(app.url(&format!("/api/v1/sessions/{session}/invite")))
                .bearer_auth(&token);
            if let Some(keep) = keep {
                req = req.json(&json!({ "keep_earlier": keep }));
            }
            async move {
                let res = req.send().await.unwrap();
                assert_eq!(res.status(), 201);
                res.json::<serde_json::Value>().await.unwrap()["invite_code"].as_str().unwrap().to_owned()
            }
        };
        let second = fresh(Some(true)).await;
        assert_eq!(join_status(&app, &session, &first).await, 201, "kept");
        assert_eq!(join_status(&app, &session, &second).await, 201);
        // Nine more kept: ten valid in all, the first (oldest) revoked.
        let mut codes = vec![second];
        for _ in 0..9 {
            codes.push(fresh(Some(true)).await);
        }
        assert_eq!(join_status(&app, &session, &first).await, 404, "the oldest of eleven is revoked");
        for code in &codes {
            assert_eq!(join_status(&app, &session, code).await, 201);
        }
        // Without a body: every earlier code stops working.
        let only = fresh(None).await;
        for code in &codes {
            assert_eq!(join_status(&app, &session, code).await, 404);
        }
        assert_eq!(join_status(&app, &session, &only).await, 201);
        // A participant may not ask for one.
        let (_, guest) = crate::ws_client::join(&app, &session, &only, "Gast", "participant").await;
        let res = app
            .http
            .post(app.url(&format!("/api/v1/sessions/{session}/invite")))
            .bearer_auth(&guest)
            .json(&json!({ "keep_earlier": true }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
}
