//! Searching the archive: `GET /api/v1/precedents?q=&law=&theme=&value=&method=&team=&from=&to=&page=`
//! answers `{results, facets, unmatched, suggestions, relaxed, paging}`: every result says
//! which query words it lacks (`missing`); `unmatched` are words no precedent holds,
//! `suggestions` the archive's closest words for them, `relaxed` what was eased to find
//! anything. Without `q` it lists what the filters match, newest first. A filter that does not parse answers 400 in the caller's language.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::ApiError;
use crate::app::AppState;
use crate::http::search_params::SearchForm;
use crate::store::SearchQuery;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/precedents", get(search))
}

async fn search(
    State(state): State<Arc<AppState>>,
    user: crate::http::auth::CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let mut query = parse(&params)?;
    // Only the reader's organisation (and, by its setting, team): `authz::scope_search`.
    if !crate::http::authz::scope_search(&state, &user, &mut query)
        .await
        .map_err(ApiError::store)?
    {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden"));
    }
    query.synonym_groups =
        crate::search::organisation_synonyms(state.store.as_ref(), user.user.organisation_id)
            .await
            .map_err(ApiError::store)?;
    let page = state.search.search_precedents(&query).await.map_err(ApiError::store)?;
    let pages = page.total.div_ceil(u64::from(page.per_page));
    Ok(Json(json!({
        "results": page.results,
        "facets": page.facets,
        "unmatched": page.report.unmatched,
        "suggestions": page.report.suggestions,
        "relaxed": page.report.relaxed,
        "paging": { "total": page.total, "page": page.page, "per_page": page.per_page, "pages": pages },
    })))
}

/// The query string as a search (parsed as the archive page does); the first parameter that
/// does not parse answers 400.
fn parse(params: &HashMap<String, String>) -> Result<SearchQuery, ApiError> {
    SearchForm::from_params(params).to_query().map_err(|errors| {
        let first = &errors[0];
        ApiError::new(StatusCode::BAD_REQUEST, first.code)
            .with_details(json!({ "parameter": first.parameter }))
    })
}
