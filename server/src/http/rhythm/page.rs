//! `GET /teams/{id}/rooster`: a team's schedule page — the next meetings with who moderates and
//! who brings the case, absences and swaps, the regular slot and its exceptions (for those who
//! may plan), the calendar feeds and whether reminder e-mails go out. `POST` the same path with
//! `op` = slot | skip | move | unchange | absent | present | swap | team_feed | my_feed: the
//! operations of `ops.rs`, then back to the page (a feed address is shown once instead).

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::value::{Serde, Value};

use super::ops::{self, RhythmError};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::domain::rhythm::{Duty, Move, Slot};
use crate::http::auth::{pages, CurrentUser};
use crate::http::authz::Rule::SignedIn;
use crate::http::practice::viewer::{TeamPage, TeamScope};
use crate::http::routes::Route;
use crate::i18n::Lang;
use crate::store::Team;

/// Meetings listed on the page.
const LISTED: usize = 8;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/teams/{id}/rooster", SignedIn(Action::ViewTeamRhythm), show),
        // One form route: planning operations need PlanTeamRhythm, checked per operation.
        Route::post("/teams/{id}/rooster", SignedIn(Action::ViewTeamRhythm), act),
    ]
}

async fn show(page: TeamPage) -> Response {
    let TeamPage(TeamScope { state, lang, user, team, .. }) = page;
    render(&state, lang, &user, &team, StatusCode::OK, None, None, &HashMap::new()).await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    team: &Team,
    status: StatusCode,
    error: Option<String>,
    feed_url: Option<String>,
    form: &HashMap<String, String>,
) -> Response {
    let now = crate::clock::now_ms();
    let (plan, meetings, error) = match ops::meetings(state, team, now, 366).await {
        Ok((plan, meetings)) => (Some(plan), meetings, error),
        Err(e) => (None, Vec::new(), Some(e.message(lang))),
    };
    let meetings: Vec<_> = meetings.into_iter().take(LISTED).collect();
    let schedule = plan.as_ref().and_then(|p| p.schedule.as_ref());
    let changes: Vec<serde_json::Value> = schedule
        .map(|s| {
            let mut v: Vec<serde_json::Value> =
                s.skips.iter().map(|d| serde_json::json!({ "date": d, "kind": "skip" })).collect();
            v.extend(s.moves.values().map(|m| {
                serde_json::json!({ "date": m.date, "kind": "move", "to_date": m.to_date, "to_start": m.to_start })
            }));
            v.sort_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()));
            v
        })
        .unwrap_or_default();
    let members: Vec<serde_json::Value> = plan
        .iter()
        .flat_map(|p| p.members.iter())
        .filter(|m| m.disabled_at.is_none())
        .map(|m| {
            serde_json::json!({ "id": m.user_id, "name": m.display_name,
                "may_moderate": crate::domain::access::may_moderate(m.role.access_role()) })
        })
        .collect();
    // The slot form shows what was sent (after a refusal) or what is stored.
    let slot = schedule.map(|s| serde_json::to_value(&s.slot).unwrap_or_default()).unwrap_or_default();
    let field = |name: &str| -> String {
        form.get(name).cloned().unwrap_or_else(|| match &slot[name] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => String::new(),
        })
    };
    let slot_form = serde_json::json!({
        "recurrence": field("recurrence"), "weekday": field("weekday"), "month_week": field("month_week"),
        "start": field("start"), "minutes": field("minutes"), "first_date": field("first_date"),
    });
    let has_team_feed = state.store.has_feed(&ops::team_owner(team.id)).await.unwrap_or(false);
    let has_my_feed = state.store.has_feed(&ops::user_owner(user.user.id)).await.unwrap_or(false);
    let context = minijinja::context! {
        team => Value::from(Serde(team)),
        has_schedule => schedule.is_some(),
        meetings => Value::from(Serde(&meetings)),
        changes => Value::from(Serde(&changes)),
        members => Value::from(Serde(&members)),
        me => user.user.id,
        may_plan => user.may(Action::PlanTeamRhythm),
        slot => Value::from(Serde(&slot_form)),
        mail_on => state.mailer.is_some(),
        reminder_days => state.config.mail.reminder_days,
        error => error,
        feed_url => feed_url,
        has_team_feed => has_team_feed,
        has_my_feed => has_my_feed,
        weekdays => vec!["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        month_weeks => vec!["first", "second", "third", "fourth", "last"],
    };
    pages::render(state, lang, status, "rhythm.html", Some(user), context)
}

fn field_of<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(|s| s.trim()).unwrap_or("")
}

fn slot_of(form: &HashMap<String, String>) -> Result<Slot, RhythmError> {
    let bad = || RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input");
    let start = field_of(form, "start")
        .parse()
        .map_err(|_| RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_time"))?;
    let minutes: u16 = field_of(form, "minutes")
        .parse()
        .map_err(|_| RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_length"))?;
    let quoted = |s: &str| serde_json::Value::String(s.to_owned());
    let month_week = match field_of(form, "month_week") {
        "" => None,
        w => Some(serde_json::from_value(quoted(w)).map_err(|_| bad())?),
    };
    Ok(Slot {
        recurrence: serde_json::from_value(quoted(field_of(form, "recurrence"))).map_err(|_| bad())?,
        weekday: serde_json::from_value(quoted(field_of(form, "weekday"))).map_err(|_| bad())?,
        month_week,
        start,
        minutes,
        first_date: ops::parse_date(field_of(form, "first_date"))?,
    })
}

async fn act(page: TeamPage, Form(form): Form<HashMap<String, String>>) -> Response {
    let scope = &page.0;
    let TeamScope { state, lang, user, team, .. } = scope;
    let (state, lang) = (state.as_ref(), *lang);
    let date = || ops::parse_date(field_of(&form, "date"));
    let outcome: Result<Option<String>, RhythmError> = async {
        match field_of(&form, "op") {
            "slot" => ops::set_slot(scope, slot_of(&form)?).await.map(|()| None),
            "skip" => ops::skip(scope, date()?).await.map(|()| None),
            "move" => {
                let to_start = field_of(&form, "to_start")
                    .parse()
                    .map_err(|_| RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_time"))?;
                let m =
                    Move { date: date()?, to_date: ops::parse_date(field_of(&form, "to_date"))?, to_start };
                ops::move_meeting(scope, m).await.map(|()| None)
            }
            "unchange" => ops::remove_change(scope, date()?).await.map(|()| None),
            "absent" | "present" => {
                let absent = field_of(&form, "op") == "absent";
                ops::set_absence(scope, None, date()?, absent).await.map(|()| None)
            }
            "swap" => {
                let duty = Duty::parse(field_of(&form, "duty"))
                    .ok_or_else(|| RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input"))?;
                let to: i64 = field_of(&form, "to")
                    .parse()
                    .map_err(|_| RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input"))?;
                ops::swap(scope, date()?, duty, to).await.map(|()| None)
            }
            "team_feed" => ops::renew_team_feed(scope).await.map(Some),
            "my_feed" => ops::renew_feed(state, &ops::user_owner(user.user.id)).await.map(Some),
            _ => Err(RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input")),
        }
    }
    .await;
    match outcome {
        Ok(None) => Redirect::to(&format!("/teams/{}/rooster", team.id)).into_response(),
        Ok(Some(url)) => {
            render(state, lang, user, team, StatusCode::OK, None, Some(url), &HashMap::new()).await
        }
        Err(e) => {
            let message = e.message(lang);
            let keep = if field_of(&form, "op") == "slot" { form.clone() } else { HashMap::new() };
            render(state, lang, user, team, e.status, Some(message), None, &keep).await
        }
    }
}
