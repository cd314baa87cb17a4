//! What every page of a team (`/teams/{id}…`) starts with, once: who views it, in which
//! language, from where (for the audit log), and the team of the path's `{id}` if they may see
//! it; anyone else gets the "not found" page, as if the team did not exist.

use std::collections::HashMap;
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

pub(crate) struct TeamPage {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub user: CurrentUser,
    pub client: String,
    pub team: Team,
}

impl FromRequestParts<Arc<AppState>> for TeamPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let Ok(PageLang(lang)) = PageLang::from_request_parts(parts, state).await;
        let Ok(ctx) = AuthContext::from_request_parts(parts, state).await;
        let user =
            CurrentUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let id = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(params)| params.get("id").and_then(|id| id.parse::<i64>().ok()));
        let team = match id {
            Some(id) => team_of(state, &user, id).await.map_err(|e| AppError::from(e).into_response())?,
            None => None,
        };
        match team {
            Some(team) => Ok(TeamPage { state: state.clone(), lang, user, client: ctx.client, team }),
            None => Err(pages::message(state, lang, StatusCode::NOT_FOUND, "error.not_found", Some(&user))),
        }
    }
}
