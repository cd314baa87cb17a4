//! [`Actor`]: who changes something and from where, the one actor of audited admin changes.
//! The `/beheer` forms get it from [`Allowed::actor`](super::auth::Allowed), the admin API from
//! the [`ApiActor`] extractor; `admin::ops` takes it and records each change with it.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::auth::{AuthContext, CurrentUser};
use crate::app::AppState;
use crate::audit;
use crate::store::{StoreError, User};

/// A signed-in person acting, and the client's address (for the audit log).
pub struct Actor<'a> {
    pub user: &'a User,
    pub client: &'a str,
}

impl Actor<'_> {
    /// The actor's organisation.
    pub fn org(&self) -> i64 {
        self.user.organisation_id
    }

    /// Records what the actor did to `target` in the audit log, with its `result`.
    pub async fn audit(
        &self,
        state: &AppState,
        action: &'static str,
        target: String,
        result: &'static str,
    ) -> Result<(), StoreError> {
        let entry = audit::Entry {
            actor: audit::user_actor(self.user.id),
            action,
            target,
            result,
            client: self.client.to_owned(),
        };
        audit::record(state.store.as_ref(), entry).await.map(|_| ())
    }
}

/// The caller of an API route that changes something: the signed-in person (or an API token's
/// admin) and the client's address. The route table has checked the action already.
pub struct ApiActor {
    pub state: Arc<AppState>,
    pub user: CurrentUser,
    pub client: String,
}

impl ApiActor {
    pub fn actor(&self) -> Actor<'_> {
        Actor { user: &self.user.user, client: &self.client }
    }
}

impl FromRequestParts<Arc<AppState>> for ApiActor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let user =
            CurrentUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let Ok(AuthContext { client, .. }) = AuthContext::from_request_parts(parts, state).await;
        Ok(ApiActor { state: state.clone(), user, client })
    }
}
