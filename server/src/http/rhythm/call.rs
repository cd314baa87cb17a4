//! A team's JSON route: the caller and the team of the path's `{id}` (`practice/viewer.rs`), or
//! a JSON 404 `no_such_team` as if it did not exist; and how such a route answers. A route with
//! a body takes [`TeamInput`] (the rhythm's rule: a body that does not parse is `422 bad_input`)
//! or [`TeamJson`] (the practice's: `400 invalid_request` with the parser's words), which yield
//! the team and the typed body in one: the team is found first, then the body read.

use std::ops::Deref;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
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
    /// A date of the body or path, or `422 bad_date`.
    pub fn date(&self, s: &str) -> Result<crate::domain::precedent::CalendarDate, ApiError> {
        Ok(ops::parse_date(s)?)
    }

    /// `204` after an operation, or its refusal.
    pub fn done(&self, outcome: Result<(), RhythmError>) -> Result<Response, ApiError> {
        Ok(outcome.map(|()| StatusCode::NO_CONTENT.into_response())?)
    }
}

/// The team and the body as `T` (any content type), or `422 bad_input`.
pub(crate) struct TeamInput<T>(pub TeamCall, pub T);

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for TeamInput<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let call = TeamCall::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let body = serde_json::from_slice(&bytes).map_err(|_| {
            ApiError::from(RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_input")).into_response()
        })?;
        Ok(TeamInput(call, body))
    }
}

/// The team and the JSON body (`content-type: application/json`) as `T`, or `400
/// invalid_request`.
pub(crate) struct TeamJson<T>(pub TeamCall, pub T);

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for TeamJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let call = TeamCall::from_request_parts(&mut parts, state).await?;
        let Json(body) = Json::<T>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| ApiError::bad_json(e).into_response())?;
        Ok(TeamJson(call, body))
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
