//! `GET /api/v1/methods`: the built-in methods. `POST /api/v1/methods/validate`: check a custom
//! method (JSON) and return it normalised, or every problem with its path.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::ApiError;
use crate::app::AppState;
use crate::domain::method::{builtin_methods, validate_custom, Method};
use crate::http::PageLang;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/methods", get(list)).route("/api/v1/methods/validate", post(validate))
}

async fn list() -> Json<Vec<Method>> {
    Json(builtin_methods())
}

async fn validate(PageLang(lang): PageLang, body: String) -> Result<Json<Method>, ApiError> {
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&body) {
        crate::guard::check_json("", &value).map_err(|r| ApiError::privacy(r, lang))?;
    }
    validate_custom(&body).map(Json).map_err(|errors| {
        let details: Vec<_> = errors
            .iter()
            .map(|e| json!({ "code": e.code(), "path": e.path, "message": e.to_string() }))
            .collect();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_method", lang).with_details(json!(details))
    })
}
