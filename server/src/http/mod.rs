//! The HTTP surface: one module per feature, each listing its routes (`routes.rs`: method, path,
//! rule, handler), assembled into one router here with the layers every request goes through.

mod actor;
mod admin;
pub mod api;
mod approvals;
mod archive_page;
pub mod auth;
pub mod authz;
mod call;
mod error;
pub(crate) mod flash;
mod health;
mod highlight;
mod home;
mod lang;
pub mod log_path;
mod method_library;
mod method_names;
pub(crate) mod practice;
mod precedent_page;
pub mod request_id;
mod rhythm;
mod room;
pub mod routes;
pub(crate) mod search_params;
pub(crate) mod security_headers;
mod session_new;
mod static_files;
pub mod templates;
mod ws;

use std::sync::Arc;

use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use call::Call;
pub use error::AppError;
pub use lang::PageLang;

use crate::app::AppState;

/// Largest request body accepted anywhere (a long case text fits easily).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn router(state: Arc<AppState>) -> Router {
    layered(state, routes::router(routes::table()))
}

/// `routes` with the fallback and the layers every request goes through. Public for the test
/// that a route added around the route table is refused (tests/integration/authz.rs).
pub fn layered(state: Arc<AppState>, routes: Router<Arc<AppState>>) -> Router {
    routes
        .fallback(error::not_found)
        // The route table's rule for every route (see authz/), after the sign-in is known.
        .layer(axum::middleware::from_fn_with_state(state.clone(), authz::enforce))
        // Sessions, CSRF and origin checks for every route (see auth/context.rs).
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        // Every API error is said in the request's language, read once here (api/error.rs).
        .layer(axum::middleware::from_fn(api::localise))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security_headers::add))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(
            // Spans carry the request id, method and path only: query strings may hold search
            // words or case text, and secret path segments are redacted (log_path.rs).
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    tracing::info_span!(
                        "request",
                        request_id = %request_id::of(req),
                        method = %req.method(),
                        path = %log_path::of(req)
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        // Outermost: the id exists before the span above is made (request_id.rs).
        .layer(axum::middleware::from_fn(request_id::assign))
        .with_state(state)
}
