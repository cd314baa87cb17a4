//! A team's rhythm over HTTP: the schedule page (`page.rs`), the JSON API (`api.rs`), the
//! private calendar feeds (`feed.rs`), all doing what `ops.rs` does once.

mod api;
pub(crate) mod call;
mod feed;
pub mod ops;
mod page;

use crate::http::routes::Route;

/// The contract of the rhythm API (`http/api/openapi.rs` merges it into the document).
pub(crate) fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    api::Doc::openapi()
}

/// A team's rhythm: members see and take part (absences, swaps), moderators and admins plan; the
/// team boundary (404 outside it) is checked by the handler.
pub fn routes() -> Vec<Route> {
    [api::routes(), feed::routes(), page::routes()].concat()
}
