//! What every page and JSON route of a team (`/teams/{id}…`, `/api/v1/teams/{id}/…`) starts
//! with, once: who calls, in which language, from where (for the audit log), and the team of the
//! path's `{id}` if they may see it. A page answers anyone else with the "not found" page
//! ([`TeamPage`]), the API with a JSON 404 (`http/rhythm/call.rs`), as if the team did not exist.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::team_of;
use crate::app::AppState;
use crate::http::auth::{pages, AuthContext, CurrentUser};
use crate::http::{AppError, PageLang};
use crate::i18n::Lang;
use crate::store::Team;

/// A caller and a team they may see.
pub(crate) struct TeamScope {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub user: CurrentUser,
    /// The client's address, for the audit log.
    pub client: String,
    pub team: Team,
}

/// The caller and, when they may see it, the team of the path's `{id}`; `Err(lang, user)` when
/// there is no such team for them. A caller who is not signed in is sent to sign in.
pub(crate) async fn scope_of(
    parts: &mut Parts,
    state: &Arc<AppState>,
) -> Result<Result<TeamScope, (Lang, CurrentUser)>, Response> {
    let Ok(PageLang(lang)) = PageLang::from_request_parts(parts, state).await;
    let Ok(ctx) = AuthContext::from_request_parts(parts, state).await;
    let user = CurrentUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
    let id = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .ok()
        .and_then(|Path(params)| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let team = match id {
        Some(id) => team_of(state, &user, id).await.map_err(|e| AppError::from(e).into_response())?,
        None => None,
    };
    Ok(match team {
        Some(team) => Ok(TeamScope { state: state.clone(), lang, user, client: ctx.client, team }),
        None => Err((lang, user)),
    })
}

/// A team's page.
pub(crate) struct TeamPage(pub TeamScope);

impl Deref for TeamPage {
    type Target = TeamScope;

    fn deref(&self) -> &TeamScope {
        &self.0
    }
}

impl FromRequestParts<Arc<AppState>> for TeamPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        match scope_of(parts, state).await? {
            Ok(scope) => Ok(TeamPage(scope)),
            Err((lang, user)) => {
                Err(pages::message(state, lang, StatusCode::NOT_FOUND, "error.not_found", Some(&user)))
            }
        }
    }
}
