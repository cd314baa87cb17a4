//! `POST /admin/teams` (a new team) and `POST /admin/users/{id}/teams` (someone joins a team):
//! how an organisation gets the teams its sessions belong to. Needs `ManagePeople` (the route
//! table); audited. Answers with a redirect to `/beheer`, or a message saying what is wrong.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use crate::app::AppState;
use crate::audit::action;
use crate::clock::now_ms;
use crate::http::auth::{Allowed, ManagePeople};
use crate::http::flash::{self, Flash};
use crate::http::AppError;
use crate::store::{NewTeam, StoreError};

/// The longest team name.
const MAX_TEAM_NAME: usize = 80;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin/teams", post(create))
        .route("/admin/teams/{id}/name", post(rename))
        .route("/admin/users/{id}/teams", post(add_member))
}

#[derive(Deserialize)]
struct TeamForm {
    #[serde(default)]
    name: String,
}

async fn create(admin: Allowed<ManagePeople>, Form(f): Form<TeamForm>) -> Result<Response, AppError> {
    let (state, user) = (&admin.state, &admin.user);
    let Some(name) = team_name(&f.name) else {
        return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.team_name"));
    };
    let new = NewTeam { organisation_id: user.user.organisation_id, name: name.clone(), now_ms: now_ms() };
    let new = match crate::guard::screen(new) {
        Ok(new) if !name.is_empty() && name.chars().count() <= MAX_TEAM_NAME => new,
        _ => return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.team_name")),
    };
    let team = match state.store.create_team(&new).await {
        Ok(team) => team,
        Err(StoreError::AlreadyExists(_)) => {
            return Ok(admin.message(StatusCode::CONFLICT, "admin.error.team_exists"))
        }
        Err(e) => return Err(e.into()),
    };
    admin.audit(action::TEAM_CREATED, format!("team:{}", team.id)).await?;
    Ok(flash::redirect("/beheer", Flash::named("flash.team_created", &name)))
}

/// A team name as typed: spaces folded; `None` when empty, too long or identifying.
fn team_name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_TEAM_NAME
        && crate::guard::check_text("name", &name).is_ok();
    ok.then_some(name)
}

/// `POST /admin/teams/{id}/name`: renames a team of the organisation. Audited.
async fn rename(
    admin: Allowed<ManagePeople>,
    Path(team_id): Path<i64>,
    Form(f): Form<TeamForm>,
) -> Result<Response, AppError> {
    let (state, user) = (&admin.state, &admin.user);
    let Some(name) = team_name(&f.name) else {
        return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.team_name"));
    };
    match state.store.rename_team(user.user.organisation_id, team_id, &name).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => {
            return Ok(admin.message(StatusCode::NOT_FOUND, "admin.error.unknown_team"))
        }
        Err(StoreError::AlreadyExists(_)) => {
            return Ok(admin.message(StatusCode::CONFLICT, "admin.error.team_exists"))
        }
        Err(e) => return Err(e.into()),
    }
    admin.audit(action::TEAM_RENAMED, format!("team:{team_id}")).await?;
    Ok(flash::redirect("/beheer", Flash::named("flash.team_renamed", &name)))
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    team: String,
}

async fn add_member(
    admin: Allowed<ManagePeople>,
    Path(user_id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    let (state, user) = (&admin.state, &admin.user);
    let org = user.user.organisation_id;
    let teams = state.store.teams_of_organisation(org).await?;
    let Some(team) = f.team.trim().parse::<i64>().ok().and_then(|id| teams.into_iter().find(|t| t.id == id))
    else {
        return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.unknown_team"));
    };
    // Only people of the admin's own organisation.
    let people = state.store.users_of_organisation(org).await?;
    if !people.iter().any(|p| p.id == user_id) {
        return Ok(admin.message(StatusCode::NOT_FOUND, "admin.error.no_such_user"));
    }
    match state.store.add_team_member(team.id, user_id, now_ms()).await {
        Ok(()) | Err(StoreError::AlreadyExists(_)) => {}
        Err(e) => return Err(e.into()),
    }
    admin.audit(action::TEAM_MEMBER_ADDED, format!("team:{} user:{user_id}", team.id)).await?;
    let person = people.iter().find(|p| p.id == user_id).map(|p| p.display_name.clone()).unwrap_or_default();
    Ok(flash::redirect("/beheer", Flash::named("flash.member_added", &format!("{person} → {}", team.name))))
}
