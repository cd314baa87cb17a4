//! Single sign-on with an OpenID provider (docs/sso.md): `GET /inloggen/oidc` sends the
//! browser to the provider (authorisation code flow with PKCE, a nonce and a state), and
//! `GET /inloggen/oidc/terug` takes it back: the state once (stored hashed, for 10 minutes,
//! bound to the browser by a cookie), the code exchanged, the ID token validated
//! (`oidc_provider.rs`), the person found, linked or made (`oidc_people.rs`), and a web session
//! started. Sign-out ends it at the provider too when the provider offers a logout endpoint.
//!
//! Every failure answers the sign-in page with a message in the page's language, and is
//! audited (`sign_in`, failed, target `oidc:<code>`) and logged by its code; tokens, codes and
//! states are never written anywhere but the provider's answer.

use ::cookie::time::Duration;
use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    ClientId, CsrfToken, LanguageTag, LogoutRequest, Nonce, PkceCodeChallenge, PostLogoutRedirectUrl, Scope,
};
use serde::Deserialize;

use super::context::AuthContext;
use super::oidc_people::{self, Found};
use super::oidc_provider::Failure;
use super::page_request::PageRequest;
use super::{cookie, web_session, CurrentUser};
use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::domain::accounts::next_path::safe_next;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;
use crate::http::AppError;
use crate::i18n::Lang;
use crate::secrets;
use crate::store::NewOidcLogin;

/// How long a sign-in may take at the provider.
pub const LOGIN_TTL_MS: i64 = 10 * 60 * 1000;
/// The cookie binding a sign-in to the browser that began it.
const BINDING_SECURE: &str = "__Host-beraad_oidc";
const BINDING_PLAIN: &str = "beraad_oidc";
/// The longest `next` path kept with a sign-in, and the longest parameter taken back.
const MAX_NEXT: usize = 2000;
const MAX_PARAM: usize = 4096;

/// Single sign-on (docs/sso.md): to the provider and back.
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/inloggen/oidc", Public, begin),
        Route::get(super::oidc_provider::CALLBACK_PATH, Public, callback),
    ]
}

/// The 404 page: single sign-on is not configured.
fn not_configured(state: &AppState, lang: Lang, user: Option<&CurrentUser>) -> Response {
    super::pages::message(state, lang, StatusCode::NOT_FOUND, "error.not_found", user)
}

#[derive(Deserialize)]
struct BeginQuery {
    #[serde(default)]
    next: String,
}

