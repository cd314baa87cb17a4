//! The admin API, `/api/v1/admin/…` (docs/api.md): teams (list, create), members (add,
//! remove), people and their roles, invites (create, revoke) and the organisation's settings,
//! for a signed-in admin (cookie and CSRF token) or a script with an API token scoped to the
//! action. Every change goes through `http::admin::ops`, as the `/beheer` forms do: the same
//! rules, the same audit entries. Requests and answers are the typed bodies below.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::{ApiError, ErrorBody};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::http::actor::ApiActor;
use crate::http::admin::ops::{self, Outcome, Refused};
use crate::http::auth::CurrentUser;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::i18n;
use crate::store::{StoreError, Team, User};

/// The contract of these routes (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    teams,
    create_team,
    add_member,
    remove_member,
    users,
    change_role,
    invite,
    revoke_invite,
    settings,
    change_settings
))]
pub(crate) struct Doc;

/// The admin API (docs/api.md): the same operations as the forms at `/beheer` (http/admin/ops.rs),
/// for a signed-in admin or an API token scoped to the action.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/admin/teams", SignedIn(Action::ManagePeople), teams),
        Route::post("/api/v1/admin/teams", SignedIn(Action::ManagePeople), create_team),
        Route::post("/api/v1/admin/teams/{id}/members", SignedIn(Action::ManagePeople), add_member),
        Route::delete(
            "/api/v1/admin/teams/{id}/members/{user}",
            SignedIn(Action::ManagePeople),
            remove_member,
        ),
        Route::get("/api/v1/admin/users", SignedIn(Action::ManagePeople), users),
        Route::put("/api/v1/admin/users/{id}/role", SignedIn(Action::ManagePeople), change_role),
        Route::post("/api/v1/admin/invites", SignedIn(Action::ManagePeople), invite),
        Route::delete("/api/v1/admin/invites/{invite}", SignedIn(Action::ManagePeople), revoke_invite),
        Route::get("/api/v1/admin/settings", SignedIn(Action::ManageSettings), settings),
        Route::put("/api/v1/admin/settings", SignedIn(Action::ManageSettings), change_settings),
    ]
}

type Body<T> = Result<Json<T>, JsonRejection>;
type Answer<T> = Result<Json<T>, ApiError>;

/// A team, with its members.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TeamOut {
    pub id: i64,
    pub name: String,
    pub members: Vec<MemberOut>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberOut {
    pub id: i64,
    pub name: String,
}

