//! `/uitnodiging/{token}`: an invited person chooses a display name and a password; the
//! account is made (with the invite's role and team), the invite used up, and they are signed in.

use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::account_link::{link_invalid, sign_in_after, valid_link, LinkForm, LinkRequest};
use super::page_request::PageRequest;
use super::{pages, CurrentUser};
use crate::app::AppState;
use crate::audit::{self, action};
use crate::clock::now_ms;
use crate::domain::accounts::password_rule;
use crate::http::AppError;
use crate::i18n::Lang;
use crate::store::{Acceptance, AccountToken, AccountTokenKind, StoreError};
use crate::{guard, passwords};

/// The longest display name: the same as in a live session, where the account's name is used.
use crate::domain::session::MAX_DISPLAY_NAME as MAX_NAME_CHARS;

/// The invite's form: the address it was sent to, a name and a password to choose, and what
/// the invite is for.
pub(super) struct Invite;

impl LinkForm for Invite {
    const KIND: AccountTokenKind = AccountTokenKind::Invite;
    const TEMPLATE: &'static str = "invite_accept.html";

    async fn context(state: &AppState, invite: AccountToken) -> Result<minijinja::Value, AppError> {
        let about = about_invite(state, &invite).await?;
        Ok(fields(&invite.email.unwrap_or_default(), "", None, about))
    }
}

/// The form's fields: the invited address, the name as typed, a problem, what the invite is.
fn fields(email: &str, name: &str, error: Option<&str>, about: minijinja::Value) -> minijinja::Value {
    minijinja::context! { email => email, name => name, error => error, about => about }
}

/// What the invite page says of the invite: the organisation, team, role and who invited.
async fn about_invite(
    state: &AppState,
    invite: &crate::store::AccountToken,
) -> Result<minijinja::Value, AppError> {
    let team = match invite.team_id {
        Some(id) => state.store.team(id).await?.map(|t| t.name),
        None => None,
    };
    let inviter = match invite.created_by {
        Some(id) => state.store.user(id).await?.map(|u| u.display_name),
        None => None,
    };
    let organisation = state.store.organisation(invite.organisation_id).await?.map(|o| o.name);
    Ok(minijinja::context! {
        team => team,
        role => invite.role.map(|r| r.as_str()),
        inviter => inviter,
        organisation => organisation,
    })
}

#[allow(clippy::too_many_arguments)]
fn page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    user: Option<&CurrentUser>,
    email: &str,
    name: &str,
    error: Option<&str>,
    about: minijinja::Value,
) -> Response {
    pages::render(state, lang, status, Invite::TEMPLATE, user, fields(email, name, error, about))
}

#[derive(Deserialize)]
pub(super) struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn accept(link: LinkRequest, Form(f): Form<AcceptForm>) -> Result<Response, AppError> {
    let LinkRequest { page: PageRequest { state, lang, ctx, user }, token_hash } = link;
    let invite = match valid_link(&state, lang, user.as_ref(), &token_hash, AccountTokenKind::Invite).await? {
        Ok(invite) => invite,
        Err(invalid) => return Ok(invalid),
    };
    let about = about_invite(&state, &invite).await?;
    let email = invite.email.unwrap_or_default();
    let name = f.name.trim();
    let refuse = |key: &str| {
        page(
            &state,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            user.as_ref(),
            &email,
            name,
            Some(key),
            about.clone(),
        )
    };
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Ok(refuse("auth.error.name_required"));
    }
    let Ok(screened_name) = guard::screen_text("name", name.to_owned()) else {
        return Ok(refuse("auth.error.name_identifying"));
    };
    if let Err(problem) = password_rule::check(&f.password) {
        return Ok(refuse(&format!("auth.error.{}", problem.code())));
    }
    let phc = passwords::hash(f.password).await;
    let acceptance =
        Acceptance { token_hash: &token_hash, display_name: &screened_name, password_hash: &phc };
    let created = match state.store.accept_invite(&acceptance, now_ms()).await {
        Ok(Some(u)) => u,
        Ok(None) => return Ok(link_invalid(&state, lang, user.as_ref())),
        Err(StoreError::AlreadyExists(_)) => {
            return Ok(page(
                &state,
                lang,
                StatusCode::CONFLICT,
                user.as_ref(),
                &email,
                name,
                Some("auth.error.account_exists"),
                about,
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let audited = (action::INVITE_ACCEPTED, audit::invite_ref(&token_hash));
    sign_in_after(&state, &ctx, &created, audited, "/").await
}
