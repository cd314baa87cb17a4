//! `GET /beheer/audit`: the newest audit entries, and whether the chain is intact.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::app::AppState;
use crate::audit::{self, Verified};
use crate::domain::access::Action;
use crate::http::auth::{pages, CurrentUser};
use crate::http::{AppError, PageLang};

/// How many entries the page shows.
const SHOWN: i64 = 200;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/beheer/audit", get(page))
}

async fn page(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if !user.may(Action::ReadAudit) {
        return Ok(pages::message(&state, lang, StatusCode::FORBIDDEN, "auth.error.forbidden", Some(&user)));
    }
    let entries = state.store.recent_audit(SHOWN).await?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            minijinja::context! {
                seq => e.seq,
                at => crate::domain::local_time::minute_of(e.fact.at_ms),
                actor => e.fact.actor.clone(),
                action => e.fact.action.clone(),
                target => e.fact.subject.clone(),
                result => e.fact.result.clone(),
                client => e.fact.origin.clone(),
            }
        })
        .collect();
    let intact = matches!(audit::verify(state.store.as_ref()).await?, Verified::Intact { .. });
    let ctx = minijinja::context! { entries => rows, intact => intact };
    Ok(pages::render(&state, lang, StatusCode::OK, "admin_audit.html", Some(&user), ctx))
}
