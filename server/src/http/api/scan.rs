//! `POST /api/v1/scan` with `{"text": …}`: the anonymisation findings, as `beraad scan` prints.
//! For signed-in people who may scan (the case editor); a text longer than the longest case
//! text ([`MAX_CASE_TEXT`] characters) is refused (`text_too_long`), and the scan runs on the
//! CPU pool.

use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::{ApiError, ErrorBody};
use crate::domain::access::Action;
use crate::domain::anonymisation::{scan as scan_text, Finding};
use crate::domain::session::MAX_CASE_TEXT;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;

/// The contract of this route (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(scan))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![Route::post("/api/v1/scan", SignedIn(Action::ScanText), scan)]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    text: String,
}

#[utoipa::path(post, path = "/api/v1/scan", tag = "sessions", request_body = ScanRequest, responses((status = 200, body = Vec<Finding>), (status = "default", description = "An error", body = ErrorBody)))]
async fn scan(
    body: Result<Json<ScanRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Vec<Finding>>, ApiError> {
    let Json(req) = body?;
    let chars = req.text.chars().count();
    if chars > MAX_CASE_TEXT {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "text_too_long")
            .with_vars(&[("max", MAX_CASE_TEXT.to_string()), ("count", chars.to_string())]));
    }
    Ok(Json(crate::cpu::run(move || scan_text(&req.text)).await))
}
