//! The path as it may appear in a log line: the one place that keeps secrets out of logs.
//!
//! Some routes carry a working secret in their path (the set-up and invite links
//! `/instellen/{token}`, `/uitnodiging/{token}`; later e.g. calendar feeds). A route parameter
//! whose name is in [`SECRET_PARAMS`] is logged as its template (`{token}`), never its value;
//! a new route with a secret in its path only has to name the parameter so. A request that
//! matched no route is logged by its first segment only, since a mistyped secret link (a
//! trailing slash, an extra segment) still carries the secret.

use axum::extract::MatchedPath;
use axum::http::Request;

/// Route parameter names whose values are secrets.
pub const SECRET_PARAMS: &[&str] = &["{token}", "{code}", "{secret}", "{invite}", "{feed}"];

/// What a request span records as its path.
pub fn of<B>(request: &Request<B>) -> String {
    let path = request.uri().path();
    match request.extensions().get::<MatchedPath>() {
        Some(template) => redact(template.as_str(), path),
        None => unmatched(path),
    }
}

/// `path` with the segments that the route `template` names secret replaced by their name.
pub fn redact(template: &str, path: &str) -> String {
    if !SECRET_PARAMS.iter().any(|p| template.contains(p)) {
        return path.to_owned();
    }
    // Secret parameters are whole segments (`/{token}`), so segments line up with the template;
    // a wildcard (`{*rest}`) only comes last.
    let mut out = Vec::new();
    let mut actual = path.split('/');
    for pattern in template.split('/') {
        let value = actual.next().unwrap_or_default();
        if SECRET_PARAMS.contains(&pattern) {
            out.push(pattern);
        } else if pattern.starts_with("{*") {
            out.push(pattern);
            break;
        } else {
            out.push(value);
        }
    }
    out.join("/")
}

/// A path no route matched: its first segment only.
fn unmatched(path: &str) -> String {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    if path.trim_start_matches('/').contains('/') {
        format!("/{first}/…")
    } else {
        format!("/{first}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_segments_are_replaced_by_their_name() {
        assert_eq!(redact("/uitnodiging/{token}", "/uitnodiging/abc"), "/uitnodiging/{token}");
        assert_eq!(redact("/instellen/{token}", "/instellen/abc"), "/instellen/{token}");
        assert_eq!(redact("/sessies/{id}", "/sessies/s1"), "/sessies/s1");
        assert_eq!(redact("/x/{token}/y/{id}", "/x/abc/y/7"), "/x/{token}/y/7");
    }

    #[test]
    fn unmatched_paths_keep_their_first_segment_only() {
        assert_eq!(unmatched("/uitnodiging/abc/"), "/uitnodiging/…");
        assert_eq!(unmatched("/nergens"), "/nergens");
        assert_eq!(unmatched("/"), "/");
    }

    #[test]
    fn every_route_with_a_secret_parameter_is_redacted() {
        let secret_routes: Vec<_> = crate::http::routes::table()
            .into_iter()
            .map(|r| r.path)
            .filter(|t| SECRET_PARAMS.iter().any(|p| t.contains(p)))
            .collect();
        assert!(secret_routes.len() >= 4, "the set-up and invite links");
        for template in secret_routes {
            let path = template.replace("{token}", "S3CRET").replace("{code}", "S3CRET");
            assert!(!redact(template, &path).contains("S3CRET"), "{template}");
        }
    }
}
