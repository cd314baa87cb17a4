//! `POST /admin/teams` (a new team), `POST /admin/users/{id}/teams` (someone joins a team),
//! `POST /admin/users/{id}/teams/remove` (someone leaves one) and `POST /admin/teams/{id}/name`:
//! how an organisation gets the teams its sessions belong to. Needs `ManagePeople` (the route
//! table); the rules and audit entries are `ops.rs`'s (shared with the admin API). Answers with
//! a redirect to `/beheer`, or a message saying what is wrong.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::ops::{self, Refused};
use crate::audit::action;
use crate::domain::access::Action;
use crate::http::auth::{Allowed, ManagePeople};
use crate::http::authz::Rule::SignedIn;
use crate::http::flash::{self, Flash};
use crate::http::routes::Route;
use crate::http::AppError;
use crate::store::StoreError;

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/admin/teams", SignedIn(Action::ManagePeople), create),
        Route::post("/admin/teams/{id}/name", SignedIn(Action::ManagePeople), rename),
        Route::post("/admin/users/{id}/teams", SignedIn(Action::ManagePeople), membership::<true>),
        Route::post("/admin/users/{id}/teams/remove", SignedIn(Action::ManagePeople), membership::<false>),
    ]
}

#[derive(Deserialize)]
struct TeamForm {
    #[serde(default)]
    name: String,
}

async fn create(admin: Allowed<ManagePeople>, Form(f): Form<TeamForm>) -> Result<Response, AppError> {
    let actor = admin.actor();
    Ok(match ops::create_team(&admin.state, &actor, &f.name).await? {
        Ok(team) => flash::redirect("/beheer", Flash::named("flash.team_created", &team.name)),
        Err(r) => refused(&admin, r),
    })
}

/// The message page of a refused operation.
fn refused(admin: &Allowed<ManagePeople>, r: Refused) -> Response {
    admin.message(r.status, r.key)
}

/// `POST /admin/teams/{id}/name`: renames a team of the organisation. Audited.
async fn rename(
    admin: Allowed<ManagePeople>,
    Path(team_id): Path<i64>,
    Form(f): Form<TeamForm>,
) -> Result<Response, AppError> {
    let (state, user) = (&admin.state, &admin.user);
    let name = ops::team_name(&f.name).and_then(|name| crate::guard::screen_text("name", name).ok());
    let Some(name) = name else {
        return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.team_rename"));
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
    Ok(flash::redirect("/beheer", Flash::named("flash.team_renamed", name.as_str())))
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    team: String,
}

/// `POST /admin/users/{id}/teams` (`JOIN`) and `…/teams/remove`: someone joins or leaves the
/// team of the form (`ops::set_membership`).
async fn membership<const JOIN: bool>(
    admin: Allowed<ManagePeople>,
    Path(user_id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    let actor = admin.actor();
    let team = f.team.trim().parse::<i64>().ok();
    let key = if JOIN { "flash.member_added" } else { "flash.member_removed" };
    Ok(match ops::set_membership(&admin.state, &actor, team, user_id, JOIN).await? {
        Ok((team, person)) => {
            flash::redirect("/beheer", Flash::named(key, &format!("{} → {}", person.display_name, team.name)))
        }
        Err(r) => refused(&admin, r),
    })
}
