//! Methods: `GET /api/v1/methods` lists the built-in and the added ones; `POST /api/v1/methods`
//! adds a custom method (JSON in the shape of a built-in); `POST /api/v1/methods/validate`
//! checks one without adding it. Errors name every problem with its path.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::ApiError;
use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::method::{builtin, builtin_methods, validate_custom, Method};
use crate::http::PageLang;
use crate::i18n::Lang;
use crate::store::{DynStore, StoreError};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/methods", get(list).post(add))
        .route("/api/v1/methods/validate", post(validate))
}

/// A method by key: a built-in (with its variant), else one that was added.
pub async fn resolve(
    store: &DynStore,
    key: &str,
    variant: Option<&str>,
) -> Result<Option<Method>, StoreError> {
    if let Some(method) = builtin(key, variant) {
        return Ok(Some(method));
    }
    let Some(definition) = store.custom_method(key).await? else { return Ok(None) };
    serde_json::from_value(definition)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(format!("custom method {key}: {e}")))
}

async fn list(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
) -> Result<Json<Vec<Method>>, ApiError> {
    let mut methods = builtin_methods();
    for definition in state.store.custom_methods().await.map_err(|e| ApiError::store(e, lang))? {
        match serde_json::from_value(definition) {
            Ok(method) => methods.push(method),
            Err(e) => tracing::error!(error = %e, "a stored custom method no longer parses"),
        }
    }
    Ok(Json(methods))
}

async fn add(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    body: String,
) -> Result<(StatusCode, Json<Method>), ApiError> {
    // A built-in's key is refused by the validation itself (`reserved_key`).
    let method = checked(&body, lang)?;
    let definition = serde_json::to_value(&method).expect("methods serialise");
    match state.store.create_custom_method(&method.key, &definition, now_ms()).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(method))),
        Err(StoreError::AlreadyExists(_)) => {
            Err(ApiError::new(StatusCode::CONFLICT, "method_key_taken", lang))
        }
        Err(e) => Err(ApiError::store(e, lang)),
    }
}

async fn validate(PageLang(lang): PageLang, body: String) -> Result<Json<Method>, ApiError> {
    checked(&body, lang).map(Json)
}

/// Refuses a BSN or IBAN anywhere in it, then validates the method.
fn checked(body: &str, lang: Lang) -> Result<Method, ApiError> {
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
        crate::guard::check_json("", &value).map_err(|r| ApiError::privacy(r, lang))?;
    }
    validate_custom(body).map_err(|errors| {
        let details: Vec<_> = errors
            .iter()
            .map(|e| json!({ "code": e.code(), "path": e.path, "message": e.to_string() }))
            .collect();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_method", lang).with_details(json!(details))
    })
}
