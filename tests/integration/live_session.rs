//! Live sessions over real websockets, on both backends: a whole dilemma session, hidden
//! rounds that stay hidden on every frame, resume without loss or duplicates, role
//! violations, bad frames, the BSN refusal, and close 1001 at shutdown.

use std::time::Duration;

use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::harness::{on_both_backends, TestApp};
use crate::ws_client::{create_session, join, WsClient};

fn text(t: &str) -> Value {
    json!({ "type": "contribute", "content": { "type": "text", "text": t } })
}

fn cmd(t: &str) -> Value {
    json!({ "type": t })
}

fn choice(option: &str, marker: &str) -> Value {
    json!({ "type": "contribute", "content": {
        "type": "choice", "option": option, "supporting_value": marker,
        "harmed_value": "rechtszekerheid", "damage_limitation": "uitleggen waarom", "needs": "steun"
    }})
}

/// A moderator, a presenter, six participants and an observer, connected, in the lobby.
struct Group {
    session: String,
    moderator: WsClient,
    presenter: WsClient,
    participants: Vec<WsClient>,
    observer: WsClient,
}

async fn group(app: &TestApp) -> Group {
    let (session, token, invite) = create_session(app, "dilemma", Some("question_first")).await;
    let moderator = WsClient::connect(app, &session, "mod", &token, None).await;
    let (_, t) = join(app, &session, &invite, "Inbrenger", "presenter").await;
    let presenter = WsClient::connect(app, &session, "pres", &t, None).await;
    let mut participants = Vec::new();
    for i in 1..=6 {
        let (_, t) = join(app, &session, &invite, &format!("Deelnemer {i}"), "participant").await;
        participants.push(WsClient::connect(app, &session, &format!("p{i}"), &t, None).await);
    }
    let (_, t) = join(app, &session, &invite, "Toehoorder", "observer").await;
    let observer = WsClient::connect(app, &session, "obs", &t, None).await;
    Group { session, moderator, presenter, participants, observer }
}

impl Group {
    fn everyone(&mut self) -> Vec<&mut WsClient> {
        let mut all = vec![&mut self.moderator, &mut self.presenter, &mut self.observer];
        all.extend(self.participants.iter_mut());
        all
    }
}

fn contribution_id(ack: &Value) -> String {
    ack["contribution_id"].as_str().expect("a contribution's ack names its id").to_owned()
}

