//! `GET /precedenten/{id}`: one precedent, every field in the order of PRECEDENTS.md, with its
//! citation id up front and a banner when it is a draft or withdrawn; prints cleanly
//! (`web/static/css/print.css`). `GET /precedenten/{id}.md` downloads it as Markdown (the
//! archive export's renderer), `GET /precedenten/{id}.json` as its stored record. An unknown id
//! is a 404 page in the reader's language.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::{Serde, Value};
use serde_json::json;

use super::method_names::{all_methods, full_name_of, method_names};
use super::{AppError, PageLang};
use crate::app::AppState;
use crate::archive::export::precedent_markdown;
use crate::archive::view::PrecedentView;
use crate::audit;
use crate::domain::access::Action;
use crate::http::auth::{AuthContext, CurrentUser};
use crate::http::authz;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::i18n::Lang;
use crate::store::PrecedentRow;

pub const PATH: &str = "/precedenten";

pub fn routes() -> Vec<Route> {
    vec![Route::get("/precedenten/{file}", SignedIn(Action::ReadArchive), page)]
}

/// What a path asks for.
#[derive(Debug, PartialEq, Eq)]
enum Format {
    Html,
    Markdown,
    Json,
}

/// `12` → (12, Html), `12.md` → (12, Markdown), `12.json` → (12, Json); anything else `None`.
fn parse_file(file: &str) -> Option<(i64, Format)> {
    let (id, format) = if let Some(id) = file.strip_suffix(".md") {
        (id, Format::Markdown)
    } else if let Some(id) = file.strip_suffix(".json") {
        (id, Format::Json)
    } else {
        (file, Format::Html)
    };
    let ok = !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| id.parse().ok()).flatten().map(|id| (id, format))
}

async fn page(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    auth: AuthContext,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let Some((id, format)) = parse_file(&file) else {
        return not_found(&state, lang);
    };
    let Some(row) = state.store.precedent(id).await? else {
        return not_found(&state, lang);
    };
    // Another organisation's precedent, a draft, or one the archive setting hides: 404.
    if !authz::may_read_precedent(&state, &user.user, &row).await? {
        return not_found(&state, lang);
    }
    if !matches!(format, Format::Html) {
        let entry = audit::Entry {
            actor: user.actor(),
            action: audit::action::PRECEDENT_DOWNLOADED,
            target: format!("precedent:{id}"),
            result: audit::result::OK,
            client: auth.client.clone(),
        };
        audit::record(state.store.as_ref(), entry).await?;
    }
    match format {
        Format::Markdown => Ok(download(
            precedent_markdown(&row, lang),
            "text/markdown; charset=utf-8",
            &file_name(&row, "md"),
        )),
        Format::Json => {
            // The citable record: the team's evaluation of its own session stays with the team.
            let mut record = row.record.clone();
            if let Some(o) = record.as_object_mut() {
                o.remove("evaluation");
            }
            let body = serde_json::to_string_pretty(&record).unwrap_or_else(|_| record.to_string());
            Ok(download(body, "application/json", &file_name(&row, "json")))
        }
        Format::Html => {
            let context = page_context(&state, &row, lang).await?;
            let html = state.templates.render("precedent.html", lang, Value::from(Serde(&context)))?;
            Ok(Html(html).into_response())
        }
    }
}

/// What `precedent.html` shows of a precedent (the archive's page, and the approval page).
pub(crate) async fn page_context(
    state: &AppState,
    row: &PrecedentRow,
    lang: Lang,
) -> Result<serde_json::Value, AppError> {
    let id = row.id;
    let view = PrecedentView::from_row(row);
    let names = method_names(state, lang).await?;
    let library = all_methods(state).await?;
    let versions: Vec<serde_json::Value> = state
        .store
        .precedent_versions(id)
        .await?
        .into_iter()
        .map(|v| {
            json!({ "version": v.version, "kind": v.kind, "on": day_of(v.created_at), "reason": v.reason })
        })
        .collect();
    // Sessions that cite this precedent: how and when, never which session (sessions are
    // their team's).
    let cited_by: Vec<serde_json::Value> = state
        .store
        .links_of_precedent(id)
        .await?
        .into_iter()
        .map(|l| json!({ "kind": l.kind, "on": day_of(l.created_at), "note": l.note }))
        .collect();
    // What became of the session's agreed actions (the team's follow-up).
    let follow_up =
        super::practice::follow_up_of_session(state, row.team_id, row.session_id.as_deref()).await?;
    let page_url = state.config.base_url.join(&format!("precedenten/{id}")).map(|u| u.to_string()).ok();
    let context = json!({
        "p": view,
        "reference": view.reference(),
        "method_name": view.method.as_deref().map(|m| full_name_of(&library, &names, m, view.method_variant.as_deref(), lang)),
        "page_url": page_url,
        "md_href": format!("{PATH}/{id}.md"),
        "theme_links": theme_links(&view),
        "related": view.related_precedents.iter().map(|r| json!({
            "relation": r.relation,
            "citation": r.citation,
            "href": archive_href("q", &r.citation),
        })).collect::<Vec<_>>(),
        "rulings": view.court_rulings.iter().map(|c| json!({
            "ecli": c.ecli,
            "note": c.note,
            "href": format!("https://uitspraken.rechtspraak.nl/details?id={}", encode(&c.ecli)),
        })).collect::<Vec<_>>(),
        "json_href": format!("{PATH}/{id}.json"),
        "versions": versions,
        "cited_by": cited_by,
        "follow_up": follow_up,
    });
    Ok(context)
}

/// A unix-milliseconds time as its local day, `YYYY-MM-DD`.
fn day_of(ms: i64) -> String {
    crate::domain::local_time::date_of(ms).to_string()
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The archive page filtered by one parameter.
fn archive_href(param: &str, value: &str) -> String {
    format!("/archief?{param}={}", encode(value))
}

/// Themes then free tags, each a link to the archive filtered by it.
fn theme_links(view: &PrecedentView) -> Vec<serde_json::Value> {
    let themes = view.themes.iter().map(|t| (t, false));
    let tags = view.tags.iter().map(|t| (t, true));
    themes
        .chain(tags)
        .map(|(label, free)| json!({ "label": label, "free": free, "href": archive_href("theme", label) }))
        .collect()
}

/// A download name: the citation id (or reference) with only safe characters, else the id.
fn file_name(row: &PrecedentRow, ext: &str) -> String {
    let view = PrecedentView::from_row(row);
    let base = view.reference().unwrap_or_default();
    let safe: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    let safe = safe.trim_matches('-');
    if safe.is_empty() {
        format!("precedent-{}.{ext}", row.id)
    } else {
        format!("{safe}.{ext}")
    }
}

fn download(body: String, content_type: &'static str, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CONTENT_DISPOSITION, disposition);
    res
}

fn not_found(state: &AppState, lang: Lang) -> Result<Response, AppError> {
    let html = state.templates.render(
        "error.html",
        lang,
        minijinja::context! { key => "error.precedent_not_found" },
    )?;
    Ok((StatusCode::NOT_FOUND, Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_an_id_and_a_format() {
        assert_eq!(parse_file("12"), Some((12, Format::Html)));
        assert_eq!(parse_file("12.md"), Some((12, Format::Markdown)));
        assert_eq!(parse_file("12.json"), Some((12, Format::Json)));
        for bad in ["", ".md", "12.txt", "-1", "1e3", "abc", "99999999999999999999"] {
            assert_eq!(parse_file(bad), None, "{bad}");
        }
    }
}
