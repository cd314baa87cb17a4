//! `Call`: what most handlers take before anything else, in one extractor: the state, the
//! language to answer in (`PageLang`), and what the auth middleware learned about the request
//! (who is signed in, the client's address). Handlers destructure it in their signature:
//! `Call { state, lang, auth }: Call`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::auth::AuthContext;
use super::PageLang;
use crate::app::AppState;
use crate::i18n::Lang;

pub struct Call {
    pub state: Arc<AppState>,
    pub lang: Lang,
    pub auth: AuthContext,
}

impl FromRequestParts<Arc<AppState>> for Call {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Infallible> {
        let PageLang(lang) = PageLang::from_request_parts(parts, state).await?;
        let auth = AuthContext::from_request_parts(parts, state).await?;
        Ok(Call { state: state.clone(), lang, auth })
    }
}
