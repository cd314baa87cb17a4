//! `POST /api/v1/precedents/similar` with `{"text": …}`: the adopted precedents most like a
//! text being written (the consistency hints beside the case editor), `{"results": [...]}`
//! with at most five. A text holding a BSN or IBAN is refused and never searched or logged.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::{ApiError, ErrorBody};
use crate::app::AppState;
use crate::archive::similar::{similar_precedents_in, SimilarPrecedent};
use crate::domain::access::Action;
use crate::guard;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;

/// Precedents shown beside the editor.
pub const SIMILAR_LIMIT: usize = 5;

/// The precedents most like a text.
#[derive(Serialize, utoipa::ToSchema)]
struct Similar {
    results: Vec<SimilarPrecedent>,
}

/// The contract of this route (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(similar))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![Route::post("/api/v1/precedents/similar", SignedIn(Action::ReadArchive), similar)]
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SimilarRequest {
    text: String,
}

#[utoipa::path(post, path = "/api/v1/precedents/similar", tag = "archive", request_body = SimilarRequest, responses((status = 200, body = Similar), (status = "default", description = "An error", body = ErrorBody)))]
async fn similar(
    State(state): State<Arc<AppState>>,
    user: crate::http::auth::CurrentUser,
    body: Result<Json<SimilarRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Similar>, ApiError> {
    let Json(req) = body?;
    // The whole text is screened (up to the 1 MiB body limit): on the CPU pool.
    let text = crate::cpu::run(move || guard::check_text("text", &req.text).map(|()| req.text))
        .await
        .map_err(ApiError::privacy)?;
    let mut scope = crate::store::SearchQuery::default();
    if !crate::http::authz::scope_search(&state, &user, &mut scope).await.map_err(ApiError::store)? {
        return Ok(Json(Similar { results: Vec::new() }));
    }
    scope.synonym_groups =
        crate::search::organisation_synonyms(state.store.as_ref(), user.user.organisation_id)
            .await
            .map_err(ApiError::store)?;
    let results =
        similar_precedents_in(&state.search, &text, SIMILAR_LIMIT, &scope).await.map_err(ApiError::store)?;
    Ok(Json(Similar { results }))
}
