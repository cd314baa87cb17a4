//! The admin API, `/api/v1/admin/…` (docs/api.md): teams (list, create), members (add,
//! remove), people and their roles, invites (create, revoke) and the organisation's settings,
//! for a signed-in admin (cookie and CSRF token) or a script with an API token scoped to the
//! action. Every change goes through `http::admin::ops`, as the `/beheer` forms do: the same
//! rules, the same audit entries. Requests and answers are the typed bodies below.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::app::AppState;
use crate::http::admin::ops::{self, Admin, Outcome, Refused};
use crate::http::auth::{AuthContext, CurrentUser};
use crate::http::PageLang;
use crate::i18n::{self, Lang};
use crate::store::{StoreError, Team, User};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/admin/teams", get(teams).post(create_team))
        .route("/api/v1/admin/teams/{id}/members", post(add_member))
        .route("/api/v1/admin/teams/{id}/members/{user}", delete(remove_member))
        .route("/api/v1/admin/users", get(users))
        .route("/api/v1/admin/users/{id}/role", put(change_role))
        .route("/api/v1/admin/invites", post(invite))
        .route("/api/v1/admin/invites/{invite}", delete(revoke_invite))
        .route("/api/v1/admin/settings", get(settings).put(change_settings))
}

type Body<T> = Result<Json<T>, JsonRejection>;
type Answer<T> = Result<Json<T>, ApiError>;

/// A team, with its members.
#[derive(Serialize)]
pub struct TeamOut {
    pub id: i64,
    pub name: String,
    pub members: Vec<MemberOut>,
}

#[derive(Serialize)]
pub struct MemberOut {
    pub id: i64,
    pub name: String,
}

/// Someone of the organisation.
#[derive(Serialize)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub teams: Vec<i64>,
}

#[derive(Deserialize)]
pub struct NewTeamIn {
    pub name: String,
}

#[derive(Deserialize)]
pub struct MemberIn {
    pub user_id: i64,
}

#[derive(Deserialize)]
pub struct RoleIn {
    pub role: String,
}

#[derive(Deserialize)]
pub struct InviteIn {
    pub email: String,
    pub role: String,
    #[serde(default)]
    pub team_id: Option<i64>,
}

/// A new invite: its link is in this answer only.
#[derive(Serialize)]
pub struct InviteOut {
    /// Names the invite (to revoke it); not the link.
    pub invite: String,
    pub email: String,
    pub link: String,
    pub expires_at: i64,
}

/// The organisation's settings.
#[derive(Deserialize, Serialize)]
pub struct SettingsIo {
    /// `organisation` or `team`.
    pub archive_readers: String,
    pub four_eyes: bool,
    /// Days a closed session's content is kept (`domain::retention`); unchanged when absent.
    #[serde(default)]
    pub retention_days: Option<u32>,
}

/// A refused operation as an API error: the code is the message key's last part
/// (`admin.error.team_exists` → `team_exists`), the message that key's text.
fn refusal(r: Refused, lang: Lang) -> ApiError {
    let code = r.key.rsplit('.').next().unwrap_or(r.key);
    let message =
        i18n::text(lang, &format!("{}.body", r.key)).or_else(|| i18n::text(lang, r.key)).unwrap_or(code);
    ApiError { status: r.status, code: code.to_owned(), message: message.to_owned(), details: None }
}

/// An operation's outcome as an answer.
fn answer<T, O>(outcome: Outcome<T>, lang: Lang, out: impl FnOnce(T) -> O) -> Answer<O> {
    match outcome {
        Ok(Ok(done)) => Ok(Json(out(done))),
        Ok(Err(r)) => Err(refusal(r, lang)),
        Err(e) => Err(ApiError::store(e, lang)),
    }
}

fn store_error(lang: Lang) -> impl Fn(StoreError) -> ApiError {
    move |e| ApiError::store(e, lang)
}

fn admin<'a>(user: &'a CurrentUser, ctx: &'a AuthContext) -> Admin<'a> {
    Admin { user: &user.user, client: &ctx.client }
}

async fn team_out(state: &AppState, team: Team) -> Result<TeamOut, StoreError> {
    let members = state.store.team_members(team.id).await?;
    let members = members.into_iter().map(|m| MemberOut { id: m.user_id, name: m.display_name }).collect();
    Ok(TeamOut { id: team.id, name: team.name, members })
}

fn user_out(user: User, teams: Vec<i64>) -> UserOut {
    let erased = user.erased_at.is_some();
    UserOut {
        id: user.id,
        email: if erased { String::new() } else { user.email },
        name: user.display_name,
        role: user.role.as_str(),
        teams,
    }
}

/// `GET /api/v1/admin/teams`
async fn teams(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> Answer<Vec<TeamOut>> {
    let teams =
        state.store.teams_of_organisation(user.user.organisation_id).await.map_err(store_error(lang))?;
    let mut out = Vec::new();
    for team in teams {
        out.push(team_out(&state, team).await.map_err(store_error(lang))?);
    }
    Ok(Json(out))
}

/// `POST /api/v1/admin/teams` `{"name"}` → 201 and the team.
async fn create_team(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    body: Body<NewTeamIn>,
) -> Result<(StatusCode, Json<TeamOut>), ApiError> {
    let Json(req) = body.map_err(|e| ApiError::bad_json(e, lang))?;
    let Json(team) = answer(ops::create_team(&state, &admin(&user, &ctx), &req.name).await, lang, |t| t)?;
    let out = team_out(&state, team).await.map_err(store_error(lang))?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// A path's id, or 404 with `code`.
fn id_of(raw: &str, code: &str, lang: Lang) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::new(StatusCode::NOT_FOUND, code, lang))
}

