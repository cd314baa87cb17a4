//! `GET /beheer`: the organisation's people and pending invites; `POST /admin/invites` makes an
//! invite link (a random token of 256 bits, stored hashed, valid 7 days, single use);
//! `POST /admin/users/{id}/role` changes a role. Both are audited.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::ops;
use crate::app::AppState;
use crate::audit::{self, action};
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::http::auth::{pages, Allowed, CurrentUser, ManagePeople};
use crate::http::authz::Rule::SignedIn;
use crate::http::flash::{self, Flash};
use crate::http::routes::Route;
use crate::http::AppError;
use crate::i18n::Lang;
use crate::store::{StoreError, UserRole};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/beheer", SignedIn(Action::ManagePeople), overview),
        Route::post("/admin/invites", SignedIn(Action::ManagePeople), invite),
        Route::post("/admin/users/{id}/role", SignedIn(Action::ManagePeople), change_role),
        Route::post("/admin/users/{id}/name", SignedIn(Action::ManagePeople), rename),
        Route::post("/admin/invites/revoke", SignedIn(Action::ManagePeople), revoke_invite),
        Route::post("/admin/users/{id}/erase", SignedIn(Action::ManagePeople), erase),
    ]
}

const ROLES: [UserRole; 4] =
    [UserRole::Admin, UserRole::Moderator, UserRole::Member, UserRole::ArchiveReader];

/// Synonym groups as an admin typed them, with what is wrong with them.
pub(super) struct SynonymsTyped {
    pub text: String,
    pub problems: Vec<String>,
}

/// Longest display name (as at accepting an invite).
use crate::domain::session::MAX_DISPLAY_NAME;

/// What the overview shows besides the organisation: a notice (`error`), a new invite link
/// (`link`), the synonyms field as typed with its problems, or a one-time notice.
#[derive(Default)]
pub(super) struct Shown<'a> {
    pub error: Option<&'a str>,
    pub link: Option<&'a str>,
    pub typed: Option<SynonymsTyped>,
    /// A one-time message after a redirect (see `flash.rs`).
    pub notice: Option<Flash>,
}

impl<'a> Shown<'a> {
    fn error(key: &'a str) -> Self {
        Shown { error: Some(key), ..Shown::default() }
    }
}

/// The overview of the organisation's people, invites, teams and settings.
pub(super) async fn render(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    shown: Shown<'_>,
) -> Result<Response, AppError> {
    let Shown { error, link, typed, notice } = shown;
    let org = user.user.organisation_id;
    let teams = state.store.teams_of_organisation(org).await?;
    let team_name = |id: Option<i64>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id)).map(|t| t.name.clone()).unwrap_or_default()
    };
    let mut users = Vec::new();
    for u in state.store.users_of_organisation(org).await? {
        let own_teams = state.store.teams_of_user(u.id).await?;
        let team_ids: Vec<i64> = own_teams.iter().map(|t| t.id).collect();
        let own: Vec<String> = own_teams.into_iter().map(|t| t.name).collect();
        let erased = u.erased_at.is_some();
        users.push(minijinja::context! {
            id => u.id,
            email => if erased { String::new() } else { u.email },
            name => u.display_name,
            erased,
            role => u.role.as_str(),
            is_self => u.id == user.user.id,
            has_password => u.password_hash.is_some(),
            teams => own.join(", "),
            team_ids,
        });
    }
    let people = state.store.users_of_organisation(org).await?;
    let person = |id: Option<i64>| {
        id.and_then(|id| people.iter().find(|u| u.id == id))
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    };
    let invites: Vec<_> = state
        .store
        .pending_invites(org, now_ms())
        .await?
        .into_iter()
        .map(|i| {
            minijinja::context! {
                handle => i.token_hash,
                email => i.token.email,
                role => i.token.role.map(UserRole::as_str),
                team => team_name(i.token.team_id),
                invited_by => person(i.token.created_by),
                expires_at => crate::domain::local_time::minute_of(i.token.expires_at),
            }
        })
        .collect();
    let teams: Vec<_> =
        teams.iter().map(|t| minijinja::context! { id => t.id, name => t.name.clone() }).collect();
    let roles: Vec<&str> = ROLES.iter().map(|r| r.as_str()).collect();
    let archive_readers = crate::http::authz::archive_setting(state, org).await?;
    let archive_readers =
        serde_json::to_value(archive_readers).ok().and_then(|v| v.as_str().map(str::to_owned));
    let (synonyms, synonym_problems) = match typed {
        Some(t) => (t.text, t.problems),
        None => {
            let settings = state.store.organisation(org).await?.map(|o| o.settings).unwrap_or_default();
            (crate::search::groups_text(&settings), Vec::new())
        }
    };
    let four_eyes = crate::http::api::precedent_lifecycle::adoption_rule(state, org).await?
        == crate::domain::precedent::AdoptionRule::FourEyes;
    let notice = notice.map(|f| f.for_page(lang));
    let settings = state.store.organisation(org).await?.map(|o| o.settings).unwrap_or_default();
    let retention_days = crate::domain::retention::days_of(&settings);
    let retention_min = crate::domain::retention::MIN_DAYS;
    let retention_max = crate::domain::retention::MAX_DAYS;
    let api_tokens = super::api_tokens::listing(state, org).await?;
    let ctx = minijinja::context! {
        users, invites, teams, roles, error, link, archive_readers, synonyms, synonym_problems, four_eyes, notice,
        retention_days, retention_min, retention_max, api_tokens
    };
    Ok(pages::render(state, lang, status, "admin.html", Some(user), ctx))
}

