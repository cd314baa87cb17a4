//! The rules a route can have, and the lookup `enforce` does per request: the rule of the
//! matched route in the route table (`http/routes.rs`, where every route names its rule beside
//! its handler).

use std::sync::LazyLock;

use axum::http::Method;

use crate::domain::access::Action;

/// What a route requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not (sign-in pages, static files, health, invite landings).
    Public,
    /// A signed-in person whose role may do the action (role × action table in
    /// `beraad_domain::access`). Anonymous: 401 (API) or a redirect to `/inloggen` (pages);
    /// a role without the action: 403.
    SignedIn(Action),
    /// A live session's route: a session token of this session, or a signed-in member of the
    /// session's team whose role may join; someone outside the team gets 404, a token of another
    /// session 403/404. Checked by the extractors `SessionAccess`, `Moderator`, `SocketAccess`
    /// and `SessionPage` (the session id is in the path).
    Session,
    /// A precedent route: a draft only for its session's moderator (session token or signed-in
    /// moderator), an adopted one for a signed-in reader of the organisation's archive
    /// (`may_read_archive`). Checked by [`super::precedent_access`] in the handler.
    Precedent,
}

/// Method, path and rule of every route: the route table without its handlers, read once.
static RULES: LazyLock<Vec<(Method, &'static str, Rule)>> =
    LazyLock::new(|| crate::http::routes::table().into_iter().map(|r| (r.method, r.path, r.rule)).collect());

/// The rule of a matched route; `None` when the table lacks it.
pub fn rule_of(method: &Method, path: &str) -> Option<Rule> {
    // HEAD is answered by the GET route.
    let method = if method == Method::HEAD { &Method::GET } else { method };
    RULES.iter().find(|(m, p, _)| m == method && *p == path).map(|(_, _, r)| *r)
}

/// The actions API tokens can be scoped to: those of the `/api/v1/` routes that need one, in
/// the order of [`Action::ALL`].
pub fn api_actions() -> Vec<Action> {
    let needed = |action: &Action| {
        RULES.iter().any(|(_, path, rule)| path.starts_with("/api/v1/") && *rule == Rule::SignedIn(*action))
    };
    Action::ALL.into_iter().filter(needed).collect()
}

/// Whether the table knows the path under any method (so a wrong method gets its 405).
pub fn knows_path(path: &str) -> bool {
    RULES.iter().any(|(_, p, _)| *p == path)
}
