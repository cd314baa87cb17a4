//! `GET /beheer`: the organisation's people and pending invites; `POST /admin/invites` makes an
//! invite link (a random token of 256 bits, stored hashed, valid 7 days, single use);
//! `POST /admin/users/{id}/role` changes a role. Both are audited.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::http::auth::{pages, AuthContext, CurrentUser};
use crate::http::{AppError, PageLang};
use crate::i18n::Lang;
use crate::secrets;
use crate::store::{AccountTokenKind, NewAccountToken, StoreError, UserRole};

/// How long an invite link is valid.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/beheer", get(overview))
        .route("/admin/invites", post(invite))
        .route("/admin/users/{id}/role", post(change_role))
        .route("/admin/users/{id}/erase", post(erase))
}

const ROLES: [UserRole; 4] =
    [UserRole::Admin, UserRole::Moderator, UserRole::Member, UserRole::ArchiveReader];

/// Synonym groups as an admin typed them, with what is wrong with them.
pub(super) struct SynonymsTyped {
    pub text: String,
    pub problems: Vec<String>,
}

/// The overview with the synonyms field as typed and its problems.
pub(super) async fn render_with(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    typed: Option<SynonymsTyped>,
) -> Result<Response, AppError> {
    render_page(state, lang, user, status, None, None, typed).await
}

/// The overview, with an optional notice (`error`) or a new invite link (`link`).
async fn render(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    error: Option<&str>,
    link: Option<&str>,
) -> Result<Response, AppError> {
    render_page(state, lang, user, status, error, link, None).await
}

