//! Rendering the account pages: every page gets who is signed in and the session's CSRF token
//! (for its forms and the sign-out button).

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::Value;

use super::CurrentUser;
use crate::app::AppState;
use crate::http::AppError;
use crate::i18n::Lang;

/// Renders `template` with `context`, plus `current_user` and `csrf_token` when signed in.
pub fn render(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    template: &str,
    user: Option<&CurrentUser>,
    context: Value,
) -> Response {
    let ctx = match user {
        Some(u) => minijinja::context! {
            current_user => u.template_value(),
            csrf_token => u.session.csrf_token.clone(),
            ..context
        },
        None => context,
    };
    match state.templates.render(template, lang, ctx) {
        // Account pages hold one-time links and tokens: never kept in a cache.
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// A page with one message: `<key>.title` and `<key>.body` from the locale files.
pub fn message(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    key: &str,
    user: Option<&CurrentUser>,
) -> Response {
    render(state, lang, status, "error.html", user, minijinja::context! { key => key })
}
