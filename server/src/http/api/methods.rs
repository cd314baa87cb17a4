//! Methods: `GET /api/v1/methods` lists the built-in and the added ones; `POST /api/v1/methods`
//! adds a custom method (JSON in the shape of a built-in); `POST /api/v1/methods/validate`
//! checks one without adding it (signed in, for those who may add one). Errors name every
//! problem with its path — at most 50, then a count of the rest; more rounds than the limit are
//! refused (`too_many_rounds`) before anything else is read. The work runs on the CPU pool.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use super::{ApiError, ErrorBody};
use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::method::{
    builtin, builtin_methods, check_limits, parse_custom, validate_custom_value, Method, MethodError,
    MethodProblem,
};
use crate::http::authz::Rule::{Public, SignedIn};
use crate::http::routes::Route;
use crate::i18n::{self, Lang};
use crate::store::{DynStore, StoreError};

/// The contract of these routes (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, add, validate))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/methods", Public, list),
        Route::post("/api/v1/methods", SignedIn(Action::AddMethod), add),
        Route::post("/api/v1/methods/validate", SignedIn(Action::AddMethod), validate),
    ]
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

#[utoipa::path(get, path = "/api/v1/methods", tag = "methods", responses((status = 200, body = Vec<Method>), (status = "default", description = "An error", body = ErrorBody)))]
async fn list(State(state): State<Arc<AppState>>) -> Result<Json<Vec<Method>>, ApiError> {
    let mut methods = builtin_methods();
    for definition in state.store.custom_methods().await.map_err(ApiError::store)? {
        match serde_json::from_value(definition) {
            Ok(method) => methods.push(method),
            Err(e) => tracing::error!(error = %e, "a stored custom method no longer parses"),
        }
    }
    Ok(Json(methods))
}

#[utoipa::path(post, path = "/api/v1/methods", tag = "methods", request_body(content = Method, description = "A custom method in the shape of a built-in"), responses((status = 201, body = Method), (status = "default", description = "An error", body = ErrorBody)))]
async fn add(
    State(state): State<Arc<AppState>>,
    body: String,
) -> Result<(StatusCode, Json<Method>), ApiError> {
    // A built-in's key is refused by the validation itself (`reserved_key`).
    let method = checked(body).await?;
    let definition = serde_json::to_value(&method).expect("methods serialise");
    let definition = crate::guard::screen(definition).map_err(ApiError::privacy)?;
    match state.store.create_custom_method(&method.key, &definition, now_ms()).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(method))),
        Err(StoreError::AlreadyExists(_)) => Err(ApiError::new(StatusCode::CONFLICT, "method_key_taken")),
        Err(e) => Err(ApiError::store(e)),
    }
}

#[utoipa::path(post, path = "/api/v1/methods/validate", tag = "methods", request_body(content = Method), responses((status = 200, body = Method), (status = "default", description = "An error", body = ErrorBody)))]
async fn validate(body: String) -> Result<Json<Method>, ApiError> {
    checked(body).await.map(Json)
}

/// [`check`] on the CPU pool.
async fn checked(body: String) -> Result<Method, ApiError> {
    crate::cpu::run(move || check(&body)).await
}

/// Refuses a count over its limit, then a BSN or IBAN anywhere in it, then validates the method.
fn check(body: &str) -> Result<Method, ApiError> {
    let value = parse_custom(body).map_err(|e| invalid(&[e]))?;
    check_limits(&value).map_err(|e| {
        let (max, count) = match e.problem {
            MethodProblem::TooManyRounds { max, count } => (max, count),
            _ => (0, 0),
        };
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code())
            .with_vars(&[("max", max.to_string()), ("count", count.to_string())])
            .with_details_said(move |lang| json!([detail(&e, lang)]))
    })?;
    crate::guard::check_json("", &value).map_err(ApiError::privacy)?;
    validate_custom_value(&value).map_err(|errors| invalid(&errors))
}

fn invalid(errors: &[MethodError]) -> ApiError {
    let errors = errors.to_vec();
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_method")
        .with_details_said(move |lang| json!(errors.iter().map(|e| detail(e, lang)).collect::<Vec<_>>()))
}

/// One problem with its code, path and message: `api.method.<code>` in the caller's language
/// where the catalog has it, else the domain's English text.
fn detail(e: &MethodError, lang: Lang) -> serde_json::Value {
    let message = match (&e.problem, i18n::text(lang, &format!("api.method.{}", e.code()))) {
        (MethodProblem::TooManyRounds { max, count }, Some(t)) => {
            t.replace("{max}", &max.to_string()).replace("{count}", &count.to_string())
        }
        (MethodProblem::MoreProblems { count }, Some(t)) => t
            .replace("{count}", &count.to_string())
            .replace("{max}", &crate::domain::problems::MAX_PROBLEMS_REPORTED.to_string()),
        _ => e.to_string(),
    };
    json!({ "code": e.code(), "path": e.path, "message": message })
}
