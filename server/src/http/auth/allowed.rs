//! `Allowed<P>`: a signed-in person whom the access table allows the action `P`, with what a
//! page handler needs besides: the state, the page language and the client's address (for the
//! audit log). Someone signed in without the right gets the "forbidden" page; someone not
//! signed in, the sign-in page (as with `CurrentUser`). The route table refuses first; this is
//! the handler's own check, in one place.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{pages, AuthContext, CurrentUser};
use crate::app::AppState;
use crate::audit::result;
use crate::domain::access::Action;
use crate::http::actor::Actor;
use crate::http::{AppError, PageLang};
use crate::i18n::Lang;

/// An action of the access table, as a type (the extractor's parameter).
pub trait Permission: Send + Sync {
    const ACTION: Action;
}

/// `Action::ManagePeople`: people, invites, teams.
pub struct ManagePeople;
impl Permission for ManagePeople {
    const ACTION: Action = Action::ManagePeople;
}

/// `Action::ManageSettings`: the organisation's settings and synonyms.
pub struct ManageSettings;
impl Permission for ManageSettings {
    const ACTION: Action = Action::ManageSettings;
}

/// `Action::ReadAudit`: the audit log.
pub struct ReadAudit;
impl Permission for ReadAudit {
    const ACTION: Action = Action::ReadAudit;
}

/// `Action::ApprovePrecedent`: the second reader under the four-eyes rule.
pub struct ApprovePrecedent;
impl Permission for ApprovePrecedent {
    const ACTION: Action = Action::ApprovePrecedent;
}

pub struct Allowed<P> {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub user: CurrentUser,
    /// The client's address, for the audit log.
    pub client: String,
    permission: PhantomData<P>,
}

impl<P: Permission> FromRequestParts<Arc<AppState>> for Allowed<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Response> {
        let PageLang(lang) = PageLang::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        let user =
            CurrentUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        if !user.may(P::ACTION) {
            return Err(pages::message(
                state,
                lang,
                StatusCode::FORBIDDEN,
                "auth.error.forbidden",
                Some(&user),
            ));
        }
        let AuthContext { client, .. } =
            AuthContext::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        Ok(Allowed { state: state.clone(), lang, user, client, permission: PhantomData })
    }
}

impl<P> Allowed<P> {
    /// A page with one message (`<key>.title`, `<key>.body`).
    pub fn message(&self, status: StatusCode, key: &str) -> Response {
        pages::message(&self.state, self.lang, status, key, Some(&self.user))
    }

    /// Records what this person did to `target` in the audit log, with its `result`.
    pub async fn audit_as(
        &self,
        action: &'static str,
        target: String,
        result: &'static str,
    ) -> Result<(), AppError> {
        Ok(self.actor().audit(&self.state, action, target, result).await?)
    }

    /// The person acting and from where, as the admin operations take it.
    pub fn actor(&self) -> Actor<'_> {
        Actor { user: &self.user.user, client: &self.client }
    }

    /// Records a successful action on `target` in the audit log.
    pub async fn audit(&self, action: &'static str, target: String) -> Result<(), AppError> {
        self.audit_as(action, target, result::OK).await
    }
}
