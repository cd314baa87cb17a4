//! The last step of a search: the ranked page with a highlighted snippet of each hit's body.

use std::collections::HashMap;

use super::cache::RankedPage;
use super::page::{SearchHit, SearchPage, SnippetOut};
use super::query::SearchQuery;
use crate::domain::text::{snippet, QueryTerm};

/// Longest snippet, in chars.
const SNIPPET_CHARS: usize = 220;

/// Snippets highlight every word the search found (its compounds, synonyms and parts too).
/// `bodies` holds the searchable body of each hit by precedent id (a missing one gives an
/// empty snippet).
pub fn assemble(query: &SearchQuery, ranked: RankedPage, bodies: &HashMap<i64, String>) -> SearchPage {
    let highlight: Vec<QueryTerm> = ranked.highlight;
    let results = ranked
        .hits
        .into_iter()
        .map(|h| {
            let s = snippet(bodies.get(&h.id).map_or("", String::as_str), &highlight, SNIPPET_CHARS);
            SearchHit {
                id: h.id,
                import_ref: h.import_ref,
                citation_id: h.citation_id,
                title: h.title,
                decided_on: h.decided_on,
                method: h.method,
                team_id: h.team_id,
                score: h.score,
                missing: h.missing,
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
        report: ranked.report,
    }
}
