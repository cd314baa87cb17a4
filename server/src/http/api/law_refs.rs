//! `GET /api/v1/law-refs/check?q=art 18 lid 4 PW`: checks one law reference as typed, for the
//! precedent editor's inline validation. Answers its canonical form and the law register's
//! address, or 422 with the problem in the caller's language and an example. The rule is the
//! domain's (`LawRef::parse`); nothing is stored. At most [`MAX_QUERY`] characters are read.

use std::sync::Arc;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::ApiError;
use crate::app::AppState;
use crate::domain::precedent::LawRef;

/// Longest reference checked, in characters.
pub const MAX_QUERY: usize = 200;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/law-refs/check", get(check))
}

#[derive(Deserialize)]
struct CheckQuery {
    #[serde(default)]
    q: String,
}

async fn check(Query(query): Query<CheckQuery>) -> Result<Json<Value>, ApiError> {
    if query.q.chars().count() > MAX_QUERY {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "law_ref_too_long")
            .with_vars(&[("max", MAX_QUERY.to_string())]));
    }
    match LawRef::parse(&query.q) {
        Ok(law) => Ok(Json(json!({
            "canonical": law.to_string(),
            "url": law.to_juriconnect().map(|jci| format!("https://wetten.overheid.nl/{jci}")),
        }))),
        Err(e) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code())),
    }
}
