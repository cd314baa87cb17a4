//! The last step of a search: the ranked page with a highlighted snippet of each hit's body.

use std::collections::HashMap;

use super::cache::RankedPage;
use super::page::{SearchPage, SnippetOut};
use super::query::SearchQuery;
use crate::domain::text::snippet_of_marks;

/// Longest snippet, in chars.
const SNIPPET_CHARS: usize = 220;

/// Snippets highlight every word form the index found (compounds, synonyms and parts too): a
/// body is split into words once and each word looked up by how it is written, never
/// analysed again. `bodies` holds the searchable body of each hit by precedent id (a missing
/// one gives an empty snippet).
pub fn assemble(query: &SearchQuery, ranked: RankedPage, bodies: &HashMap<i64, String>) -> SearchPage {
    let highlight = ranked.highlight;
    let results = ranked
        .hits
        .into_iter()
        .map(|mut h| {
            let s = snippet_of_marks(bodies.get(&h.id).map_or("", String::as_str), &highlight, SNIPPET_CHARS);
            h.snippet = SnippetOut {
                text: s.text,
                highlights: s.highlights.into_iter().map(|(a, b)| [a, b]).collect(),
            };
            h
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
