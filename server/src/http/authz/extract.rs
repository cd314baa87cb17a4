//! The object checks as extractors: a handler that takes a [`SessionAccess`], a [`Moderator`],
//! a [`ReadablePrecedent`] or an [`EditablePrecedent`] gets the object only after its rule
//! passed, so a new route cannot forget the check. Each reads the object's id from the route's
//! `{id}`, the session token from `Authorization: Bearer`, the sign-in from the middleware and
//! answers with the same [`ApiError`] the rule gives.

use std::sync::Arc;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::StatusCode;

use super::moderator::{moderator_of, not_moderator, Moderator};
use super::{bearer, precedent_access, session_access, SessionAccess};
use crate::app::AppState;
use crate::domain::precedent::Precedent;
use crate::http::api::ApiError;
use crate::http::auth::AuthContext;
use crate::http::PageLang;
use crate::i18n::Lang;
use crate::store::PrecedentRow;

/// What every object extractor reads first: the language, the caller and the route's `{id}`.
async fn caller(parts: &mut Parts, state: &Arc<AppState>) -> (Lang, AuthContext, Option<String>) {
    let PageLang(lang) = PageLang::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
    let auth = AuthContext::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
    let id = RawPathParams::from_request_parts(parts, state)
        .await
        .ok()
        .and_then(|p| p.iter().find(|(k, _)| *k == "id").map(|(_, v)| v.to_owned()));
    (lang, auth, id)
}

impl FromRequestParts<Arc<AppState>> for SessionAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (lang, auth, id) = caller(parts, state).await;
        let id = id.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_session", lang))?;
        session_access(state, &auth, bearer(&parts.headers), &id, lang).await
    }
}

impl FromRequestParts<Arc<AppState>> for Moderator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let access = SessionAccess::from_request_parts(parts, state).await?;
        let PageLang(lang) = PageLang::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        moderator_of(state, access, lang).await
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

async fn load(state: &AppState, id: Option<String>, lang: Lang) -> Result<PrecedentRow, ApiError> {
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent", lang);
    let id: i64 = id.and_then(|id| id.parse().ok()).ok_or_else(missing)?;
    state.store.precedent(id).await.map_err(|e| ApiError::store(e, lang))?.ok_or_else(missing)
}

/// The read rule for a loaded precedent (see [`ReadablePrecedent`]).
pub async fn readable(
    state: &AppState,
    auth: &AuthContext,
    headers: &axum::http::HeaderMap,
    row: PrecedentRow,
    lang: Lang,
) -> Result<ReadablePrecedent, ApiError> {
    let team = match precedent_access(state, auth, headers, &row, lang).await? {
        None => match (&auth.signed_in, row.team_id) {
            (Some(s), Some(team)) => {
                super::team_ids(state, s.user.id).await.map_err(|e| ApiError::store(e, lang))?.contains(&team)
            }
            _ => false,
        },
        Some(_) if row.citation_id.is_some() => true,
        Some(access) => {
            moderator_of(state, access, lang).await?;
            true
        }
    };
    Ok(ReadablePrecedent { row, team, _checked: () })
}

impl FromRequestParts<Arc<AppState>> for ReadablePrecedent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (lang, auth, id) = caller(parts, state).await;
        let row = load(state, id, lang).await?;
        readable(state, &auth, &parts.headers, row, lang).await
    }
}

impl FromRequestParts<Arc<AppState>> for EditablePrecedent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (lang, auth, id) = caller(parts, state).await;
        let row = load(state, id, lang).await?;
        let session = row.session_id.clone().ok_or_else(|| not_moderator(lang))?;
        let access = session_access(state, &auth, bearer(&parts.headers), &session, lang).await?;
        let moderator = moderator_of(state, access, lang).await?;
        let record: Precedent = serde_json::from_value(row.record.clone()).map_err(|e| {
            tracing::error!(precedent = row.id, error = %e, "stored precedent record does not parse");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", lang)
        })?;
        Ok(EditablePrecedent { row, record, moderator, _checked: () })
    }
}
