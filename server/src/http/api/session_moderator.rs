//! Who may draft, edit, adopt, correct, withdraw and link: the session's current moderator,
//! proved by a session token (`Authorization: Bearer <token>`) or by being signed in as the
//! moderator (`u-<user id>`). Who reaches the session at all is `http::authz::session_access`.

use axum::http::{HeaderMap, StatusCode};

use super::ApiError;
use crate::app::AppState;
use crate::domain::session::{Event, EventBody, ParticipantId, SessionState};
use crate::http::auth::AuthContext;
use crate::http::authz;
use crate::i18n::Lang;
use crate::store::{DynStore, SessionRow};

/// Proof that the caller moderates a session, with what was read to check it.
pub struct Moderator {
    pub session: SessionRow,
    pub state: SessionState,
    pub participant: ParticipantId,
}

/// The participant the request acts as in the session: its session token (`Authorization:
/// Bearer`), or a signed-in member of the session's team (`u-<user id>`). See
/// `crate::http::authz::session_access` for the refusals (401, 403, 404 outside the team).
pub async fn session_participant(
    state: &AppState,
    auth: &AuthContext,
    headers: &HeaderMap,
    session_id: &str,
    lang: Lang,
) -> Result<(SessionRow, ParticipantId), ApiError> {
    let access = authz::session_access(state, auth, authz::bearer(headers), session_id, lang).await?;
    Ok((access.session, access.participant))
}

/// Checks that the request comes from the session's current moderator: 401 without a valid
/// token or sign-in, 404 outside the team, 403 for anyone else.
pub async fn session_moderator(
    state: &AppState,
    auth: &AuthContext,
    headers: &HeaderMap,
    session_id: &str,
    lang: Lang,
) -> Result<Moderator, ApiError> {
    let (session, participant) = session_participant(state, auth, headers, session_id, lang).await?;
    let folded = fold_session(&state.store, session_id)
        .await
        .map_err(|e| {
            tracing::error!(session = session_id, error = %e, "cannot fold session");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", lang)
        })?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_session", lang))?;
    if folded.moderator().map(|p| &p.id) != Some(&participant) {
        return Err(not_moderator(lang));
    }
    Ok(Moderator { session, state: folded, participant })
}

pub fn not_moderator(lang: Lang) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "not_session_moderator", lang)
}

/// A session's state from its whole event log.
pub async fn fold_session(store: &DynStore, session_id: &str) -> anyhow::Result<Option<SessionState>> {
    const PAGE: i64 = 1000;
    let mut state: Option<SessionState> = None;
    loop {
        let after = state.as_ref().map_or(0, |s| s.seq() as i64);
        let page = store.events_since(session_id, after, PAGE).await?;
        let done = (page.len() as i64) < PAGE;
        for stored in page {
            let body: EventBody = serde_json::from_value(stored.payload)?;
            let event = Event {
                seq: stored.seq as u64,
                at_ms: stored.created_at,
                actor: stored.actor.map(ParticipantId),
                body,
            };
            match &mut state {
                None => state = Some(SessionState::from_created(&event)?),
                Some(s) => s.apply(&event)?,
            }
        }
        if done {
            return Ok(state);
        }
    }
}
