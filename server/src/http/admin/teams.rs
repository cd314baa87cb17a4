//! `POST /admin/teams` (a new team), `POST /admin/users/{id}/teams` (someone joins a team),
//! `POST /admin/users/{id}/teams/remove` (someone leaves one) and `POST /admin/teams/{id}/name`:
//! how an organisation gets the teams its sessions belong to. Needs `ManagePeople` (the route
//! table); the rules and audit entries are `ops.rs`'s (shared with the admin API). Answers with
//! a redirect to `/beheer`, or a message saying what is wrong.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use super::ops::{self, Admin, Refused};
use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::domain::access::Action;
use crate::http::auth::{pages, AuthContext, CurrentUser};
use crate::http::flash::{self, Flash};
use crate::http::{AppError, PageLang};
use crate::i18n::Lang;
use crate::store::StoreError;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin/teams", post(create))
        .route("/admin/teams/{id}/name", post(rename))
        .route("/admin/users/{id}/teams", post(membership::<true>))
        .route("/admin/users/{id}/teams/remove", post(membership::<false>))
}

#[derive(Deserialize)]
struct TeamForm {
    #[serde(default)]
    name: String,
}

fn refuse(state: &AppState, lang: Lang, user: &CurrentUser, status: StatusCode, key: &str) -> Response {
    pages::message(state, lang, status, key, Some(user))
}

/// The message page of a refused operation.
fn refused(state: &AppState, lang: Lang, user: &CurrentUser, r: Refused) -> Response {
    refuse(state, lang, user, r.status, r.key)
}

async fn create(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Form(f): Form<TeamForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(refuse(&state, lang, &user, StatusCode::FORBIDDEN, "auth.error.forbidden"));
    }
    let admin = Admin { user: &user.user, client: &ctx.client };
    Ok(match ops::create_team(&state, &admin, &f.name).await? {
        Ok(team) => flash::redirect("/beheer", Flash::named("flash.team_created", &team.name)),
        Err(r) => refused(&state, lang, &user, r),
    })
}

/// `POST /admin/teams/{id}/name`: renames a team of the organisation. Audited.
async fn rename(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(team_id): Path<i64>,
    Form(f): Form<TeamForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(refuse(&state, lang, &user, StatusCode::FORBIDDEN, "auth.error.forbidden"));
    }
    let Some(name) = ops::team_name(&f.name) else {
        return Ok(refuse(&state, lang, &user, StatusCode::UNPROCESSABLE_ENTITY, "admin.error.team_name"));
    };
    match state.store.rename_team(user.user.organisation_id, team_id, &name).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => {
            return Ok(refuse(&state, lang, &user, StatusCode::NOT_FOUND, "admin.error.unknown_team"))
        }
        Err(StoreError::AlreadyExists(_)) => {
            return Ok(refuse(&state, lang, &user, StatusCode::CONFLICT, "admin.error.team_exists"))
        }
        Err(e) => return Err(e.into()),
    }
    let entry = audit::Entry {
        actor: user.actor(),
        action: action::TEAM_RENAMED,
        target: format!("team:{team_id}"),
        result: result::OK,
        client: ctx.client.clone(),
    };
    audit::record(state.store.as_ref(), entry).await?;
    Ok(flash::redirect("/beheer", Flash::named("flash.team_renamed", &name)))
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    team: String,
}

/// `POST /admin/users/{id}/teams` (`JOIN`) and `…/teams/remove`: someone joins or leaves the
/// team of the form (`ops::set_membership`).
async fn membership<const JOIN: bool>(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(user_id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(refuse(&state, lang, &user, StatusCode::FORBIDDEN, "auth.error.forbidden"));
    }
    let admin = Admin { user: &user.user, client: &ctx.client };
    let team = f.team.trim().parse::<i64>().ok();
    let key = if JOIN { "flash.member_added" } else { "flash.member_removed" };
    Ok(match ops::set_membership(&state, &admin, team, user_id, JOIN).await? {
        Ok((team, person)) => {
            flash::redirect("/beheer", Flash::named(key, &format!("{} → {}", person.display_name, team.name)))
        }
        Err(r) => refused(&state, lang, &user, r),
    })
}
