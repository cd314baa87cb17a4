//! The JSON API of a team's rhythm, under `/api/v1/teams/{id}/…` (and the caller's own feed
//! under `/api/v1/me/feed`). The route table names the role rule of each; the operations
//! (`ops.rs`) check the rest. See docs/rhythm.md for the shapes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::call::TeamCall;
use super::ops;
use crate::app::AppState;
use crate::domain::rhythm::{Duty, Move, Slot};
use crate::http::api::ApiError;
use crate::http::auth::CurrentUser;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/teams/{id}/schedule", get(get_schedule).put(put_schedule))
        .route("/api/v1/teams/{id}/schedule/skips", post(post_skip))
        .route("/api/v1/teams/{id}/schedule/moves", post(post_move))
        .route("/api/v1/teams/{id}/schedule/changes/{date}", delete(delete_change))
        .route("/api/v1/teams/{id}/meetings", get(get_meetings))
        .route("/api/v1/teams/{id}/rotation", get(get_rotation))
        .route("/api/v1/teams/{id}/rotation/absences", post(post_absence))
        .route("/api/v1/teams/{id}/rotation/swaps", post(post_swap))
        .route("/api/v1/teams/{id}/feed", post(post_team_feed))
        .route("/api/v1/me/feed", post(post_my_feed))
}

type ApiResult = Result<Response, ApiError>;

async fn get_schedule(c: TeamCall) -> ApiResult {
    let schedule = ops::schedule_json(&c.state, &c.team).await.map_err(|e| c.refuse(e))?;
    Ok(Json(schedule).into_response())
}

async fn put_schedule(c: TeamCall, bytes: Bytes) -> ApiResult {
    let slot: Slot = c.body(&bytes)?;
    ops::set_slot(&c, slot).await.map_err(|e| c.refuse(e))?;
    get_schedule(c).await
}

#[derive(Deserialize)]
struct DateBody {
    date: String,
}

async fn post_skip(c: TeamCall, bytes: Bytes) -> ApiResult {
    let date = c.date(&c.body::<DateBody>(&bytes)?.date)?;
    c.done(ops::skip(&c, date).await)
}

async fn post_move(c: TeamCall, bytes: Bytes) -> ApiResult {
    let m: Move = c.body(&bytes)?;
    c.done(ops::move_meeting(&c, m).await)
}

async fn delete_change(c: TeamCall, Path((_, date)): Path<(String, String)>) -> ApiResult {
    let date = c.date(&date)?;
    c.done(ops::remove_change(&c, date).await)
}

#[derive(Deserialize)]
struct MeetingsQuery {
    from: Option<String>,
    days: Option<i64>,
}

async fn get_meetings(c: TeamCall, Query(q): Query<MeetingsQuery>) -> ApiResult {
    let from_ms = match q.from {
        Some(d) => crate::domain::rhythm::schedule::instant_ms(
            c.date(&d)?,
            crate::domain::rhythm::ClockTime::new(0, 0).unwrap(),
        ),
        None => crate::clock::now_ms(),
    };
    let (_, meetings) =
        ops::meetings(&c.state, &c.team, from_ms, q.days.unwrap_or(90)).await.map_err(|e| c.refuse(e))?;
    Ok(Json(json!({ "team_id": c.team.id, "meetings": meetings })).into_response())
}

async fn get_rotation(c: TeamCall) -> ApiResult {
    Ok(Json(ops::rotation_json(&c.state, &c.team).await.map_err(|e| c.refuse(e))?).into_response())
}

#[derive(Deserialize)]
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

async fn post_absence(c: TeamCall, bytes: Bytes) -> ApiResult {
    let b: AbsenceBody = c.body(&bytes)?;
    let date = c.date(&b.date)?;
    c.done(ops::set_absence(&c, b.user_id, date, b.absent).await)
}

#[derive(Deserialize)]
struct SwapBody {
    date: String,
    duty: Duty,
    to: i64,
}

async fn post_swap(c: TeamCall, bytes: Bytes) -> ApiResult {
    let b: SwapBody = c.body(&bytes)?;
    let date = c.date(&b.date)?;
    c.done(ops::swap(&c, date, b.duty, b.to).await)
}

fn created(url: String) -> Response {
    (StatusCode::CREATED, Json(json!({ "url": url }))).into_response()
}

async fn post_team_feed(c: TeamCall) -> ApiResult {
    let url = ops::renew_team_feed(&c).await.map_err(|e| c.refuse(e))?;
    Ok(created(url))
}

async fn post_my_feed(
    State(state): State<Arc<AppState>>,
    user: CurrentUser,
) -> ApiResult {
    let url = ops::renew_feed(&state, &ops::user_owner(user.user.id)).await.map_err(|e| e.into_api())?;
    Ok(created(url))
}