/// Someone of the organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub teams: Vec<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewTeamIn {
    pub name: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MemberIn {
    pub user_id: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RoleIn {
    pub role: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InviteIn {
    pub email: String,
    pub role: String,
    #[serde(default)]
    pub team_id: Option<i64>,
}

/// A new invite: its link is in this answer only.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InviteOut {
    /// Names the invite (to revoke it); not the link.
    pub invite: String,
    pub email: String,
    pub link: String,
    pub expires_at: i64,
}

/// The organisation's settings.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
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
fn refusal(r: Refused) -> ApiError {
    let code = r.key.rsplit('.').next().unwrap_or(r.key);
    let key = r.key;
    ApiError::said(r.status, code, move |lang| {
        let code = key.rsplit('.').next().unwrap_or(key);
        i18n::text(lang, &format!("{key}.body")).or_else(|| i18n::text(lang, key)).unwrap_or(code).to_owned()
    })
}

/// An operation's outcome as an answer.
fn answer<T, O>(outcome: Outcome<T>, out: impl FnOnce(T) -> O) -> Answer<O> {
    match outcome {
        Ok(Ok(done)) => Ok(Json(out(done))),
        Ok(Err(r)) => Err(refusal(r)),
        Err(e) => Err(ApiError::store(e)),
    }
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
#[utoipa::path(get, path = "/api/v1/admin/teams", tag = "admin", responses((status = 200, body = Vec<TeamOut>), (status = "default", description = "An error", body = ErrorBody)))]
async fn teams(State(state): State<Arc<AppState>>, user: CurrentUser) -> Answer<Vec<TeamOut>> {
    let teams =
        state.store.teams_of_organisation(user.user.organisation_id).await.map_err(ApiError::store)?;
    let mut out = Vec::new();
    for team in teams {
        out.push(team_out(&state, team).await.map_err(ApiError::store)?);
    }
    Ok(Json(out))
}

/// `POST /api/v1/admin/teams` `{"name"}` → 201 and the team.
#[utoipa::path(post, path = "/api/v1/admin/teams", tag = "admin", request_body = NewTeamIn, responses((status = 201, body = TeamOut), (status = "default", description = "An error", body = ErrorBody)))]
async fn create_team(
    admin: ApiActor,
    body: Body<NewTeamIn>,
) -> Result<(StatusCode, Json<TeamOut>), ApiError> {
    let Json(req) = body?;
    let Json(team) = answer(ops::create_team(&admin.state, &admin.actor(), &req.name).await, |t| t)?;
    let out = team_out(&admin.state, team).await.map_err(ApiError::store)?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// A path's id, or 404 with `code`.
fn id_of(raw: &str, code: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::new(StatusCode::NOT_FOUND, code))
}

/// `POST /api/v1/admin/teams/{id}/members` `{"user_id"}` → the team.
#[utoipa::path(post, path = "/api/v1/admin/teams/{id}/members", tag = "admin", params(("id" = i64, Path)), request_body = MemberIn, responses((status = 200, body = TeamOut), (status = "default", description = "An error", body = ErrorBody)))]
async fn add_member(admin: ApiActor, Path(team): Path<String>, body: Body<MemberIn>) -> Answer<TeamOut> {
    let Json(req) = body?;
    let outcome =
        ops::set_membership(&admin.state, &admin.actor(), team.parse().ok(), req.user_id, true).await;
    let Json((team, _)) = answer(outcome, |t| t)?;
    team_out(&admin.state, team).await.map(Json).map_err(ApiError::store)
}

/// `DELETE /api/v1/admin/teams/{id}/members/{user}` → the team.
#[utoipa::path(delete, path = "/api/v1/admin/teams/{id}/members/{user}", tag = "admin", params(("id" = i64, Path), ("user" = i64, Path)), responses((status = 200, body = TeamOut), (status = "default", description = "An error", body = ErrorBody)))]
async fn remove_member(admin: ApiActor, Path((team, person)): Path<(String, String)>) -> Answer<TeamOut> {
    let person = id_of(&person, "no_such_user")?;
    let outcome = ops::set_membership(&admin.state, &admin.actor(), team.parse().ok(), person, false).await;
    let Json((team, _)) = answer(outcome, |t| t)?;
    team_out(&admin.state, team).await.map(Json).map_err(ApiError::store)
}

/// `GET /api/v1/admin/users`: the organisation's people, with their teams' ids.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", responses((status = 200, body = Vec<UserOut>), (status = "default", description = "An error", body = ErrorBody)))]
async fn users(State(state): State<Arc<AppState>>, user: CurrentUser) -> Answer<Vec<UserOut>> {
    let people =
        state.store.users_of_organisation(user.user.organisation_id).await.map_err(ApiError::store)?;
    let mut out = Vec::new();
    for person in people {
        let teams = state.store.teams_of_user(person.id).await.map_err(ApiError::store)?;
        out.push(user_out(person, teams.into_iter().map(|t| t.id).collect()));
    }
    Ok(Json(out))
}

/// `PUT /api/v1/admin/users/{id}/role` `{"role"}` → the person.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/role", tag = "admin", params(("id" = i64, Path)), request_body = RoleIn, responses((status = 200, body = UserOut), (status = "default", description = "An error", body = ErrorBody)))]
async fn change_role(admin: ApiActor, Path(person): Path<String>, body: Body<RoleIn>) -> Answer<UserOut> {
    let Json(req) = body?;
    let person = id_of(&person, "no_user")?;
    let Json(changed) =
        answer(ops::change_role(&admin.state, &admin.actor(), person, &req.role).await, |u| u)?;
    let teams = admin.state.store.teams_of_user(changed.id).await.map_err(ApiError::store)?;
    Ok(Json(user_out(changed, teams.into_iter().map(|t| t.id).collect())))
}

/// `POST /api/v1/admin/invites` `{"email", "role", "team_id"?}` → 201 and the link (once).
#[utoipa::path(post, path = "/api/v1/admin/invites", tag = "admin", request_body = InviteIn, responses((status = 201, body = InviteOut), (status = "default", description = "An error", body = ErrorBody)))]
async fn invite(admin: ApiActor, body: Body<InviteIn>) -> Result<(StatusCode, Json<InviteOut>), ApiError> {
    let Json(req) = body?;
    let team = req.team_id.map(|t| t.to_string());
    let outcome = ops::invite(&admin.state, &admin.actor(), &req.email, &req.role, team.as_deref()).await;
    let out = answer(outcome, |i| InviteOut {
        invite: i.handle,
        email: i.email,
        link: i.link,
        expires_at: i.expires_at,
    })?;
    Ok((StatusCode::CREATED, out))
}

/// `DELETE /api/v1/admin/invites/{invite}` → 204.
#[utoipa::path(delete, path = "/api/v1/admin/invites/{invite}", tag = "admin", params(("invite" = String, Path)), responses((status = 204, description = "Revoked"), (status = "default", description = "An error", body = ErrorBody)))]
async fn revoke_invite(admin: ApiActor, Path(handle): Path<String>) -> Result<StatusCode, ApiError> {
    let Json(()) = answer(ops::revoke_invite(&admin.state, &admin.actor(), &handle).await, |_| ())?;
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
#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "admin", responses((status = 200, body = SettingsIo), (status = "default", description = "An error", body = ErrorBody)))]
async fn settings(State(state): State<Arc<AppState>>, user: CurrentUser) -> Answer<SettingsIo> {
    let org = state.store.organisation(user.user.organisation_id).await.map_err(ApiError::store)?;
    Ok(Json(settings_out(&org.map(|o| o.settings).unwrap_or_default())))
}

/// `PUT /api/v1/admin/settings` `{"archive_readers", "four_eyes", "retention_days"?}`
#[utoipa::path(put, path = "/api/v1/admin/settings", tag = "admin", request_body = SettingsIo, responses((status = 200, body = SettingsIo), (status = "default", description = "An error", body = ErrorBody)))]
async fn change_settings(admin: ApiActor, body: Body<SettingsIo>) -> Answer<SettingsIo> {
    let Json(req) = body?;
    let days = req.retention_days.map(|d| d.to_string());
    let change = ops::SettingsChange {
        archive_readers: &req.archive_readers,
        four_eyes: req.four_eyes,
        retention_days: days.as_deref(),
    };
    answer(ops::change_settings(&admin.state, &admin.actor(), change).await, |s| settings_out(&s))
}
