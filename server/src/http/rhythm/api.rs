//! The JSON API of a team's rhythm, under `/api/v1/teams/{id}/…` (and the caller's own feed
//! under `/api/v1/me/feed`). The route table names the role rule of each; the operations
//! (`ops.rs`) check the rest. See docs/rhythm.md for the shapes.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::call::{TeamCall, TeamInput};
use super::ops;
use crate::app::AppState;
use crate::domain::access::Action;
use crate::domain::rhythm::{Duty, Move, Slot};
use crate::http::api::{ApiError, ErrorBody};
use crate::http::auth::CurrentUser;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/teams/{id}/schedule", SignedIn(Action::ViewTeamRhythm), get_schedule),
        Route::put("/api/v1/teams/{id}/schedule", SignedIn(Action::PlanTeamRhythm), put_schedule),
        Route::post("/api/v1/teams/{id}/schedule/skips", SignedIn(Action::PlanTeamRhythm), post_skip),
        Route::post("/api/v1/teams/{id}/schedule/moves", SignedIn(Action::PlanTeamRhythm), post_move),
        Route::delete(
            "/api/v1/teams/{id}/schedule/changes/{date}",
            SignedIn(Action::PlanTeamRhythm),
            delete_change,
        ),
        Route::get("/api/v1/teams/{id}/meetings", SignedIn(Action::ViewTeamRhythm), get_meetings),
        Route::get("/api/v1/teams/{id}/rotation", SignedIn(Action::ViewTeamRhythm), get_rotation),
        // One's own absence or a duty one holds; for others PlanTeamRhythm (checked by the handler).
        Route::post("/api/v1/teams/{id}/rotation/absences", SignedIn(Action::ViewTeamRhythm), post_absence),
        Route::post("/api/v1/teams/{id}/rotation/swaps", SignedIn(Action::ViewTeamRhythm), post_swap),
        Route::post("/api/v1/teams/{id}/feed", SignedIn(Action::PlanTeamRhythm), post_team_feed),
        Route::post("/api/v1/me/feed", SignedIn(Action::ViewTeamRhythm), post_my_feed),
    ]
}

type ApiResult = Result<Response, ApiError>;

/// The team's meetings from a day on.
#[derive(Serialize, utoipa::ToSchema)]
struct Meetings {
    team_id: i64,
    meetings: Vec<ops::MeetingView>,
}

/// A new calendar feed address (the old one stops working).
#[derive(Serialize, utoipa::ToSchema)]
struct FeedUrl {
    url: String,
}

/// The contract of these routes (`rhythm/mod.rs` gives it).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    get_schedule,
    put_schedule,
    post_skip,
    post_move,
    delete_change,
    get_meetings,
    get_rotation,
    post_absence,
    post_swap,
    post_team_feed,
    post_my_feed
))]
pub(crate) struct Doc;

#[utoipa::path(get, path = "/api/v1/teams/{id}/schedule", tag = "rhythm", params(("id" = i64, Path)), responses((status = 200, body = ops::ScheduleView), (status = "default", description = "An error", body = ErrorBody)))]
async fn get_schedule(c: TeamCall) -> ApiResult {
    let schedule = ops::schedule_view(&c.state, &c.team).await?;
    Ok(Json(schedule).into_response())
}

#[utoipa::path(put, path = "/api/v1/teams/{id}/schedule", tag = "rhythm", params(("id" = i64, Path)), request_body = Slot, responses((status = 200, body = ops::ScheduleView), (status = "default", description = "An error", body = ErrorBody)))]
async fn put_schedule(TeamInput(c, slot): TeamInput<Slot>) -> ApiResult {
    ops::set_slot(&c, slot).await?;
    get_schedule(c).await
}

