//! `Call`: what most API handlers take before anything else, in one extractor: the state and
//! what the auth middleware learned about the request (who is signed in, the client's address).
//! Handlers destructure it in their signature: `Call { state, auth }: Call`. The language is no
//! part of it: API errors are said in the request's language by `api::error::localise`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::auth::AuthContext;
use crate::app::AppState;

pub struct Call {
    pub state: Arc<AppState>,
    pub auth: AuthContext,
}

impl FromRequestParts<Arc<AppState>> for Call {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Infallible> {
        let auth = AuthContext::from_request_parts(parts, state).await?;
        Ok(Call { state: state.clone(), auth })
    }
}
