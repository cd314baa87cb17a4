//! `GET /beheer/audit`: the newest audit entries, and whether the chain is intact.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::audit::{self, Verified};
use crate::domain::access::Action;
use crate::http::auth::{pages, Allowed, CurrentUser, ReadAudit};
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::http::AppError;
use crate::i18n::{self, Lang};

/// How many entries the page shows.
const SHOWN: i64 = 200;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/beheer/audit", SignedIn(Action::ReadAudit), page)]
}

async fn page(admin: Allowed<ReadAudit>) -> Result<Response, AppError> {
    let (state, lang, user) = (&admin.state, admin.lang, &admin.user);
    let entries = state.store.recent_audit(SHOWN).await?;
    let names = Names::load(state, user, &entries).await?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let action_key = format!("audit.action.{}", e.fact.action);
            let result_key = format!("audit.result.{}", e.fact.result);
            minijinja::context! {
                seq => e.seq,
                at => crate::domain::local_time::minute_of(e.fact.at_ms),
                actor => names.say(lang, &e.fact.actor),
                action => i18n::text(lang, &action_key).map(str::to_owned).unwrap_or_else(|| e.fact.action.clone()),
                action_code => e.fact.action.clone(),
                target => names.say(lang, &e.fact.subject),
                result => i18n::text(lang, &result_key).map(str::to_owned).unwrap_or_else(|| e.fact.result.clone()),
                client => e.fact.origin.clone(),
            }
        })
        .collect();
    let intact = matches!(audit::verify(state.store.as_ref()).await?, Verified::Intact { .. });
    let ctx = minijinja::context! { entries => rows, intact => intact };
    Ok(pages::render(state, lang, StatusCode::OK, "admin_audit.html", Some(user), ctx))
}

/// Names for the ids an entry holds (`user:3`, `team:2`, `precedent:7`, `role=member`), read
/// once per page from the organisation's people, teams and the precedents the entries name.
struct Names {
    users: HashMap<i64, String>,
    teams: HashMap<i64, String>,
    precedents: HashMap<i64, String>,
}

impl Names {
    async fn load(
        state: &AppState,
        user: &CurrentUser,
        entries: &[crate::domain::audit::AuditEntry],
    ) -> Result<Self, AppError> {
        let org = user.user.organisation_id;
        let users = state
            .store
            .users_of_organisation(org)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        let teams =
            state.store.teams_of_organisation(org).await?.into_iter().map(|t| (t.id, t.name)).collect();
        let mut precedents = HashMap::new();
        for e in entries {
            for word in e.fact.subject.split_whitespace() {
                let Some(id) = word.strip_prefix("precedent:").and_then(|n| n.parse::<i64>().ok()) else {
                    continue;
                };
                if precedents.contains_key(&id) {
                    continue;
                }
                if let Some(row) = state.store.precedent(id).await?.filter(|r| r.organisation_id == org) {
                    precedents.insert(id, row.citation_id.unwrap_or(row.title));
                }
            }
        }
        Ok(Names { users, teams, precedents })
    }

    /// An actor or target as people read it: each id replaced by its name where known.
    fn say(&self, lang: Lang, text: &str) -> String {
        text.split_whitespace().map(|w| self.word(lang, w)).collect::<Vec<_>>().join(" ")
    }

    fn word(&self, lang: Lang, w: &str) -> String {
        let id = |prefix: &str| w.strip_prefix(prefix).and_then(|n| n.parse::<i64>().ok());
        let label = |key: &str| i18n::text(lang, key).unwrap_or(key).to_owned();
        if let Some(name) = id("user:").and_then(|i| self.users.get(&i)) {
            return name.clone();
        }
        if let Some(name) = id("team:").and_then(|i| self.teams.get(&i)) {
            return format!("{} {name}", label("audit.word.team"));
        }
        if let Some(name) = id("precedent:").and_then(|i| self.precedents.get(&i)) {
            return format!("{} {name}", label("audit.word.precedent"));
        }
        if let Some(role) = w.strip_prefix("role=") {
            return format!("({})", i18n::text(lang, &format!("role.{role}")).unwrap_or(role));
        }
        if w.starts_with("guest:") {
            return label("audit.word.guest");
        }
        if let Some(org) = w.strip_prefix("organisation:") {
            return format!("{} {org}", label("audit.word.organisation"));
        }
        if w.starts_with("session:") {
            return label("audit.word.session");
        }
        match w {
            "system" | "anonymous" | "cli" => label(&format!("audit.word.{w}")),
            _ => w.to_owned(),
        }
    }
}
