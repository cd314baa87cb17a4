//! A picked case joined to a meeting of the team's schedule, through the API on both backends:
//! the moderator picks a case for a scheduled meeting (once per meeting, only ahead), the
//! prepared session is planned at the meeting's start and led by its moderator, the case's
//! proposer becomes its case bringer (a swap the team sees), and the meetings, the rooster, the
//! dashboard and the calendar feed show the case's title (and nothing of its content). Every
//! change to the queue, the actions, the schedule and the rotation is in the audit log, which
//! still verifies, and no audit entry holds case content.

use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp, TestUser};
use crate::rhythm::{put_schedule, weekly_slot};

async fn post(user: &TestUser, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let res = user.http.post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get_json(user: &TestUser, app: &TestApp, path: &str) -> Value {
    let res = user.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

async fn get_text(user: &TestUser, app: &TestApp, path: &str) -> String {
    let res = user.http.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

const CASE: &str = "Een cliënt miste een afspraak en meldde zich daarna ziek.";
const SUMMARY: &str = "Mag je verlagen als iemand ziek was?";

/// Proposes a case (nothing to review in it) as `who`; returns the proposal's id.
pub async fn propose(app: &TestApp, who: &TestUser, title: &str) -> i64 {
    let body = json!({"title": title, "summary": SUMMARY, "case_text": CASE, "method": "cura"});
    let (status, body) = post(who, app, &format!("/api/v1/teams/{}/queue", who.team_id), body).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

/// The meetings of the next 40 days as the API lists them.
pub async fn meetings(app: &TestApp, who: &TestUser) -> Vec<Value> {
    let v = get_json(who, app, &format!("/api/v1/teams/{}/meetings?days=40", who.team_id)).await;
    v["meetings"].as_array().unwrap().clone()
}

on_both_backends! {
    async fn a_case_is_picked_for_a_scheduled_meeting_and_everything_is_audited(app) {
        let moderator = app.user("moderator").await;
        let first = app.user("member").await;
        let second = app.user("member").await;
        // An admin of the organisation, outside the team's rotation, picks.
        let admin = app.user_in("admin", "Beheer").await;
        let team = moderator.team_id;
        let queue = format!("/api/v1/teams/{team}/queue");
        assert_eq!(put_schedule(&app, &moderator, &weekly_slot(2)).await.status(), 200);
        let list = meetings(&app, &moderator).await;
        let (one, two) = (&list[0], &list[1]);
        let date = one["date"].as_str().unwrap().to_owned();
        assert_eq!(one["moderator"]["id"].as_i64(), Some(moderator.id));
        // The case of whoever does not bring the case at the first meeting.
        let bringer = one["case_bringer"]["id"].as_i64().unwrap();
        let (proposer, other) = if bringer == first.id { (&second, &first) } else { (&first, &second) };
        let picked = propose(&app, proposer, "Verlaging na ziekmelding").await;
        let waiting = propose(&app, other, "Huisbezoek zonder afspraak").await;
        let (status, _) = post(other, &app, &format!("{queue}/{picked}/interest"), json!({"on": true})).await;
        assert_eq!(status, 200);

        // Without a meeting or a time, for a date that is no upcoming meeting: refused.
        let pick = format!("{queue}/{picked}/pick");
        let (status, body) = post(&admin, &app, &pick, json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("pick_when")), "{body}");
        let (status, body) = post(&admin, &app, &pick, json!({"meeting": "2020-01-07"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("meeting_not_ahead")), "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("komende bijeenkomst"), "{body}");
        let (status, _) = post(proposer, &app, &pick, json!({"meeting": date})).await;
        assert_eq!(status, 403, "members do not pick");

        // Picked for the first meeting: planned at its start, led by its moderator.
        let (status, body) = post(&admin, &app, &pick, json!({"meeting": date})).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["meeting"].as_str(), Some(date.as_str()));
        assert_eq!(body["planned_at"], one["start_ms"]);
        let session = body["session_id"].as_str().unwrap().to_owned();
        let events = app.store().events_since(&session, 0, 10).await.unwrap();
        assert_eq!(events[0].kind, "session_created");
        assert!(events[0].payload.to_string().contains(&format!("\"u-{}\"", moderator.id)), "{:?}", events[0]);
        // A meeting has one case.
        let (status, body) =
            post(&moderator, &app, &format!("{queue}/{waiting}/pick"), json!({"meeting": date})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("meeting_taken")), "{body}");
        let q = get_json(other, &app, &queue).await;
        assert_eq!(q["queue"].as_array().unwrap().len(), 1, "the other case still waits: {q}");
        assert_eq!(q["prepared"][0]["meeting"].as_str(), Some(date.as_str()), "{q}");
        let offered: Vec<&str> = q["meetings"].as_array().unwrap().iter().map(|m| m["date"].as_str().unwrap()).collect();
        assert!(!offered.contains(&date.as_str()) && offered.contains(&two["date"].as_str().unwrap()), "{offered:?}");

        // The meeting shows the case, and its proposer brings it (handed over, visible).
        let list = meetings(&app, other).await;
        assert_eq!(list[0]["case"]["title"], "Verlaging na ziekmelding", "{}", list[0]);
        assert_eq!(list[0]["case"]["session_id"].as_str(), Some(session.as_str()));
        assert_eq!(list[0]["case"]["ready"], true);
        assert_eq!(list[0]["case_bringer"]["id"].as_i64(), Some(proposer.id));
        assert_eq!(list[0]["case_bringer_swapped_from"]["id"].as_i64(), Some(bringer));
        assert!(list[1]["case"].is_null());
        let rooster = get_text(other, &app, &format!("/teams/{team}/rooster")).await;
        assert!(rooster.contains("Casus klaar") && rooster.contains("Verlaging na ziekmelding"), "{rooster}");
        assert!(!rooster.contains(CASE) && !rooster.contains(SUMMARY), "no case content on the rooster");
        let dashboard = get_text(other, &app, "/").await;
        assert!(dashboard.contains("Casus klaar: Verlaging na ziekmelding"), "{dashboard}");
        let (status, feed) = post(&moderator, &app, &format!("/api/v1/teams/{team}/feed"), json!({})).await;
        assert_eq!(status, 201);
        let path = feed["url"].as_str().unwrap().trim_start_matches("http://127.0.0.1").to_owned();
        let ics = reqwest::get(app.url(&path)).await.unwrap().text().await.unwrap();
        let ics = icalendar::parser::unfold(&ics);
        assert!(ics.contains("Casus klaar: Verlaging na ziekmelding"), "{ics}");
        assert!(!ics.contains("meldde zich") && !ics.contains("Mag je verlagen"), "no case content: {ics}");

        // The other proposal is withdrawn; a held session's actions are settled.
        let (status, _) = post(other, &app, &format!("{queue}/{waiting}/withdraw"), json!({})).await;
        assert_eq!(status, 200);
        let name = app.store().user(first.id).await.unwrap().unwrap().display_name;
        let held = crate::team_practice::hold_session(&app, &moderator, json!([
            {"what": "Beleidsregel navragen", "who": name, "when": "2099-01-10"},
            {"what": "Cliënt terugbellen", "who": "Iemand anders", "when": "2099-01-05"},
        ])).await;
        assert!(!held.is_empty());
        let open = get_json(&first, &app, &format!("/api/v1/teams/{team}/actions")).await;
        let ids: Vec<i64> = open["actions"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.len(), 2, "{open}");
        let (status, _) = post(&first, &app, &format!("/api/v1/teams/{team}/actions/{}", ids[1]), json!({"status": "done"})).await;
        assert_eq!(status, 200);
        let drop = json!({"status": "dropped", "reason": "Niet meer nodig"});
        let (status, _) = post(&moderator, &app, &format!("/api/v1/teams/{team}/actions/{}", ids[0]), drop).await;
        assert_eq!(status, 200);
        // A schedule change.
        let skip = json!({"date": two["date"]});
        let (status, _) = post(&moderator, &app, &format!("/api/v1/teams/{team}/schedule/skips"), skip).await;
        assert_eq!(status, 204);

        // The audit log has each, naming the team and ids only; the chain verifies.
        let log = app.store().audit_log().await.unwrap();
        let entry = |action: &str| {
            log.iter().filter(|e| e.fact.action == action).map(|e| e.fact.subject.clone()).collect::<Vec<_>>()
        };
        assert_eq!(entry("schedule_set"), vec![format!("team:{team}")]);
        assert_eq!(entry("case_proposed").len(), 2);
        assert_eq!(entry("case_interest_set"), vec![format!("team:{team} proposal:{picked} on=true")]);
        assert_eq!(entry("case_picked"), vec![format!("team:{team} proposal:{picked} meeting:{date}")]);
        assert_eq!(
            entry("duty_swapped"),
            vec![format!("team:{team} meeting:{date} duty=case_bringer user:{bringer} -> user:{}", proposer.id)]
        );
        assert_eq!(entry("case_withdrawn"), vec![format!("team:{team} proposal:{waiting}")]);
        assert_eq!(entry("action_done"), vec![format!("team:{team} action:{}", ids[1])]);
        assert_eq!(entry("action_dropped"), vec![format!("team:{team} action:{}", ids[0])]);
        assert_eq!(entry("meeting_skipped"), vec![format!("team:{team} meeting:{}", two["date"].as_str().unwrap())]);
        assert_eq!(entry("feed_renewed"), vec![format!("team:{team}")]);
        let picker = log.iter().find(|e| e.fact.action == "case_picked").unwrap();
        assert_eq!(picker.fact.actor, format!("user:{}", admin.id));
        for e in &log {
            for content in ["Verlaging", "Huisbezoek", "ziek", "Niet meer nodig", "terugbellen"] {
                assert!(!e.fact.subject.contains(content), "case content in the audit log: {e:?}");
            }
        }
        assert!(matches!(
            beraad::audit::verify(app.store().as_ref()).await.unwrap(),
            beraad::audit::Verified::Intact { .. }
        ));
    }
}
