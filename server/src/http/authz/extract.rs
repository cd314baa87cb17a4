//! The object checks as extractors: a handler that takes a [`SessionAccess`], a [`Moderator`],
//! a [`SocketAccess`], a [`SessionPage`], a [`ReadablePrecedent`] or an [`EditablePrecedent`]
//! gets the object only after its rule passed, so a new route cannot forget the check. Each
//! reads the object's id from the route's `{id}`, the session token from `Authorization:
//! Bearer` (the websocket: its subprotocol; pages: none), the sign-in from the middleware and
//! answers with the same [`ApiError`] the rule gives (pages: the 404 page).

use std::sync::Arc;

use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::moderator::{moderator_of, not_moderator, Moderator};
use super::{bearer, precedent_access, session_access, subprotocol_token, SessionAccess, Via};
use crate::app::AppState;
use crate::domain::precedent::Precedent;
use crate::http::api::ApiError;
use crate::http::auth::{origin_matches, AuthContext, CurrentUser};
use crate::http::error::{not_found, AppError};
use crate::http::PageLang;
use crate::store::{PrecedentRow, SessionRow};

/// What every object extractor reads first: the caller and the route's `{id}`.
async fn caller(parts: &mut Parts, state: &Arc<AppState>) -> (AuthContext, Option<String>) {
    let auth = AuthContext::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
    let id = RawPathParams::from_request_parts(parts, state)
        .await
        .ok()
        .and_then(|p| p.iter().find(|(k, _)| *k == "id").map(|(_, v)| v.to_owned()));
    (auth, id)
}

impl FromRequestParts<Arc<AppState>> for SessionAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (auth, id) = caller(parts, state).await;
        let id = id.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_session"))?;
        session_access(state, &auth, bearer(&parts.headers), &id).await
    }
}

/// The caller of a session's websocket (`GET /ws/sessions/{id}`): a browser's `Origin` must be
/// the base URL's (else 403 `cross_origin`: cross-site websocket hijacking), then the session
/// rule with the token offered as the subprotocol `token.<token>`.
pub struct SocketAccess(pub SessionAccess);

impl FromRequestParts<Arc<AppState>> for SocketAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (auth, id) = caller(parts, state).await;
        if !origin_matches(&parts.headers, &state.config.base_url) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "cross_origin"));
        }
        let id = id.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_session"))?;
        let token = subprotocol_token(&parts.headers);
        session_access(state, &auth, token.as_deref(), &id).await.map(SocketAccess)
    }
}

/// Who opens a session's page (the room, the precedent editor; `Rule::Session`): a signed-in
/// member of the session's team (`user`), or someone without a web session (`None`: a guest,
/// whose token the page's script presents). A signed-in person outside the team, and a
/// session that does not exist, get the 404 page.
pub struct SessionPage {
    pub session: SessionRow,
    pub user: Option<Box<CurrentUser>>,
}

impl FromRequestParts<Arc<AppState>> for SessionPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let (auth, id) = caller(parts, state).await;
        let PageLang(lang) = PageLang::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        let page_not_found = || not_found(State(state.clone()), PageLang(lang));
        let Some(id) = id else { return Err(page_not_found().await) };
        if auth.signed_in.is_none() {
            return match state.store.session(&id).await {
                Ok(Some(session)) => Ok(SessionPage { session, user: None }),
                Ok(None) => Err(page_not_found().await),
                Err(e) => Err(AppError::from(e).into_response()),
            };
        }
        match SessionAccess::of_member(state, &auth, &id).await {
            Ok(access) => {
                let user = match access.via {
                    Via::User(u) => Some(u),
                    Via::Token => None,
                };
                Ok(SessionPage { session: access.session, user })
            }
            Err(e) if e.status == StatusCode::NOT_FOUND => Err(page_not_found().await),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl FromRequestParts<Arc<AppState>> for Moderator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let access = SessionAccess::from_request_parts(parts, state).await?;
        moderator_of(state, access).await
    }
}

/// A precedent the caller may read: adopted ones (withdrawn later or not) for readers of the
/// organisation's archive and for those who reach its session; one never adopted only for its
/// session's moderator. 404 (as for a missing id) otherwise.
// The private field is the point: only this module makes one (not `non_exhaustive`,
// which would still let the rest of the crate build one).
#[allow(clippy::manual_non_exhaustive)]
pub struct ReadablePrecedent {
    pub row: PrecedentRow,
    /// Whether the caller is of the precedent's team (or reached it through its session): the
    /// team's evaluation of its own session is shown to the team only.
    pub team: bool,
    _checked: (),
}

/// The precedent, its record and proof that the caller moderates its session (the only one
/// who changes it). Imported precedents have no session, so no moderator: they change by
/// re-import (403).
// The private field is the point: only this module makes one (not `non_exhaustive`,
// which would still let the rest of the crate build one).
#[allow(clippy::manual_non_exhaustive)]
pub struct EditablePrecedent {
    pub row: PrecedentRow,
    pub record: Precedent,
    pub moderator: Moderator,
    _checked: (),
}

async fn load(state: &AppState, id: Option<String>) -> Result<PrecedentRow, ApiError> {
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent");
    let id: i64 = id.and_then(|id| id.parse().ok()).ok_or_else(missing)?;
    state.store.precedent(id).await.map_err(ApiError::store)?.ok_or_else(missing)
}

/// The read rule for a loaded precedent (see [`ReadablePrecedent`]).
pub async fn readable(
    state: &AppState,
    auth: &AuthContext,
    headers: &axum::http::HeaderMap,
    row: PrecedentRow,
) -> Result<ReadablePrecedent, ApiError> {
    let team = match precedent_access(state, auth, headers, &row).await? {
        None => match (&auth.signed_in, row.team_id) {
            (Some(s), Some(team)) => {
                super::team_ids(state, s.user.id).await.map_err(ApiError::store)?.contains(&team)
            }
            _ => false,
        },
        Some(_) if row.citation_id.is_some() => true,
        Some(access) => {
            moderator_of(state, access).await?;
            true
        }
    };
    Ok(ReadablePrecedent { row, team, _checked: () })
}

impl FromRequestParts<Arc<AppState>> for ReadablePrecedent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (auth, id) = caller(parts, state).await;
        let row = load(state, id).await?;
        readable(state, &auth, &parts.headers, row).await
    }
}

impl FromRequestParts<Arc<AppState>> for EditablePrecedent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (auth, id) = caller(parts, state).await;
        let row = load(state, id).await?;
        let session = row.session_id.clone().ok_or_else(not_moderator)?;
        let access = session_access(state, &auth, bearer(&parts.headers), &session).await?;
        let moderator = moderator_of(state, access).await?;
        let record: Precedent = serde_json::from_value(row.record.clone()).map_err(|e| {
            tracing::error!(precedent = row.id, error = %e, "stored precedent record does not parse");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal")
        })?;
        Ok(EditablePrecedent { row, record, moderator, _checked: () })
    }
}
