//! `POST /admin/synonyms`: the organisation's own synonym groups (one group a line, words
//! separated by commas), used by its searches besides the shipped list. Checked with
//! `text::parse_groups` (at most `MAX_ORG_GROUPS` groups of 2 to `MAX_GROUP_WORDS` words, one
//! word each, no stopwords); a problem shows the page again with every problem by line and
//! the text as typed, and stores nothing. Needs `ManageSettings`; audited. Stored in the
//! organisation's settings (`synonyms`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::domain::access::Action;
use crate::domain::text::{parse_groups, SynonymError, MAX_ORG_GROUPS};
use crate::http::auth::{pages, AuthContext, CurrentUser};
use crate::http::{AppError, PageLang};
use crate::i18n::{self, Lang};

/// The most characters the synonyms field takes.
pub const MAX_SYNONYMS_CHARS: usize = 20_000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/admin/synonyms", post(change))
}

#[derive(Deserialize)]
struct SynonymsForm {
    #[serde(default)]
    synonyms: String,
}

async fn change(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    ctx: AuthContext,
    user: CurrentUser,
    Form(f): Form<SynonymsForm>,
) -> Result<Response, AppError> {
    if !user.may(Action::ManageSettings) {
        return Ok(pages::message(&state, lang, StatusCode::FORBIDDEN, "auth.error.forbidden", Some(&user)));
    }
    let groups = if f.synonyms.chars().count() > MAX_SYNONYMS_CHARS {
        Err(vec![message(lang, "admin.synonyms.error.too_long", &[("max", MAX_SYNONYMS_CHARS.to_string())])])
    } else {
        parse_groups(&f.synonyms, MAX_ORG_GROUPS)
            .map_err(|errors| errors.iter().map(|e| describe(lang, e)).collect())
    };
    let groups = match groups {
        Ok(groups) => groups,
        Err(problems) => {
            let typed = Some(super::people::SynonymsTyped { text: f.synonyms.clone(), problems });
            let shown = super::people::Shown { typed, ..Default::default() };
            return super::people::render(&state, lang, &user, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
        }
    };
    let org = user.user.organisation_id;
    let mut settings = match state.store.organisation(org).await? {
        Some(o) if o.settings.is_object() => o.settings,
        _ => serde_json::json!({}),
    };
    settings[crate::search::SYNONYMS_SETTINGS_KEY] = serde_json::json!(groups);
    state.store.set_organisation_settings(org, &settings).await?;
    audit::record(
        state.store.as_ref(),
        audit::Entry {
            actor: user.actor(),
            action: action::SETTINGS_CHANGED,
            target: format!("organisation:{org} synonyms={} groups", groups.len()),
            result: result::OK,
            client: ctx.client.clone(),
        },
    )
    .await?;
    Ok(Redirect::to("/beheer#synonyms-title").into_response())
}

fn message(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let mut text = i18n::text(lang, key).unwrap_or_default().to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// One problem in the UI language, with its line.
fn describe(lang: Lang, e: &SynonymError) -> String {
    match e {
        SynonymError::TooManyGroups { max } => {
            message(lang, "admin.synonyms.error.too_many_groups", &[("max", max.to_string())])
        }
        SynonymError::TooFewWords { line } => {
            message(lang, "admin.synonyms.error.too_few", &[("line", line.to_string())])
        }
        SynonymError::TooManyWords { line, max } => message(
            lang,
            "admin.synonyms.error.too_many_words",
            &[("line", line.to_string()), ("max", max.to_string())],
        ),
        SynonymError::NotOneWord { line, word } => message(
            lang,
            "admin.synonyms.error.not_one_word",
            &[("line", line.to_string()), ("word", word.clone())],
        ),
        SynonymError::TooLong { line, max } => message(
            lang,
            "admin.synonyms.error.word_too_long",
            &[("line", line.to_string()), ("max", max.to_string())],
        ),
        SynonymError::Stopword { line, word } => message(
            lang,
            "admin.synonyms.error.stopword",
            &[("line", line.to_string()), ("word", word.clone())],
        ),
    }
}
