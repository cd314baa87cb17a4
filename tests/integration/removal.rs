//! A participant the moderator removes is out for good: their session token stops working on
//! the HTTP API as on the websocket, and the invite code they came with no longer opens the
//! session; the moderator gets a fresh code, and everyone else carries on. On both backends.

use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp};
use crate::ws_client::{create_session, WsClient};

async fn join_with(app: &TestApp, session: &str, invite: &str, name: &str) -> (u16, Value) {
    let res = app
        .http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({ "invite_code": invite, "display_name": name, "role": "participant" }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn links_with(app: &TestApp, session: &str, token: &str) -> u16 {
    let res = app
        .http
        .get(app.url(&format!("/api/v1/sessions/{session}/links")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

on_both_backends! {
    async fn a_removed_participant_cannot_come_back(app) {
        let (session, moderator_token, invite) = create_session(&app, "cura", None).await;
        let (status, removed) = join_with(&app, &session, &invite, "Piet").await;
        assert_eq!(status, 201, "{removed}");
        let (status, stays) = join_with(&app, &session, &invite, "Anna").await;
        assert_eq!(status, 201, "{stays}");
        let removed_token = removed["token"].as_str().unwrap();
        let stays_token = stays["token"].as_str().unwrap();
        assert_eq!(links_with(&app, &session, removed_token).await, 200);

        let mut moderator = WsClient::connect(&app, &session, "mod", &moderator_token, None).await;
        moderator.ok(json!({ "type": "remove_participant", "who": removed["participant_id"] })).await;

        // The token is refused on the HTTP API too; the others' tokens still work.
        assert_eq!(links_with(&app, &session, removed_token).await, 401);
        assert_eq!(links_with(&app, &session, stays_token).await, 200);
        // The invite they came with opens nothing any more (as a wrong code: 404).
        let (status, body) = join_with(&app, &session, &invite, "Piet").await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("no_such_session")), "{body}");
        let qr = app.http.get(app.url(&format!("/api/v1/sessions/{session}/invite-qr")))
            .header("x-invite-code", &invite).send().await.unwrap();
        assert_eq!(qr.status(), 404, "the old link's QR code is gone too");

        // The moderator gets a fresh code, which works; only the moderator may ask for one.
        let fresh = |token: String| {
            app.http.post(app.url(&format!("/api/v1/sessions/{session}/invite"))).bearer_auth(token).send()
        };
        assert_eq!(fresh(stays_token.to_owned()).await.unwrap().status(), 403);
        assert_eq!(fresh(removed_token.to_owned()).await.unwrap().status(), 401);
        let res = fresh(moderator_token.clone()).await.unwrap();
        assert_eq!(res.status(), 201);
        let code = res.json::<Value>().await.unwrap()["invite_code"].as_str().unwrap().to_owned();
        assert_ne!(code, invite);
        let (status, body) = join_with(&app, &session, &code, "Kees").await;
        assert_eq!(status, 201, "{body}");
        // A newer code replaces it: one working link at a time.
        let newer = fresh(moderator_token.clone()).await.unwrap();
        assert_eq!(newer.status(), 201);
        assert_eq!(join_with(&app, &session, &code, "Kees").await.0, 404);
    }
}
