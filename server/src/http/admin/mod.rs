//! The admin pages (`/beheer`): people, teams and invites, the organisation's settings, and the audit log. Every handler asks the
//! access table (`beraad_domain::access`) before anything else.

mod api_tokens;
mod audit_log;
pub(crate) mod ops;
mod people;
mod settings;
mod synonyms;
mod teams;

use serde_json::Value;

use crate::app::AppState;
use crate::http::routes::Route;
use crate::store::StoreError;

pub fn routes() -> Vec<Route> {
    [
        people::routes(),
        audit_log::routes(),
        settings::routes(),
        synonyms::routes(),
        teams::routes(),
        api_tokens::routes(),
    ]
    .concat()
}

/// The organisation's settings, as an object to change (empty when it has none).
async fn settings_of(state: &AppState, organisation_id: i64) -> Result<Value, StoreError> {
    Ok(match state.store.organisation(organisation_id).await? {
        Some(o) if o.settings.is_object() => o.settings,
        _ => serde_json::json!({}),
    })
}
