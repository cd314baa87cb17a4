//! Whether a state-changing request comes from this site: its `Origin` must be the base URL's
//! origin, and `Sec-Fetch-Site` (when the browser sends it) `same-origin` or `none` (typed or
//! bookmarked). A request with neither header (not a browser, or a very old one) passes this
//! check; the CSRF token still applies.

use axum::http::HeaderMap;
use url::Url;

pub fn same_origin(headers: &HeaderMap, base_url: &Url) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.to_str().unwrap_or(""), "same-origin" | "none") {
            return false;
        }
    }
    origin_matches(headers, base_url)
}

/// The `Origin` comparison alone (the websocket upgrade's check): a browser's `Origin` must be
/// the base URL's origin; no `Origin` is fine (not a browser).
pub fn origin_matches(headers: &HeaderMap, base_url: &Url) -> bool {
    match headers.get(axum::http::header::ORIGIN) {
        None => true,
        Some(origin) => origin
            .to_str()
            .ok()
            .and_then(|o| Url::parse(o).ok())
            .is_some_and(|o| o.origin() == base_url.origin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_must_match_the_base_url() {
        let base: Url = "https://beraad.example/".parse().unwrap();
        assert!(same_origin(&headers(&[]), &base));
        assert!(same_origin(&headers(&[("origin", "https://beraad.example")]), &base));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example")]), &base));
        assert!(!same_origin(&headers(&[("origin", "http://beraad.example")]), &base));
        assert!(!same_origin(&headers(&[("origin", "null")]), &base));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), &base));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), &base));
        assert!(same_origin(
            &headers(&[("sec-fetch-site", "same-origin"), ("origin", "https://beraad.example")]),
            &base
        ));
    }
}
