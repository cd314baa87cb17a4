//! `GET /methoden`: the method library — every method with its purpose, duration and rounds
//! (what each asks, its rule, who contributes, whether it is written in silence).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;
use minijinja::value::{Serde, Value};
use serde_json::json;

use super::method_names::{all_methods, method_lang};
use super::{AppError, PageLang};
use crate::app::AppState;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/methoden", Public, page)]
}

async fn page(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
) -> Result<Html<String>, AppError> {
    let ml = method_lang(lang);
    let methods: Vec<serde_json::Value> = all_methods(&state)
        .await?
        .iter()
        .map(|m| {
            json!({
                "anchor": match &m.variant { Some(v) => format!("{}-{v}", m.key), None => m.key.clone() },
                "name": m.name.get(ml),
                "description": m.description.get(ml),
                "minutes": m.total_minutes(),
                "rounds": m.rounds.iter().map(|r| json!({
                    "title": r.title.get(ml),
                    "prompt": r.prompt.get(ml),
                    "rule": r.rule.as_ref().map(|x| x.get(ml)),
                    "minutes": r.minutes,
                    "contributors": r.contributors,
                    "hidden": r.is_hidden(),
                    "pseudonymous": r.is_pseudonymous(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let html = state.templates.render(
        "methods.html",
        lang,
        minijinja::context! { methods => Value::from(Serde(&methods)) },
    )?;
    Ok(Html(html))
}
