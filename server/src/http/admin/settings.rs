//! `POST /admin/settings`: the organisation's settings: who reads the archive
//! (`archive_readers`: `organisation` or `team`, see `domain::access::may_read_archive`) and
//! how long a closed session's content is kept (`retention_days`, `domain::retention`).
//! Needs `ManageSettings` (the route table); audited. Answers with a redirect to `/beheer`.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use crate::app::AppState;
use crate::audit::action;
use crate::domain::access::ArchiveReaders;
use crate::http::auth::{Allowed, ManageSettings};
use crate::http::AppError;

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

async fn change(admin: Allowed<ManageSettings>, Form(f): Form<SettingsForm>) -> Result<Response, AppError> {
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    let Ok(readers) = serde_json::from_value::<ArchiveReaders>(serde_json::json!(f.archive_readers)) else {
        return Ok(admin.message(bad, "admin.error.setting"));
    };
    let retention_days = match f.retention_days.as_deref().map(crate::domain::retention::parse_days) {
        None => None,
        Some(Ok(days)) => Some(days),
        Some(Err(_)) => return Ok(admin.message(bad, "admin.error.retention_days")),
    };
    let org = admin.user.user.organisation_id;
    let mut settings = super::settings_of(&admin.state, org).await?;
    settings["archive_readers"] = serde_json::json!(readers);
    let four_eyes = f.four_eyes.as_deref().is_some_and(|v| !v.is_empty());
    settings["four_eyes"] = serde_json::json!(four_eyes);
    if let Some(days) = retention_days {
        settings[crate::domain::retention::SETTING] = serde_json::json!(days);
    }
    let target = format!(
        "organisation:{org} four_eyes={four_eyes} retention_days={} archive_readers={}",
        crate::domain::retention::days_of(&settings),
        f.archive_readers
    );
    // Settings written before every write was screened could hold a refused number.
    let Ok(settings) = crate::guard::screen(settings) else {
        return Ok(admin.message(bad, "admin.error.setting"));
    };
    admin.state.store.set_organisation_settings(org, &settings).await?;
    admin.audit(action::SETTINGS_CHANGED, target).await?;
    Ok(crate::http::flash::redirect("/beheer", crate::http::flash::Flash::key("flash.settings_saved")))
}
