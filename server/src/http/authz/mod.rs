//! Authorisation in one place. Every route names its [`Rule`] in the route table
//! (`http/routes.rs`); [`enforce`], one middleware, applies the role × action part to every
//! request and refuses a route the table lacks; the two rules that depend on the object (a live
//! session's team, a precedent's status and organisation) are answered by [`session_access`]
//! and [`precedent_access`], which the extractors of `extract` apply: a handler receives a
//! [`SessionAccess`], [`Moderator`], [`SocketAccess`], [`SessionPage`], [`ReadablePrecedent`] or
//! [`EditablePrecedent`] only after the rule passed, and none of them can be made elsewhere
//! (joining without an invite uses [`SessionAccess::of_member`]). The role × action table itself
//! is `beraad_domain::access`. docs/security.md describes the whole.

mod extract;
mod moderator;
mod rule;
mod session_access;

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub use extract::{readable, EditablePrecedent, ReadablePrecedent, SessionPage, SocketAccess};
pub use moderator::{fold_session, moderator_of, not_moderator, Moderator};
pub use rule::{api_actions, Rule};
use session_access::session_access;
pub use session_access::{
    archive_setting, bearer, linkable_precedent, may_read_precedent, participant_of_user, precedent_access,
    scope_search, subprotocol_token, team_ids, SessionAccess, Via,
};

use crate::app::AppState;
use crate::http::auth::{pages, AuthContext, CurrentUser, SignInRequired};
use crate::http::{api::ApiError, PageLang};

/// The audit actor of a session participant.
pub fn actor_of(participant: &crate::domain::session::ParticipantId) -> String {
    crate::audit::participant_actor(participant.as_str())
}

/// The middleware: looks the matched route up in the table and checks `SignedIn` rules; the
/// object rules are left to the handler (they need the object). A route the table does not
/// know is refused with 403.
pub async fn enforce(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(path) = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()) else {
        // The fallback (404) and nothing else.
        return next.run(request).await;
    };
    let rule = match rule::rule_of(request.method(), &path) {
        Some(rule) => rule,
        // A known path under a method it does not serve: the router answers 405.
        None if rule::knows_path(&path) => return next.run(request).await,
        None => {
            tracing::error!(route = %path, "route missing from the authorisation table");
            return deny(&state, request.uri().clone(), request.headers().clone(), StatusCode::FORBIDDEN)
                .await;
        }
    };
    // An API token reaches only the routes of the actions it is scoped to (and never a live
    // session's or a precedent's routes, which take session tokens).
    let token_scope =
        request.extensions().get::<AuthContext>().and_then(|c| c.api.as_ref()).map(|api| match rule {
            Rule::SignedIn(action) => api.may(action),
            Rule::Public => true,
            Rule::Session | Rule::Precedent => false,
        });
    if token_scope == Some(false) {
        return ApiError::new(StatusCode::FORBIDDEN, "token_scope").into_response();
    }
    if let Rule::SignedIn(action) = rule {
        let user = request
            .extensions()
            .get::<AuthContext>()
            .and_then(|c| c.signed_in.clone())
            .map(|s| CurrentUser { user: s.user, session: s.session });
        match user {
            None => {
                return deny(
                    &state,
                    request.uri().clone(),
                    request.headers().clone(),
                    StatusCode::UNAUTHORIZED,
                )
                .await
            }
            Some(user) if !user.may(action) => {
                return deny(&state, request.uri().clone(), request.headers().clone(), StatusCode::FORBIDDEN)
                    .await
            }
            Some(_) => {}
        }
    }
    next.run(request).await
}

/// 401 or 403: JSON under `/api/`; pages redirect to sign-in (401) or say "no access" (403).
async fn deny(state: &AppState, uri: Uri, headers: HeaderMap, status: StatusCode) -> Response {
    let (mut parts, ()) = {
        let mut r = Request::new(());
        *r.uri_mut() = uri.clone();
        *r.headers_mut() = headers;
        r.into_parts()
    };
    let PageLang(lang) =
        <PageLang as axum::extract::FromRequestParts<()>>::from_request_parts(&mut parts, &())
            .await
            .unwrap_or_else(|e| match e {});
    let path = uri.path();
    if path.starts_with("/api/") || path.starts_with("/ws/") {
        let code = if status == StatusCode::UNAUTHORIZED { "sign_in_required" } else { "forbidden" };
        return ApiError::new(status, code).into_response();
    }
    if status == StatusCode::UNAUTHORIZED {
        let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_owned();
        return SignInRequired::to(next).into_response();
    }
    pages::message(state, lang, StatusCode::FORBIDDEN, "auth.error.forbidden", None)
}
