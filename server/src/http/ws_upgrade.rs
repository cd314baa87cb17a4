//! The websocket handshake (RFC 6455 §4.2), answered here rather than by axum's
//! `WebSocketUpgrade` so that the live connection is tokio-tungstenite's own websocket
//! (`live::socket`): axum's type cannot send a message in fragments nor choose the buffer behind
//! it. The requests refused, and how, are axum's: 405 for another method than GET, 400 for a
//! missing or wrong `Connection`, `Upgrade`, `Sec-WebSocket-Version` (13) or `Sec-WebSocket-Key`
//! header, 426 when the connection cannot be upgraded.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::upgrade::{OnUpgrade, Upgraded};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// A request to open a websocket, checked; [`Upgrade::accept`] answers it.
pub struct Upgrade {
    key: HeaderValue,
    /// The subprotocols the client offered (`Sec-WebSocket-Protocol`).
    offered: Vec<String>,
    on_upgrade: OnUpgrade,
}

/// Why a request cannot become a websocket.
#[derive(Debug)]
pub enum Refused {
    MethodNotGet,
    NoConnectionUpgrade,
    NoUpgradeWebsocket,
    WrongVersion,
    NoKey,
    NotUpgradable,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Refused::MethodNotGet => (StatusCode::METHOD_NOT_ALLOWED, "Request method must be `GET`"),
            Refused::NoConnectionUpgrade => {
                (StatusCode::BAD_REQUEST, "Connection header did not include 'upgrade'")
            }
            Refused::NoUpgradeWebsocket => {
                (StatusCode::BAD_REQUEST, "`Upgrade` header did not include 'websocket'")
            }
            Refused::WrongVersion => {
                (StatusCode::BAD_REQUEST, "`Sec-WebSocket-Version` header did not include '13'")
            }
            Refused::NoKey => (StatusCode::BAD_REQUEST, "`Sec-WebSocket-Key` header missing"),
            Refused::NotUpgradable => (StatusCode::UPGRADE_REQUIRED, "this connection cannot be upgraded"),
        };
        (status, body).into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Upgrade {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Refused> {
        if parts.method != Method::GET {
            return Err(Refused::MethodNotGet);
        }
        if !header_lists(&parts.headers, header::CONNECTION).any(|v| v.eq_ignore_ascii_case("upgrade")) {
            return Err(Refused::NoConnectionUpgrade);
        }
        if !header_lists(&parts.headers, header::UPGRADE).any(|v| v.eq_ignore_ascii_case("websocket")) {
            return Err(Refused::NoUpgradeWebsocket);
        }
        if parts.headers.get(header::SEC_WEBSOCKET_VERSION).map(HeaderValue::as_bytes) != Some(b"13") {
            return Err(Refused::WrongVersion);
        }
        let key = parts.headers.get(header::SEC_WEBSOCKET_KEY).ok_or(Refused::NoKey)?.clone();
        let on_upgrade = parts.extensions.remove::<OnUpgrade>().ok_or(Refused::NotUpgradable)?;
        let offered =
            header_lists(&parts.headers, header::SEC_WEBSOCKET_PROTOCOL).map(str::to_owned).collect();
        Ok(Upgrade { key, offered, on_upgrade })
    }
}

impl Upgrade {
    /// The 101 answer (naming `protocol` when the client offered it), and the connection once
    /// the answer went out (`None` when the client left before).
    pub fn accept(
        self,
        protocol: &'static str,
    ) -> (Response, impl std::future::Future<Output = Option<Upgraded>> + Send + 'static) {
        let mut response = StatusCode::SWITCHING_PROTOCOLS.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        let accept = derive_accept_key(self.key.as_bytes());
        headers.insert(
            header::SEC_WEBSOCKET_ACCEPT,
            HeaderValue::from_str(&accept).expect("base64 is a header value"),
        );
        if self.offered.iter().any(|p| p == protocol) {
            headers.insert(header::SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static(protocol));
        }
        let on_upgrade = self.on_upgrade;
        (response, async move { on_upgrade.await.ok() })
    }
}

/// The comma-separated items of every `name` header, trimmed.
fn header_lists(headers: &HeaderMap, name: HeaderName) -> impl Iterator<Item = &str> {
    headers
        .get_all(name)
        .into_iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn refused(request: axum::http::Request<()>) -> StatusCode {
        let (mut parts, ()) = request.into_parts();
        match Upgrade::from_request_parts(&mut parts, &()).await {
            Ok(_) => StatusCode::SWITCHING_PROTOCOLS,
            Err(r) => r.into_response().status(),
        }
    }

    fn request(method: &str, drop: &str) -> axum::http::Request<()> {
        let mut b = axum::http::Request::builder().method(method).uri("/ws/sessions/x");
        for (name, value) in [
            ("connection", "keep-alive, Upgrade"),
            ("upgrade", "websocket"),
            ("sec-websocket-version", "13"),
            ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ] {
            if name != drop {
                b = b.header(name, value);
            }
        }
        b.body(()).unwrap()
    }

    #[tokio::test]
    async fn requests_that_cannot_become_a_websocket_are_refused_as_axum_did() {
        assert_eq!(refused(request("POST", "")).await, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(refused(request("GET", "connection")).await, StatusCode::BAD_REQUEST);
        assert_eq!(refused(request("GET", "upgrade")).await, StatusCode::BAD_REQUEST);
        assert_eq!(refused(request("GET", "sec-websocket-version")).await, StatusCode::BAD_REQUEST);
        assert_eq!(refused(request("GET", "sec-websocket-key")).await, StatusCode::BAD_REQUEST);
        // Every header right, but no HTTP connection behind it to take over.
        assert_eq!(refused(request("GET", "")).await, StatusCode::UPGRADE_REQUIRED);
    }
}
