//! Consistency hints: the adopted precedents most similar to a text someone is writing.
//!
//! The text's most informative words ([`salient_terms`]) are one ranked partial-matching
//! search (the archive search's own: BM25F with a coverage factor, compounds and synonyms), in
//! which a precedent must share several of the words ([`min_shared`]), so one common word is
//! never enough.

use serde::Serialize;

use super::view::PrecedentView;
use crate::domain::text::salient_terms;
use crate::search::ArchiveSearch;
use crate::store::{PrecedentStatus, SearchQuery, StoreError};

/// Words of the text searched for.
pub const SIMILAR_TERMS: usize = 10;
/// Only this much of a (long) text is read for its words.
const MAX_TEXT_CHARS: usize = 20_000;
/// Characters of a conclusion shown beside the editor.
pub const CONCLUSION_CHARS: usize = 240;

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SimilarPrecedent {
    pub id: i64,
    pub citation_id: Option<String>,
    #[serde(rename = "ref")]
    pub import_ref: Option<String>,
    pub title: String,
    pub decided_on: Option<String>,
    /// The conclusion, shortened to about [`CONCLUSION_CHARS`] at a word boundary.
    pub conclusion: String,
    /// The words of the text it shares.
    pub shared: Vec<String>,
    pub url: String,
}

/// How many of `n` searched words a precedent must share to count as similar.
pub fn min_shared(n: usize) -> usize {
    match n {
        0 => usize::MAX,
        1 => 1,
        n => (n.div_ceil(4)).max(2),
    }
}

/// Up to `limit` adopted precedents most like `text`, most similar first. The caller has
/// screened `text` for a BSN or IBAN.
pub async fn similar_precedents(
    search: &ArchiveSearch,
    text: &str,
    limit: usize,
) -> Result<Vec<SimilarPrecedent>, StoreError> {
    similar_precedents_in(search, text, limit, &SearchQuery::default()).await
}

/// As [`similar_precedents`], within `scope`'s organisation and team (the reader's view).
pub async fn similar_precedents_in(
    search: &ArchiveSearch,
    text: &str,
    limit: usize,
    scope: &SearchQuery,
) -> Result<Vec<SimilarPrecedent>, StoreError> {
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let terms = salient_terms(&text, SIMILAR_TERMS);
    if terms.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    // One ranked partial-matching search for all the words: a precedent must hold enough of
    // them, and more shared (and rarer) words rank higher.
    let query = SearchQuery {
        text: terms.join(" "),
        per_page: (limit as u32).saturating_mul(2).min(crate::search::MAX_PER_PAGE),
        min_terms: min_shared(terms.len()) as u32,
        organisation_id: scope.organisation_id,
        team_id: scope.team_id,
        synonym_groups: scope.synonym_groups.clone(),
        ..SearchQuery::default()
    };
    let page = search.search_precedents(&query).await?;
    let ranked: Vec<(i64, f64, Vec<String>)> = page
        .results
        .into_iter()
        .map(|hit| {
            let shared = terms
                .iter()
                .filter(|t| !hit.missing.contains(t) && !page.report.unmatched.contains(t))
                .cloned()
                .collect();
            (hit.id, hit.score, shared)
        })
        .collect();
    let mut out = Vec::new();
    for (id, _, shared) in ranked {
        if out.len() >= limit {
            break;
        }
        let Some(row) = search.archive().precedent(id).await? else { continue };
        if row.status != PrecedentStatus::Adopted {
            continue;
        }
        let view = PrecedentView::from_row(&row);
        out.push(SimilarPrecedent {
            id,
            citation_id: view.citation_id.clone(),
            import_ref: view.import_ref.clone(),
            title: view.title.clone(),
            decided_on: view.session_date.clone(),
            conclusion: shorten(&view.conclusion, CONCLUSION_CHARS),
            shared,
            url: format!("/precedenten/{id}"),
        });
    }
    Ok(out)
}

/// `text` cut to at most `max` chars at a word boundary, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_shared_words_are_needed() {
        assert_eq!(min_shared(1), 1);
        assert_eq!(min_shared(2), 2);
        assert_eq!(min_shared(8), 2);
        assert_eq!(min_shared(10), 3);
        assert_eq!(min_shared(0), usize::MAX);
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("kort", 10), "kort");
        assert_eq!(shorten("een lange zin die te lang is", 12), "een lange…");
        assert_eq!(shorten("ééééééééééééééé", 5), "ééééé…");
    }
}
