//! `GET /sessions/new`: the case editor — method, title, case — with the anonymisation check
//! beside it (`web/static/js/case-editor.js`, which calls the scan and session APIs).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;
use minijinja::value::{Serde, Value};

use super::auth::CurrentUser;
use super::{AppError, PageLang};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::i18n;

pub fn routes() -> Vec<Route> {
    vec![Route::get("/sessions/new", SignedIn(Action::CreateSession), page)]
}

async fn page(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    // The teams the new session may belong to (`authz`: the user's own).
    let teams: Vec<_> = state
        .store
        .teams_of_user(user.user.id)
        .await?
        .into_iter()
        .map(|t| serde_json::json!({ "id": t.id, "name": t.name }))
        .collect();
    let methods = super::method_names::all_methods(&state).await?;
    let method_lang = super::method_names::method_lang(lang);
    let options: Vec<_> = methods
        .iter()
        .map(|m| {
            serde_json::json!({
                "key": m.key,
                "variant": m.variant,
                "name": format!("{} ({} min)", m.name.get(method_lang), m.total_minutes()),
            })
        })
        .collect();
    let strings = i18n::texts_with_prefixes(lang, &["editor.", "kind."]);
    let html = state.templates.render(
        "session_new.html",
        lang,
        minijinja::context! {
            methods => Value::from(Serde(&options)),
            strings => Value::from(Serde(&strings)),
            teams => Value::from(Serde(&teams)),
            current_user => user.template_value(),
            csrf_token => user.session.csrf_token.clone(),
        },
    )?;
    Ok(Html(html))
}
