//! The start page.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use super::{AppError, PageLang};
use crate::app::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/", get(home))
}

async fn home(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
) -> Result<Html<String>, AppError> {
    Ok(Html(state.templates.render("home.html", lang, minijinja::context! {})?))
}
