//! API tokens for scripts: `Authorization: Bearer beraad_…` on `/api/v1/**` only (pages and
//! websockets never take one). A token acts as the admin who made it, limited to the actions
//! it was scoped to (and to what that admin's role still allows): the route table checks both
//! (`authz::enforce`). Without a cookie there is no ambient authority, so no CSRF token is
//! asked of a token caller; a cookie session keeps its CSRF rule. An unknown or revoked token
//! is refused with 401 before anything else.

use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::secrets;
use crate::store::{StoreError, WebSession};

use super::context::SignedIn;

/// What every API token starts with, so it is never taken for a session token (which also
/// travels as `Authorization: Bearer`).
pub const PREFIX: &str = "beraad_";
/// The longest token name.
pub const MAX_NAME: usize = 80;

/// A request made with an API token: which token, and the actions it may do.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token_id: i64,
    pub scopes: Vec<Action>,
}

impl ApiCaller {
    pub fn may(&self, action: Action) -> bool {
        self.scopes.contains(&action)
    }
}

/// A new token: what is shown once, and its hash (what is stored).
pub fn new_token() -> (String, String) {
    let token = format!("{PREFIX}{}", secrets::new_token());
    let hash = secrets::hash(&token);
    (token, hash)
}

/// An action's name as stored and shown (`manage_people`).
pub fn action_name(action: Action) -> String {
    serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The action of a name, if it is one.
pub fn parse_action(name: &str) -> Option<Action> {
    serde_json::from_value(serde_json::Value::String(name.trim().to_owned())).ok()
}

/// The API token presented on an `/api/v1/` request, if any (a Bearer value with [`PREFIX`]).
pub fn presented<'a>(path: &str, headers: &'a axum::http::HeaderMap) -> Option<&'a str> {
    if !path.starts_with("/api/v1/") {
        return None;
    }
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim();
    token.starts_with(PREFIX).then_some(token)
}

/// The caller behind a presented token: its admin (as signed in) and scopes; `None` for an
/// unknown or revoked token, or one whose admin is disabled or gone. Notes the token's use.
pub async fn caller(state: &AppState, token: &str) -> Result<Option<(SignedIn, ApiCaller)>, StoreError> {
    let now = now_ms();
    let Some(found) = state.store.use_api_token(&secrets::hash(token), now).await? else { return Ok(None) };
    let Some(user) = state.store.user(found.created_by).await? else { return Ok(None) };
    if user.disabled_at.is_some() || user.erased_at.is_some() || user.organisation_id != found.organisation_id
    {
        return Ok(None);
    }
    let scopes = found.scopes.split_whitespace().filter_map(parse_action).collect();
    // Not a browser session: no cookie, no CSRF token; named so no session row matches it.
    let session = WebSession {
        id_hash: format!("api-token:{}", found.id),
        user_id: user.id,
        csrf_token: String::new(),
        created_at: found.created_at,
        last_seen_at: now,
        client_addr: String::new(),
    };
    Ok(Some((SignedIn { session, user }, ApiCaller { token_id: found.id, scopes })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_round_trip_and_tokens_carry_the_prefix() {
        for action in Action::ALL {
            assert_eq!(parse_action(&action_name(action)), Some(action));
        }
        assert_eq!(action_name(Action::ManagePeople), "manage_people");
        assert_eq!(parse_action("root"), None);
        let (token, hash) = new_token();
        assert!(token.starts_with(PREFIX) && token.len() == PREFIX.len() + 43);
        assert_eq!(hash, secrets::hash(&token));
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
        assert_eq!(presented("/api/v1/admin/teams", &headers), Some(token.as_str()));
        assert_eq!(presented("/beheer", &headers), None, "pages never take a token");
        headers.insert("authorization", "Bearer a-session-token".parse().unwrap());
        assert_eq!(presented("/api/v1/sessions/x/join", &headers), None);
    }
}
