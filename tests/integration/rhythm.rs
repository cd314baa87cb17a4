//! A team's rhythm (issue 14): the store contract of `Rhythm` on both backends, the JSON API
//! (schedule, exceptions, meetings, absences, swaps) with its refusals, and the private
//! calendar feeds parsed back with an iCalendar parser.

use beraad::domain::local_time::date_of;
use beraad::store::*;
use chrono::Datelike;
use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp, TestUser};

const DAY: i64 = 24 * 60 * 60 * 1000;

/// The local date `days` from now and its weekday as the API names it.
pub fn local_day(days: i64) -> (String, &'static str) {
    let d = date_of(beraad::clock::now_ms() + days * DAY);
    let date = chrono::NaiveDate::from_ymd_opt(d.year().into(), d.month().into(), d.day().into()).unwrap();
    let weekday = match date.weekday() {
        chrono::Weekday::Mon => "monday",
        chrono::Weekday::Tue => "tuesday",
        chrono::Weekday::Wed => "wednesday",
        chrono::Weekday::Thu => "thursday",
        chrono::Weekday::Fri => "friday",
        chrono::Weekday::Sat => "saturday",
        chrono::Weekday::Sun => "sunday",
    };
    (d.to_string(), weekday)
}

/// A weekly slot whose first meeting is `days` from now, starting today.
pub fn weekly_slot(days: i64) -> Value {
    let (today, _) = local_day(0);
    let (_, weekday) = local_day(days);
    json!({"recurrence": "weekly", "weekday": weekday, "start": "19:30", "minutes": 90, "first_date": today})
}

pub async fn put_schedule(app: &TestApp, who: &TestUser, slot: &Value) -> reqwest::Response {
    who.http.put(app.url(&format!("/api/v1/teams/{}/schedule", who.team_id))).json(slot).send().await.unwrap()
}

