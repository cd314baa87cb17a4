//! Who may draft, edit, adopt, correct, withdraw and link: the session's current moderator,
//! proved by a session token (`Authorization: Bearer <token>`) or by being signed in as the
//! moderator (`u-<user id>`). Who reaches the session at all is [`super::session_access`].

use axum::http::StatusCode;

use super::SessionAccess;
use crate::app::AppState;
use crate::domain::session::{Event, EventBody, ParticipantId, SessionState};
use crate::http::api::ApiError;
use crate::store::{DynStore, SessionRow};

/// Proof that the caller moderates a session, with what was read to check it. Only
/// [`moderator_of`] makes one; as an extractor it reads the route's `{id}`.
// The private field is the point: only this module makes one (not `non_exhaustive`,
// which would still let the rest of the crate build one).
#[allow(clippy::manual_non_exhaustive)]
pub struct Moderator {
    pub session: SessionRow,
    pub state: SessionState,
    pub participant: ParticipantId,
    _checked: (),
}

/// Checks that the caller who reached the session is its current moderator: 403 for anyone
/// else (401 without a valid token or sign-in and 404 outside the team come from reaching it).
pub async fn moderator_of(state: &AppState, access: SessionAccess) -> Result<Moderator, ApiError> {
    let folded = fold_session(&state.store, &access.session.header.id)
        .await
        .map_err(|e| {
            tracing::error!(session = %access.session.header.id, error = %e, "cannot fold session");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        })?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_session"))?;
    if folded.moderator().map(|p| &p.id) != Some(&access.participant) {
        return Err(not_moderator());
    }
    Ok(Moderator { session: access.session, state: folded, participant: access.participant, _checked: () })
}

pub fn not_moderator() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "not_session_moderator")
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
