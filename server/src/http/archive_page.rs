//! `GET /archief`: the archive search page — a form, ranked results with highlighted snippets,
//! facets that narrow the search, paging. The query string is the API's
//! ([`super::search_params`]); a parameter that does not parse is shown next to its field with
//! what the user typed, and nothing is searched. `/archive` redirects here.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::value::{Serde, Value};
use serde_json::json;

use super::highlight::snippet_segments;
use super::method_names::{method_names, name_of};
use super::search_params::{SearchForm, PARAMETERS};
use super::{AppError, PageLang};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::domain::precedent::Theme;
use crate::http::authz::Rule::{Public, SignedIn};
use crate::http::routes::Route;
use crate::i18n::{self, Lang};
use crate::search::{Facet, Relaxation, SearchPage};

pub const PATH: &str = "/archief";

pub fn routes() -> Vec<Route> {
    vec![Route::get(PATH, SignedIn(Action::ReadArchive), page), Route::get("/archive", Public, to_archief)]
}

async fn to_archief(RawQuery(query): RawQuery) -> Redirect {
    Redirect::permanent(&match query {
        Some(q) if !q.is_empty() => format!("{PATH}?{q}"),
        _ => PATH.to_string(),
    })
}

async fn page(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: crate::http::auth::CurrentUser,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let form = SearchForm::from_params(&params);
    let methods = method_names(&state, lang).await?;
    let mut context = json!({
        "form": form,
        "themes": Theme::ALL.iter().map(|t| t.label()).collect::<Vec<_>>(),
        "methods": methods.iter().map(|(key, name)| json!({ "key": key, "name": name })).collect::<Vec<_>>(),
        // Every parameter, `null` when fine (templates are strict about undefined values).
        "errors": PARAMETERS.iter().map(|p| (p.to_string(), serde_json::Value::Null)).collect::<serde_json::Map<_, _>>(),
        // The language switch keeps the search.
        "keep_query": form.href("", &[("page", &form.page)]).trim_start_matches('?').to_string(),
        "searched": false,
        "error_list": [],
    });
    let status = match form.to_query() {
        Err(errors) => {
            for e in &errors {
                context["errors"][e.parameter] = json!(message(lang, e.code));
            }
            context["error_list"] = errors
                .iter()
                .map(|e| json!({ "param": e.parameter, "message": message(lang, e.code) }))
                .collect();
            StatusCode::BAD_REQUEST
        }
        Ok(mut query) => {
            // Only the reader's organisation (and, by its setting, team).
            crate::http::authz::scope_search(&state, &user, &mut query).await?;
            query.synonym_groups =
                crate::search::organisation_synonyms(state.store.as_ref(), user.user.organisation_id).await?;
            let page = state.search.search_precedents(&query).await?;
            results_context(&mut context, &form, &page, &methods);
            StatusCode::OK
        }
    };
    let html = state.templates.render("archive.html", lang, Value::from(Serde(&context)))?;
    Ok((status, Html(html)).into_response())
}

fn message(lang: Lang, code: &str) -> &'static str {
    i18n::text(lang, &format!("api.error.{code}")).unwrap_or_default()
}

