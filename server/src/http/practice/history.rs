//! The team's history figures: `GET /api/v1/teams/{id}/history?year=YYYY` (default: this year).

use axum::extract::Query;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::viewer::TeamScope;
use crate::app::AppState;
use crate::domain::access::Action;
use crate::domain::practice::{history, ActionFact, ActionStatus, History, HistoryInput, SessionFact};
use crate::domain::precedent::CalendarDate;
use crate::http::api::{ApiError, ErrorBody};
use crate::http::authz::Rule::SignedIn;
use crate::http::rhythm::call::TeamCall;
use crate::http::routes::Route;
use crate::store::StoreError;

/// The contract of this route (`practice/mod.rs` gathers it).
#[derive(utoipa::OpenApi)]
#[openapi(paths(figures))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/teams/{id}/history", SignedIn(Action::JoinSession), figures)]
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct YearQuery {
    #[serde(default)]
    pub year: Option<u16>,
}

/// The year asked for, or this year; `None` when out of range.
pub(super) fn year_of(q: &YearQuery) -> Option<u16> {
    let year = q.year.unwrap_or_else(|| super::today().year());
    (2000..=2199).contains(&year).then_some(year)
}

/// The figures of `year` for the team (after reading its sessions).
pub(super) async fn team_history(state: &AppState, team_id: i64, year: u16) -> Result<History, StoreError> {
    super::sync::sync_team(&state.store, team_id).await?;
    let store = &state.store;
    let sessions = store
        .practice_sessions(team_id)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(SessionFact {
                on: s.held_on.parse().ok()?,
                held: s.held,
                method_key: s.method_key,
                attendance: s.attendance as u32,
            })
        })
        .collect();
    let precedents = store.adopted_precedents_of_team(team_id).await?;
    let adopted_on: Vec<CalendarDate> =
        precedents.iter().map(|p| crate::domain::local_time::date_of(p.updated_at)).collect();
    let themes = precedents
        .iter()
        .filter(|p| crate::domain::local_time::date_of(p.updated_at).year() == year)
        .flat_map(|p| p.themes.clone())
        .collect();
    let actions = store
        .team_actions(team_id, false, i64::MAX)
        .await?
        .into_iter()
        .filter_map(|a| {
            Some(ActionFact {
                due: a.due_on.parse().ok()?,
                status: ActionStatus::parse(&a.status)?,
                settled_on: a.settled_on.as_deref().and_then(|s| s.parse().ok()),
            })
        })
        .collect();
    Ok(history(year, super::today(), &HistoryInput { sessions, adopted_on, themes, actions }))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}/history", tag = "practice", params(("id" = i64, Path), YearQuery), responses((status = 200, body = History), (status = "default", description = "An error", body = ErrorBody)))]
async fn figures(c: TeamCall, Query(q): Query<YearQuery>) -> Result<Json<History>, ApiError> {
    let TeamScope { state, team, .. } = &c.0;
    let year = year_of(&q).ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, "invalid_request"))?;
    Ok(Json(team_history(state, team.id, year).await.map_err(ApiError::store)?))
}
