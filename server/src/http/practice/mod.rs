//! A team's practice between sessions (`docs/team-practice.md`): the case queue, the follow-up
//! of agreed actions and the team's history, as JSON under `/api/v1/teams/{id}/…` and as pages
//! under `/teams/{id}`. Every route is in the route table (`routes()` below) with its role ×
//! action rule; the team boundary is checked once for every team page and JSON route
//! (`viewer.rs`, with [`team_of`]): someone outside the team gets 404, as if the team did not
//! exist. Picking a case for a scheduled meeting: `meeting.rs`. The rules are
//! `beraad_domain::practice`.

mod actions;
mod charts;
pub(crate) mod dashboard;
mod history;
mod meeting;
mod pages;
mod queue;
pub(crate) mod sync;
pub(crate) mod viewer;

use crate::app::AppState;
use crate::domain::access::may_see_team;
use crate::http::auth::CurrentUser;
use crate::http::routes::Route;
use crate::store::{StoreError, Team};

/// The contract of the practice API (`http/api/openapi.rs` merges it into the document).
pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    let mut doc = queue::Doc::openapi();
    doc.merge(actions::Doc::openapi());
    doc.merge(history::Doc::openapi());
    doc
}

/// A team's practice: queue, actions, history (the team boundary: `viewer.rs`, with [`team_of`]).
pub fn routes() -> Vec<Route> {
    [queue::routes(), actions::routes(), history::routes(), pages::routes()].concat()
}

/// The team `team_id`, if `user` may see it: a member of it, or an admin of its organisation.
pub(crate) async fn team_of(
    state: &AppState,
    user: &CurrentUser,
    team_id: i64,
) -> Result<Option<Team>, StoreError> {
    let Some(team) = state.store.team(team_id).await? else { return Ok(None) };
    if team.organisation_id != user.user.organisation_id {
        return Ok(None);
    }
    let own = crate::http::authz::team_ids(state, user.user.id).await?;
    Ok(may_see_team(user.role(), &own, team_id).then_some(team))
}

/// Today's local date (Europe/Amsterdam).
pub(crate) fn today() -> crate::domain::precedent::CalendarDate {
    crate::domain::local_time::date_of(crate::clock::now_ms())
}

/// The outcomes of the actions a session agreed, for its precedent's page: what, who, by when
/// and what became of it (`status`, with the date done or the reason dropped, and `overdue`).
pub(crate) async fn follow_up_of_session(
    state: &AppState,
    team_id: Option<i64>,
    session_id: Option<&str>,
) -> Result<Vec<serde_json::Value>, StoreError> {
    let (Some(team_id), Some(session_id)) = (team_id, session_id) else { return Ok(Vec::new()) };
    sync::sync_team(&state.store, team_id).await?;
    let today = today();
    Ok(state
        .store
        .actions_of_session(session_id)
        .await?
        .into_iter()
        .map(|a| {
            let status = crate::domain::practice::ActionStatus::parse(&a.status)
                .unwrap_or(crate::domain::practice::ActionStatus::Open);
            let overdue =
                a.due_on.parse().is_ok_and(|d| crate::domain::practice::is_overdue(status, d, today));
            serde_json::json!({
                "what": a.what, "who": a.who, "due_on": a.due_on, "status": a.status, "overdue": overdue,
                "settled_on": a.settled_on, "drop_reason": a.drop_reason,
            })
        })
        .collect())
}
