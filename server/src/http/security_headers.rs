//! Headers every response carries: no inline script, no framing, no MIME sniffing, no referrer
//! leaking session URLs; `Cache-Control: no-store` on everything but the static assets (pages,
//! API answers and downloads carry case and precedent content, which no browser or proxy cache
//! may keep); HSTS when the base URL is https. A `?lang=` choice is remembered in a cookie.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy when forms may also lead to `origin`: signing out continues to the OpenID
/// provider's logout (a redirect after the sign-out form, which `form-action` covers).
pub fn csp_with_form_target(origin: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{CSP} {origin}")).unwrap_or(HeaderValue::from_static(CSP))
}

/// One year; browsers then refuse plain http for the host.
const HSTS: &str = "max-age=31536000";

pub async fn add(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let chosen_lang = super::lang::from_query(request.uri().query());
    let is_static = super::static_files::is_static(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.base_url.scheme() == "https" {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    let csp = state.oidc.as_ref().map(|p| p.csp.clone()).unwrap_or(HeaderValue::from_static(CSP));
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if let Some(lang) = chosen_lang {
        let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
