//! A team's rhythm over HTTP: the schedule page (`page.rs`), the JSON API (`api.rs`), the
//! private calendar feeds (`feed.rs`), all doing what `ops.rs` does once.

mod api;
pub(crate) mod call;
mod feed;
pub mod ops;
mod page;

use std::sync::Arc;

use axum::Router;

use crate::app::AppState;

/// The contract of the rhythm API (`http/api/openapi.rs` merges it into the document).
pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    api::Doc::openapi()
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().merge(api::routes()).merge(feed::routes()).merge(page::routes())
}
