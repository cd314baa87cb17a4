//! What a search answers: one page of ranked hits, the facets of the whole matching set, and
//! the paging.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchPage {
    /// Hits in the whole matching set.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub results: Vec<SearchHit>,
    pub facets: Facets,
    /// What the search found nothing for, what it suggests and what it relaxed.
    #[serde(flatten)]
    pub report: MatchReport,
}

/// How a search matched: the words no precedent holds, spelling suggestions for them, and
/// what was relaxed when the search as asked found nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MatchReport {
    /// Query words (as typed) that no precedent in the searcher's archive holds.
    pub unmatched: Vec<String>,
    /// For unmatched words: the closest word of the archive.
    pub suggestions: Vec<Suggestion>,
    /// In order: what was relaxed to find these results (empty: found as asked).
    pub relaxed: Vec<Relaxation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub word: String,
    pub suggestion: String,
}

/// One step taken when a search found nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Relaxation {
    /// `+words` and quoted phrases were searched as plain words.
    Strict { terms: Vec<String> },
    /// A word that occurs nowhere was replaced by the archive's closest word.
    Spelling { from: String, to: String },
    /// The filters were left out.
    Filters,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub id: i64,
    /// The importer's reference, if imported.
    #[serde(rename = "ref")]
    pub import_ref: Option<String>,
    pub citation_id: Option<String>,
    pub title: String,
    pub decided_on: Option<String>,
    pub method: Option<String>,
    pub team_id: Option<i64>,
    /// BM25F score (0 when listing without a query), times the coverage when words are missing.
    pub score: f64,
    /// Query words (as typed) this precedent does not hold: empty when it matches them all.
    pub missing: Vec<String>,
    pub snippet: SnippetOut,
}

/// Plain text with highlight ranges in **chars** (`[start, end)`): render by escaping every
/// segment and wrapping the highlighted ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SnippetOut {
    pub text: String,
    #[schema(value_type = Vec<Vec<u64>>)]
    pub highlights: Vec<[usize; 2]>,
}

/// Counts over the whole matching set (not just the page), most frequent first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Facets {
    pub themes: Vec<Facet>,
    pub methods: Vec<Facet>,
    /// Article level: `participatiewet/18/` with label `art. 18`.
    pub laws: Vec<Facet>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Facet {
    /// What to filter on.
    pub value: String,
    /// What to show.
    pub label: String,
    pub count: u64,
}
