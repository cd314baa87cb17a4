//! Which language a page is rendered in: `?lang=` (which also sets the `lang` cookie), else the
//! cookie, else Dutch.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::i18n::Lang;

pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(from_query(parts.uri.query()).or_else(|| from_cookie(parts)).unwrap_or_default()))
    }
}

/// The language chosen by `?lang=` in a query string.
pub fn from_query(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|pair| pair.strip_prefix("lang=").and_then(Lang::parse))
}

fn from_cookie(parts: &Parts) -> Option<Lang> {
    crate::http::auth::cookie::read(&parts.headers, "lang").as_deref().and_then(Lang::parse)
}
