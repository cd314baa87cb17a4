//! The last step of a search: the ranked page with a highlighted snippet of each hit's body.

use std::collections::HashMap;

use super::cache::RankedPage;
use super::page::{SearchHit, SearchPage, SnippetOut};
use super::query::SearchQuery;
use crate::domain::text::{snippet, QueryTerm};

/// Longest snippet, in chars.
const SNIPPET_CHARS: usize = 220;

/// `bodies` holds the searchable body of each hit by precedent id (a missing one gives an
/// empty snippet).
pub fn assemble(
    query: &SearchQuery,
    terms: &[QueryTerm],
    ranked: RankedPage,
    bodies: &HashMap<i64, String>,
) -> SearchPage {
    let results = ranked
        .hits
        .into_iter()
        .map(|h| {
            let s = snippet(bodies.get(&h.id).map_or("", String::as_str), terms, SNIPPET_CHARS);
            SearchHit {
                id: h.id,
                import_ref: h.import_ref,
                citation_id: h.citation_id,
                title: h.title,
                decided_on: h.decided_on,
                method: h.method,
                team_id: h.team_id,
                score: h.score,
                snippet: SnippetOut {
                    text: s.text,
                    highlights: s.highlights.into_iter().map(|(a, b)| [a, b]).collect(),
                },
            }
        })
        .collect();
    SearchPage {
        total: ranked.total,
        page: query.page(),
        per_page: query.per_page(),
        results,
        facets: ranked.facets,
    }
}
