//! Searching the archive: `GET /api/v1/precedents?q=&law=&theme=&value=&method=&team=&from=&to=&page=`
//! answers `{results, facets, unmatched, suggestions, relaxed, paging}`: every result says
//! which query words it lacks (`missing`); `unmatched` are words no precedent holds,
//! `suggestions` the archive's closest words for them, `relaxed` what was eased to find
//! anything. Without `q` it lists what the filters match, newest first. A filter that does not parse answers 400 in the caller's language.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use serde_json::json;

use super::{ApiError, ErrorBody};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::http::search_params::SearchForm;
use crate::search::{Facets, Relaxation, SearchHit, Suggestion};
use crate::store::SearchQuery;

/// A page of search results, with the facets of the whole matching set.
#[derive(Serialize, utoipa::ToSchema)]
struct Found {
    results: Vec<SearchHit>,
    facets: Facets,
    unmatched: Vec<String>,
    suggestions: Vec<Suggestion>,
    relaxed: Vec<Relaxation>,
    paging: Paging,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Paging {
    total: u64,
    page: u32,
    per_page: u32,
    pages: u64,
}

/// The search's query string (all optional; see docs/archive.md).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct SearchParams {
    q: Option<String>,
    law: Option<String>,
    theme: Option<String>,
    value: Option<String>,
    method: Option<String>,
    team: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
}

/// The contract of this route (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(search))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/precedents", SignedIn(Action::ReadArchive), search)]
}

#[utoipa::path(get, path = "/api/v1/precedents", tag = "archive", params(SearchParams), responses((status = 200, body = Found), (status = "default", description = "An error", body = ErrorBody)))]
async fn search(
    State(state): State<Arc<AppState>>,
    user: crate::http::auth::CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Found>, ApiError> {
    let mut query = parse(&params)?;
    // Only the reader's organisation (and, by its setting, team): `authz::scope_search`.
    if !crate::http::authz::scope_search(&state, &user, &mut query).await.map_err(ApiError::store)? {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden"));
    }
    query.synonym_groups =
        crate::search::organisation_synonyms(state.store.as_ref(), user.user.organisation_id)
            .await
            .map_err(ApiError::store)?;
    let page = state.search.search_precedents(&query).await.map_err(ApiError::store)?;
    let pages = page.total.div_ceil(u64::from(page.per_page));
    Ok(Json(Found {
        results: page.results,
        facets: page.facets,
        unmatched: page.report.unmatched,
        suggestions: page.report.suggestions,
        relaxed: page.report.relaxed,
        paging: Paging { total: page.total, page: page.page, per_page: page.per_page, pages },
    }))
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
