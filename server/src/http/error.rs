//! The one error type handlers return, and the pages for errors.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::PageLang;
use crate::app::AppState;
use crate::i18n::{self, Lang};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, "request failed");
        let status = match &self {
            AppError::Store(StoreError::Unavailable { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Html(plain_error_page(Lang::Nl, "error.internal"))).into_response()
    }
}

/// The fallback for unknown routes.
pub async fn not_found(State(state): State<Arc<AppState>>, PageLang(lang): PageLang) -> Response {
    let body = state
        .templates
        .render("error.html", lang, minijinja::context! { key => "error.not_found" })
        .unwrap_or_else(|_| plain_error_page(lang, "error.not_found"));
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

/// A page that needs no template, for when rendering itself failed.
fn plain_error_page(lang: Lang, key: &str) -> String {
    let title = i18n::text(lang, &format!("{key}.title")).unwrap_or("Error");
    let body = i18n::text(lang, &format!("{key}.body")).unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><title>{title}</title><h1>{title}</h1><p>{body}</p></html>",
        lang.code()
    )
}