async fn render_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    status: StatusCode,
    error: Option<&str>,
    link: Option<&str>,
    typed: Option<SynonymsTyped>,
) -> Result<Response, AppError> {
    let org = user.user.organisation_id;
    let teams = state.store.teams_of_organisation(org).await?;
    let team_name = |id: Option<i64>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id)).map(|t| t.name.clone()).unwrap_or_default()
    };
    let mut users = Vec::new();
    for u in state.store.users_of_organisation(org).await? {
        let own: Vec<String> = state.store.teams_of_user(u.id).await?.into_iter().map(|t| t.name).collect();
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
        });
    }
    let invites: Vec<_> = state
        .store
        .pending_invites(org, now_ms())
        .await?
        .into_iter()
        .map(|i| {
            minijinja::context! {
                email => i.email,
                role => i.role.as_str(),
                team => team_name(i.team_id),
                expires_at => crate::domain::local_time::minute_of(i.expires_at),
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
    let settings = state.store.organisation(org).await?.map(|o| o.settings).unwrap_or_default();
    let retention_days = crate::domain::retention::days_of(&settings);
    let retention_min = crate::domain::retention::MIN_DAYS;
    let retention_max = crate::domain::retention::MAX_DAYS;
    let ctx = minijinja::context! {
        users, invites, teams, roles, error, link, archive_readers, synonyms, synonym_problems,
        retention_days, retention_min, retention_max
    };
    Ok(pages::render(state, lang, status, "admin.html", Some(user), ctx))
}

fn forbidden(state: &AppState, lang: Lang, user: &CurrentUser) -> Response {
    pages::message(state, lang, StatusCode::FORBIDDEN, "auth.error.forbidden", Some(user))
}

async fn overview(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(forbidden(&state, lang, &user));
    }
    render(&state, lang, &user, StatusCode::OK, None, None).await
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

/// Roughly an e-mail address: something@domain, no spaces, not absurdly long.
fn plausible_email(email: &str) -> bool {
    email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

async fn invite(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Form(f): Form<InviteForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(forbidden(&state, lang, &user));
    }
    let email = f.email.trim().to_lowercase();
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    if !plausible_email(&email) {
        return render(&state, lang, &user, bad, Some("admin.error.email"), None).await;
    }
    let Some(role) = UserRole::parse(&f.role) else {
        return render(&state, lang, &user, bad, Some("admin.error.role"), None).await;
    };
    let org = user.user.organisation_id;
    let team_id = match f.team.trim() {
        "" => None,
        raw => {
            let teams = state.store.teams_of_organisation(org).await?;
            match raw.parse::<i64>().ok().filter(|id| teams.iter().any(|t| t.id == *id)) {
                Some(id) => Some(id),
                None => return render(&state, lang, &user, bad, Some("admin.error.team"), None).await,
            }
        }
    };
    if state.store.user_by_email(&email).await?.is_some() {
        return render(&state, lang, &user, StatusCode::CONFLICT, Some("admin.error.exists"), None).await;
    }
    let token = secrets::new_token();
    let token_hash = secrets::hash(&token);
    let now = now_ms();
    state
        .store
        .create_account_token(&NewAccountToken {
            token_hash: token_hash.clone(),
            kind: AccountTokenKind::Invite,
            organisation_id: org,
            user_id: None,
            email: Some(email.clone()),
            role: Some(role),
            team_id,
            created_by: Some(user.user.id),
            now_ms: now,
            expires_at_ms: now + INVITE_TTL_MS,
        })
        .await?;
    audit::record(
        state.store.as_ref(),
        audit::Entry {
            actor: user.actor(),
            action: action::INVITE_CREATED,
            target: format!("{} role={}", audit::invite_ref(&token_hash), role.as_str()),
            result: result::OK,
            client: ctx.client.clone(),
        },
    )
    .await?;
    let link = state
        .config
        .base_url
        .join(&format!("uitnodiging/{token}"))
        .map(|u| u.to_string())
        .unwrap_or_default();
    render(&state, lang, &user, StatusCode::CREATED, None, Some(&link)).await
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn change_role(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(target_id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(forbidden(&state, lang, &user));
    }
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(role) = UserRole::parse(&f.role) else {
        return render(&state, lang, &user, bad, Some("admin.error.role"), None).await;
    };
    // An admin cannot demote themselves: the organisation would risk having no admin left.
    if target_id == user.user.id {
        return render(&state, lang, &user, bad, Some("admin.error.own_role"), None).await;
    }
    let outcome = state.store.set_user_role(user.user.organisation_id, target_id, role).await;
    let result = match &outcome {
        Ok(()) => result::OK,
        Err(StoreError::NotFound(_)) => result::FAILED,
        Err(_) => result::FAILED,
    };
    audit::record(
        state.store.as_ref(),
        audit::Entry {
            actor: user.actor(),
            action: action::ROLE_CHANGED,
            target: format!("{} role={}", audit::user_actor(target_id), role.as_str()),
            result,
            client: ctx.client.clone(),
        },
    )
    .await?;
    match outcome {
        Ok(()) => render(&state, lang, &user, StatusCode::OK, None, None).await,
        Err(StoreError::NotFound(_)) => {
            render(&state, lang, &user, StatusCode::NOT_FOUND, Some("admin.error.no_user"), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct EraseForm {
    /// `erase` once the admin confirmed in the dialog (web/static/js/admin.js).
    #[serde(default)]
    confirm: String,
}

/// Erases an account of the admin's organisation (docs/privacy.md), after the confirm dialog.
/// An admin cannot erase themselves (the organisation could be left without an admin).
async fn erase(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Path(target_id): Path<i64>,
    Form(f): Form<EraseForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManagePeople) {
        return Ok(forbidden(&state, lang, &user));
    }
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    if target_id == user.user.id {
        return render(&state, lang, &user, bad, Some("admin.error.erase_self"), None).await;
    }
    if f.confirm != "erase" {
        return render(&state, lang, &user, bad, Some("admin.error.erase_unconfirmed"), None).await;
    }
    let in_org =
        state.store.user(target_id).await?.filter(|u| u.organisation_id == user.user.organisation_id);
    let erased = match in_org {
        Some(_) => {
            crate::privacy::erasure::erase(state.store.as_ref(), target_id, user.actor(), ctx.client.clone())
                .await?
        }
        None => None,
    };
    match erased {
        Some(_) => render(&state, lang, &user, StatusCode::OK, None, None).await,
        None => render(&state, lang, &user, StatusCode::NOT_FOUND, Some("admin.error.no_user"), None).await,
    }
}
