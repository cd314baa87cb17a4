//! Searching the archive: `GET /api/v1/precedents?q=&law=&theme=&value=&method=&team=&from=&to=&page=`
//! answers `{results, facets, paging}`. Without `q` it lists what the filters match, newest
//! first. A filter that does not parse answers 400 in the caller's language.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::ApiError;
use crate::app::AppState;
use crate::domain::precedent::{CalendarDate, LawRef};
use crate::http::PageLang;
use crate::i18n::Lang;
use crate::store::SearchQuery;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/precedents", get(search))
}

async fn search(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let query = parse(&params, lang)?;
    let page = state.store.search_precedents(&query).await.map_err(|e| ApiError::store(e, lang))?;
    let pages = page.total.div_ceil(u64::from(page.per_page));
    Ok(Json(json!({
        "results": page.results,
        "facets": page.facets,
        "paging": { "total": page.total, "page": page.page, "per_page": page.per_page, "pages": pages },
    })))
}

/// The query string as a search; blank parameters count as absent.
fn parse(params: &HashMap<String, String>, lang: Lang) -> Result<SearchQuery, ApiError> {
    let get = |key: &str| params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
    let bad = |code: &str, key: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, code, lang).with_details(json!({ "parameter": key }))
    };
    let date = |key: &str| -> Result<Option<CalendarDate>, ApiError> {
        get(key).map(|v| v.parse::<CalendarDate>().map_err(|_| bad("invalid_date", key))).transpose()
    };
    Ok(SearchQuery {
        organisation_id: None,
        text: get("q").unwrap_or_default().to_string(),
        law: get("law").map(|v| LawRef::parse(v).map_err(|_| bad("invalid_law", "law"))).transpose()?,
        theme: get("theme").map(str::to_string),
        value: get("value").map(str::to_string),
        method: get("method").map(str::to_string),
        team_id: get("team")
            .map(|v| v.parse::<i64>().map_err(|_| bad("invalid_request", "team")))
            .transpose()?,
        from: date("from")?,
        to: date("to")?,
        page: get("page")
            .map(|v| v.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| bad("invalid_page", "page")))
            .transpose()?
            .unwrap_or(1),
        per_page: 0,
    })
}