on_both_backends! {
    async fn a_whole_dilemma_session_over_websockets(app) {
        let mut g = group(&app).await;
        let m = &mut g.moderator;
        m.ok(cmd("start")).await;

        // 1. introduction (moderator only)
        m.ok(text("Doel en spelregels; alles blijft vertrouwelijk.")).await;
        assert_eq!(g.participants[0].refused(text("mag ik?")).await, "moderator_only");
        g.moderator.ok(cmd("next_round")).await;
        // 2. case (presenter only)
        g.presenter.ok(text("Maandag afspraak gemist, dinsdag ziek gemeld. Hittepunt: de verlaging.")).await;
        assert_eq!(g.participants[1].refused(text("ik weet nog iets")).await, "presenter_only");
        g.moderator.ok(cmd("next_round")).await;
        // 3. moral question and dilemma
        g.presenter.ok(text("Moet ik de verlaging opleggen?")).await;
        g.presenter.ok(json!({"type":"contribute","content":{"type":"option","label":"A: verlagen","damage":"geldnood"}})).await;
        g.presenter.ok(json!({"type":"contribute","content":{"type":"option","label":"B: niet verlagen","damage":"ongelijkheid"}})).await;
        g.moderator.ok(cmd("next_round")).await;
        // 4. clarifying questions
        let ack = g.participants[0].ok(json!({"type":"contribute","content":{"type":"question","text":"Was het de eerste keer?"}})).await;
        let q = contribution_id(&ack);
        assert_eq!(g.participants[1].refused(json!({"type":"contribute","content":{"type":"answer","question_id":q,"text":"ja"}})).await, "only_presenter_answers");
        g.presenter.ok(json!({"type":"contribute","content":{"type":"answer","question_id":q,"text":"Ja, de eerste keer."}})).await;
        g.moderator.ok(cmd("next_round")).await;
        // 5. perspectives, values, norms
        for i in [2, 3] {
            g.participants[i].ok(json!({"type":"contribute","content":{"type":"matrix_row","stakeholder":"cliënt",
                "perspective":"wil zekerheid","value":"bestaanszekerheid","norm":"geen verlaging zonder gesprek"}})).await;
        }
        g.moderator.ok(cmd("next_round")).await;
        // 6. alternatives
        g.participants[4].ok(json!({"type":"contribute","content":{"type":"option","label":"Eerst een gesprek","damage":"vertraging"}})).await;
        g.moderator.ok(cmd("next_round")).await;

        // 7. individual judgement: silent-write, revealed when all have written.
        let marks: Vec<String> = (0..7).map(|i| format!("GEHEIM{i}X")).collect();
        assert_eq!(g.moderator.refused(choice("A", "neutraal")).await, "moderator_neutral");
        assert_eq!(g.observer.refused(choice("A", "kijker")).await, "observer_cannot_contribute");
        g.presenter.ok(choice("A", &marks[0])).await;
        for i in 0..6 {
            g.participants[i].ok(choice(if i % 2 == 0 { "A" } else { "B" }, &marks[i + 1])).await;
        }
        for c in g.everyone() {
            c.until(|f| f["type"] == "event" && f["event"]["type"] == "round_revealed").await;
        }
        // Every frame every client received before the reveal holds no one else's writing.
        let writers = ["pres", "p1", "p2", "p3", "p4", "p5", "p6"];
        for c in g.everyone() {
            let reveal = c.frames.iter().position(|f| f["type"] == "event" && f["event"]["type"] == "round_revealed").unwrap();
            for (w, mark) in writers.iter().zip(&marks) {
                let own = *w == c.name;
                for f in &c.frames[..reveal] {
                    if !own {
                        assert!(!f.to_string().contains(mark.as_str()), "{} saw {w}'s hidden text before the reveal: {f}", c.name);
                    }
                }
                assert!(c.frames[reveal].to_string().contains(mark.as_str()), "{} sees {w}'s text at the reveal", c.name);
            }
        }
        g.moderator.ok(cmd("next_round")).await;

        // 8. dialogue
        g.participants[1].ok(text("We verschillen over gelijkheid.")).await;
        g.moderator.ok(cmd("next_round")).await;
        // 9. conclusion and actions
        g.participants[0].ok(json!({"type":"contribute","content":{"type":"action","what":"Werkinstructie aanpassen","who":"teamleider","when":"2026-12-15"}})).await;
        let conclude = json!({"type":"conclude","conclusion":"Geen verlaging zonder eerst een gesprek.",
            "reasoning":"Bestaanszekerheid weegt zwaarder.","dissent":"Twee deelnemers kiezen A.",
            "actions":[{"what":"Werkinstructie aanpassen","who":"teamleider","when":"2026-12-15"}]});
        assert_eq!(g.participants[0].refused(conclude.clone()).await, "not_moderator");
        g.moderator.ok(conclude).await;
        g.moderator.ok(cmd("next_round")).await;
        // 10. evaluation, round-robin in join order
        assert_eq!(g.participants[2].refused(json!({"type":"contribute","content":{"type":"evaluation","text":"te vroeg"}})).await, "not_your_turn");
        g.presenter.ok(json!({"type":"contribute","content":{"type":"evaluation","text":"Fijn."}})).await;
        for i in 0..6 {
            g.participants[i].ok(json!({"type":"contribute","content":{"type":"evaluation","text":"Goed beraad."}})).await;
        }
        g.moderator.ok(cmd("next_round")).await;
        let end = g.moderator.ok(cmd("end")).await;
        let last_seq = end["seq"].as_u64().unwrap();
        for c in g.everyone() {
            c.until(|f| f["type"] == "event" && f["event"]["type"] == "session_ended").await;
        }
        let events = app.store().events_since(&g.session, 0, 10_000).await.unwrap();
        assert_eq!(events.len() as u64, last_seq, "every acknowledged command is in the log, gap-free");
        assert_eq!(app.store().session(&g.session).await.unwrap().unwrap().header.status, beraad::store::SessionStatus::Closed);
    }

    async fn sync_answers_a_fresh_view_that_keeps_hidden_rounds_hidden(app) {
        let mut g = group(&app).await;
        g.moderator.ok(cmd("start")).await;
        for _ in 0..6 {
            g.moderator.ok(cmd("next_round")).await;
        }
        g.participants[0].ok(choice("A", "VERBORGEN1")).await;
        let p = &mut g.participants[1];
        p.send_json(json!({"type": "sync"})).await;
        let view = p.until(|f| f["type"] == "view").await;
        assert_eq!(view["view"]["current_round"], 6, "{view}");
        assert_eq!(view["view"]["progress"]["submitted"], 1);
        assert_eq!(view["view"]["progress"]["submitted_by"].as_array().map(Vec::len), Some(1), "who, not what");
        assert!(!view.to_string().contains("VERBORGEN1"), "a hidden contribution is not in another's view");
        let own = &mut g.participants[0];
        own.send_json(json!({"type": "sync"})).await;
        let view = own.until(|f| f["type"] == "view").await;
        assert!(view.to_string().contains("VERBORGEN1"), "one's own hidden contribution is");
    }

    async fn resume_after_a_drop_loses_nothing_and_doubles_nothing(app) {
        let mut g = group(&app).await;
        g.moderator.ok(cmd("start")).await;
        for _ in 0..4 {
            g.moderator.ok(cmd("next_round")).await; // to round 5: everyone contributes
        }
        let row = json!({"type":"contribute","content":{"type":"matrix_row","stakeholder":"buurman",
            "perspective":"ONVERLOREN","value":"zorg","norm":"helpen"}});
        // Send, then drop the connection before reading the ack.
        let p1 = g.participants.remove(0);
        let token = p1.token.clone();
        let mut p1 = p1;
        p1.send_command_with("draft-1", row.clone()).await;
        let last_seen = p1.frames.iter().filter_map(|f| f["seq"].as_u64().or(f["event"]["seq"].as_u64())).max();
        p1.close().await;
        // Meanwhile the session moves on.
        g.participants[0].ok(json!({"type":"contribute","content":{"type":"matrix_row","stakeholder":"zoon",
            "perspective":"intussen","value":"zorg","norm":"helpen"}})).await;
        // Reconnect with the last seq seen, and resend what was not acknowledged.
        let mut again = WsClient::connect(&app, &g.session, "p1", &token, last_seen).await;
        let welcome = again.frames.last().unwrap().clone();
        again.send_command_with("draft-1", row.clone()).await;
        let ack = again.answer("draft-1").await;
        assert_eq!(ack["type"], "ack", "{ack}");
        // Resending an acknowledged command is harmless too.
        again.send_command_with("draft-1", row).await;
        let second = again.until(|f| f["type"] == "ack" && f["cid"] == "draft-1" && f["duplicate"] == true).await;
        assert_eq!(second["seq"], ack["seq"]);
        let events = app.store().events_since(&g.session, 0, 10_000).await.unwrap();
        let copies = events.iter().filter(|e| e.payload.to_string().contains("ONVERLOREN")).count();
        assert_eq!(copies, 1, "exactly one copy of the contribution is stored");
        // The snapshot on reconnect shows what happened while away.
        let view = welcome["view"].to_string();
        assert!(view.contains("intussen"), "{view}");
    }

    async fn role_violations_are_refused(app) {
        let mut g = group(&app).await;
        for c in [&mut g.participants[0], &mut g.presenter, &mut g.observer] {
            for control in ["start", "next_round", "previous_round", "reveal", "end"] {
                assert_eq!(c.refused(cmd(control)).await, "not_moderator", "{} {control}", c.name);
            }
            assert_eq!(c.refused(json!({"type":"extend_timebox","by_ms":60000})).await, "not_moderator");
        }
        g.moderator.ok(cmd("start")).await;
        assert_eq!(g.observer.refused(text("ik ook")).await, "observer_cannot_contribute");
        assert_eq!(g.participants[0].refused(json!({"type":"remove_participant","who":"g-x"})).await, "not_moderator");
    }

    async fn a_removed_participant_is_told_and_disconnected(app) {
        let mut g = group(&app).await;
        g.moderator.ok(cmd("start")).await;
        let who = g.participants[5]
            .frames
            .iter()
            .find(|f| f["type"] == "welcome")
            .and_then(|f| f["participant_id"].as_str())
            .unwrap()
            .to_owned();
        g.moderator.ok(json!({"type":"remove_participant","who":who})).await;
        let removed = &mut g.participants[5];
        removed.until(|f| f["type"] == "event" && f["event"]["type"] == "you_were_removed").await;
        assert_eq!(removed.close_code().await.0, 4002);
        // Reconnecting with the same token does not get back in: the removal revoked it, so the
        // upgrade is refused like any token not valid for this session.
        let token = removed.token.clone();
        let protocols = format!("beraad.v1, token.{token}");
        let refused = crate::ws_client::try_connect(&app, &g.session, &[("sec-websocket-protocol", protocols.as_str())]).await;
        assert_eq!(refused.err(), Some(401));
    }

    async fn a_flood_is_refused_message_by_message(app) {
        let mut g = group(&app).await;
        let p = &mut g.participants[0];
        for i in 0..60 {
            p.send_command_with(&format!("f{i}"), cmd("leave")).await;
        }
        let mut codes = Vec::new();
        for i in 0..60 {
            let answer = p.answer(&format!("f{i}")).await;
            codes.push(answer["code"].as_str().unwrap_or("ack").to_owned());
        }
        let limited = codes.iter().filter(|c| *c == "rate_limited").count();
        assert!(limited > 0, "some of 60 messages at once are refused: {codes:?}");
        assert!(limited < 60, "a burst is allowed: {codes:?}");
    }

    async fn protocol_violations_close_with_a_code_and_refused_commands_do_not(app) {
        let mut g = group(&app).await;
        // Not JSON: an error frame that says why, then close 1002 (protocol error).
        let p = &mut g.participants[0];
        p.send_raw(Message::Text("{niet: json".into())).await;
        let e = p.until(|f| f["type"] == "error").await;
        assert_eq!(e["code"], "invalid_json");
        assert!(e["message"].as_str().unwrap().contains("geen geldige JSON"), "Dutch by default: {e}");
        assert_eq!(p.close_code().await.0, 1002);
        // An unknown message type: the same.
        let p = &mut g.participants[1];
        p.send_json(json!({"type":"shout","cid":"x1"})).await;
        let e = p.until(|f| f["type"] == "error" && f["cid"] == "x1").await;
        assert_eq!(e["code"], "invalid_message");
        assert_eq!(p.close_code().await.0, 1002);
        // A second hello: the same.
        let p = &mut g.participants[2];
        let token = p.token.clone();
        p.send_json(json!({"type":"hello","protocol":1,"token":token})).await;
        assert_eq!(p.until(|f| f["type"] == "error").await["code"], "already_greeted");
        assert_eq!(p.close_code().await.0, 1002);
        // A binary frame: 1003 (unsupported data).
        let p = &mut g.participants[3];
        p.send_raw(Message::Binary(vec![1u8, 2, 3].into())).await;
        assert_eq!(p.close_code().await.0, 1003);
        // A frame over 64 KiB: 1009.
        let p = &mut g.participants[4];
        p.send_raw(Message::Text("x".repeat(70 * 1024).into())).await;
        assert_eq!(p.close_code().await.0, 1009);
        // A well-formed message with a command the session does not know is refused, and the
        // connection stays.
        let p = &mut g.participants[5];
        p.send_json(json!({"type":"command","cid":"x2","command":{"type":"dance"}})).await;
        let e = p.until(|f| f["type"] == "error" && f["cid"] == "x2").await;
        assert_eq!(e["code"], "invalid_command");
        g.moderator.ok(cmd("start")).await;
        assert_eq!(g.participants[5].refused(cmd("next_round")).await, "not_moderator");
    }

    async fn a_bsn_in_a_contribution_is_refused_and_never_stored(app) {
        let mut g = group(&app).await;
        g.moderator.ok(cmd("start")).await;
        let code = g.moderator.refused(text("Zijn BSN is 111222333, zie dossier.")).await;
        assert_eq!(code, "bsn_refused");
        let code = g.moderator.refused(text("Rekening NL91ABNA0417164300")).await;
        assert_eq!(code, "iban_refused");
        let events = app.store().events_since(&g.session, 0, 10_000).await.unwrap();
        let all = serde_json::to_string(&events.iter().map(|e| &e.payload).collect::<Vec<_>>()).unwrap();
        assert!(!all.contains("111222333") && !all.contains("0417164300"));
        for c in g.everyone() {
            c.drain(Duration::from_millis(50)).await;
            assert!(c.frames.iter().all(|f| !f.to_string().contains("111222333")), "{} never receives it", c.name);
        }
    }

    async fn shutdown_closes_websockets_with_1001(app) {
        let mut g = group(&app).await;
        app.stop().await;
        for c in g.everyone() {
            assert_eq!(c.close_code().await.0, 1001, "{}", c.name);
        }
    }

    async fn a_wrong_token_or_missing_hello_is_refused(app) {
        let (session, token, _) = create_session(&app, "dilemma", None).await;
        // The upgrade carries a valid token; the hello a wrong one.
        let mut ws = crate::ws_client::raw_connect(&app, &session, &token).await;
        use futures_util::{SinkExt, StreamExt};
        ws.send(Message::Text(json!({"type":"hello","protocol":1,"token":"verkeerd"}).to_string().into())).await.unwrap();
        let mut close = None;
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Close(Some(frame)) = msg { close = Some(u16::from(frame.code)); break; }
        }
        assert_eq!(close, Some(4001));
        let mut ws = crate::ws_client::raw_connect(&app, &session, &token).await;
        ws.send(Message::Text(json!({"type":"command","cid":"a","command":{"type":"start"}}).to_string().into())).await.unwrap();
        let mut close = None;
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Close(Some(frame)) = msg { close = Some(u16::from(frame.code)); break; }
        }
        assert_eq!(close, Some(4003));
    }
}

