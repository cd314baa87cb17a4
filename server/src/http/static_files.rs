//! `/static/…`: CSS, JavaScript modules and icons embedded in the binary.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::assets;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/static/{*path}", Public, serve)]
}

/// Whether a request path is a static asset's: the only answers a cache may keep (they hold no
/// case content); everything else gets `Cache-Control: no-store` (security_headers.rs).
pub fn is_static(path: &str) -> bool {
    path.starts_with("/static/")
}

async fn serve(Path(path): Path<String>) -> Response {
    let Some(file) = assets::Static::get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..12]));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime.as_ref())
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
            (header::ETAG, HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""))),
        ],
        file.data,
    )
        .into_response()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
