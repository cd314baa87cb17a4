//! The JSON API of a team's rhythm, under `/api/v1/teams/{id}/…` (and the caller's own feed
//! under `/api/v1/me/feed`). The route table names the role rule of each; the operations
//! (`ops.rs`) check the team and the rest. docs/api.md… see docs/rhythm.md for the shapes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::ops::{self, RhythmError};
use crate::app::AppState;
use crate::domain::rhythm::{Duty, Move, Slot};
use crate::http::api::ApiError;
use crate::http::auth::CurrentUser;
use crate::http::PageLang;
use crate::i18n::Lang;

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

fn api(e: RhythmError, lang: Lang) -> ApiError {
    let message = e.message(lang);
    ApiError { status: e.status, code: e.code.to_owned(), message, details: None }
}

fn body<T: DeserializeOwned>(bytes: &Bytes, lang: Lang) -> Result<T, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|_| api(RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input"), lang))
}

type ApiResult = Result<Response, ApiError>;

async fn team(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    lang: Lang,
) -> Result<crate::store::Team, ApiError> {
    let id: i64 =
        id.parse().map_err(|_| api(RhythmError::new(StatusCode::NOT_FOUND, "no_such_team"), lang))?;
    ops::team_for(state, user, id).await.map_err(|e| api(e, lang))
}

fn done() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

async fn get_schedule(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    Ok(Json(ops::schedule_json(&state, &team).await.map_err(|e| api(e, lang))?).into_response())
}

async fn put_schedule(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let slot: Slot = body(&bytes, lang)?;
    ops::set_slot(&state, &user, &team, slot).await.map_err(|e| api(e, lang))?;
    Ok(Json(ops::schedule_json(&state, &team).await.map_err(|e| api(e, lang))?).into_response())
}

#[derive(Deserialize)]
struct DateBody {
    date: String,
}

async fn post_skip(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let b: DateBody = body(&bytes, lang)?;
    let date = ops::parse_date(&b.date).map_err(|e| api(e, lang))?;
    ops::skip(&state, &user, &team, date).await.map_err(|e| api(e, lang))?;
    Ok(done())
}

async fn post_move(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let m: Move = body(&bytes, lang)?;
    ops::move_meeting(&state, &user, &team, m).await.map_err(|e| api(e, lang))?;
    Ok(done())
}

async fn delete_change(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path((id, date)): Path<(String, String)>,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let date = ops::parse_date(&date).map_err(|e| api(e, lang))?;
    ops::remove_change(&state, &user, &team, date).await.map_err(|e| api(e, lang))?;
    Ok(done())
}

#[derive(Deserialize)]
struct MeetingsQuery {
    from: Option<String>,
    days: Option<i64>,
}

async fn get_meetings(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<MeetingsQuery>,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let from_ms = match q.from {
        Some(d) => {
            let date = ops::parse_date(&d).map_err(|e| api(e, lang))?;
            crate::domain::rhythm::schedule::instant_ms(
                date,
                crate::domain::rhythm::ClockTime::new(0, 0).unwrap(),
            )
        }
        None => crate::clock::now_ms(),
    };
    let (_, meetings) =
        ops::meetings(&state, &team, from_ms, q.days.unwrap_or(90)).await.map_err(|e| api(e, lang))?;
    Ok(Json(json!({ "team_id": team.id, "meetings": meetings })).into_response())
}

async fn get_rotation(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    Ok(Json(ops::rotation_json(&state, &team).await.map_err(|e| api(e, lang))?).into_response())
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

async fn post_absence(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let b: AbsenceBody = body(&bytes, lang)?;
    let date = ops::parse_date(&b.date).map_err(|e| api(e, lang))?;
    ops::set_absence(&state, &user, &team, b.user_id, date, b.absent).await.map_err(|e| api(e, lang))?;
    Ok(done())
}

#[derive(Deserialize)]
struct SwapBody {
    date: String,
    duty: Duty,
    to: i64,
}

async fn post_swap(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let b: SwapBody = body(&bytes, lang)?;
    let date = ops::parse_date(&b.date).map_err(|e| api(e, lang))?;
    ops::swap(&state, &user, &team, date, b.duty, b.to).await.map_err(|e| api(e, lang))?;
    Ok(done())
}

async fn post_team_feed(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult {
    let team = team(&state, &user, &id, lang).await?;
    let url = ops::renew_team_feed(&state, &user, &team).await.map_err(|e| api(e, lang))?;
    Ok((StatusCode::CREATED, Json(json!({ "url": url }))).into_response())
}

async fn post_my_feed(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> ApiResult {
    let url = ops::renew_feed(&state, &ops::user_owner(user.user.id)).await.map_err(|e| api(e, lang))?;
    Ok((StatusCode::CREATED, Json(json!({ "url": url }))).into_response())
}
