//! Flash messages: a form post answers with a redirect (303, so a reload does not post again)
//! and a short-lived cookie carrying what to say on the page it leads to ("Team aangemaakt",
//! a new invite link to copy). The page reads it once and clears it. The cookie is `HttpOnly`,
//! `SameSite=Strict`, lives at most two minutes, and holds a locale key, an optional name and an
//! optional link; the page shows them escaped, so a forged cookie can only mislead its own
//! browser.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use cookie::time::Duration;
use cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use crate::i18n::{self, Lang};

const NAME: &str = "beraad_flash";
/// Longest cookie value read (a link and a name fit easily).
const MAX_VALUE: usize = 2048;

/// What to say after a redirect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// A locale key; its text may hold `{name}`.
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A link to show with a copy button (a new invite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Flash {
    pub fn key(key: &str) -> Self {
        Flash { key: key.to_owned(), ..Flash::default() }
    }

    pub fn named(key: &str, name: &str) -> Self {
        Flash { key: key.to_owned(), name: Some(name.to_owned()), link: None }
    }

    /// The message in `lang` (empty for a key the locale files lack), and the link.
    pub fn for_page(&self, lang: Lang) -> minijinja::Value {
        let text = i18n::text(lang, &self.key)
            .filter(|_| self.key.starts_with("flash.") || self.key.starts_with("approval.done."))
            .unwrap_or("")
            .replace("{name}", self.name.as_deref().unwrap_or(""));
        minijinja::context! { text => text, link => self.link.clone(), key => self.key.clone() }
    }
}

/// A 303 redirect to `to` that leaves `flash` for the next page.
pub fn redirect(to: &str, flash: Flash) -> Response {
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&flash).unwrap_or_default());
    let cookie = Cookie::build((NAME, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(Duration::seconds(120))
        .build();
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The flash the request carries, if any (and whether there was a cookie to clear).
pub fn take(headers: &HeaderMap) -> (Option<Flash>, bool) {
    let Some(raw) = super::auth::read_cookie(headers, NAME) else { return (None, false) };
    let flash = (raw.len() <= MAX_VALUE)
        .then(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw.as_bytes()).ok())
        .flatten()
        .and_then(|bytes| serde_json::from_slice::<Flash>(&bytes).ok());
    (flash, true)
}

/// `res` with the flash cookie removed when `clear`: it is shown once.
pub fn cleared(mut res: Response, clear: bool) -> Response {
    if clear {
        let cookie = Cookie::build((NAME, "")).path("/").max_age(Duration::ZERO).build();
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_survives_the_redirect_once() {
        let flash = Flash { key: "flash.team_created".into(), name: Some("Noord".into()), link: None };
        let res = redirect("/beheer", flash.clone());
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let set = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
        let cookie = Cookie::parse(set).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{}={}", cookie.name(), cookie.value())).unwrap(),
        );
        assert_eq!(take(&headers), (Some(flash), true));
        assert_eq!(take(&HeaderMap::new()), (None, false));
        // Keys outside the flash messages say nothing.
        let odd = Flash::key("admin.title").for_page(Lang::Nl);
        assert_eq!(odd.get_attr("text").unwrap().as_str(), Some(""));
    }
}
