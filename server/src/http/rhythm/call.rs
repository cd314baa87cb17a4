//! A team's JSON route: the caller and the team of the path's `{id}` (`practice/viewer.rs`), or
//! a JSON 404 `no_such_team` as if it did not exist; and how such a route answers.

use std::ops::Deref;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::ops::{self, RhythmError};
use crate::app::AppState;
use crate::http::api::ApiError;
use crate::http::practice::viewer::{scope_of, TeamScope};

pub(crate) struct TeamCall(pub TeamScope);

impl Deref for TeamCall {
    type Target = TeamScope;

    fn deref(&self) -> &TeamScope {
        &self.0
    }
}

impl TeamCall {
    /// A refusal as the API answers it.
    pub fn refuse(&self, e: RhythmError) -> ApiError {
        e.into_api()
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
        match scope_of(parts, state).await? {
            Ok(scope) => Ok(TeamCall(scope)),
            Err(_) => Err(RhythmError::new(StatusCode::NOT_FOUND, "no_such_team").into_api().into_response()),
        }
    }
}
