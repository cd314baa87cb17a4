//! `GET /inloggen` (the form) and `POST /inloggen` (check, throttle, start a session), and
//! `POST /uitloggen`.
//!
//! Failures are counted per account and per address in the store (so the limits hold across
//! server processes). Per account they slow further attempts down (a growing delay, never a
//! lock: `beraad_domain::accounts::throttle`); per address, past the limit, an attempt is
//! refused with 429 before its password is checked. An unknown address costs as much time as a
//! wrong password (a dummy hash is checked) and gets the same message, so the form does not tell
//! who has an account.
//!
//! What was typed as the address is never stored for a failure (people type their password
//! into the wrong field): failures and their audit entries keep [`account_key`] of it.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::context::AuthContext;
use super::page_request::PageRequest;
use super::{cookie, pages, web_session, CurrentUser};
use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::domain::accounts::next_path::safe_next;
use crate::domain::accounts::throttle::{self, RecentFailures, Verdict};
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;
use crate::http::{AppError, PageLang};
use crate::i18n::Lang;
use crate::live::SignedOut;
use crate::passwords;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/inloggen", Public, form),
        Route::post("/inloggen", Public, sign_in),
        Route::post("/uitloggen", Public, sign_out),
    ]
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn form(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: Option<CurrentUser>,
    Query(q): Query<NextQuery>,
) -> Response {
    page(&state, lang, StatusCode::OK, user.as_ref(), &q.next, "", None)
}

/// The sign-in page: the organisation's account (single sign-on, when configured) and the
/// password form (unless switched off), with `error` (a locale key) above them.
pub(super) fn page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    user: Option<&CurrentUser>,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let next = safe_next(next).unwrap_or("");
    let oidc_href = match next {
        "" => "/inloggen/oidc".to_owned(),
        next => format!(
            "/inloggen/oidc?{}",
            url::form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish()
        ),
    };
    pages::render(
        state,
        lang,
        status,
        "sign_in.html",
        user,
        minijinja::context! {
            next => next,
            email => email,
            error => error,
            password => state.config.sign_in.password,
            oidc => state.oidc.is_some(),
            oidc_href => oidc_href,
        },
    )
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn sign_in(request: PageRequest, Form(f): Form<SignInForm>) -> Result<Response, AppError> {
    let PageRequest { state, lang, ctx, user } = request;
    if !state.config.sign_in.password {
        let error = Some("auth.error.password_off");
        return Ok(page(&state, lang, StatusCode::FORBIDDEN, user.as_ref(), &f.next, "", error));
    }
    let account = f.email.trim().to_lowercase();
    let key = account_key(&account);
    let store = &state.store;
    let now = now_ms();
    let (by_account, by_address) =
        store.sign_in_failures_since(&key, &ctx.client, throttle::window_start(now)).await?;
    let entry = |actor: String, target: &str, result: &'static str| audit::Entry {
        actor,
        action: action::SIGN_IN,
        target: target.to_owned(),
        result,
        client: ctx.client.clone(),
    };
    let verdict = throttle::verdict(RecentFailures { account: by_account, address: by_address });
    if let Verdict::Delay(ms) = verdict {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    if verdict == Verdict::Refuse {
        crate::metrics::sign_in("throttled");
        audit::record(store.as_ref(), entry("anonymous".into(), &key, result::THROTTLED)).await?;
        let error = "auth.error.throttled";
        return Ok(page(
            &state,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            user.as_ref(),
            &f.next,
            &f.email,
            Some(error),
        ));
    }
    let found = store.user_by_email(&account).await?.filter(|u| u.disabled_at.is_none());
    let phc = found.as_ref().and_then(|u| u.password_hash.clone());
    let matches = passwords::verify(f.password, phc).await;
    let Some(found) = found.filter(|_| matches) else {
        crate::metrics::sign_in("failed");
        store.record_sign_in_failure(&key, &ctx.client, now).await?;
        audit::record(store.as_ref(), entry("anonymous".into(), &key, result::FAILED)).await?;
        let error = "auth.error.wrong_credentials";
        return Ok(page(
            &state,
            lang,
            StatusCode::UNAUTHORIZED,
            user.as_ref(),
            &f.next,
            &f.email,
            Some(error),
        ));
    };
    crate::metrics::sign_in("ok");
    store.clear_sign_in_failures(&key).await?;
    let set_cookie = web_session::start(&state, &ctx, &found).await?;
    let name = audit::user_actor(found.id);
    audit::record(store.as_ref(), entry(name.clone(), &name, result::OK)).await?;
    let to = safe_next(&f.next).unwrap_or("/");
    Ok(([(header::SET_COOKIE, set_cookie)], Redirect::to(to)).into_response())
}

/// What failures are counted and audited under: a SHA-256 of the typed address (lowercased),
/// never the typed text itself, which may be a password typed into the wrong field.
pub fn account_key(typed: &str) -> String {
    format!(
        "sha256:{}",
        crate::secrets::hash(&format!("beraad sign-in account\n{}", typed.trim().to_lowercase()))
    )
}

/// Ends the session (its row is deleted, its websockets are told to close) and clears the
/// cookie; a session begun at the OpenID provider goes on to the provider's logout.
async fn sign_out(State(state): State<Arc<AppState>>, ctx: AuthContext) -> Result<Response, AppError> {
    let mut to = "/".to_owned();
    if let Some(s) = &ctx.signed_in {
        to = super::oidc::after_sign_out(&state, &s.session.id_hash).await;
        state.store.delete_web_session(&s.session.id_hash).await?;
        state
            .sign_outs
            .close_user_sockets(SignedOut { user_id: s.user.id, session_id_hash: s.session.id_hash.clone() });
        audit::record(
            state.store.as_ref(),
            audit::Entry {
                actor: audit::user_actor(s.user.id),
                action: action::SIGN_OUT,
                target: String::new(),
                result: result::OK,
                client: ctx.client.clone(),
            },
        )
        .await?;
    }
    Ok(([(header::SET_COOKIE, cookie::clear(&state.config.base_url))], Redirect::to(&to)).into_response())
}
