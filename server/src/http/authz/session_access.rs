//! The object rules: who reaches a live session (its team, or a token of it) and who reads a
//! precedent (a draft: its session's moderator; adopted: readers of the organisation's archive).

use axum::http::{header, HeaderMap, StatusCode};

use crate::app::AppState;
use crate::domain::access::{self, Action, ArchiveReaders};
use crate::domain::session::ParticipantId;
use crate::http::api::ApiError;
use crate::http::auth::{access_role, AuthContext, CurrentUser};
use crate::secrets;
use crate::store::{PrecedentRow, SessionRow, StoreError, User};

/// How the caller reached the session.
#[derive(Clone, Debug)]
pub enum Via {
    /// A session token (guest, or anyone who joined before).
    Token,
    /// A signed-in member of the session's team (or an admin of its organisation).
    User(Box<CurrentUser>),
}

/// Proof that the caller may reach a session. Only [`session_access`] makes one (the private
/// field), so a handler that holds one has been checked; as an extractor it reads the session
/// id from the route's `{id}` and the token from `Authorization: Bearer`.
#[derive(Clone, Debug)]
// The private field is the point: only this module makes one (not `non_exhaustive`,
// which would still let the rest of the crate build one).
#[allow(clippy::manual_non_exhaustive)]
pub struct SessionAccess {
    pub session: SessionRow,
    /// The participant the caller is (or becomes on joining): the token's, or `u-<user id>`.
    pub participant: ParticipantId,
    pub via: Via,
    _checked: (),
}

impl SessionAccess {
    /// A signed-in member's access, whatever token the request carries: joining without an
    /// invite and the session's pages admit by sign-in only.
    pub async fn of_member(
        state: &AppState,
        auth: &AuthContext,
        session_id: &str,
    ) -> Result<SessionAccess, ApiError> {
        session_access(state, auth, None, session_id).await
    }
}

/// The token of `Authorization: Bearer <token>`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// The session token a websocket upgrade offers as the subprotocol `token.<token>`, if any.
pub fn subprotocol_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .find_map(|p| p.strip_prefix("token.").filter(|t| !t.is_empty()).map(str::to_owned))
}

/// A signed-in user's participant id in every session.
pub fn participant_of_user(user_id: i64) -> ParticipantId {
    ParticipantId(format!("u-{user_id}"))
}

pub async fn team_ids(state: &AppState, user_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(state.store.teams_of_user(user_id).await?.into_iter().map(|t| t.id).collect())
}

/// Whether `user` sees the session at all: a member of its team (an admin: any team of the
/// organisation), with a role that may join. A session without a team is reached by token only.
async fn user_sees(state: &AppState, user: &CurrentUser, session: &SessionRow) -> Result<bool, StoreError> {
    let Some(team_id) = session.header.team_id else { return Ok(false) };
    let Some(team) = state.store.team(team_id).await? else { return Ok(false) };
    if team.organisation_id != user.user.organisation_id || !user.may(Action::JoinSession) {
        return Ok(false);
    }
    let own = team_ids(state, user.user.id).await?;
    Ok(access::may_see_team(user.role(), &own, team_id))
}

/// The one check for every route of a live session (`Rule::Session`). `token` is the session
/// token the request carries (Bearer header, or the websocket's subprotocol). A valid token of
/// this session admits; else a signed-in member of the team; someone signed in outside the team
/// gets 404 (as if the session did not exist); a token that is not valid for this session
/// (unknown, ended, or another session's: the answer does not tell which) or nothing at all 401.
/// Private to `authz`: handlers get it through the extractors or [`SessionAccess::of_member`].
pub(super) async fn session_access(
    state: &AppState,
    auth: &AuthContext,
    token: Option<&str>,
    session_id: &str,
) -> Result<SessionAccess, ApiError> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "no_such_session");
    let session = state.store.session(session_id).await.map_err(ApiError::store)?.ok_or_else(not_found)?;
    if session.content_removed_at.is_some() {
        // Its content went with the retention period: nothing left to open (docs/privacy.md).
        return Err(ApiError::new(StatusCode::GONE, "session_content_removed"));
    }
    if let Some(token) = token {
        let found = state
            .store
            .participant_for_token(session_id, &secrets::hash(token))
            .await
            .map_err(ApiError::store)?;
        if let Some(participant) = found {
            let participant = ParticipantId(participant);
            return Ok(SessionAccess { session, participant, via: Via::Token, _checked: () });
        }
    }
    if let Some(signed_in) = &auth.signed_in {
        let user = CurrentUser { user: signed_in.user.clone(), session: signed_in.session.clone() };
        if !user_sees(state, &user, &session).await.map_err(ApiError::store)? {
            return Err(not_found());
        }
        let participant = participant_of_user(user.user.id);
        return Ok(SessionAccess { session, participant, via: Via::User(Box::new(user)), _checked: () });
    }
    match token {
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token")),
        None => Err(ApiError::new(StatusCode::UNAUTHORIZED, "missing_token")),
    }
}

