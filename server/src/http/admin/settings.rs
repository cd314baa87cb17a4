//! `POST /admin/settings`: the organisation's settings: who reads the archive
//! (`archive_readers`: `organisation` or `team`, see `domain::access::may_read_archive`) and
//! how long a closed session's content is kept (`retention_days`, `domain::retention`).
//! Needs `ManageSettings` (the route table); the rule and audit entry are `ops::change_settings`
//! (shared with the admin API). Answers with a redirect to `/beheer`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use super::ops;
use crate::app::AppState;
use crate::domain::access::Action;
use crate::http::auth::{pages, AuthContext, CurrentUser};
use crate::http::{AppError, PageLang};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/admin/settings", post(change))
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    archive_readers: String,
    /// The four-eyes rule for adoption: a checkbox, `on` when ticked (absent otherwise).
    #[serde(default)]
    four_eyes: Option<String>,
    /// Days a closed session's content is kept (`domain::retention`); unchanged when absent.
    #[serde(default)]
    retention_days: Option<String>,
}

async fn change(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Form(f): Form<SettingsForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManageSettings) {
        return Ok(pages::message(&state, lang, StatusCode::FORBIDDEN, "auth.error.forbidden", Some(&user)));
    }
    let admin = ops::Admin { user: &user.user, client: &ctx.client };
    let change = ops::SettingsChange {
        archive_readers: &f.archive_readers,
        four_eyes: f.four_eyes.as_deref().is_some_and(|v| !v.is_empty()),
        retention_days: f.retention_days.as_deref(),
    };
    if let Err(r) = ops::change_settings(&state, &admin, change).await? {
        return Ok(pages::message(&state, lang, r.status, r.key, Some(&user)));
    }
    Ok(crate::http::flash::redirect("/beheer", crate::http::flash::Flash::key("flash.settings_saved")))
}
