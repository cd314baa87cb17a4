//! The JSON API under `/api/v1`. Errors are `{"error": {"code", "message"}}` with the message in
//! the caller's language (`?lang=`, the `lang` cookie, else Dutch).

mod admin;
mod error;
mod law_refs;
pub(crate) mod methods;
pub mod openapi;
pub(crate) mod precedent_lifecycle;
mod precedents;
mod scan;
mod sessions;
mod similar;

use std::sync::Arc;

use axum::Router;

pub use error::{localise, ApiError, ErrorBody};
pub(crate) use sessions::unresolved;

use crate::app::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .merge(admin::routes())
        .merge(methods::routes())
        .merge(openapi::routes())
        .merge(law_refs::routes())
        .merge(precedents::routes())
        .merge(precedent_lifecycle::routes())
        .merge(scan::routes())
        .merge(sessions::routes())
        .merge(similar::routes())
}
