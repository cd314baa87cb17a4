//! The session cookie: `__Host-beraad_session` with `Secure` when the site is served over
//! HTTPS (the prefix makes browsers refuse it from another subdomain or without TLS), else
//! `beraad_session`. Always `HttpOnly`, `SameSite=Lax`, `Path=/`.

use axum::http::{header, HeaderMap, HeaderValue};
use cookie::time::Duration;
use cookie::{Cookie, CookieBuilder, SameSite};
use url::Url;

use crate::domain::accounts::session_timeouts::ABSOLUTE_MS;

pub const SECURE_NAME: &str = "__Host-beraad_session";
pub const PLAIN_NAME: &str = "beraad_session";

fn secure(base_url: &Url) -> bool {
    base_url.scheme() == "https"
}

/// The cookie's name for this site.
pub fn name(base_url: &Url) -> &'static str {
    name_for(base_url, SECURE_NAME, PLAIN_NAME)
}

/// `Set-Cookie` for a new session id.
pub fn set(base_url: &Url, session_id: &str) -> HeaderValue {
    set_named(base_url, name(base_url), session_id, Duration::milliseconds(ABSOLUTE_MS))
}

/// `Set-Cookie` that removes the cookie.
pub fn clear(base_url: &Url) -> HeaderValue {
    clear_named(base_url, name(base_url))
}

/// `Set-Cookie` for another cookie of this kind (e.g. the single sign-on's browser binding),
/// with the same attributes; `name` should carry the `__Host-` prefix on https sites.
pub fn set_named(base_url: &Url, name: &'static str, value: &str, max_age: Duration) -> HeaderValue {
    header_value(Cookie::build((name, value)).max_age(max_age), base_url)
}

/// `Set-Cookie` that removes the cookie `name`.
pub fn clear_named(base_url: &Url, name: &'static str) -> HeaderValue {
    header_value(Cookie::build((name, "")).max_age(Duration::ZERO), base_url)
}

/// `name` with the `__Host-` prefix on an https site (`secure_name`), else `plain_name`.
pub fn name_for(base_url: &Url, secure_name: &'static str, plain_name: &'static str) -> &'static str {
    if secure(base_url) {
        secure_name
    } else {
        plain_name
    }
}

/// The attributes every session cookie carries.
fn header_value(cookie: CookieBuilder<'_>, base_url: &Url) -> HeaderValue {
    let cookie = cookie.path("/").http_only(true).same_site(SameSite::Lax).secure(secure(base_url)).build();
    HeaderValue::from_str(&cookie.to_string()).expect("a token is a valid header value")
}

/// The session id presented in the request's cookies, if any.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_prefix_follow_the_scheme() {
        let https: Url = "https://beraad.example/".parse().unwrap();
        let http: Url = "http://127.0.0.1:8080/".parse().unwrap();
        let s = set(&https, "abc");
        let secure = Cookie::parse(s.to_str().unwrap().to_owned()).unwrap();
        assert_eq!((secure.name(), secure.value()), ("__Host-beraad_session", "abc"));
        assert_eq!(secure.path(), Some("/"));
        assert_eq!(secure.http_only(), Some(true));
        assert_eq!(secure.same_site(), Some(SameSite::Lax));
        assert_eq!(secure.max_age(), Some(Duration::seconds(43_200)));
        assert_eq!(secure.secure(), Some(true));
        let plain = Cookie::parse(set(&http, "abc").to_str().unwrap().to_owned()).unwrap();
        assert_eq!((plain.name(), plain.secure()), ("beraad_session", None));
        assert_eq!(plain.http_only(), Some(true));
        let cleared = Cookie::parse(clear(&https).to_str().unwrap().to_owned()).unwrap();
        assert_eq!((cleared.value(), cleared.max_age()), ("", Some(Duration::ZERO)));
    }

    #[test]
    fn reads_the_named_cookie_only() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=en; beraad_session=xyz; other=1"));
        assert_eq!(read(&headers, PLAIN_NAME).as_deref(), Some("xyz"));
        assert_eq!(read(&headers, SECURE_NAME), None);
    }
}