#[tokio::test]
async fn a_session_created_to_advance_by_itself_moves_on_at_the_deadline() {
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    let created: Value = moderator
        .http
        .post(app.url("/api/v1/sessions"))
        .json(&json!({"method":"cura","title":"Zelf verder","moderator_name":"M","auto_advance":true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session = created["session_id"].as_str().unwrap();
    let mut m = WsClient::connect(&app, session, "mod", created["token"].as_str().unwrap(), None).await;
    let invite = created["invite_code"].as_str().unwrap();
    let (_, t) = join(&app, session, invite, "Inbrenger", "presenter").await;
    let mut p = WsClient::connect(&app, session, "pres", &t, None).await;
    m.ok(cmd("start")).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    m.ok(json!({"type":"set_timebox","deadline_ms": now + 400})).await;
    // Nobody says "next": the server opens round 2 when the deadline passes.
    let opened = p
        .until(|f| f["type"] == "event" && f["event"]["type"] == "round_opened" && f["event"]["index"] == 1)
        .await;
    assert!(opened["event"]["at_ms"].as_i64().unwrap() >= now + 400, "{opened}");
}

#[tokio::test]
async fn a_moderated_session_does_not_advance_by_itself() {
    let app = TestApp::sqlite().await;
    let (session, token, _) = create_session(&app, "cura", None).await;
    let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
    m.ok(cmd("start")).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    m.ok(json!({"type":"set_timebox","deadline_ms": now + 200})).await;
    m.read_for(Duration::from_millis(800)).await;
    assert!(
        !m.frames.iter().any(|f| f["event"]["type"] == "round_opened" && f["event"]["index"] == 1),
        "only the moderator's word moves a moderated session on"
    );
}

#[tokio::test]
async fn a_silent_connection_is_closed_by_the_heartbeat_and_a_live_one_is_not() {
    let app = TestApp::sqlite_with_heartbeat(Duration::from_millis(200)).await;
    let (session, token, invite) = create_session(&app, "cura", None).await;
    let (_, t) = join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let mut live = WsClient::connect(&app, &session, "mod", &token, None).await;
    let mut silent = WsClient::connect(&app, &session, "pres", &t, None).await;
    // The live client keeps reading (and so answers pings); the silent one reads nothing.
    live.read_for(Duration::from_millis(1200)).await;
    assert_eq!(live.closed, None, "a client that answers pings stays connected");
    let (code, reason) = silent.close_code().await;
    assert_eq!((code, reason.as_str()), (1001, "no pong"));
}
