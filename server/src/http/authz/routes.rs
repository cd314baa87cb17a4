//! The route table: every route of the router (method + path pattern) and the rule that guards
//! it. The middleware in `mod.rs` applies it to every request; a route missing here is refused
//! (deny by default), so a new route must be added to this table (and to the test table in
//! tests/integration/authz_routes.rs).

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

use Rule::*;

/// Every route. Keep in step with the router (the middleware refuses unknown routes).
pub const ROUTES: &[(Method, &str, Rule)] = &[
    (Method::GET, "/healthz", Public),
    (Method::GET, "/readyz", Public),
    (Method::GET, "/", Public),
    (Method::GET, "/methoden", Public),
    (Method::GET, "/static/{*path}", Public),
    // accounts
    (Method::GET, "/inloggen", Public),
    (Method::POST, "/inloggen", Public),
    (Method::POST, "/uitloggen", Public),
    // single sign-on (docs/sso.md): to the provider and back
    (Method::GET, "/inloggen/oidc", Public),
    (Method::GET, "/inloggen/oidc/terug", Public),
    (Method::GET, "/instellen/{token}", Public),
    (Method::POST, "/instellen/{token}", Public),
    (Method::GET, "/uitnodiging/{token}", Public),
    (Method::POST, "/uitnodiging/{token}", Public),
    // administration
    (Method::GET, "/beheer", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/invites", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/users/{id}/role", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/users/{id}/erase", SignedIn(Action::ManagePeople)),
    (Method::GET, "/beheer/audit", SignedIn(Action::ReadAudit)),
    (Method::POST, "/admin/settings", SignedIn(Action::ManageSettings)),
    (Method::POST, "/admin/synonyms", SignedIn(Action::ManageSettings)),
    (Method::POST, "/admin/teams", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/users/{id}/teams", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/users/{id}/name", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/teams/{id}/name", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/invites/revoke", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/users/{id}/teams/remove", SignedIn(Action::ManagePeople)),
    (Method::POST, "/admin/api-tokens", SignedIn(Action::ManageSettings)),
    (Method::POST, "/admin/api-tokens/{id}/revoke", SignedIn(Action::ManageSettings)),
    // the admin API (docs/api.md): the same operations as the forms above (http/admin/ops.rs),
    // for a signed-in admin or an API token scoped to the action
    (Method::GET, "/api/v1/admin/teams", SignedIn(Action::ManagePeople)),
    (Method::POST, "/api/v1/admin/teams", SignedIn(Action::ManagePeople)),
    (Method::POST, "/api/v1/admin/teams/{id}/members", SignedIn(Action::ManagePeople)),
    (Method::DELETE, "/api/v1/admin/teams/{id}/members/{user}", SignedIn(Action::ManagePeople)),
    (Method::GET, "/api/v1/admin/users", SignedIn(Action::ManagePeople)),
    (Method::PUT, "/api/v1/admin/users/{id}/role", SignedIn(Action::ManagePeople)),
    (Method::POST, "/api/v1/admin/invites", SignedIn(Action::ManagePeople)),
    (Method::DELETE, "/api/v1/admin/invites/{invite}", SignedIn(Action::ManagePeople)),
    (Method::GET, "/api/v1/admin/settings", SignedIn(Action::ManageSettings)),
    (Method::PUT, "/api/v1/admin/settings", SignedIn(Action::ManageSettings)),
    // four-eyes adoption: the second reader (the organisation and the author are checked by
    // the handler and the domain rule)
    (Method::GET, "/goedkeuren", SignedIn(Action::ApprovePrecedent)),
    (Method::GET, "/goedkeuren/{id}", SignedIn(Action::ApprovePrecedent)),
    (Method::POST, "/goedkeuren/{id}", SignedIn(Action::ApprovePrecedent)),
    // live sessions
    (Method::GET, "/sessions/new", SignedIn(Action::CreateSession)),
    (Method::POST, "/api/v1/sessions", SignedIn(Action::CreateSession)),
    (Method::POST, "/api/v1/sessions/{id}/join", Session),
    (Method::GET, "/sessies/{id}", Session),
    (Method::GET, "/sessies/{id}/beamer", Session),
    (Method::GET, "/sessies/{id}/deelnemen", Public),
    (Method::GET, "/sessies/{id}/precedent", Session),
    (Method::GET, "/api/v1/sessions/{id}/invite-qr", Public),
    (Method::POST, "/api/v1/sessions/{id}/invite", Session),
    (Method::GET, "/ws/sessions/{id}", Session),
    (Method::GET, "/api/v1/methods", Public),
    // the API's contract (docs/api.md): the same for everyone, no data in it
    (Method::GET, "/api/v1/openapi.json", Public),
    (Method::POST, "/api/v1/methods", SignedIn(Action::AddMethod)),
    (Method::POST, "/api/v1/methods/validate", SignedIn(Action::AddMethod)),
    (Method::POST, "/api/v1/scan", SignedIn(Action::ScanText)),
    // a law reference checked as typed: parses text, reads nothing stored
    (Method::GET, "/api/v1/law-refs/check", Public),
    // precedents of a session
    (Method::POST, "/api/v1/sessions/{id}/precedent", Session),
    (Method::GET, "/api/v1/sessions/{id}/precedent", Session),
    (Method::POST, "/api/v1/sessions/{id}/links", Session),
    (Method::GET, "/api/v1/sessions/{id}/links", Session),
    (Method::GET, "/api/v1/precedents/{id}", Precedent),
    (Method::PUT, "/api/v1/precedents/{id}", Precedent),
    (Method::POST, "/api/v1/precedents/{id}/adopt", Precedent),
    (Method::POST, "/api/v1/precedents/{id}/corrections", Precedent),
    (Method::POST, "/api/v1/precedents/{id}/withdraw", Precedent),
    (Method::GET, "/api/v1/precedents/{id}/versions/{n}", Precedent),
    // a team's practice: queue, actions, history (team boundary checked in http/practice)
    (Method::GET, "/teams/{id}", SignedIn(Action::JoinSession)),
    (Method::GET, "/teams/{id}/wachtrij", SignedIn(Action::JoinSession)),
    (Method::GET, "/teams/{id}/wachtrij/nieuw", SignedIn(Action::ProposeCase)),
    (Method::GET, "/api/v1/teams/{id}/queue", SignedIn(Action::JoinSession)),
    (Method::POST, "/api/v1/teams/{id}/queue", SignedIn(Action::ProposeCase)),
    (Method::POST, "/api/v1/teams/{id}/queue/{proposal}/interest", SignedIn(Action::ProposeCase)),
    (Method::POST, "/api/v1/teams/{id}/queue/{proposal}/withdraw", SignedIn(Action::ProposeCase)),
    (Method::POST, "/api/v1/teams/{id}/queue/{proposal}/pick", SignedIn(Action::LeadTeamPractice)),
    (Method::GET, "/api/v1/teams/{id}/actions", SignedIn(Action::JoinSession)),
    (Method::POST, "/api/v1/teams/{id}/actions/{action}", SignedIn(Action::JoinSession)),
    (Method::GET, "/api/v1/teams/{id}/history", SignedIn(Action::JoinSession)),
    // the archive
    (Method::GET, "/archief", SignedIn(Action::ReadArchive)),
    (Method::GET, "/archive", Public),
    (Method::GET, "/precedenten/{file}", SignedIn(Action::ReadArchive)),
    (Method::GET, "/api/v1/precedents", SignedIn(Action::ReadArchive)),
    (Method::POST, "/api/v1/precedents/similar", SignedIn(Action::ReadArchive)),
    (Method::GET, "/api/v1/precedents/by-citation/{citation}", SignedIn(Action::ReadArchive)),
    // a team's rhythm (issue 14): members see and take part (absences, swaps), moderators and
    // admins plan; the team boundary (404 outside it) is checked by the handler
    (Method::GET, "/teams/{id}/rooster", SignedIn(Action::ViewTeamRhythm)),
    // one form route: planning operations need PlanTeamRhythm, checked per operation
    (Method::POST, "/teams/{id}/rooster", SignedIn(Action::ViewTeamRhythm)),
    // the private feed: its token is the key (calendar programs do not sign in)
    (Method::GET, "/agenda/{feed}", Public),
    (Method::GET, "/api/v1/teams/{id}/schedule", SignedIn(Action::ViewTeamRhythm)),
    (Method::PUT, "/api/v1/teams/{id}/schedule", SignedIn(Action::PlanTeamRhythm)),
    (Method::POST, "/api/v1/teams/{id}/schedule/skips", SignedIn(Action::PlanTeamRhythm)),
    (Method::POST, "/api/v1/teams/{id}/schedule/moves", SignedIn(Action::PlanTeamRhythm)),
    (Method::DELETE, "/api/v1/teams/{id}/schedule/changes/{date}", SignedIn(Action::PlanTeamRhythm)),
    (Method::GET, "/api/v1/teams/{id}/meetings", SignedIn(Action::ViewTeamRhythm)),
    (Method::GET, "/api/v1/teams/{id}/rotation", SignedIn(Action::ViewTeamRhythm)),
    // one's own absence or a duty one holds; for others PlanTeamRhythm (checked by the handler)
    (Method::POST, "/api/v1/teams/{id}/rotation/absences", SignedIn(Action::ViewTeamRhythm)),
    (Method::POST, "/api/v1/teams/{id}/rotation/swaps", SignedIn(Action::ViewTeamRhythm)),
    (Method::POST, "/api/v1/teams/{id}/feed", SignedIn(Action::PlanTeamRhythm)),
    (Method::POST, "/api/v1/me/feed", SignedIn(Action::ViewTeamRhythm)),
];

/// The rule of a matched route; `None` when the table lacks it.
pub fn rule(method: &Method, path: &str) -> Option<Rule> {
    // HEAD is answered by the GET route.
    let method = if method == Method::HEAD { &Method::GET } else { method };
    ROUTES.iter().find(|(m, p, _)| m == method && *p == path).map(|(_, _, r)| *r)
}

/// The actions API tokens can be scoped to: those of the `/api/v1/` routes that need one.
pub fn api_actions() -> Vec<Action> {
    let mut actions: Vec<Action> = Vec::new();
    for (_, path, rule) in ROUTES {
        if let (true, SignedIn(action)) = (path.starts_with("/api/v1/"), rule) {
            if !actions.contains(action) {
                actions.push(*action);
            }
        }
    }
    actions
}

/// Whether the table knows the path under any method (so a wrong method gets its 405).
pub fn knows_path(path: &str) -> bool {
    ROUTES.iter().any(|(_, p, _)| *p == path)
}
