//! The start page: for someone signed in, their dashboard (their teams, each team's running and
//! past sessions); otherwise what Beraad is, with the way in.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::value::{Serde, Value};
use serde_json::json;

use super::auth::{pages, CurrentUser};
use super::{AppError, PageLang};
use crate::app::AppState;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;
use crate::store::SessionStatus;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/", Public, home)]
}

async fn home(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: Option<CurrentUser>,
) -> Result<Response, AppError> {
    let Some(user) = user else {
        return Ok(pages::render(&state, lang, StatusCode::OK, "home.html", None, minijinja::context! {}));
    };
    let mut teams = Vec::new();
    for team in state.store.teams_of_user(user.user.id).await? {
        let sessions = state.store.sessions_of_team(team.id).await?;
        let (past, current): (Vec<_>, Vec<_>) =
            sessions.into_iter().partition(|s| s.header.status == SessionStatus::Closed);
        let row = |s: &crate::store::SessionRow| {
            let h = &s.header;
            json!({ "id": h.id, "title": h.title, "method": h.method_key, "status": h.status.as_str(),
                    "content_removed": s.content_removed_at.is_some(),
                    "on": crate::domain::local_time::date_of(s.created_at).to_string() })
        };
        let next = if user.may(crate::domain::access::Action::ViewTeamRhythm) {
            next_meeting(&state, team.id).await?
        } else {
            None
        };
        let practice = super::practice::dashboard::team_summary(&state, team.id, &user).await?;
        teams.push(json!({
            "id": team.id,
            "practice": practice,
            "name": team.name,
            "next": next,
            "current": current.iter().rev().map(row).collect::<Vec<_>>(),
            "past": past.iter().rev().take(10).map(row).collect::<Vec<_>>(),
        }));
    }
    use crate::domain::access::Action;
    // Drafts colleagues asked this person to approve (four-eyes), not their own.
    let awaiting = if user.may(Action::ApprovePrecedent) {
        state
            .store
            .awaiting_approval(user.user.organisation_id)
            .await?
            .iter()
            .filter(|(_, a)| !matches!(a.approval,
                crate::domain::precedent::Approval::Awaiting { requested_by, .. } if requested_by == user.user.id))
            .count()
    } else {
        0
    };
    let context = minijinja::context! {
        teams => Value::from(Serde(&teams)),
        may_create => user.may(Action::CreateSession),
        may_search => user.may(Action::ReadArchive),
        may_rhythm => user.may(Action::ViewTeamRhythm),
        // An admin makes teams themselves: not told to ask the admin.
        may_manage => user.may(Action::ManagePeople),
        awaiting => awaiting,
    };
    Ok(pages::render(&state, lang, StatusCode::OK, "dashboard.html", Some(&user), context))
}

/// A team's next meeting (within two months) with its moderator and case bringer, if it has a
/// schedule; local times.
async fn next_meeting(state: &AppState, team_id: i64) -> Result<Option<serde_json::Value>, AppError> {
    use crate::domain::rhythm::schedule::DAY_MS;
    let plan = crate::rhythm::TeamPlan::load(state.store.as_ref(), team_id).await?;
    let now = crate::clock::now_ms();
    let Ok(meetings) = plan.meetings(now, now + 62 * DAY_MS, false) else { return Ok(None) };
    Ok(meetings.first().map(|m| {
        let v = super::rhythm::ops::meeting_view(&plan, m);
        json!({ "start": v.start, "moderator": v.moderator.map(|p| p.name), "case_bringer": v.case_bringer.map(|p| p.name),
                "case": v.case.filter(|c| c.ready).map(|c| c.title) })
    }))
}
