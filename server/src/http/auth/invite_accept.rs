//! `/uitnodiging/{token}`: an invited person chooses a display name and a password; the
//! account is made (with the invite's role and team), the invite used up, and they are signed in.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::context::AuthContext;
use super::{pages, web_session, CurrentUser};
use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::domain::accounts::password_rule;
use crate::http::{AppError, PageLang};
use crate::i18n::Lang;
use crate::store::{AccountTokenKind, StoreError};
use crate::{guard, passwords, secrets};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/uitnodiging/{token}", get(form).post(accept))
}

/// The longest display name: the same as in a live session, where the account's name is used.
use crate::domain::session::MAX_DISPLAY_NAME as MAX_NAME_CHARS;

async fn form(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: Option<CurrentUser>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found = state.store.account_token(&secrets::hash(&token), AccountTokenKind::Invite, now_ms()).await?;
    let Some(invite) = found else {
        return Ok(pages::message(&state, lang, StatusCode::GONE, "auth.link_invalid", user.as_ref()));
    };
    let email = invite.email.unwrap_or_default();
    Ok(page(&state, lang, StatusCode::OK, user.as_ref(), &email, "", None))
}

fn page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    user: Option<&CurrentUser>,
    email: &str,
    name: &str,
    error: Option<&str>,
) -> Response {
    let ctx = minijinja::context! { email => email, name => name, error => error };
    pages::render(state, lang, status, "invite_accept.html", user, ctx)
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

async fn accept(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: Option<CurrentUser>,
    Path(token): Path<String>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let token_hash = secrets::hash(&token);
    let Some(invite) = state.store.account_token(&token_hash, AccountTokenKind::Invite, now_ms()).await?
    else {
        return Ok(pages::message(&state, lang, StatusCode::GONE, "auth.link_invalid", user.as_ref()));
    };
    let email = invite.email.unwrap_or_default();
    let name = f.name.trim();
    let refuse = |key: &str| {
        page(&state, lang, StatusCode::UNPROCESSABLE_ENTITY, user.as_ref(), &email, name, Some(key))
    };
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Ok(refuse("auth.error.name_required"));
    }
    if guard::check_text("name", name).is_err() {
        return Ok(refuse("auth.error.name_identifying"));
    }
    if let Err(problem) = password_rule::check(&f.password) {
        return Ok(refuse(&format!("auth.error.{}", problem.code())));
    }
    let phc = passwords::hash(f.password).await;
    let created = match state.store.accept_invite(&token_hash, name, &phc, now_ms()).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            return Ok(pages::message(&state, lang, StatusCode::GONE, "auth.link_invalid", user.as_ref()))
        }
        Err(StoreError::AlreadyExists(_)) => {
            return Ok(page(
                &state,
                lang,
                StatusCode::CONFLICT,
                user.as_ref(),
                &email,
                name,
                Some("auth.error.account_exists"),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        state.store.as_ref(),
        audit::Entry {
            actor: audit::user_actor(created.id),
            action: action::INVITE_ACCEPTED,
            target: audit::invite_ref(&token_hash),
            result: result::OK,
            client: ctx.client.clone(),
        },
    )
    .await?;
    let set_cookie = web_session::start(&state, &ctx, &created).await?;
    Ok(([(header::SET_COOKIE, set_cookie)], Redirect::to("/")).into_response())
}