fn results_context(
    context: &mut serde_json::Value,
    form: &SearchForm,
    page: &SearchPage,
    methods: &[(String, String)],
) {
    let results: Vec<_> = page
        .results
        .iter()
        .map(|hit| {
            json!({
                "href": format!("/precedenten/{}", hit.id),
                "reference": hit.citation_id.clone().or_else(|| hit.import_ref.clone()),
                "title": hit.title,
                "decided_on": hit.decided_on,
                "method": hit.method.as_deref().map(|m| name_of(methods, m)),
                "snippet": snippet_segments(&hit.snippet),
                "missing": hit.missing,
            })
        })
        .collect();
    let facet = |param: &str, current: &str, items: &[Facet], label: &dyn Fn(&Facet) -> String| {
        items
            .iter()
            .map(|f| {
                // Laws filter by their label (`art. 18`), which the law parser reads.
                let value = if param == "law" { f.label.as_str() } else { f.value.as_str() };
                let active = current.eq_ignore_ascii_case(value);
                json!({
                    "label": label(f),
                    "count": f.count,
                    "active": active,
                    "href": form.href(PATH, &[(param, if active { "" } else { value })]),
                })
            })
            .collect::<Vec<_>>()
    };
    let plain = |f: &Facet| f.label.clone();
    let method_label = |f: &Facet| name_of(methods, &f.value).to_string();
    let facets = json!([
        { "key": "themes", "items": facet("theme", &form.theme, &page.facets.themes, &plain) },
        { "key": "methods", "items": facet("method", &form.method, &page.facets.methods, &method_label) },
        { "key": "laws", "items": facet("law", &form.law, &page.facets.laws, &plain) },
    ]);
    let active_filters: Vec<_> = [
        ("law", &form.law),
        ("theme", &form.theme),
        ("value", &form.value),
        ("from", &form.from),
        ("to", &form.to),
    ]
    .into_iter()
    .chain([("method", &form.method)])
    .filter(|(_, v)| !v.is_empty())
    .map(|(param, v)| {
        let shown = if param == "method" { name_of(methods, v).to_string() } else { v.clone() };
        json!({ "param": param, "value": shown, "href": form.href(PATH, &[(param, "")]) })
    })
    .collect();
    let pages = page.total.div_ceil(u64::from(page.per_page.max(1))).max(1) as u32;
    let current = page.page.min(pages);
    // Page 1 is the search itself, without a page parameter.
    let page_href = |n: u32| {
        let n = if n == 1 { String::new() } else { n.to_string() };
        form.href(PATH, &[("page", &n)])
    };
    let page_links: Vec<_> = page_numbers(current, pages)
        .into_iter()
        .map(|n| match n {
            Some(n) => json!({ "gap": false, "number": n, "href": page_href(n), "current": n == current }),
            None => json!({ "gap": true, "current": false }),
        })
        .collect();
    let first = u64::from(current - 1) * u64::from(page.per_page) + 1;
    let last = (first + page.results.len() as u64).saturating_sub(1);
    let partial = page.results.iter().any(|h| !h.missing.is_empty());
    let relaxed: Vec<_> = page
        .report
        .relaxed
        .iter()
        .map(|r| match r {
            Relaxation::Strict { terms } => json!({ "kind": "strict", "terms": terms.join(", ") }),
            Relaxation::Spelling { from, to } => json!({ "kind": "spelling", "from": from, "to": to }),
            Relaxation::Filters => json!({ "kind": "filters" }),
        })
        .collect();
    context["match_report"] = json!({
        "partial": partial,
        "unmatched": page.report.unmatched.join(", "),
        "relaxed": relaxed,
    });
    context["searched"] = json!(true);
    context["results"] = json!(results);
    context["facets"] = facets;
    context["active_filters"] = json!(active_filters);
    context["paging"] = json!({
        "total": page.total,
        "page": current,
        "pages": pages,
        "first": first,
        "last": last,
        "prev": (current > 1).then(|| page_href(current - 1)),
        "next": (current < pages).then(|| page_href(current + 1)),
        "links": if pages > 1 { page_links } else { Vec::new() },
    });
}

/// The page numbers to link: the first, the last, and two either side of the current one;
/// `None` marks a gap.
pub fn page_numbers(current: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(current) <= 2 {
            if n > last_shown + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last_shown = n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_show_ends_and_neighbours_with_gaps() {
        assert_eq!(page_numbers(1, 1), [Some(1)]);
        assert_eq!(page_numbers(1, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_numbers(6, 12),
            [Some(1), None, Some(4), Some(5), Some(6), Some(7), Some(8), None, Some(12)]
        );
        assert_eq!(page_numbers(1, 8), [Some(1), Some(2), Some(3), None, Some(8)]);
    }
}
