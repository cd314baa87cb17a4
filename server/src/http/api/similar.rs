//! `POST /api/v1/precedents/similar` with `{"text": …}`: the adopted precedents most like a
//! text being written (the consistency hints beside the case editor), `{"results": [...]}`
//! with at most five. A text holding a BSN or IBAN is refused and never searched or logged.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::ApiError;
use crate::app::AppState;
use crate::archive::similar::similar_precedents_in;
use crate::guard;

/// Precedents shown beside the editor.
pub const SIMILAR_LIMIT: usize = 5;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/precedents/similar", post(similar))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimilarRequest {
    text: String,
}

async fn similar(
    State(state): State<Arc<AppState>>,
    user: crate::http::auth::CurrentUser,
    body: Result<Json<SimilarRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(req) = body.map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request")
            .with_details(json!({ "detail": e.body_text() }))
    })?;
    // The whole text is screened (up to the 1 MiB body limit): on the CPU pool.
    let text = crate::cpu::run(move || guard::check_text("text", &req.text).map(|()| req.text))
        .await
        .map_err(ApiError::privacy)?;
    let mut scope = crate::store::SearchQuery::default();
    if !crate::http::authz::scope_search(&state, &user, &mut scope)
        .await
        .map_err(ApiError::store)?
    {
        return Ok(Json(json!({ "results": [] })));
    }
    scope.synonym_groups =
        crate::search::organisation_synonyms(state.store.as_ref(), user.user.organisation_id)
            .await
            .map_err(ApiError::store)?;
    let results = similar_precedents_in(&state.search, &text, SIMILAR_LIMIT, &scope)
        .await
        .map_err(ApiError::store)?;
    Ok(Json(json!({ "results": results })))
}
