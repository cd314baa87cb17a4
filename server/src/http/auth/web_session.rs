//! Starting a web session: a new random id (256 bits) for every sign-in, stored hashed, with a
//! fresh CSRF token. An older session presented by the same browser is ended first, so an id
//! planted before sign-in (session fixation) is worthless.

use axum::http::HeaderValue;

use super::context::AuthContext;
use super::cookie;
use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::accounts::session_timeouts::{ABSOLUTE_MS, IDLE_MS};
use crate::secrets;
use crate::store::{StoreError, User, WebSession};

/// Creates the session row and returns the `Set-Cookie` value.
pub async fn start(state: &AppState, ctx: &AuthContext, user: &User) -> Result<HeaderValue, StoreError> {
    Ok(start_with_id(state, ctx, user).await?.0)
}

/// [`start`], and the new session id's hash (as stored).
pub async fn start_with_id(
    state: &AppState,
    ctx: &AuthContext,
    user: &User,
) -> Result<(HeaderValue, String), StoreError> {
    if let Some(old) = &ctx.signed_in {
        state.store.delete_web_session(&old.session.id_hash).await?;
    }
    let now = now_ms();
    // Sessions that timed out without being presented again are removed now and then: here.
    state.store.delete_expired_web_sessions(now - ABSOLUTE_MS, now - IDLE_MS).await?;
    let id = secrets::new_token();
    let id_hash = secrets::hash(&id);
    state
        .store
        .create_web_session(&WebSession {
            id_hash: id_hash.clone(),
            user_id: user.id,
            csrf_token: secrets::new_token(),
            created_at: now,
            last_seen_at: now,
            client_addr: ctx.client.clone(),
        })
        .await?;
    Ok((cookie::set(&state.config.base_url, &id), id_hash))
}
