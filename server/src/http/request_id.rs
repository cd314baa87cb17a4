//! Request ids: every request gets one, carried by its log span (`request_id`) and returned in
//! the `X-Request-Id` response header. An incoming `X-Request-Id` (from a reverse proxy) is kept
//! when it is short and plain (letters, digits, `-`, `_`, `.`, `:`; at most [`MAX_LEN`]), so
//! it can never carry an e-mail address or break a log line; otherwise a new one is made.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-request-id";
/// The longest incoming id kept.
pub const MAX_LEN: usize = 64;

/// Whether an incoming id is kept as it is.
pub fn sane(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The request's id, as [`assign`] left it in its headers.
pub fn of<B>(req: &axum::http::Request<B>) -> &str {
    req.headers().get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Gives the request its id (kept or new) before its span is made, and returns it.
pub async fn assign(mut req: Request, next: Next) -> Response {
    let kept = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).filter(|v| sane(v)).map(str::to_owned);
    let id = kept.unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let value = HeaderValue::from_str(&id).expect("a sane id is a header value");
    req.headers_mut().insert(HEADER, value.clone());
    let mut res = next.run(req).await;
    res.headers_mut().insert(HEADER, value);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_kept() {
        assert!(sane("abc-123_x.y:z"));
        assert!(sane(&"a".repeat(MAX_LEN)));
        assert!(!sane(&"a".repeat(MAX_LEN + 1)));
        assert!(!sane(""));
        assert!(!sane("iemand@example.org"));
        assert!(!sane("a b"));
        assert!(!sane("a\"b"));
    }
}
