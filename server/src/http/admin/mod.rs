//! The admin pages (`/beheer`): people, teams and invites, the organisation's settings, and the audit log. Every handler asks the
//! access table (`beraad_domain::access`) before anything else.

mod api_tokens;
mod audit_log;
pub(crate) mod ops;
mod people;
mod settings;
mod synonyms;
mod teams;

use std::sync::Arc;

use axum::Router;
use serde_json::Value;

use crate::app::AppState;
use crate::store::StoreError;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .merge(people::routes())
        .merge(audit_log::routes())
        .merge(settings::routes())
        .merge(synonyms::routes())
        .merge(teams::routes())
        .merge(api_tokens::routes())
}

/// The organisation's settings, as an object to change (empty when it has none).
async fn settings_of(state: &AppState, organisation_id: i64) -> Result<Value, StoreError> {
    Ok(match state.store.organisation(organisation_id).await? {
        Some(o) if o.settings.is_object() => o.settings,
        _ => serde_json::json!({}),
    })
}