/// Whether a signed-in user may read an adopted (or later withdrawn) precedent: same
/// organisation, and the archive table and the organisation's setting allow it.
pub async fn may_read_precedent(
    state: &AppState,
    user: &User,
    row: &PrecedentRow,
) -> Result<bool, StoreError> {
    if row.organisation_id != user.organisation_id || !published(row) {
        return Ok(false);
    }
    let setting = archive_setting(state, row.organisation_id).await?;
    let own = team_ids(state, user.id).await?;
    Ok(access::may_read_archive(access_role(user.role), setting, &own, row.team_id))
}

/// The account behind a session participant, if it is a signed-in user's (`u-<id>`) that is
/// not disabled: whose archive rights a session token carries.
pub async fn user_of(state: &AppState, access: &SessionAccess) -> Result<Option<User>, StoreError> {
    if let Via::User(user) = &access.via {
        return Ok(Some(user.user.clone()));
    }
    let Some(id) = access.participant.as_str().strip_prefix("u-").and_then(|id| id.parse().ok()) else {
        return Ok(None);
    };
    Ok(state.store.user(id).await?.filter(|u| u.disabled_at.is_none()))
}

/// The precedent a session may link to: adopted (or withdrawn after adoption) and readable by
/// the caller under the archive rules. Anything else, another organisation's precedent, a
/// draft, an id that does not exist, is the same 404, so the answer tells nothing.
pub async fn linkable_precedent(
    state: &AppState,
    access: &SessionAccess,
    id: i64,
) -> Result<PrecedentRow, ApiError> {
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent");
    let row = state.store.precedent(id).await.map_err(ApiError::store)?.ok_or_else(missing)?;
    if row.session_id.as_deref() == Some(access.session.header.id.as_str()) {
        // Its own session's precedent: the caller moderates that session, nothing to hide.
        return Ok(row);
    }
    let Some(user) = user_of(state, access).await.map_err(ApiError::store)? else {
        return Err(missing());
    };
    if !may_read_precedent(state, &user, &row).await.map_err(ApiError::store)? {
        return Err(missing());
    }
    Ok(row)
}

/// Whether a precedent belongs to the archive: adopted (withdrawn later or not), or imported.
/// A draft, or a draft withdrawn before adoption, is its session's business only.
pub fn published(row: &PrecedentRow) -> bool {
    match row.status {
        crate::store::PrecedentStatus::Draft => false,
        _ => row.citation_id.is_some() || row.session_id.is_none(),
    }
}

/// The organisation's "who reads the archive" setting (`settings.archive_readers`).
pub async fn archive_setting(state: &AppState, organisation_id: i64) -> Result<ArchiveReaders, StoreError> {
    let org = state.store.organisation(organisation_id).await?;
    Ok(org
        .and_then(|o| serde_json::from_value(o.settings.get("archive_readers")?.clone()).ok())
        .unwrap_or_default())
}

/// The read rule of `Rule::Precedent`: an adopted precedent for a signed-in reader of its
/// organisation's archive, or anyone who reaches its session; a draft only for the moderator
/// of its session (checked by the caller with the returned access). 404 otherwise.
pub async fn precedent_access(
    state: &AppState,
    auth: &AuthContext,
    headers: &HeaderMap,
    row: &PrecedentRow,
) -> Result<Option<SessionAccess>, ApiError> {
    if published(row) {
        if let Some(s) = &auth.signed_in {
            if may_read_precedent(state, &s.user, row).await.map_err(ApiError::store)? {
                return Ok(None);
            }
        }
    }
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent");
    let session = row.session_id.as_deref().ok_or_else(missing)?;
    let found = session_access(state, auth, bearer(headers), session).await;
    match found {
        Ok(a) => Ok(Some(a)),
        Err(e) if e.status == StatusCode::NOT_FOUND => Err(missing()),
        Err(e) => Err(e),
    }
}

/// Narrows a search to what `user` may read: their organisation, and under the "team" archive
/// setting (for roles it binds) their team. False when they may read nothing at all. A person
/// in several teams under that setting sees the requested team if it is theirs, else their
/// first team (the search filters by one team).
pub async fn scope_search(
    state: &AppState,
    user: &CurrentUser,
    query: &mut crate::store::SearchQuery,
) -> Result<bool, StoreError> {
    query.organisation_id = Some(user.user.organisation_id);
    if !user.may(Action::ReadArchive) {
        return Ok(false);
    }
    let setting = archive_setting(state, user.user.organisation_id).await?;
    let own = team_ids(state, user.user.id).await?;
    if access::may_read_archive(user.role(), setting, &own, None) {
        return Ok(true);
    }
    match query.team_id {
        Some(team) if own.contains(&team) => Ok(true),
        _ => match own.first() {
            Some(first) => {
                query.team_id = Some(*first);
                Ok(true)
            }
            None => {
                // No team: nothing (a team id no team has).
                query.team_id = Some(-1);
                Ok(false)
            }
        },
    }
}
