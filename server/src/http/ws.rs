//! `GET /ws/sessions/{id}`: the websocket of a live session (protocol in docs/protocol.md).
//!
//! Authenticated before upgrading (`Rule::Session`): the request carries a session token of
//! this session in the `Sec-WebSocket-Protocol` header (`beraad.v1, token.<token>`), or a
//! cookie session whose user may join the session (a member of its team). Otherwise 401, or 404
//! outside the team. A browser's `Origin` must be the configured base URL's (cross-site
//! websocket hijacking): else 403; no `Origin` (not a browser) is allowed. A connection opened
//! with a cookie session closes (4001) when that session ends.

use std::sync::Arc;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::auth::AuthContext;
use super::authz::{self, SocketAccess};
use crate::app::AppState;
use crate::http::authz::Rule::Session;
use crate::http::routes::Route;
use crate::live::connection::{self, ConnectionContext, WebSessionOf};
use crate::live::frames::MAX_SERVER_FRAME_BYTES;
use crate::live::protocol::MAX_MESSAGE_BYTES;

/// Bytes read from a websocket at a time (each connection keeps a buffer this size): a
/// command is a few hundred bytes.
const READ_BUFFER_BYTES: usize = 1024;

/// The subprotocol the server speaks; the client offers it beside `token.<token>`.
pub const SUBPROTOCOL: &str = "beraad.v1";

pub fn routes() -> Vec<Route> {
    vec![Route::get("/ws/sessions/{id}", Session, upgrade)]
}

/// Origin, then access (`SocketAccess`), then the upgrade itself: in that order.
async fn upgrade(
    State(state): State<Arc<AppState>>,
    SocketAccess(access): SocketAccess,
    auth: AuthContext,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => return rejection.into_response(),
    };
    // Any cookie session the upgrade carried: its end closes this connection.
    let web_session = match &access.via {
        authz::Via::User(u) => Some(WebSessionOf { user_id: u.user.id, id_hash: u.session.id_hash.clone() }),
        authz::Via::Token => auth
            .signed_in
            .as_ref()
            .map(|s| WebSessionOf { user_id: s.user.id, id_hash: s.session.id_hash.clone() }),
    };
    // The connection outlives the request: its lines carry the session id, and (as a child of
    // the request's span) the request id of the upgrade.
    let span = tracing::info_span!("live", session_id = %access.session.header.id);
    let ctx = ConnectionContext {
        live: state.live.clone(),
        store: state.store.clone(),
        session_id: access.session.header.id,
        shutdown: state.shutdown.token.clone(),
        heartbeat: state.config.heartbeat,
        web_session,
        sign_outs: state.sign_outs.subscribe(),
    };
    let tasks = state.shutdown.tasks.clone();
    // Small buffers: most frames are a few hundred bytes, and idle connections should cost little
    // (a larger frame gets room for itself when its header arrives); room for the largest frame
    // the server sends (views and events are split into pages) and a close.
    ws.protocols([SUBPROTOCOL])
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(2 * MAX_SERVER_FRAME_BYTES + 64 * 1024)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            tasks.spawn(tracing::Instrument::instrument(connection::run(socket, ctx), span));
        })
}

#[cfg(test)]
mod tests {
    use crate::http::authz::subprotocol_token;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn token_comes_from_the_subprotocol_list() {
        let mut h = HeaderMap::new();
        h.insert(header::SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static("beraad.v1, token.abc"));
        assert_eq!(subprotocol_token(&h).as_deref(), Some("abc"));
        h.insert(header::SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_static("beraad.v1"));
        assert_eq!(subprotocol_token(&h), None);
    }

    #[test]
    fn only_the_base_origin_or_none() {
        let base: url::Url = "https://beraad.example/".parse().unwrap();
        let mut h = HeaderMap::new();
        assert!(crate::http::auth::origin_matches(&h, &base));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://beraad.example"));
        assert!(crate::http::auth::origin_matches(&h, &base));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!crate::http::auth::origin_matches(&h, &base));
    }
}
