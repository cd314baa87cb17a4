//! `POST /admin/settings`: the organisation's settings: who reads the archive
//! (`archive_readers`: `organisation` or `team`, see `domain::access::may_read_archive`) and
//! how long a closed session's content is kept (`retention_days`, `domain::retention`).
//! Needs `ManageSettings` (the route table); the rule and audit entry are `ops::change_settings`
//! (shared with the admin API). Answers with a redirect to `/beheer`.

use axum::response::Response;
use axum::Form;
use serde::Deserialize;

use super::ops;
use crate::domain::access::Action;
use crate::http::auth::{Allowed, ManageSettings};
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::http::AppError;

pub fn routes() -> Vec<Route> {
    vec![Route::post("/admin/settings", SignedIn(Action::ManageSettings), change)]
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

async fn change(admin: Allowed<ManageSettings>, Form(f): Form<SettingsForm>) -> Result<Response, AppError> {
    let actor = admin.actor();
    let change = ops::SettingsChange {
        archive_readers: &f.archive_readers,
        four_eyes: f.four_eyes.as_deref().is_some_and(|v| !v.is_empty()),
        retention_days: f.retention_days.as_deref(),
    };
    if let Err(r) = ops::change_settings(&admin.state, &actor, change).await? {
        return Ok(admin.message(r.status, r.key));
    }
    Ok(crate::http::flash::redirect("/beheer", crate::http::flash::Flash::key("flash.settings_saved")))
}
