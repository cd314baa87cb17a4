//! What every JSON route of a team's rhythm starts with, once: the caller, their language and
//! address (for the audit log), and the team of the path's `{id}` if they may see it (404 as if
//! it did not exist otherwise).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::ops::{self, RhythmError};
use crate::app::AppState;
use crate::http::api::ApiError;
use crate::http::auth::{AuthContext, CurrentUser};
use crate::http::PageLang;
use crate::i18n::Lang;
use crate::store::Team;

pub struct TeamCall {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub user: CurrentUser,
    pub client: String,
    pub team: Team,
}

impl TeamCall {
    /// A refusal as the API answers it.
    pub fn refuse(&self, e: RhythmError) -> ApiError {
        e.into_api(self.lang)
    }

    /// The JSON body as `T`, or `422 bad_input`.
    pub fn body<T: DeserializeOwned>(&self, bytes: &Bytes) -> Result<T, ApiError> {
        serde_json::from_slice(bytes)
            .map_err(|_| self.refuse(RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input")))
    }

    /// A date of the body or path, or `422 bad_date`.
    pub fn date(&self, s: &str) -> Result<crate::domain::precedent::CalendarDate, ApiError> {
        ops::parse_date(s).map_err(|e| self.refuse(e))
    }

    /// `204` after an operation, or its refusal.
    pub fn done(&self, outcome: Result<(), RhythmError>) -> Result<Response, ApiError> {
        outcome.map(|()| StatusCode::NO_CONTENT.into_response()).map_err(|e| self.refuse(e))
    }
}

impl FromRequestParts<Arc<AppState>> for TeamCall {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let Ok(PageLang(lang)) = PageLang::from_request_parts(parts, state).await;
        let Ok(ctx) = AuthContext::from_request_parts(parts, state).await;
        let user =
            CurrentUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let missing =
            || RhythmError::new(StatusCode::NOT_FOUND, "no_such_team").into_api(lang).into_response();
        let Path(params) =
            Path::<HashMap<String, String>>::from_request_parts(parts, state).await.map_err(|_| missing())?;
        let id: i64 = params.get("id").and_then(|id| id.parse().ok()).ok_or_else(missing)?;
        let team = ops::team_for(state, &user, id).await.map_err(|e| e.into_api(lang).into_response())?;
        Ok(TeamCall { state: state.clone(), lang, user, client: ctx.client, team })
    }
}
