//! `POST /api/v1/scan` with `{"text": …}`: the anonymisation findings, as `beraad scan` prints.
//! For signed-in people who may scan (the case editor); a text longer than the longest case
//! text ([`MAX_CASE_TEXT`] characters) is refused (`text_too_long`), and the scan runs on the
//! CPU pool.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;

use super::ApiError;
use crate::app::AppState;
use crate::domain::anonymisation::{scan as scan_text, Finding};
use crate::domain::session::MAX_CASE_TEXT;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/scan", post(scan))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    text: String,
}

async fn scan(
    body: Result<Json<ScanRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Vec<Finding>>, ApiError> {
    let Json(req) = body.map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request")
            .with_details(serde_json::json!({ "detail": e.body_text() }))
    })?;
    let chars = req.text.chars().count();
    if chars > MAX_CASE_TEXT {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "text_too_long")
            .with_vars(&[("max", MAX_CASE_TEXT.to_string()), ("count", chars.to_string())]));
    }
    Ok(Json(crate::cpu::run(move || scan_text(&req.text)).await))
}