/// `POST /api/v1/admin/teams/{id}/members` `{"user_id"}` → the team.
async fn add_member(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(team): Path<String>,
    body: Body<MemberIn>,
) -> Answer<TeamOut> {
    let Json(req) = body.map_err(|e| ApiError::bad_json(e, lang))?;
    let outcome =
        ops::set_membership(&state, &admin(&user, &ctx), team.parse().ok(), req.user_id, true).await;
    let Json((team, _)) = answer(outcome, lang, |t| t)?;
    team_out(&state, team).await.map(Json).map_err(store_error(lang))
}

/// `DELETE /api/v1/admin/teams/{id}/members/{user}` → the team.
async fn remove_member(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path((team, person)): Path<(String, String)>,
) -> Answer<TeamOut> {
    let person = id_of(&person, "no_such_user", lang)?;
    let outcome = ops::set_membership(&state, &admin(&user, &ctx), team.parse().ok(), person, false).await;
    let Json((team, _)) = answer(outcome, lang, |t| t)?;
    team_out(&state, team).await.map(Json).map_err(store_error(lang))
}

/// `GET /api/v1/admin/users`: the organisation's people, with their teams' ids.
async fn users(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> Answer<Vec<UserOut>> {
    let people =
        state.store.users_of_organisation(user.user.organisation_id).await.map_err(store_error(lang))?;
    let mut out = Vec::new();
    for person in people {
        let teams = state.store.teams_of_user(person.id).await.map_err(store_error(lang))?;
        out.push(user_out(person, teams.into_iter().map(|t| t.id).collect()));
    }
    Ok(Json(out))
}

/// `PUT /api/v1/admin/users/{id}/role` `{"role"}` → the person.
async fn change_role(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(person): Path<String>,
    body: Body<RoleIn>,
) -> Answer<UserOut> {
    let Json(req) = body.map_err(|e| ApiError::bad_json(e, lang))?;
    let person = id_of(&person, "no_user", lang)?;
    let Json(changed) =
        answer(ops::change_role(&state, &admin(&user, &ctx), person, &req.role).await, lang, |u| u)?;
    let teams = state.store.teams_of_user(changed.id).await.map_err(store_error(lang))?;
    Ok(Json(user_out(changed, teams.into_iter().map(|t| t.id).collect())))
}

/// `POST /api/v1/admin/invites` `{"email", "role", "team_id"?}` → 201 and the link (once).
async fn invite(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    body: Body<InviteIn>,
) -> Result<(StatusCode, Json<InviteOut>), ApiError> {
    let Json(req) = body.map_err(|e| ApiError::bad_json(e, lang))?;
    let team = req.team_id.map(|t| t.to_string());
    let outcome = ops::invite(&state, &admin(&user, &ctx), &req.email, &req.role, team.as_deref()).await;
    let out = answer(outcome, lang, |i| InviteOut {
        invite: i.handle,
        email: i.email,
        link: i.link,
        expires_at: i.expires_at,
    })?;
    Ok((StatusCode::CREATED, out))
}

/// `DELETE /api/v1/admin/invites/{invite}` → 204.
async fn revoke_invite(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(handle): Path<String>,
) -> Result<StatusCode, ApiError> {
    let Json(()) = answer(ops::revoke_invite(&state, &admin(&user, &ctx), &handle).await, lang, |_| ())?;
    Ok(StatusCode::NO_CONTENT)
}

fn settings_out(settings: &serde_json::Value) -> SettingsIo {
    SettingsIo {
        archive_readers: settings["archive_readers"].as_str().unwrap_or("organisation").to_owned(),
        four_eyes: settings["four_eyes"].as_bool().unwrap_or(false),
        retention_days: Some(crate::domain::retention::days_of(settings)),
    }
}

/// `GET /api/v1/admin/settings`
async fn settings(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> Answer<SettingsIo> {
    let org = state.store.organisation(user.user.organisation_id).await.map_err(store_error(lang))?;
    Ok(Json(settings_out(&org.map(|o| o.settings).unwrap_or_default())))
}

/// `PUT /api/v1/admin/settings` `{"archive_readers", "four_eyes", "retention_days"?}`
async fn change_settings(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    body: Body<SettingsIo>,
) -> Answer<SettingsIo> {
    let Json(req) = body.map_err(|e| ApiError::bad_json(e, lang))?;
    let days = req.retention_days.map(|d| d.to_string());
    let change = ops::SettingsChange {
        archive_readers: &req.archive_readers,
        four_eyes: req.four_eyes,
        retention_days: days.as_deref(),
    };
    answer(ops::change_settings(&state, &admin(&user, &ctx), change).await, lang, |s| settings_out(&s))
}
