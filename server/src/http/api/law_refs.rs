//! `GET /api/v1/law-refs/check?q=art 18 lid 4 PW`: checks one law reference as typed, for the
//! precedent editor's inline validation. Answers its canonical form and the law register's
//! address, or 422 with the problem in the caller's language and an example. The rule is the
//! domain's (`LawRef::parse`); nothing is stored. At most [`MAX_QUERY`] characters are read.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::{ApiError, ErrorBody};
use crate::domain::precedent::LawRef;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;

/// Longest reference checked, in characters.
pub const MAX_QUERY: usize = 200;

/// A reference that parses: its canonical form and, where the law register has it, its address.
#[derive(Serialize, utoipa::ToSchema)]
struct Checked {
    canonical: String,
    url: Option<String>,
}

/// The contract of this route (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(check))]
pub(crate) struct Doc;

/// A law reference checked as typed: parses text, reads nothing stored.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/law-refs/check", Public, check)]
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CheckQuery {
    #[serde(default)]
    q: String,
}

#[utoipa::path(get, path = "/api/v1/law-refs/check", tag = "archive", params(CheckQuery), responses((status = 200, body = Checked), (status = "default", description = "An error", body = ErrorBody)))]
async fn check(Query(query): Query<CheckQuery>) -> Result<Json<Checked>, ApiError> {
    if query.q.chars().count() > MAX_QUERY {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "law_ref_too_long")
            .with_vars(&[("max", MAX_QUERY.to_string())]));
    }
    match LawRef::parse(&query.q) {
        Ok(law) => Ok(Json(Checked {
            canonical: law.to_string(),
            url: law.to_juriconnect().map(|jci| format!("https://wetten.overheid.nl/{jci}")),
        })),
        Err(e) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code())),
    }
}
