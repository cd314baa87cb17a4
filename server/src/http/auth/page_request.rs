//! What the sign-in pages (password, OpenID Connect, the account links) take from every
//! request, as one extractor: the app, the page's language, the request's sign-in context and
//! who is signed in, if anyone.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;

use super::context::AuthContext;
use super::CurrentUser;
use crate::app::AppState;
use crate::http::PageLang;
use crate::i18n::Lang;

pub(super) struct PageRequest {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub ctx: AuthContext,
    pub user: Option<CurrentUser>,
}

impl FromRequestParts<Arc<AppState>> for PageRequest {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Infallible> {
        let PageLang(lang) = PageLang::from_request_parts(parts, state).await?;
        let ctx = AuthContext::from_request_parts(parts, state).await?;
        let user = <CurrentUser as OptionalFromRequestParts<_>>::from_request_parts(parts, state).await?;
        Ok(Self { state: state.clone(), lang, ctx, user })
    }
}
