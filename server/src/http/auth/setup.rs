//! `/instellen/{token}`: the one-time set-up link printed by `beraad admin create
//! --setup-link`, where the first admin chooses a password and is signed in.

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
use crate::store::AccountTokenKind;
use crate::{passwords, secrets};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/instellen/{token}", get(form).post(submit))
}

async fn form(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: Option<CurrentUser>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found = state.store.account_token(&secrets::hash(&token), AccountTokenKind::Setup, now_ms()).await?;
    if found.is_none() {
        return Ok(pages::message(&state, lang, StatusCode::GONE, "auth.link_invalid", user.as_ref()));
    }
    Ok(pages::render(
        &state,
        lang,
        StatusCode::OK,
        "setup.html",
        user.as_ref(),
        minijinja::context! { error => () },
    ))
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    password: String,
}

async fn submit(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: Option<CurrentUser>,
    Path(token): Path<String>,
    Form(f): Form<SetupForm>,
) -> Result<Response, AppError> {
    if let Err(problem) = password_rule::check(&f.password) {
        let error = format!("auth.error.{}", problem.code());
        let ctx = minijinja::context! { error => error };
        return Ok(pages::render(
            &state,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            "setup.html",
            user.as_ref(),
            ctx,
        ));
    }
    let phc = passwords::hash(f.password).await;
    let Some(admin) = state.store.complete_setup(&secrets::hash(&token), &phc, now_ms()).await? else {
        return Ok(pages::message(&state, lang, StatusCode::GONE, "auth.link_invalid", user.as_ref()));
    };
    audit::record(
        state.store.as_ref(),
        audit::Entry {
            actor: audit::user_actor(admin.id),
            action: action::SETUP_COMPLETED,
            target: audit::user_actor(admin.id),
            result: result::OK,
            client: ctx.client.clone(),
        },
    )
    .await?;
    let set_cookie = web_session::start(&state, &ctx, &admin).await?;
    Ok(([(header::SET_COOKIE, set_cookie)], Redirect::to("/beheer")).into_response())
}