#[derive(Deserialize, utoipa::ToSchema)]
struct DateBody {
    date: String,
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/schedule/skips", tag = "rhythm", params(("id" = i64, Path)), request_body = DateBody, responses((status = 204, description = "Skipped"), (status = "default", description = "An error", body = ErrorBody)))]
async fn post_skip(TeamInput(c, b): TeamInput<DateBody>) -> ApiResult {
    let date = c.date(&b.date)?;
    c.done(ops::skip(&c, date).await)
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/schedule/moves", tag = "rhythm", params(("id" = i64, Path)), request_body = Move, responses((status = 204, description = "Moved"), (status = "default", description = "An error", body = ErrorBody)))]
async fn post_move(TeamInput(c, m): TeamInput<Move>) -> ApiResult {
    c.done(ops::move_meeting(&c, m).await)
}

#[utoipa::path(delete, path = "/api/v1/teams/{id}/schedule/changes/{date}", tag = "rhythm", params(("id" = i64, Path), ("date" = String, Path)), responses((status = 204, description = "Removed"), (status = "default", description = "An error", body = ErrorBody)))]
async fn delete_change(c: TeamCall, Path((_, date)): Path<(String, String)>) -> ApiResult {
    let date = c.date(&date)?;
    c.done(ops::remove_change(&c, date).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MeetingsQuery {
    from: Option<String>,
    days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/teams/{id}/meetings", tag = "rhythm", params(("id" = i64, Path), MeetingsQuery), responses((status = 200, body = Meetings), (status = "default", description = "An error", body = ErrorBody)))]
async fn get_meetings(c: TeamCall, Query(q): Query<MeetingsQuery>) -> ApiResult {
    let from_ms = match q.from {
        Some(d) => crate::domain::rhythm::schedule::instant_ms(
            c.date(&d)?,
            crate::domain::rhythm::ClockTime::new(0, 0).unwrap(),
        ),
        None => crate::clock::now_ms(),
    };
    let (_, meetings) = ops::meetings(&c.state, &c.team, from_ms, q.days.unwrap_or(90)).await?;
    Ok(Json(Meetings { team_id: c.team.id, meetings }).into_response())
}

#[utoipa::path(get, path = "/api/v1/teams/{id}/rotation", tag = "rhythm", params(("id" = i64, Path)), responses((status = 200, body = ops::RotationView), (status = "default", description = "An error", body = ErrorBody)))]
async fn get_rotation(c: TeamCall) -> ApiResult {
    Ok(Json(ops::rotation_view(&c.state, &c.team).await?).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct AbsenceBody {
    date: String,
    #[serde(default)]
    user_id: Option<i64>,
    #[serde(default = "yes")]
    absent: bool,
}

fn yes() -> bool {
    true
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/rotation/absences", tag = "rhythm", params(("id" = i64, Path)), request_body = AbsenceBody, responses((status = 204, description = "Recorded"), (status = "default", description = "An error", body = ErrorBody)))]
async fn post_absence(TeamInput(c, b): TeamInput<AbsenceBody>) -> ApiResult {
    let date = c.date(&b.date)?;
    c.done(ops::set_absence(&c, b.user_id, date, b.absent).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
struct SwapBody {
    date: String,
    /// `moderator`, `case_bringer`, …
    #[schema(value_type = String)]
    duty: Duty,
    to: i64,
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/rotation/swaps", tag = "rhythm", params(("id" = i64, Path)), request_body = SwapBody, responses((status = 204, description = "Swapped"), (status = "default", description = "An error", body = ErrorBody)))]
async fn post_swap(TeamInput(c, b): TeamInput<SwapBody>) -> ApiResult {
    let date = c.date(&b.date)?;
    c.done(ops::swap(&c, date, b.duty, b.to).await)
}

fn created(url: String) -> Response {
    (StatusCode::CREATED, Json(FeedUrl { url })).into_response()
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/feed", tag = "rhythm", params(("id" = i64, Path)), responses((status = 201, body = FeedUrl), (status = "default", description = "An error", body = ErrorBody)))]
async fn post_team_feed(c: TeamCall) -> ApiResult {
    let url = ops::renew_team_feed(&c).await?;
    Ok(created(url))
}

#[utoipa::path(post, path = "/api/v1/me/feed", tag = "rhythm", responses((status = 201, body = FeedUrl), (status = "default", description = "An error", body = ErrorBody)))]
async fn post_my_feed(State(state): State<Arc<AppState>>, user: CurrentUser) -> ApiResult {
    let url = ops::renew_feed(&state, &ops::user_owner(user.user.id)).await?;
    Ok(created(url))
}
