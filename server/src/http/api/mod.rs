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

pub use error::{localise, ApiError, ErrorBody};
pub(crate) use sessions::unresolved;

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    [
        admin::routes(),
        methods::routes(),
        openapi::routes(),
        law_refs::routes(),
        precedents::routes(),
        precedent_lifecycle::routes(),
        scan::routes(),
        sessions::routes(),
        similar::routes(),
    ]
    .concat()
}
