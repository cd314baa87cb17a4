//! The live transport over real sockets: a session at every limit at once delivers its whole
//! view (in pages) after hello and after sync; close frames are answered; a client that stops
//! reading is closed with 4000; an impossible `last_seq` and unknown fields inside a command
//! are refused; a closed session's room leaves memory.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use beraad::domain::session::{Command, ParticipantId, MAX_CONTRIBUTIONS_PER_ROUND, MAX_PEOPLE, MAX_TEXT};

use crate::harness::{on_both_backends, TestApp};
use crate::ws_client::{create_session, join, raw_connect, WsClient};

fn live(app: &TestApp) -> beraad::live::Live {
    app.server.as_ref().expect("server running").state.live.clone()
}

/// A text of exactly `MAX_TEXT` characters, told apart by `tag`.
fn longest_text(tag: &str) -> String {
    let mut text = format!("{tag} ");
    while text.chars().count() < MAX_TEXT {
        text.push_str("overweging ");
    }
    // Ends in a letter: surrounding white space would be trimmed.
    let mut text: String = text.chars().take(MAX_TEXT - 1).collect();
    text.push('.');
    text
}

/// Commits a contribution for `who` through the room (as the websocket would, without its
/// rate limit, so the test can fill a session quickly).
async fn contribute(app: &TestApp, session: &str, who: &str, cid: &str, text: String) {
    let command: Command = serde_json::from_value(json!({
        "type": "contribute", "client_id": "", "content": { "type": "text", "text": text }
    }))
    .unwrap();
    live(app)
        .command(session, ParticipantId(who.into()), cid.into(), beraad::guard::screen(command).unwrap())
        .await
        .unwrap_or_else(|e| panic!("{who} {cid}: {e}"))
        .unwrap_or_else(|e| panic!("{who} {cid}: {e}"));
}

/// Every contribution of the view, checked to be whole: `expected` of them, each text the
/// longest allowed.
fn assert_full_view(name: &str, message: &Value, expected: usize) {
    let contributions = message["view"]["contributions"].as_array().expect("contributions");
    assert_eq!(contributions.len(), expected, "{name}: every contribution is in the view");
    for c in contributions {
        let text = c["content"]["text"].as_str().expect("a text contribution");
        assert_eq!(text.chars().count(), MAX_TEXT, "{name}: each text whole");
    }
}

