//! `/instellen/{token}`: the one-time set-up link printed by `beraad admin create
//! --setup-link`, where the first admin chooses a password and is signed in.

use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::account_link::{link_invalid, sign_in_after, LinkForm, LinkRequest};
use super::page_request::PageRequest;
use super::pages;
use crate::app::AppState;
use crate::audit::{self, action};
use crate::clock::now_ms;
use crate::domain::accounts::password_rule;
use crate::http::AppError;
use crate::passwords;
use crate::store::{AccountToken, AccountTokenKind};

/// The set-up form: a password to choose.
pub(super) struct Setup;

impl LinkForm for Setup {
    const KIND: AccountTokenKind = AccountTokenKind::Setup;
    const TEMPLATE: &'static str = "setup.html";

    async fn context(_: &AppState, _: AccountToken) -> Result<minijinja::Value, AppError> {
        Ok(minijinja::context! { error => () })
    }
}

#[derive(Deserialize)]
pub(super) struct SetupForm {
    #[serde(default)]
    password: String,
}

pub(super) async fn submit(link: LinkRequest, Form(f): Form<SetupForm>) -> Result<Response, AppError> {
    let LinkRequest { page: PageRequest { state, lang, ctx, user }, token_hash } = link;
    if let Err(problem) = password_rule::check(&f.password) {
        let error = format!("auth.error.{}", problem.code());
        let ctx = minijinja::context! { error => error };
        return Ok(pages::render(
            &state,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            Setup::TEMPLATE,
            user.as_ref(),
            ctx,
        ));
    }
    let phc = passwords::hash(f.password).await;
    let Some(admin) = state.store.complete_setup(&token_hash, &phc, now_ms()).await? else {
        return Ok(link_invalid(&state, lang, user.as_ref()));
    };
    let audited = (action::SETUP_COMPLETED, audit::user_actor(admin.id));
    sign_in_after(&state, &ctx, &admin, audited, "/beheer").await
}
