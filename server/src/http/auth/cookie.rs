//! The session cookie: `__Host-beraad_session` with `Secure` when the site is served over
//! HTTPS (the prefix makes browsers refuse it from another subdomain or without TLS), else
//! `beraad_session`. Always `HttpOnly`, `SameSite=Lax`, `Path=/`.

use axum::http::{header, HeaderMap, HeaderValue};
use url::Url;

use crate::domain::accounts::session_timeouts::ABSOLUTE_MS;

pub const SECURE_NAME: &str = "__Host-beraad_session";
pub const PLAIN_NAME: &str = "beraad_session";

fn secure(base_url: &Url) -> bool {
    base_url.scheme() == "https"
}

/// The cookie's name for this site.
pub fn name(base_url: &Url) -> &'static str {
    if secure(base_url) {
        SECURE_NAME
    } else {
        PLAIN_NAME
    }
}

/// `Set-Cookie` for a new session id.
pub fn set(base_url: &Url, session_id: &str) -> HeaderValue {
    let secure = if secure(base_url) { "; Secure" } else { "" };
    let value = format!(
        "{}={session_id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        name(base_url),
        ABSOLUTE_MS / 1000
    );
    HeaderValue::from_str(&value).expect("a token is a valid header value")
}

/// `Set-Cookie` that removes the cookie.
pub fn clear(base_url: &Url) -> HeaderValue {
    let secure = if secure(base_url) { "; Secure" } else { "" };
    let value = format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", name(base_url));
    HeaderValue::from_str(&value).expect("a valid header value")
}

/// The session id presented in the request's cookies, if any.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
        cookies.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_owned())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_prefix_follow_the_scheme() {
        let https: Url = "https://beraad.example/".parse().unwrap();
        let http: Url = "http://127.0.0.1:8080/".parse().unwrap();
        let s = set(&https, "abc");
        assert_eq!(
            s.to_str().unwrap(),
            "__Host-beraad_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure"
        );
        assert_eq!(
            set(&http, "abc").to_str().unwrap(),
            "beraad_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200"
        );
        assert!(clear(&https).to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn reads_the_named_cookie_only() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=en; beraad_session=xyz; other=1"));
        assert_eq!(read(&headers, PLAIN_NAME).as_deref(), Some("xyz"));
        assert_eq!(read(&headers, SECURE_NAME), None);
    }
}
