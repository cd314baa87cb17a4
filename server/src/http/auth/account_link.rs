//! What the two one-time account links share (`/uitnodiging/{token}` in `invite_accept.rs`,
//! `/instellen/{token}` in `setup.rs`): the link's token, still valid or the page that says the
//! link no longer works, and signing the account in once the link is used.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::context::AuthContext;
use super::invite_accept::Invite;
use super::page_request::PageRequest;
use super::setup::Setup;
use super::{pages, web_session, CurrentUser};
use crate::app::AppState;
use crate::audit::{self, result};
use crate::clock::now_ms;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;
use crate::http::AppError;
use crate::i18n::Lang;
use crate::secrets;
use crate::store::{AccountToken, AccountTokenKind, User};

/// Both links: the form (`GET`) and what it sends (`POST`).
pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::get("/instellen/{token}", Public, form::<Setup>),
        Route::post("/instellen/{token}", Public, super::setup::submit),
        Route::get("/uitnodiging/{token}", Public, form::<Invite>),
        Route::post("/uitnodiging/{token}", Public, super::invite_accept::accept),
    ]
}

/// A kind of link and the form its page shows while the link is valid.
pub(super) trait LinkForm {
    const KIND: AccountTokenKind;
    /// The form's page.
    const TEMPLATE: &'static str;
    /// What the page shows of a valid link.
    fn context(
        state: &AppState,
        link: AccountToken,
    ) -> impl std::future::Future<Output = Result<minijinja::Value, AppError>> + Send;
}

/// A request to a link: what every sign-in page takes, and the link's token as its hash (the
/// only form the store knows).
pub(super) struct LinkRequest {
    pub page: PageRequest,
    pub token_hash: String,
}

impl FromRequestParts<Arc<AppState>> for LinkRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let Path(token) =
            Path::<String>::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let Ok(page) = PageRequest::from_request_parts(parts, state).await;
        Ok(Self { page, token_hash: secrets::hash(&token) })
    }
}

/// `GET` of a link: its form, or the 410 page.
async fn form<F: LinkForm>(link: LinkRequest) -> Result<Response, AppError> {
    let LinkRequest { page: PageRequest { state, lang, user, .. }, token_hash } = link;
    Ok(match valid_link(&state, lang, user.as_ref(), &token_hash, F::KIND).await? {
        Ok(link) => {
            let context = F::context(&state, link).await?;
            pages::render(&state, lang, StatusCode::OK, F::TEMPLATE, user.as_ref(), context)
        }
        Err(invalid) => invalid,
    })
}

/// The account token behind a link (by its hash) while it is valid; else the 410 page.
pub(super) async fn valid_link(
    state: &AppState,
    lang: Lang,
    user: Option<&CurrentUser>,
    token_hash: &str,
    kind: AccountTokenKind,
) -> Result<Result<AccountToken, Response>, AppError> {
    match state.store.account_token(token_hash, kind, now_ms()).await? {
        Some(found) => Ok(Ok(found)),
        None => Ok(Err(link_invalid(state, lang, user))),
    }
}

/// 410: the link is unknown, used or expired (the page does not say which).
pub(super) fn link_invalid(state: &AppState, lang: Lang, user: Option<&CurrentUser>) -> Response {
    pages::message(state, lang, StatusCode::GONE, "auth.link_invalid", user)
}

/// Once a link is used: the audit entry, a web session for `account`, and on to `to`.
pub(super) async fn sign_in_after(
    state: &AppState,
    ctx: &AuthContext,
    account: &User,
    (action, target): (&'static str, String),
    to: &str,
) -> Result<Response, AppError> {
    let entry = audit::Entry {
        actor: audit::user_actor(account.id),
        action,
        target,
        result: result::OK,
        client: ctx.client.clone(),
    };
    audit::record(state.store.as_ref(), entry).await?;
    let set_cookie = web_session::start(state, ctx, account).await?;
    Ok(([(header::SET_COOKIE, set_cookie)], Redirect::to(to)).into_response())
}