async fn overview(admin: Allowed<ManagePeople>, headers: HeaderMap) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let (notice, clear) = flash::take(&headers);
    let page = render(state, lang, user, StatusCode::OK, Shown { notice, ..Shown::default() }).await?;
    Ok(flash::cleared(page, clear))
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    /// A team id, or empty for none.
    #[serde(default)]
    team: String,
}

/// `POST /admin/invites`: a new invite (`ops::invite`); its link is shown once.
async fn invite(admin: Allowed<ManagePeople>, Form(f): Form<InviteForm>) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let actor = admin.actor();
    match ops::invite(state, &actor, &f.email, &f.role, Some(&f.team)).await? {
        Ok(invited) => {
            // Redirect after the post (a reload makes no second invite); the link rides along once.
            let flash = Flash {
                key: "flash.invite_created".into(),
                name: Some(invited.email),
                link: Some(invited.link),
            };
            Ok(flash::redirect("/beheer#invite-link-title", flash))
        }
        Err(r) => render(state, lang, user, r.status, Shown::error(r.key)).await,
    }
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn change_role(
    admin: Allowed<ManagePeople>,
    Path(target_id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let actor = admin.actor();
    match ops::change_role(state, &actor, target_id, &f.role).await? {
        Ok(person) => {
            Ok(flash::redirect("/beheer", Flash::named("flash.role_changed", &person.display_name)))
        }
        Err(r) => render(state, lang, user, r.status, Shown::error(r.key)).await,
    }
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

/// `POST /admin/users/{id}/name`: changes someone's display name (as shown in sessions from
/// then on). Audited.
async fn rename(
    admin: Allowed<ManagePeople>,
    Path(target_id): Path<i64>,
    Form(f): Form<NameForm>,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let name = f.name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = (!name.is_empty() && name.chars().count() <= MAX_DISPLAY_NAME)
        .then_some(name)
        .and_then(|name| crate::guard::screen_text("name", name).ok());
    let Some(name) = name else {
        return render(state, lang, user, StatusCode::UNPROCESSABLE_ENTITY, Shown::error("admin.error.name"))
            .await;
    };
    match state.store.rename_user(user.user.organisation_id, target_id, &name).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => {
            return render(state, lang, user, StatusCode::NOT_FOUND, Shown::error("admin.error.no_user"))
                .await
        }
        Err(e) => return Err(e.into()),
    }
    admin.audit(action::USER_RENAMED, audit::user_actor(target_id)).await?;
    Ok(flash::redirect("/beheer", Flash::named("flash.user_renamed", name.as_str())))
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    invite: String,
}

/// `POST /admin/invites/revoke`: an open invite's link stops working (`ops::revoke_invite`).
async fn revoke_invite(
    admin: Allowed<ManagePeople>,
    Form(f): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let actor = admin.actor();
    match ops::revoke_invite(state, &actor, &f.invite).await? {
        Ok(invite) => Ok(flash::redirect(
            "/beheer",
            Flash::named("flash.invite_revoked", invite.token.email.as_deref().unwrap_or_default()),
        )),
        Err(r) => render(state, lang, user, r.status, Shown::error(r.key)).await,
    }
}

#[derive(Deserialize)]
struct EraseForm {
    /// `erase` once the admin confirmed in the dialog (web/static/js/confirm-forms.js).
    #[serde(default)]
    confirm: String,
}

/// Erases an account of the admin's organisation (docs/privacy.md), after the confirm dialog.
/// An admin cannot erase themselves (the organisation could be left without an admin).
async fn erase(
    admin: Allowed<ManagePeople>,
    Path(target_id): Path<i64>,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    if target_id == user.user.id {
        return render(state, lang, user, bad, Shown::error("admin.error.erase_self")).await;
    }
    if f.confirm != "erase" {
        return render(state, lang, user, bad, Shown::error("admin.error.erase_unconfirmed")).await;
    }
    let in_org =
        state.store.user(target_id).await?.filter(|u| u.organisation_id == user.user.organisation_id);
    let erased = match in_org {
        Some(_) => {
            crate::privacy::erasure::erase(
                state.store.as_ref(),
                target_id,
                user.actor(),
                admin.client.clone(),
            )
            .await?
        }
        None => None,
    };
    match erased {
        // Redirect after the post, as every admin form: a reload erases nothing again.
        Some(_) => Ok(flash::redirect(
            "/beheer",
            Flash { key: "flash.person_erased".into(), name: None, link: None },
        )),
        None => render(state, lang, user, StatusCode::NOT_FOUND, Shown::error("admin.error.no_user")).await,
    }
}