async fn meetings(app: &TestApp, who: &TestUser, team: i64) -> Vec<Value> {
    let r = who.http.get(app.url(&format!("/api/v1/teams/{team}/meetings?days=40"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    v["meetings"].as_array().unwrap().clone()
}

async fn post(app: &TestApp, who: &TestUser, path: &str, body: Value) -> (u16, Value) {
    let r = who.http.post(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

on_both_backends! {
    async fn store_contract(app) {
        let store = app.store();
        let user = app.user("moderator").await;
        let other = app.user("member").await;
        let team = user.team_id;
        let now = 1_764_000_000_000;
        assert_eq!(store.team_schedule(team).await.unwrap(), None);
        let slot = json!({"recurrence": "weekly", "weekday": "tuesday", "start": "19:30", "minutes": 90, "first_date": "2026-01-01"});
        store.set_team_schedule(TeamEdit { team_id: team, by: user.id, now_ms: now }, &slot).await.unwrap();
        store.set_team_schedule(TeamEdit { team_id: team, by: user.id, now_ms: now + 1 }, &slot).await.unwrap();
        let stored = store.team_schedule(team).await.unwrap().unwrap();
        assert_eq!((stored.slot, stored.updated_at), (slot, now + 1));
        assert_eq!(store.scheduled_teams().await.unwrap(), vec![team]);
        let members = store.team_members(team).await.unwrap();
        assert_eq!(members.iter().map(|m| m.user_id).collect::<Vec<_>>(), vec![user.id, other.id]);
        assert_eq!(members[0].role, UserRole::Moderator);

        // Exceptions: one per date, a cap per kind, replaced in place.
        let skip = |d: &str| ScheduleChange { date: d.into(), kind: "skip".into(), to_date: None, to_start: None };
        let edit = TeamEdit { team_id: team, by: user.id, now_ms: now };
        assert!(store.put_schedule_change(edit, &skip("2026-01-06"), 2).await.unwrap());
        assert!(store.put_schedule_change(edit, &skip("2026-01-13"), 2).await.unwrap());
        assert!(!store.put_schedule_change(edit, &skip("2026-01-20"), 2).await.unwrap(), "over the cap");
        let moved = ScheduleChange { date: "2026-01-13".into(), kind: "move".into(), to_date: Some("2026-01-14".into()), to_start: Some("10:00".into()) };
        assert!(store.put_schedule_change(edit, &moved, 2).await.unwrap(), "a replacement is not new");
        assert_eq!(store.schedule_changes(team).await.unwrap(), vec![skip("2026-01-06"), moved]);
        assert!(store.delete_schedule_change(team, "2026-01-06").await.unwrap());
        assert!(!store.delete_schedule_change(team, "2026-01-06").await.unwrap());

        // Absences: a cap per person; recording one twice is fine.
        assert!(store.add_absence(team, &Absence { user_id: other.id, date: "2026-01-06".into() }, 1, now).await.unwrap());
        assert!(store.add_absence(team, &Absence { user_id: other.id, date: "2026-01-06".into() }, 1, now).await.unwrap());
        assert!(!store.add_absence(team, &Absence { user_id: other.id, date: "2026-01-13".into() }, 1, now).await.unwrap());
        assert_eq!(store.absences(team).await.unwrap(), vec![Absence { user_id: other.id, date: "2026-01-06".into() }]);
        assert!(store.delete_absence(team, other.id, "2026-01-06").await.unwrap());

        // Swaps: one per meeting and duty, capped per team.
        let swap = SwapRow { date: "2026-01-06".into(), duty: "moderator".into(), from_user: Some(user.id), to_user: other.id, created_by: user.id, created_at: now };
        assert!(store.put_swap(team, &swap, 1).await.unwrap());
        let mut again = swap.clone();
        again.to_user = user.id;
        assert!(store.put_swap(team, &again, 1).await.unwrap());
        let mut new = swap.clone();
        new.date = "2026-01-13".into();
        assert!(!store.put_swap(team, &new, 1).await.unwrap());
        assert_eq!(store.swaps(team).await.unwrap(), vec![again]);
        assert!(store.delete_swap(team, "2026-01-06", "moderator").await.unwrap());

        // Feeds: renewing replaces the token.
        assert!(!store.has_feed("team:1").await.unwrap());
        store.set_feed_token("team:1", "hash-a", now).await.unwrap();
        store.set_feed_token("team:1", "hash-b", now).await.unwrap();
        assert_eq!(store.feed_owner("hash-a").await.unwrap(), None);
        assert_eq!(store.feed_owner("hash-b").await.unwrap().as_deref(), Some("team:1"));
        assert!(store.has_feed("team:1").await.unwrap());

        // Reminders: claimed once, released for a retry.
        let moderator = Reminder { team_id: team, date: "2026-01-06", duty: "moderator", user_id: user.id };
        let case_bringer = Reminder { duty: "case_bringer", user_id: other.id, ..moderator };
        assert!(store.claim_reminder(&moderator, now).await.unwrap());
        assert!(!store.claim_reminder(&moderator, now).await.unwrap());
        assert!(store.claim_reminder(&case_bringer, now).await.unwrap());
        store.release_reminder(&moderator).await.unwrap();
        assert!(store.claim_reminder(&moderator, now).await.unwrap());
    }

    async fn schedule_meetings_absences_and_swaps_over_the_api(app) {
        let moderator = app.user("moderator").await;
        let a = app.user("member").await;
        let b = app.user("member").await;
        let outsider = app.user_in("moderator", "Team B").await;
        let team = moderator.team_id;
        let slot = weekly_slot(3);

        // Only those who may plan set the schedule; a bad one is refused in the caller's language.
        assert_eq!(put_schedule(&app, &a, &slot).await.status(), 403);
        let mut bad = slot.clone();
        bad["minutes"] = json!(5);
        let r = put_schedule(&app, &moderator, &bad).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_length");
        assert_eq!(body["error"]["message"], "Een bijeenkomst duurt 15 tot 480 minuten.");
        let r = put_schedule(&app, &moderator, &json!({"recurrence": "yearly"})).await;
        assert_eq!(r.status(), 422);
        let r = put_schedule(&app, &moderator, &slot).await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["slot"]["start"], "19:30");
        assert_eq!(body["zone"], "Europe/Amsterdam");

        // Meetings: weekly, local 19:30, the moderator moderates (the only one who may), a member
        // brings the case.
        let list = meetings(&app, &a, team).await;
        assert!(list.len() >= 5, "{list:?}");
        for m in &list {
            assert!(m["start"].as_str().unwrap().ends_with(" 19:30"), "{m}");
            assert_eq!(m["moderator"]["id"], moderator.id);
            assert!([a.id, b.id].contains(&m["case_bringer"]["id"].as_i64().unwrap()), "{m}");
        }
        let dates: Vec<String> = list.iter().map(|m| m["date"].as_str().unwrap().to_owned()).collect();
        let r = outsider.http.get(app.url(&format!("/api/v1/teams/{team}/meetings"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "another team's schedule does not exist for an outsider");

        // Exceptions.
        let skips = format!("/api/v1/teams/{team}/schedule/skips");
        assert_eq!(post(&app, &a, &skips, json!({"date": dates[1]})).await.0, 403);
        assert_eq!(post(&app, &moderator, &skips, json!({"date": dates[1]})).await.0, 204);
        let (status, body) = post(&app, &moderator, &skips, json!({"date": local_day(4).0})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("not_a_meeting_date")));
        let (status, body) = post(&app, &moderator, &skips, json!({"date": "morgen"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("bad_date")));
        let moves = format!("/api/v1/teams/{team}/schedule/moves");
        let (status, _) = post(&app, &moderator, &moves, json!({"date": dates[2], "to_date": dates[2], "to_start": "09:15"})).await;
        assert_eq!(status, 204);
        let list = meetings(&app, &a, team).await;
        let by_date = |d: &str| list.iter().find(|m| m["date"] == d).unwrap().clone();
        assert_eq!(by_date(&dates[1])["state"], "skipped");
        assert_eq!(by_date(&dates[2])["state"], "moved");
        assert!(by_date(&dates[2])["start"].as_str().unwrap().ends_with(" 09:15"));
        let r = moderator.http.delete(app.url(&format!("/api/v1/teams/{team}/schedule/changes/{}", dates[2]))).send().await.unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(meetings(&app, &a, team).await.iter().find(|m| m["date"] == dates[2].as_str()).unwrap()["state"], "planned");

        // Absences: one's own; someone else's only for those who may plan.
        let absences = format!("/api/v1/teams/{team}/rotation/absences");
        let first = dates[0].clone();
        assert_eq!(post(&app, &a, &absences, json!({"date": first, "user_id": b.id})).await.0, 403);
        assert_eq!(post(&app, &a, &absences, json!({"date": first})).await.0, 204);
        let m = meetings(&app, &a, team).await.into_iter().find(|m| m["date"] == first.as_str()).unwrap();
        assert_eq!(m["case_bringer"]["id"], b.id, "the absent member is skipped: {m}");
        assert_eq!(m["absent"][0]["id"], a.id);
        assert_eq!(post(&app, &a, &absences, json!({"date": first, "absent": false})).await.0, 204);

        // Swaps: the case bringer hands the case over; the team sees it.
        let list = meetings(&app, &a, team).await;
        let m = list.iter().find(|m| m["state"] == "planned").unwrap();
        let date = m["date"].as_str().unwrap().to_owned();
        let (holder, other) = if m["case_bringer"]["id"] == a.id { (&a, &b) } else { (&b, &a) };
        let swaps = format!("/api/v1/teams/{team}/rotation/swaps");
        let (status, body) = post(&app, other, &swaps, json!({"date": date, "duty": "case_bringer", "to": other.id})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (403, Some("not_yours")));
        let (status, body) = post(&app, holder, &swaps, json!({"date": date, "duty": "moderator", "to": other.id})).await;
        assert_eq!(status, 403, "{body}");
        let (status, body) = post(&app, holder, &swaps, json!({"date": date, "duty": "case_bringer", "to": moderator.id})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("has_other_duty")));
        assert_eq!(post(&app, holder, &swaps, json!({"date": date, "duty": "case_bringer", "to": other.id})).await.0, 204);
        let m = meetings(&app, &b, team).await.into_iter().find(|m| m["date"] == date.as_str()).unwrap();
        assert_eq!(m["case_bringer"]["id"], other.id);
        assert_eq!(m["case_bringer_swapped_from"]["id"], holder.id);
        let r: Value = b.http.get(app.url(&format!("/api/v1/teams/{team}/rotation"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(r["swaps"][0]["to"]["id"], other.id);
        assert_eq!(r["swaps"][0]["by"]["id"], holder.id);

        // The page's slot form: a bad time is refused with a message, and what was typed stays.
        let form = [("op", "slot"), ("recurrence", "weekly"), ("weekday", "monday"), ("month_week", ""),
                    ("start", "25:00"), ("minutes", "90"), ("first_date", "2026-01-05")];
        let r = moderator.http.post(app.url(&format!("/teams/{team}/rooster"))).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("Vul een tijd in als UU:MM") && html.contains("value=\"25:00\""), "{html}");
        let r = a.http.post(app.url(&format!("/teams/{team}/rooster"))).form(&[("op", "skip"), ("date", dates[3].as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 403, "members do not plan");

        // The schedule page and the dashboard show it, in local time.
        let page = a.http.get(app.url(&format!("/teams/{team}/rooster"))).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("19:30") && html.contains("Gespreksleider"), "{html}");
        assert!(html.contains("Er is geen mailserver ingesteld"), "the page says no e-mail is sent without SMTP");
        let dash = a.http.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(dash.contains("Volgende bijeenkomst") && dash.contains(&format!("/teams/{team}/rooster")), "{dash}");
    }

    async fn calendar_feeds_are_private_renewable_icalendar(app) {
        let moderator = app.user("moderator").await;
        let member = app.user("member").await;
        let team = moderator.team_id;
        assert_eq!(put_schedule(&app, &moderator, &weekly_slot(2)).await.status(), 200);
        let dates: Vec<String> = meetings(&app, &member, team).await.iter().map(|m| m["date"].as_str().unwrap().to_owned()).collect();
        let skips = format!("/api/v1/teams/{team}/schedule/skips");
        assert_eq!(post(&app, &moderator, &skips, json!({"date": dates[1]})).await.0, 204);

        let feed_path = format!("/api/v1/teams/{team}/feed");
        assert_eq!(post(&app, &member, &feed_path, json!({})).await.0, 403);
        let (status, body) = post(&app, &moderator, &feed_path, json!({})).await;
        assert_eq!(status, 201);
        let url = body["url"].as_str().unwrap().to_owned();
        let path = url.trim_start_matches("http://127.0.0.1").to_owned();
        assert!(path.starts_with("/agenda/") && path.ends_with(".ics"), "{url}");
        let plain = reqwest::Client::new();
        let r = plain.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
        let ics = r.text().await.unwrap();
        let unfolded = icalendar::parser::unfold(&ics);
        let calendar = icalendar::parser::read_calendar(&unfolded).expect("the feed parses as iCalendar");
        let events: Vec<_> = calendar.components.iter().filter(|c| c.name == "VEVENT").collect();
        assert!(events.len() >= 50, "a year of weekly meetings: {}", events.len());
        let prop = |c: &icalendar::parser::Component, name: &str| {
            c.properties.iter().find(|p| p.name == name).map(|p| p.val.to_string()).unwrap_or_default()
        };
        let first = events.iter().find(|e| prop(e, "UID") == format!("beraad-team{team}-{}@beraad", dates[0])).expect("a stable UID");
        assert!(prop(first, "DTSTART").ends_with('Z'), "UTC times");
        assert!(prop(first, "SUMMARY").contains("Team A"));
        let description = prop(first, "DESCRIPTION");
        assert!(description.contains("Gespreksleider") && description.contains("Inbrenger"), "{description}");
        assert!(description.contains(&format!("/teams/{team}/rooster")));
        let skipped = events.iter().find(|e| prop(e, "UID").contains(&dates[1])).unwrap();
        assert_eq!(prop(skipped, "STATUS"), "CANCELLED");

        // Renewing kills the old address.
        let (_, body) = post(&app, &moderator, &feed_path, json!({})).await;
        let renewed = body["url"].as_str().unwrap().trim_start_matches("http://127.0.0.1").to_owned();
        assert_eq!(plain.get(app.url(&path)).send().await.unwrap().status(), 404);
        assert_eq!(plain.get(app.url(&renewed)).send().await.unwrap().status(), 200);
        assert_eq!(plain.get(app.url("/agenda/onbekend.ics")).send().await.unwrap().status(), 404);

        // A person's own feed marks their duty.
        let (status, body) = post(&app, &member, "/api/v1/me/feed", json!({})).await;
        assert_eq!(status, 201);
        let mine = body["url"].as_str().unwrap().trim_start_matches("http://127.0.0.1").to_owned();
        let ics = plain.get(app.url(&mine)).send().await.unwrap().text().await.unwrap();
        let unfolded = icalendar::parser::unfold(&ics);
        assert!(icalendar::parser::read_calendar(&unfolded).is_ok());
        assert!(unfolded.contains("jij brengt de casus in"), "{unfolded}");
    }
}