/// Sends the browser to the provider.
async fn begin(request: PageRequest, Query(q): Query<BeginQuery>) -> Result<Response, AppError> {
    let PageRequest { state, lang, ctx, user } = request;
    let Some(provider) = state.oidc.clone() else { return Ok(not_configured(&state, lang, user.as_ref())) };
    let next = safe_next(&q.next).filter(|n| n.len() <= MAX_NEXT).unwrap_or("/").to_owned();
    let client = match provider.client().await {
        Ok(client) => client,
        Err(failure) => return fail(&state, lang, &ctx, user.as_ref(), failure.code()).await,
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .set_pkce_challenge(challenge)
        .add_ui_locale(LanguageTag::new(lang.code().to_owned()));
    for scope in &provider.config.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.url();
    let binding = secrets::new_token();
    let now = now_ms();
    let login = NewOidcLogin {
        state_hash: secrets::hash(csrf.secret()),
        browser_hash: secrets::hash(&binding),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next_path: next,
        now_ms: now,
        expires_at_ms: now + LOGIN_TTL_MS,
    };
    state.store.start_oidc_login(&login).await?;
    let base = &state.config.base_url;
    let name = cookie::name_for(base, BINDING_SECURE, BINDING_PLAIN);
    let set = cookie::set_named(base, name, &binding, Duration::milliseconds(LOGIN_TTL_MS));
    Ok(([(header::SET_COOKIE, set)], Redirect::to(url.as_str())).into_response())
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

/// Takes the browser back from the provider (see the module note).
async fn callback(
    request: PageRequest,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let PageRequest { state, lang, ctx, user } = request;
    let Some(provider) = state.oidc.clone() else { return Ok(not_configured(&state, lang, user.as_ref())) };
    let user = user.as_ref();
    let base = &state.config.base_url;
    let binding_name = cookie::name_for(base, BINDING_SECURE, BINDING_PLAIN);
    let too_long =
        [&q.code, &q.state, &q.error, &q.iss].iter().any(|p| p.as_ref().is_some_and(|p| p.len() > MAX_PARAM));
    let login = match q.state.as_deref().filter(|_| !too_long) {
        Some(s) => state.store.take_oidc_login(&secrets::hash(s), now_ms()).await?,
        None => None,
    };
    let binding = cookie::read(&headers, binding_name).map(|b| secrets::hash(&b));
    let Some(login) = login.filter(|l| binding.as_deref() == Some(l.browser_hash.as_str())) else {
        return fail(&state, lang, &ctx, user, Failure::State.code()).await;
    };
    if let Some(error) = &q.error {
        tracing::info!(error = %error.chars().take(64).collect::<String>(), "the OpenID provider declined the sign-in");
        return fail(&state, lang, &ctx, user, Failure::Denied.code()).await;
    }
    // RFC 9207: a provider that names itself must be ours (no mix-up with another provider).
    let issuer = provider.issuer();
    let (Some(code), true) = (q.code, q.iss.as_deref().is_none_or(|i| i == issuer)) else {
        return fail(&state, lang, &ctx, user, Failure::Response.code()).await;
    };
    let claims = match provider.sign_in(code, login.pkce_verifier, &login.nonce).await {
        Ok(claims) => claims,
        Err(failure) => return fail(&state, lang, &ctx, user, failure.code()).await,
    };
    let (account, found) =
        match oidc_people::account_for(&state, &provider.config, issuer, &claims, &ctx.client).await? {
            Ok(found) => found,
            Err(refusal) => return fail(&state, lang, &ctx, user, refusal.code()).await,
        };
    crate::metrics::sign_in("ok");
    let (set_cookie, session_id_hash) = web_session::start_with_id(&state, &ctx, &account).await?;
    state.store.note_oidc_session(&session_id_hash, issuer, now_ms()).await?;
    let how = match found {
        Found::Linked => "oidc",
        Found::LinkedByEmail => "oidc linked",
        Found::Created => "oidc created",
    };
    let entry = audit::Entry {
        actor: audit::user_actor(account.id),
        action: action::SIGN_IN,
        target: how.to_owned(),
        result: result::OK,
        client: ctx.client.clone(),
    };
    audit::record(state.store.as_ref(), entry).await?;
    let mut headers = HeaderMap::new();
    headers.append(header::SET_COOKIE, set_cookie);
    headers.append(header::SET_COOKIE, cookie::clear_named(base, binding_name));
    Ok((headers, Redirect::to(&login.next_path)).into_response())
}

/// The sign-in page with the failure's message; audited and logged by its code.
async fn fail(
    state: &AppState,
    lang: Lang,
    ctx: &AuthContext,
    user: Option<&CurrentUser>,
    code: &'static str,
) -> Result<Response, AppError> {
    crate::metrics::sign_in("failed");
    tracing::warn!(reason = code, "single sign-on failed");
    let entry = audit::Entry {
        actor: "anonymous".into(),
        action: action::SIGN_IN,
        target: format!("oidc:{code}"),
        result: result::FAILED,
        client: ctx.client.clone(),
    };
    audit::record(state.store.as_ref(), entry).await?;
    let status = match code {
        "unreachable" => StatusCode::BAD_GATEWAY,
        "state" | "response" | "denied" => StatusCode::BAD_REQUEST,
        "unknown_person" | "email_unverified" | "linked_elsewhere" | "no_email" | "disabled" => {
            StatusCode::FORBIDDEN
        }
        _ => StatusCode::UNAUTHORIZED,
    };
    let error = format!("auth.oidc.error.{code}");
    Ok(super::sign_in::page(state, lang, status, user, "", "", Some(error.as_str())))
}

/// Where the browser goes after signing out of session `session_id_hash`: the provider's
/// logout endpoint (RP-initiated logout, back to Beraad's start page afterwards) when the
/// session began there and the provider offers one, else the start page.
pub async fn after_sign_out(state: &AppState, session_id_hash: &str) -> String {
    let Some(provider) = &state.oidc else { return "/".into() };
    match state.store.end_oidc_session(session_id_hash).await {
        Ok(Some(_)) => {}
        Ok(None) => return "/".into(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot tell whether the session began at the OpenID provider");
            return "/".into();
        }
    }
    let Some(end_session) = provider.end_session().await else { return "/".into() };
    let back = PostLogoutRedirectUrl::from_url(state.config.base_url.clone());
    LogoutRequest::from(end_session)
        .set_client_id(ClientId::new(provider.config.client_id.clone()))
        .set_post_logout_redirect_uri(back)
        .http_get_url()
        .to_string()
}
