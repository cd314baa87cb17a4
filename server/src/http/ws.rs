//! `GET /ws/sessions/{id}`: the websocket of a live session (protocol in docs/protocol.md).

use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::app::AppState;
use crate::live::connection::{self, ConnectionContext};
use crate::live::protocol::MAX_MESSAGE_BYTES;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/ws/sessions/{id}", get(upgrade))
}

async fn upgrade(
    State(state): State<Arc<AppState>>,
    Path(session_id): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let ctx = ConnectionContext {
        live: state.live.clone(),
        store: state.store.clone(),
        session_id,
        shutdown: state.shutdown.token.clone(),
        heartbeat: state.config.heartbeat,
    };
    let tasks = state.shutdown.tasks.clone();
    // Small buffers: most frames are a few hundred bytes, and idle connections should cost little.
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            tasks.spawn(connection::run(socket, ctx));
        })
}
