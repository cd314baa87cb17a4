//! The start page: for someone signed in, their dashboard (their teams, each team's running and
//! past sessions); otherwise what Beraad is, with the way in.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use minijinja::value::{Serde, Value};
use serde_json::json;

use super::auth::{pages, CurrentUser};
use super::{AppError, PageLang};
use crate::app::AppState;
use crate::store::SessionStatus;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/", get(home))
}

async fn home(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: Option<CurrentUser>,
) -> Result<Response, AppError> {
    let Some(user) = user else {
        return Ok(pages::render(&state, lang, StatusCode::OK, "home.html", None, minijinja::context! {}));
    };
    let mut teams = Vec::new();
    for team in state.store.teams_of_user(user.user.id).await? {
        let sessions = state.store.sessions_of_team(team.id).await?;
        let (past, current): (Vec<_>, Vec<_>) =
            sessions.into_iter().partition(|s| s.status == SessionStatus::Closed);
        let row = |s: &crate::store::SessionRow| {
            json!({ "id": s.id, "title": s.title, "method": s.method_key, "status": s.status.as_str(),
                    "content_removed": s.content_removed_at.is_some(),
                    "on": crate::domain::local_time::date_of(s.created_at).to_string() })
        };
        teams.push(json!({
            "name": team.name,
            "current": current.iter().rev().map(row).collect::<Vec<_>>(),
            "past": past.iter().rev().take(10).map(row).collect::<Vec<_>>(),
        }));
    }
    let context = minijinja::context! {
        teams => Value::from(Serde(&teams)),
        may_create => user.may(crate::domain::access::Action::CreateSession),
        may_search => user.may(crate::domain::access::Action::ReadArchive),
    };
    Ok(pages::render(&state, lang, StatusCode::OK, "dashboard.html", Some(&user), context))
}