on_both_backends! {
    async fn a_session_at_every_limit_delivers_every_view_after_hello_and_after_sync(app) {
        let (session, moderator_token, invite) = create_session(&app, "cura", None).await;
        // Everyone the session may hold: the moderator and MAX_PEOPLE - 1 others.
        let mut people = vec![("mod".to_owned(), String::new(), moderator_token)];
        for i in 1..MAX_PEOPLE {
            let (id, token) = join(&app, &session, &invite, &format!("Deelnemer {i}"), "participant").await;
            people.push((format!("p{i}"), id, token));
        }
        let mut moderator = WsClient::connect(&app, &session, "mod", &people[0].2, None).await;
        moderator.ok(json!({"type": "start"})).await;
        moderator.ok(json!({"type": "next_round"})).await; // "unrush": a dialogue, everyone writes
        moderator.close().await;
        // The first participant writes the most contributions a round allows, everyone else a
        // few; every text is the longest allowed. That makes a view of about 0.7 MB (paged), at
        // the people, per-person and text limits at once, in a time a test run can afford (every
        // person at 50 would be 1,950 contributions, 8 MB a view).
        const OTHERS_WRITE: usize = 3;
        let mut expected = 0;
        for (i, (name, id, _)) in people[1..].iter().enumerate() {
            let count = if i == 0 { MAX_CONTRIBUTIONS_PER_ROUND } else { OTHERS_WRITE };
            for n in 0..count {
                contribute(&app, &session, id, &format!("{name}-{n}"), longest_text(&format!("{name}-{n}"))).await;
            }
            expected += count;
        }

        // Everyone connects; every welcome carries the whole view (in pages). One after the
        // other: a debug build on the test's one thread takes a while per view of several MiB.
        let mut clients = Vec::new();
        let mut paged = false;
        for (name, _, token) in &people {
            let mut c = WsClient::from_stream(raw_connect(&app, &session, token).await, name, token);
            c.send_json(json!({"type": "hello", "protocol": 1, "token": token})).await;
            let welcome = c.whole("welcome", 0).await;
            assert_full_view(name, &welcome, expected);
            paged |= c.frames[0].get("pages").is_some();
            assert!(c.frames.iter().all(|f| f.to_string().len() <= beraad::live::frames::MAX_SERVER_FRAME_BYTES));
            c.frames.clear();
            clients.push(c);
        }
        assert!(paged, "a view this large comes in pages");
        // And so does every answer to sync.
        for c in clients.iter_mut() {
            c.send_json(json!({"type": "sync"})).await;
            let view = c.whole("view", 0).await;
            assert_full_view(&c.name, &view, expected);
            c.frames.clear();
        }
    }

    async fn a_close_frame_is_answered_with_a_close_frame(app) {
        let (session, token, _) = create_session(&app, "dilemma", Some("question_first")).await;
        let mut ws = raw_connect(&app, &session, &token).await;
        ws.send(Message::Text(json!({"type": "hello", "protocol": 1, "token": token}).to_string().into()))
            .await
            .unwrap();
        ws.send(Message::Close(Some(CloseFrame { code: CloseCode::Normal, reason: "bye".into() })))
            .await
            .unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(10), async {
            while let Some(msg) = ws.next().await {
                match msg {
                    Ok(Message::Close(frame)) => return Some(frame),
                    Ok(_) => continue,
                    Err(_) => return None,
                }
            }
            None
        })
        .await
        .expect("the server answers in time");
        let frame = answer.expect("the server answers the close frame (not a dropped connection, 1006)");
        assert_eq!(frame.map(|f| u16::from(f.code)), Some(1000), "the echo carries the client's code");
    }

    async fn a_last_seq_beyond_the_session_is_refused(app) {
        let (session, token, _) = create_session(&app, "dilemma", Some("question_first")).await;
        let ok = WsClient::connect(&app, &session, "mod", &token, Some(0)).await;
        let seq = ok.frames[0]["seq"].as_u64().unwrap();
        ok.close().await;
        // Up to the session's own seq is fine.
        let same = WsClient::connect(&app, &session, "mod", &token, Some(seq)).await;
        assert_eq!(same.frames[0]["type"], "welcome");
        same.close().await;
        let ws = raw_connect(&app, &session, &token).await;
        let mut ahead = WsClient::from_stream(ws, "ahead", &token);
        ahead.send_json(json!({"type": "hello", "protocol": 1, "token": token, "last_seq": seq + 5})).await;
        let error = ahead.until(|f| f["type"] == "error").await;
        assert_eq!(error["code"], "invalid_last_seq");
        assert!(ahead.frames.iter().all(|f| f["type"] != "welcome"));
        assert_eq!(ahead.close_code().await.0, 1002);
    }

    async fn unknown_fields_inside_a_command_are_refused(app) {
        let (session, token, _) = create_session(&app, "dilemma", Some("question_first")).await;
        let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
        let cid = m.send_command(json!({"type": "start", "force": true})).await;
        let answer = m.answer(&cid).await;
        assert_eq!(answer["type"], "error");
        assert_eq!(answer["code"], "invalid_command", "{answer}");
        m.ok(json!({"type": "start"})).await;
        let cid = m
            .send_command(json!({"type": "contribute", "content": {"type": "text", "text": "x", "colour": "red"}}))
            .await;
        assert_eq!(m.answer(&cid).await["code"], "invalid_command");
        let events = app.store().events_since(&session, 0, 1000).await.unwrap();
        assert!(events.iter().all(|e| !e.payload.to_string().contains("red")));
    }

    async fn a_closed_sessions_room_leaves_memory(app) {
        let live = live(&app);
        let (session, token, invite) = create_session(&app, "dilemma", Some("question_first")).await;
        let (_, t) = join(&app, &session, &invite, "Anna", "participant").await;
        let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
        let mut p = WsClient::connect(&app, &session, "p", &t, None).await;
        assert_eq!(live.room_count(), 1);
        assert_eq!(live.connection_count(&session).await, 2);
        m.ok(json!({"type": "start"})).await;
        m.ok(json!({"type": "end"})).await;
        p.until(|f| f["event"]["type"] == "session_ended").await;
        m.close().await;
        p.close().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while live.room_count() > 0 {
            assert!(tokio::time::Instant::now() < deadline, "the closed session's room is still in memory");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // An open session's room stays while it is idle (for a minute), ready for reconnects.
        let (open, token, _) = create_session(&app, "dilemma", Some("question_first")).await;
        let c = WsClient::connect(&app, &open, "mod", &token, None).await;
        c.close().await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(live.room_count(), 1);
    }
}

/// A client that stops reading while the server has much to send is closed with 4000 (once it
/// reads again, after what was already on its way), not dropped by a timeout or a reset.
#[tokio::test]
async fn a_client_that_stops_reading_is_closed_as_lagging() {
    let app = TestApp::sqlite().await;
    let (session, moderator_token, invite) = create_session(&app, "cura", None).await;
    let (_, anna_token) = join(&app, &session, &invite, "Anna", "participant").await;
    let mut others = Vec::new();
    for i in 1..6 {
        others.push(join(&app, &session, &invite, &format!("Deelnemer {i}"), "participant").await.0);
    }
    let mut moderator = WsClient::connect(&app, &session, "mod", &moderator_token, None).await;
    moderator.ok(json!({"type": "start"})).await;
    moderator.ok(json!({"type": "next_round"})).await;
    moderator.close().await;
    // A view of over a MiB (pages), so that a few answers to sync fill any socket buffers.
    for (i, who) in others.iter().enumerate() {
        for n in 0..MAX_CONTRIBUTIONS_PER_ROUND {
            contribute(&app, &session, who, &format!("{i}-{n}"), longest_text(&format!("{i}-{n}"))).await;
        }
    }
    let mut slow = WsClient::connect(&app, &session, "slow", &anna_token, None).await;
    slow.whole("welcome", 0).await;
    let before = live(&app).connection_count(&session).await;
    assert_eq!(before, 1);
    // Ask for the view again and again without reading: the server keeps reading (each sync
    // queues the view) until this client's queue is full.
    let mut sent = 0;
    while live(&app).connection_count(&session).await == 1 {
        assert!(sent < 400, "the server never gave up on a client that does not read");
        slow.send_json(json!({"type": "sync"})).await;
        sent += 1;
        // Stay under the rate limit (20 a second).
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    // Reading again: what was on its way, then the close 4000 with its reason.
    let (code, reason) = slow.close_code_within(Duration::from_secs(60)).await;
    assert_eq!(code, 4000, "closed as lagging ({reason})");
    assert!(reason.contains("lagging"), "{reason}");
}
