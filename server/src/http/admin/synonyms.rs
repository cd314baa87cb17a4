//! `POST /admin/synonyms`: the organisation's own synonym groups (one group a line, words
//! separated by commas), used by its searches besides the shipped list. Checked with
//! `text::parse_groups` (at most `MAX_ORG_GROUPS` groups of 2 to `MAX_GROUP_WORDS` words, one
//! word each, no stopwords); a problem shows the page again with every problem by line and
//! the text as typed, and stores nothing. Needs `ManageSettings`; audited. Stored in the
//! organisation's settings (`synonyms`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use crate::audit::action;
use crate::domain::access::Action;
use crate::domain::text::{parse_groups, SynonymError, MAX_ORG_GROUPS};
use crate::guard::{self, Refusal};
use crate::http::auth::{Allowed, ManageSettings};
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::http::AppError;
use crate::i18n::{self, Lang};

/// The most characters the synonyms field takes.
pub const MAX_SYNONYMS_CHARS: usize = 20_000;

pub fn routes() -> Vec<Route> {
    vec![Route::post("/admin/synonyms", SignedIn(Action::ManageSettings), change)]
}

#[derive(Deserialize)]
struct SynonymsForm {
    #[serde(default)]
    synonyms: String,
}

async fn change(admin: Allowed<ManageSettings>, Form(f): Form<SynonymsForm>) -> Result<Response, AppError> {
    let lang = admin.lang;
    let groups = if f.synonyms.chars().count() > MAX_SYNONYMS_CHARS {
        Err(vec![message(lang, "admin.synonyms.error.too_long", &[("max", MAX_SYNONYMS_CHARS.to_string())])])
    } else if let Err(refusal) = screen_lines(&f.synonyms) {
        // A BSN or IBAN is refused before anything else reads the text.
        Err(vec![refused(lang, &refusal)])
    } else {
        parse_groups(&f.synonyms, MAX_ORG_GROUPS)
            .map_err(|errors| errors.iter().map(|e| describe(lang, e)).collect())
    };
    let groups = match groups {
        Ok(groups) => groups,
        Err(problems) => {
            let typed = Some(super::people::SynonymsTyped { text: f.synonyms.clone(), problems });
            let shown = super::people::Shown { typed, ..Default::default() };
            let bad = StatusCode::UNPROCESSABLE_ENTITY;
            return super::people::render(&admin.state, lang, &admin.user, bad, shown).await;
        }
    };
    let org = admin.user.user.organisation_id;
    let mut settings = super::settings_of(&admin.state, org).await?;
    settings[crate::search::SYNONYMS_SETTINGS_KEY] = serde_json::json!(groups);
    // Settings written before every write was screened could hold a refused number.
    let Ok(settings) = guard::screen(settings) else {
        return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.setting"));
    };
    admin.state.store.set_organisation_settings(org, &settings).await?;
    admin
        .audit(action::SETTINGS_CHANGED, format!("organisation:{org} synonyms={} groups", groups.len()))
        .await?;
    Ok(Redirect::to("/beheer#synonyms-title").into_response())
}

/// Reads the synonyms line by line for a BSN or IBAN; a refusal names the line (from 1).
fn screen_lines(text: &str) -> Result<(), Refusal> {
    text.lines().enumerate().try_for_each(|(i, line)| guard::check_text(&(i + 1).to_string(), line))
}

/// A refused line, in the UI language: which line and what it holds, never the number.
fn refused(lang: Lang, refusal: &Refusal) -> String {
    let key = format!("admin.synonyms.error.{}", refusal.code());
    message(lang, &key, &[("line", refusal.field.clone())])
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
