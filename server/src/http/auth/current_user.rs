//! `CurrentUser`: the signed-in person, for handlers. Without a valid session a page that asks
//! for it redirects to `/inloggen?next=<this page>`; `Option<CurrentUser>` never refuses.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::context::AuthContext;
use crate::domain::access::{self, Action, Role};
use crate::store::{User, UserRole, WebSession};

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user: User,
    pub session: WebSession,
}

impl CurrentUser {
    /// The user's role in the access table.
    pub fn role(&self) -> Role {
        access_role(self.user.role)
    }

    /// Whether the role × action table allows `action`.
    pub fn may(&self, action: Action) -> bool {
        access::allowed(self.role(), action)
    }

    /// The audit actor name.
    pub fn actor(&self) -> String {
        crate::audit::user_actor(self.user.id)
    }

    /// What every page's template needs to know about who is signed in.
    pub fn template_value(&self) -> minijinja::Value {
        minijinja::context! {
            name => self.user.display_name.clone(),
            email => self.user.email.clone(),
            role => self.user.role.as_str(),
            is_admin => self.may(Action::ManagePeople),
            may_create_session => self.may(Action::CreateSession),
            may_read_archive => self.may(Action::ReadArchive),
            may_approve => self.may(Action::ApprovePrecedent),
        }
    }
}

/// A user role's row in the access table.
pub fn access_role(role: UserRole) -> Role {
    role.access_role()
}

/// Redirects to the sign-in page, remembering where the person wanted to go.
pub struct SignInRequired {
    next: String,
}

impl SignInRequired {
    /// Sign in, then go on to `next` (a path and query of this site).
    pub fn to(next: String) -> Self {
        Self { next }
    }
}

impl IntoResponse for SignInRequired {
    fn into_response(self) -> Response {
        let next: String = url::form_urlencoded::byte_serialize(self.next.as_bytes()).collect();
        Redirect::to(&format!("/inloggen?next={next}")).into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = SignInRequired;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthContext>().and_then(|c| c.signed_in.clone()) {
            Some(s) => Ok(CurrentUser { user: s.user, session: s.session }),
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_owned();
                Err(SignInRequired { next })
            }
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<AuthContext>()
            .and_then(|c| c.signed_in.clone())
            .map(|s| CurrentUser { user: s.user, session: s.session }))
    }
}
