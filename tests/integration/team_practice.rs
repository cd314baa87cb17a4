//! A team's practice between sessions, through the API on both backends: a case proposed
//! through the anonymisation review, marked, picked into a prepared session; a session agreeing
//! two actions that become the team's actions, settled by their owner or a moderator (overdue
//! by the local date); the next session looking back on them over the websocket, which settles
//! them; the history figures; and the team boundary.

use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp, TestUser};
use crate::ws_client::{create_session_as, WsClient};

async fn post(user: &TestUser, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let res = user.http.post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(user: &TestUser, app: &TestApp, path: &str) -> (u16, Value) {
    let res = user.http.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn proposal(case_text: &str, review: Value) -> Value {
    json!({"title": "Verlaging na een gemiste afspraak", "summary": "Mag je verlagen als iemand ziek was?",
           "case_text": case_text, "method": "cura", "review": review})
}

async fn display_name(app: &TestApp, user: &TestUser) -> String {
    app.store().user(user.id).await.unwrap().unwrap().display_name
}

/// A session of the moderator's team, held to the end with `actions` agreed; returns its id.
pub async fn hold_session(app: &TestApp, moderator: &TestUser, actions: Value) -> String {
    let (session, token, _) = create_session_as(app, moderator, "cura", None).await;
    finish_session(app, &session, &token, actions).await;
    session
}

/// Holds `session` (in its lobby) to the end with the moderator's `token`, agreeing `actions`.
pub async fn finish_session(app: &TestApp, session: &str, token: &str, actions: Value) {
    let session = session.to_owned();
    let mut ws = WsClient::connect(app, &session, "mod", token, None).await;
    ws.ok(json!({"type": "start"})).await;
    // Through the rounds (a look-back round first, if the team has open actions) to concluding.
    loop {
        let cid = ws.send_command(json!({"type": "next_round"})).await;
        let answer = ws.answer(&cid).await;
        assert_eq!(answer["type"], "ack", "{answer}");
        let view = app.store().session(&session).await.unwrap().unwrap();
        if view.header.status.as_str() == "concluding" {
            break;
        }
    }
    ws.ok(json!({"type": "conclude", "conclusion": "We verlagen niet.", "actions": actions})).await;
    ws.ok(json!({"type": "end"})).await;
    ws.close().await;
}

on_both_backends! {
    async fn a_case_is_proposed_through_the_guard_marked_and_picked_into_a_prepared_session(app) {
        let member = app.user("member").await;
        let colleague = app.user("member").await;
        let moderator = app.user("moderator").await;
        let team = member.team_id;
        let queue = format!("/api/v1/teams/{team}/queue");
        // A BSN is refused whole; an unreviewed name is not stored either.
        let (status, body) = post(&member, &app, &queue, proposal("Cliënt met BSN 123456782 belde.", json!({}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("bsn_refused")), "{body}");
        let named = "Jan Jansen belde over de Kerkstraat 12 in Arnhem.";
        let (status, body) = post(&member, &app, &queue, proposal(named, json!({}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("unresolved_findings")), "{body}");
        let (_, queue_now) = get(&colleague, &app, &queue).await;
        assert_eq!(queue_now["queue"].as_array().unwrap().len(), 0, "nothing unreviewed is shown");
        // Reviewed: stored, and the team sees title, summary and method — not the case.
        let case = "Een cliënt miste een afspraak en meldde zich daarna ziek.";
        let (status, body) = post(&member, &app, &queue, proposal(case, json!({}))).await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        let (status, q) = get(&colleague, &app, &queue).await;
        assert_eq!(status, 200);
        let item = &q["queue"][0];
        assert_eq!(item["title"], "Verlaging na een gemiste afspraak");
        assert_eq!(item["summary"], "Mag je verlagen als iemand ziek was?");
        assert_eq!(item["method"], "cura");
        assert!(item.get("case_text").is_none(), "{item}");
        assert!(!q.to_string().contains("meldde zich daarna ziek"));
        // "Wil ik bespreken": a per-person toggle, counted.
        let mark = format!("{queue}/{id}/interest");
        let (status, body) = post(&colleague, &app, &mark, json!({"on": true})).await;
        assert_eq!((status, body["interest"].as_i64()), (200, Some(1)), "{body}");
        post(&colleague, &app, &mark, json!({"on": true})).await;
        let (_, body) = post(&moderator, &app, &mark, json!({"on": true})).await;
        assert_eq!(body["interest"], 2, "one mark per person");
        let (_, body) = post(&colleague, &app, &mark, json!({"on": false})).await;
        assert_eq!(body["interest"], 1);
        let (_, q) = get(&moderator, &app, &queue).await;
        assert_eq!((q["queue"][0]["marked"].as_bool(), q["queue"][0]["interest"].as_i64()), (Some(true), Some(1)));
        // Only the proposer withdraws; only a moderator picks; a time in the past is refused.
        let (status, body) = post(&colleague, &app, &format!("{queue}/{id}/withdraw"), json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("not_proposer")));
        let pick = format!("{queue}/{id}/pick");
        let day = beraad::domain::local_time::date_of(beraad::clock::now_ms() + 30 * 24 * 3_600_000);
        let planned = format!("{day}T14:00");
        let (status, _) = post(&member, &app, &pick, json!({"planned_at": planned})).await;
        assert_eq!(status, 403);
        let (status, body) = post(&moderator, &app, &pick, json!({"planned_at": "2020-03-12T14:00"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("planned_in_past")));
        let (status, body) = post(&moderator, &app, &pick, json!({"planned_at": planned})).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["planned_local"], format!("{day} 14:00"));
        let session_id = body["session_id"].as_str().unwrap().to_owned();
        // The case left the queue and is a prepared session: method chosen, case ready.
        let (_, q) = get(&member, &app, &queue).await;
        assert_eq!(q["queue"].as_array().unwrap().len(), 0);
        assert_eq!(q["prepared"][0]["session_id"], session_id.as_str());
        assert_eq!(q["prepared"][0]["planned_local"], format!("{day} 14:00"));
        let row = app.store().session(&session_id).await.unwrap().unwrap();
        assert_eq!((row.header.method_key.as_str(), row.header.status.as_str()), ("cura", "lobby"));
        let events = app.store().events_since(&session_id, 0, 10).await.unwrap();
        assert_eq!(events[0].payload["case_text"], case);
        assert!(app.store().anonymisation_review(&session_id).await.unwrap().is_some(), "the review came along");
        // Picked once; withdrawing it now is too late.
        let (status, _) = post(&moderator, &app, &pick, json!({"planned_at": planned})).await;
        assert_eq!(status, 409);
        let (status, _) = post(&member, &app, &format!("{queue}/{id}/withdraw"), json!({})).await;
        assert_eq!(status, 409);
        // A proposer withdraws their own open proposal.
        let (_, body) = post(&member, &app, &queue, proposal(case, json!({}))).await;
        let second = body["id"].as_i64().unwrap();
        let (status, _) = post(&member, &app, &format!("{queue}/{second}/withdraw"), json!({})).await;
        assert_eq!(status, 200);
        let (_, q) = get(&member, &app, &queue).await;
        assert_eq!(q["queue"].as_array().unwrap().len(), 0);
    }

    async fn agreed_actions_are_followed_up_and_looked_back_on(app) {
        let moderator = app.user("moderator").await;
        let member = app.user("member").await;
        let other = app.user("member").await;
        let team = moderator.team_id;
        let owner = display_name(&app, &member).await;
        let actions = json!([
            {"what": "Beleidsregel navragen", "who": owner, "when": "2026-01-05"},
            {"what": "Cliënt terugbellen", "who": "Iemand buiten het team", "when": "2099-01-05"},
            {"what": "Teamleider informeren", "who": owner, "when": "2099-02-01"},
        ]);
        let first = hold_session(&app, &moderator, actions).await;
        let list = format!("/api/v1/teams/{team}/actions");
        let (status, body) = get(&member, &app, &list).await;
        assert_eq!(status, 200, "{body}");
        let open = body["actions"].as_array().unwrap().clone();
        assert_eq!(open.len(), 3, "{body}");
        assert!(open.iter().all(|a| a["session_id"] == first.as_str()));
        let overdue: Vec<_> = open.iter().filter(|a| a["overdue"] == true).map(|a| a["what"].clone()).collect();
        assert_eq!(overdue, vec![json!("Beleidsregel navragen")], "overdue by the local date");
        let id_of = |what: &str| open.iter().find(|a| a["what"] == what).unwrap()["id"].as_i64().unwrap();
        // The owner marks theirs done; someone else may not; a moderator may, a drop needs a reason.
        let third = format!("{list}/{}", id_of("Teamleider informeren"));
        let (status, body) = post(&other, &app, &third, json!({"status": "done"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("not_action_owner")));
        let (status, body) = post(&member, &app, &third, json!({"status": "done"})).await;
        assert_eq!((status, body["status"].as_str(), body["on_time"].as_bool()), (200, Some("done"), Some(true)), "{body}");
        let (status, body) = post(&member, &app, &third, json!({"status": "done"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("action_settled")));
        let second = format!("{list}/{}", id_of("Cliënt terugbellen"));
        let (status, body) = post(&moderator, &app, &second, json!({"status": "dropped", "reason": " "})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("empty_field")));
        let (status, body) = post(&moderator, &app, &second, json!({"status": "dropped", "reason": "BSN 123456782"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("bsn_refused")));
        let (_, body) = get(&member, &app, &list).await;
        assert_eq!(body["actions"].as_array().unwrap().len(), 2);

        // The next session opens with the look-back on the last session's three actions (one done
        // already) and records the two still open.
        let (next, token, _) = create_session_as(&app, &moderator, "cura", None).await;
        let created = app.store().events_since(&next, 0, 1).await.unwrap();
        let previous = created[0].payload["previous_actions"].as_array().unwrap().clone();
        assert_eq!(previous.len(), 3, "{previous:?}");
        assert_eq!(created[0].payload["method"]["rounds"][0]["kind"], "look_back");
        let index_of = |what: &str| previous.iter().position(|a| a["what"] == what).unwrap();
        let mut ws = WsClient::connect(&app, &next, "mod", &token, None).await;
        ws.ok(json!({"type": "start"})).await;
        let code = ws.refused(json!({"type": "record_look_back", "index": 9, "outcome": "done"})).await;
        assert_eq!(code, "unknown_look_back_action");
        ws.ok(json!({"type": "record_look_back", "index": index_of("Beleidsregel navragen"), "outcome": "done"})).await;
        ws.ok(json!({"type": "record_look_back", "index": index_of("Cliënt terugbellen"), "outcome": "dropped",
                     "note": "Cliënt is verhuisd"})).await;
        ws.close().await;
        let kinds: Vec<String> = app.store().events_since(&next, 0, 100).await.unwrap().into_iter().map(|e| e.kind).collect();
        assert_eq!(kinds.iter().filter(|k| *k == "look_back_recorded").count(), 2, "{kinds:?}");
        let (_, body) = get(&member, &app, &format!("{list}?status=all")).await;
        let all = body["actions"].as_array().unwrap();
        let by = |what: &str| all.iter().find(|a| a["what"] == what).unwrap().clone();
        assert_eq!(by("Beleidsregel navragen")["status"], "done");
        assert_eq!(by("Beleidsregel navragen")["on_time"], false, "done after its date");
        assert_eq!(by("Beleidsregel navragen")["settled_in_session"], next.as_str());
        assert_eq!(by("Cliënt terugbellen")["status"], "dropped");
        assert_eq!(by("Cliënt terugbellen")["drop_reason"], "Cliënt is verhuisd");
        let (_, body) = get(&member, &app, &list).await;
        assert_eq!(body["actions"].as_array().unwrap().len(), 0, "nothing left open");

        // The history: one meeting held, the methods, and the actions due so far.
        let year = beraad::domain::local_time::date_of(beraad::clock::now_ms()).year();
        let (status, h) = get(&member, &app, &format!("/api/v1/teams/{team}/history?year={year}")).await;
        assert_eq!(status, 200, "{h}");
        assert_eq!(h["held"], 1, "{h}");
        assert_eq!(h["methods"][0]["name"], "cura");
        let (status, h) = get(&member, &app, &format!("/api/v1/teams/{team}/history?year=2026")).await;
        assert_eq!(status, 200);
        assert_eq!(h["actions_done_late"], 1, "{h}");
    }

    async fn another_team_sees_nothing(app) {
        let member = app.user("member").await;
        let outsider = app.user_in("moderator", "Team B").await;
        let team = member.team_id;
        let (status, body) = post(&member, &app, &format!("/api/v1/teams/{team}/queue"),
            proposal("Een cliënt miste een afspraak.", json!({}))).await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        for path in [format!("/api/v1/teams/{team}/queue"), format!("/api/v1/teams/{team}/actions"),
                     format!("/api/v1/teams/{team}/history"), format!("/teams/{team}"), format!("/teams/{team}/wachtrij")] {
            let res = outsider.http.get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 404, "{path}");
        }
        let (status, _) = post(&outsider, &app, &format!("/api/v1/teams/{team}/queue/{id}/pick"),
            json!({"planned_at": "2027-01-01T10:00"})).await;
        assert_eq!(status, 404);
        // Their own team's queue does not hold it either.
        let (_, q) = get(&outsider, &app, &format!("/api/v1/teams/{}/queue", outsider.team_id)).await;
        assert_eq!(q["queue"].as_array().unwrap().len(), 0);
    }

    async fn the_pages_render_in_both_languages(app) {
        let moderator = app.user("moderator").await;
        let team = moderator.team_id;
        hold_session(&app, &moderator, json!([{"what": "Navragen", "who": "Iemand", "when": "2026-01-05"}])).await;
        for (lang, word) in [("nl", "Teamgeschiedenis"), ("en", "Team history")] {
            let res = moderator.http.get(app.url(&format!("/teams/{team}?lang={lang}"))).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let html = res.text().await.unwrap();
            assert!(html.contains(word), "{lang}");
            assert_eq!(html.matches("<svg class=\"chart\"").count(), 3, "three charts");
            assert!(html.contains("id=\"months-table\""), "a table beside each chart");
        }
        let res = moderator.http.get(app.url(&format!("/teams/{team}/wachtrij?lang=en"))).send().await.unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("Open actions") && html.contains("Overdue"), "{html}");
        let res = moderator.http.get(app.url("/")).send().await.unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("overdue-badge"), "the dashboard marks overdue actions");
        let res = moderator.http.get(app.url(&format!("/teams/{team}/wachtrij/nieuw"))).send().await.unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("data-mode=\"propose\"") && html.contains("id=\"summary\""));
    }
}
