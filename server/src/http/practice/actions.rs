//! The team's actions: `GET /api/v1/teams/{id}/actions` (open ones, or `?status=all`), and
//! `POST /api/v1/teams/{id}/actions/{action}` to mark one done or dropped with a reason (its
//! owner, or someone who may lead the team's practice; audited by the team and the action's id).

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::viewer::TeamScope;
use crate::app::AppState;
use crate::audit::action;
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::practice::{self, ActionError, ActionStatus, Settle, MAX_ACTIONS_LISTED};
use crate::domain::precedent::CalendarDate;
use crate::http::api::{ApiError, ErrorBody};
use crate::http::auth::CurrentUser;
use crate::http::authz::Rule::SignedIn;
use crate::http::rhythm::call::{TeamCall, TeamJson};
use crate::http::routes::Route;
use crate::live::errors::LiveFailure;
use crate::store::{ActionSettlement, StoreError, TeamAction};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/teams/{id}/actions", SignedIn(Action::JoinSession), list),
        Route::post("/api/v1/teams/{id}/actions/{action}", SignedIn(Action::JoinSession), settle),
    ]
}

fn status_of(a: &TeamAction) -> ActionStatus {
    ActionStatus::parse(&a.status).unwrap_or(ActionStatus::Open)
}

fn date(s: &str) -> Option<CalendarDate> {
    s.parse().ok()
}

/// One action as the viewer sees it, with `overdue` by today's local date.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ActionView {
    pub id: i64,
    pub session_id: String,
    pub what: String,
    pub who: String,
    /// `YYYY-MM-DD`
    pub due_on: String,
    /// The owner's name, when the action has an owner in the team.
    pub owner: Option<String>,
    pub mine: bool,
    /// `open`, `done` or `dropped`.
    pub status: String,
    pub overdue: bool,
    /// For a done action: whether by its due date.
    pub on_time: Option<bool>,
    pub settled_on: Option<String>,
    pub drop_reason: Option<String>,
    pub settled_in_session: Option<String>,
    pub may_settle: bool,
}

/// A team's actions.
#[derive(Serialize, utoipa::ToSchema)]
struct Actions {
    actions: Vec<ActionView>,
}

/// `?status=open` (the default) or `all`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
}

/// The contract of these routes (`practice/mod.rs` gathers it).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, settle))]
pub(crate) struct Doc;

pub(super) fn action_view(
    a: &TeamAction,
    members: &[(i64, String)],
    user: &CurrentUser,
    today: CalendarDate,
) -> ActionView {
    let status = status_of(a);
    let due = date(&a.due_on);
    let owner = a.owner_id.and_then(|id| members.iter().find(|(m, _)| *m == id)).map(|(_, n)| n.clone());
    let mine = a.owner_id == Some(user.user.id);
    ActionView {
        id: a.id,
        session_id: a.session_id.clone(),
        what: a.what.clone(),
        who: a.who.clone(),
        due_on: a.due_on.clone(),
        owner,
        mine,
        status: a.status.clone(),
        overdue: due.is_some_and(|d| practice::is_overdue(status, d, today)),
        on_time: due.and_then(|d| practice::on_time(status, d, a.settled_on.as_deref().and_then(date))),
        settled_on: a.settled_on.clone(),
        drop_reason: a.drop_reason.clone(),
        settled_in_session: a.settled_in_session.clone(),
        may_settle: status == ActionStatus::Open && (mine || user.may(Action::LeadTeamPractice)),
    }
}

/// The team's actions after reading its sessions (`sync`).
pub(super) async fn actions_json(
    state: &AppState,
    team_id: i64,
    user: &CurrentUser,
    open_only: bool,
) -> Result<Vec<ActionView>, StoreError> {
    super::sync::sync_team(&state.store, team_id).await?;
    let actions = state.store.team_actions(team_id, open_only, MAX_ACTIONS_LISTED as i64).await?;
    let members = state.store.member_names(team_id).await?;
    let today = super::today();
    Ok(actions.iter().map(|a| action_view(a, &members, user, today)).collect())
}

#[utoipa::path(get, path = "/api/v1/teams/{id}/actions", tag = "practice", params(("id" = i64, Path), ListQuery), responses((status = 200, body = Actions), (status = "default", description = "An error", body = ErrorBody)))]
async fn list(c: TeamCall, Query(q): Query<ListQuery>) -> Result<Json<Actions>, ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    let open_only = match q.status.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(_) => return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_request")),
    };
    let actions = actions_json(state, team.id, user, open_only).await.map_err(ApiError::store)?;
    Ok(Json(Actions { actions }))
}

fn action_error(e: ActionError) -> ApiError {
    match e {
        ActionError::NotOwner => ApiError::new(StatusCode::FORBIDDEN, e.code()),
        ActionError::AlreadySettled => ApiError::new(StatusCode::CONFLICT, e.code()),
        ActionError::Field(e) => ApiError::failure(LiveFailure::Refused(e)),
    }
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/actions/{action}", tag = "practice", params(("id" = i64, Path), ("action" = i64, Path)), request_body = Settle, responses((status = 200, body = ActionView), (status = "default", description = "An error", body = ErrorBody)))]
async fn settle(
    Path((_, action)): Path<(String, i64)>,
    TeamJson(c, req): TeamJson<Settle>,
) -> Result<Json<ActionView>, ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    if let Settle::Dropped { reason } = &req {
        crate::guard::check_text("reason", reason).map_err(ApiError::privacy)?;
    }
    let a = state
        .store
        .team_action(action)
        .await
        .map_err(ApiError::store)?
        .filter(|a| a.team_id == team.id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_action"))?;
    let is_owner = a.owner_id == Some(user.user.id);
    let today = super::today();
    let settled = practice::settle(status_of(&a), is_owner, user.may(Action::LeadTeamPractice), req, today)
        .map_err(action_error)?;
    let settlement = crate::guard::screen(ActionSettlement {
        action_id: a.id,
        status: settled.status.as_str().into(),
        settled_on: settled.settled_on.to_string(),
        drop_reason: settled.reason,
        settled_by: Some(user.user.id),
        in_session: None,
        now_ms: now_ms(),
    })
    .map_err(ApiError::privacy)?;
    let changed = state.store.settle_action(&settlement).await.map_err(ApiError::store)?;
    if !changed {
        return Err(action_error(ActionError::AlreadySettled));
    }
    let audited =
        if settled.status == ActionStatus::Done { action::ACTION_DONE } else { action::ACTION_DROPPED };
    crate::http::rhythm::ops::audit(&c, audited, format!("team:{} action:{}", team.id, a.id)).await;
    let a = state.store.team_action(a.id).await.map_err(ApiError::store)?.expect("just settled");
    let members = state.store.member_names(team.id).await.map_err(ApiError::store)?;
    Ok(Json(action_view(&a, &members, user, today)))
}
