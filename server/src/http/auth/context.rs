//! The one middleware every request passes: it reads the session cookie (checking the idle and
//! absolute timeouts), and refuses state-changing requests that could be forged.
//!
//! The CSRF rule, for POST, PUT, PATCH and DELETE:
//! - a request that carries a valid session cookie, or that is a form post, must come from this
//!   site (`Origin` / `Sec-Fetch-Site` against the base URL, see `origin.rs`): else 403;
//! - a request that carries a valid session cookie must present the session's CSRF token, in the
//!   `X-CSRF-Token` header or (form posts) the `csrf_token` field: else 403;
//! - a request without a session cookie (token-authenticated JSON API, sign-in forms) carries no
//!   ambient authority, so it needs no token.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{api_token, cookie, origin};
use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::accounts::session_timeouts::{self, SessionState};
use crate::http::api::ApiError;
use crate::http::{AppError, PageLang};
use crate::secrets;
use crate::store::{StoreError, User, WebSession};

/// A valid web session and its user.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub session: WebSession,
    pub user: User,
}

/// What the middleware learned about the request, in its extensions.
#[derive(Clone, Debug, Default)]
pub struct AuthContext {
    /// The signed-in person: by the session cookie, or (on `/api/v1/`) the admin behind an API
    /// token (then `api` is set).
    pub signed_in: Option<SignedIn>,
    /// The API token the request came with, and its scopes (`api_token.rs`).
    pub api: Option<super::api_token::ApiCaller>,
    /// The client's address (the TCP peer; proxies are not trusted).
    pub client: String,
}

impl<S: Send + Sync> FromRequestParts<S> for AuthContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<AuthContext>().cloned().unwrap_or_default())
    }
}

/// Looks a presented session id up; ends it when timed out, refreshes `last_seen_at` now and
/// then. `None` for an unknown, ended or disabled one.
async fn load(state: &AppState, session_id: &str) -> Result<Option<SignedIn>, StoreError> {
    let id_hash = secrets::hash(session_id);
    let Some(session) = state.store.web_session(&id_hash).await? else { return Ok(None) };
    let now = now_ms();
    match session_timeouts::state(session.created_at, session.last_seen_at, now) {
        SessionState::IdleExpired | SessionState::AbsoluteExpired => {
            state.store.delete_web_session(&id_hash).await?;
            return Ok(None);
        }
        SessionState::Valid { touch: true } => state.store.touch_web_session(&id_hash, now).await?,
        SessionState::Valid { touch: false } => {}
    }
    let Some(user) = state.store.user(session.user_id).await? else { return Ok(None) };
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    Ok(Some(SignedIn { session, user }))
}

fn is_form(request: &Request) -> bool {
    let ct = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ct = ct.to_ascii_lowercase();
    ct.starts_with("application/x-www-form-urlencoded")
        || ct.starts_with("multipart/form-data")
        || ct.starts_with("text/plain")
}

fn is_urlencoded(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
}

/// Compares two tokens in time independent of where they differ.
fn tokens_match(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The middleware (see the module note).
pub async fn authenticate(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let base_url = &state.config.base_url;
    let signed_in = match cookie::read(request.headers(), cookie::name(base_url)) {
        Some(id) => match load(&state, &id).await {
            Ok(s) => s,
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    // An API token, on `/api/v1/` only, when no browser session is presented.
    let mut api = None;
    let token = api_token::presented(request.uri().path(), request.headers()).filter(|_| signed_in.is_none());
    let signed_in = match token {
        None => signed_in,
        Some(token) => match api_token::caller(&state, token).await {
            Ok(Some((s, caller))) => {
                api = Some(caller);
                Some(s)
            }
            Ok(None) => {
                return ApiError::new(StatusCode::UNAUTHORIZED, "invalid_api_token").into_response();
            }
            Err(e) => return AppError::from(e).into_response(),
        },
    };
    // A browser session (a cookie): the CSRF and origin rules apply to it, not to a token.
    let cookie_session = if api.is_none() { signed_in.as_ref() } else { None };
    let mut request = request;
    let state_changing = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if state_changing {
        if (cookie_session.is_some() || is_form(&request))
            && !origin::same_origin(request.headers(), base_url)
        {
            return refuse(&state, request.headers().clone(), request.uri().clone(), "cross_origin").await;
        }
        if let Some(s) = cookie_session {
            let expected = s.session.csrf_token.as_bytes();
            let header_token = request.headers().get("x-csrf-token").map(|v| v.as_bytes().to_vec());
            let ok = match header_token {
                Some(token) => tokens_match(&token, expected),
                None if is_urlencoded(&request) => {
                    let (parts, body) = request.into_parts();
                    let bytes = match axum::body::to_bytes(body, crate::http::MAX_BODY_BYTES).await {
                        Ok(b) => b,
                        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
                    };
                    let found = url::form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == "csrf_token")
                        .is_some_and(|(_, v)| tokens_match(v.as_bytes(), expected));
                    request = Request::from_parts(parts, Body::from(bytes));
                    found
                }
                None => false,
            };
            if !ok {
                return refuse(&state, request.headers().clone(), request.uri().clone(), "csrf").await;
            }
        }
    }
    let viewer = cookie_session.map(|s| {
        let user = super::CurrentUser { user: s.user.clone(), session: s.session.clone() };
        crate::http::templates::Viewer {
            current_user: user.template_value(),
            csrf_token: s.session.csrf_token.clone(),
        }
    });
    request.extensions_mut().insert(AuthContext { signed_in, api, client });
    crate::http::templates::with_viewer(viewer, next.run(request)).await
}

/// 403: JSON for the API, a page otherwise.
async fn refuse(state: &AppState, headers: HeaderMap, uri: Uri, code: &str) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(StatusCode::FORBIDDEN, code).into_response();
    }
    let lang = lang_of(headers, uri).await;
    super::pages::message(state, lang, StatusCode::FORBIDDEN, &format!("auth.error.{code}"), None)
}

async fn lang_of(headers: HeaderMap, uri: Uri) -> crate::i18n::Lang {
    let (mut parts, _) = Request::new(()).into_parts();
    parts.headers = headers;
    parts.uri = uri;
    let PageLang(lang) = PageLang::from_request_parts(&mut parts, &()).await.unwrap_or_else(|e| match e {});
    lang
}
