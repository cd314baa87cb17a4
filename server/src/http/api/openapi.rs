//! The published contract: `GET /api/v1/openapi.json`, an OpenAPI 3.1 document generated from
//! the API's request and answer types (utoipa). Each API module describes its own routes (a
//! `Doc`); [`document`] merges them and adds the error answer every route can give. Public:
//! it is the contract, the same for everyone, and holds no data (docs/api.md).
//!
//! Tests keep it honest: it lists exactly the `/api/v1/` routes of the route table
//! (tests/integration/openapi.rs), and real answers validate against its schemas.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use super::ErrorBody;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;

/// The API's contract (docs/api.md): the same for everyone, no data in it.
pub fn routes() -> Vec<Route> {
    vec![Route::get("/api/v1/openapi.json", Public, openapi_json)]
}

/// The document's frame: title, version, the error schema and how scripts authenticate.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Beraad API",
        version = "1",
        description = "The JSON API of Beraad under /api/v1 (docs/api.md, docs/protocol.md). Errors are \
                       {\"error\": {\"code\", \"message\", \"details\"?}}, the message in the caller's \
                       language (?lang=en or the lang cookie, else Dutch)."
    ),
    paths(openapi_json),
    components(schemas(ErrorBody))
)]
struct Frame;

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Frame::openapi();
    for part in [
        super::admin::Doc::openapi(),
        super::sessions::Doc::openapi(),
        super::scan::Doc::openapi(),
        super::law_refs::Doc::openapi(),
        super::methods::Doc::openapi(),
        super::similar::Doc::openapi(),
        super::precedents::Doc::openapi(),
        super::precedent_lifecycle::Doc::openapi(),
        crate::http::practice::openapi(),
        crate::http::rhythm::openapi(),
        crate::http::room::Doc::openapi(),
    ] {
        doc.merge(part);
    }
    doc
}

/// The document as JSON (made once).
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| document().to_json().expect("the OpenAPI document serialises"))
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "contract",
    responses((status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json"))
)]
async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document_json())
}
