//! `/healthz`: the process runs. `/readyz`: and its database answers, and it is not shutting
//! down (503 `draining` from the shutdown signal on, so a load balancer sends new clients
//! elsewhere before connections close with 1001).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

use crate::app::AppState;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/healthz", Public, healthz), Route::get("/readyz", Public, readyz)]
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz(State(state): State<Arc<AppState>>) -> (StatusCode, Json<serde_json::Value>) {
    let backend = state.store.backend();
    if state.shutdown.draining.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "draining", "database": backend })));
    }
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready", "database": backend }))),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "database": backend })))
        }
    }
}
