//! Measured relevance: a set of queries, each with the precedents (by import `ref`) a
//! caseworker would want to see, and the two figures reported for it — hit@3 (the share of
//! queries with an expected precedent among the first three results) and MRR (the mean of
//! 1 / rank of the first expected precedent, 0 when none is in the first [`RANKS_READ`]).
//! The relevance bench prints them and a test holds a floor under them.

use serde::Deserialize;

use super::{ArchiveSearch, SearchQuery};
use crate::store::StoreError;

/// Results read per query: a first expected precedent further down counts as not found.
pub const RANKS_READ: u32 = 10;

/// One query of the relevance set.
#[derive(Clone, Debug, Deserialize)]
pub struct RelevanceCase {
    pub query: String,
    /// Import refs of the precedents that answer it; any one of them counts.
    pub expected: Vec<String>,
}

/// The figures over a relevance set, and each query's rank.
#[derive(Clone, Debug)]
pub struct RelevanceReport {
    /// Per query: the query and the 1-based rank of its first expected precedent.
    pub ranks: Vec<(String, Option<usize>)>,
    pub hit_at_3: f64,
    pub mrr: f64,
}

/// Reads a relevance set: one JSON object `{"query", "expected"}` a line.
pub fn parse_cases(jsonl: &str) -> Result<Vec<RelevanceCase>, String> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// Runs every case through `search` (all of the archive `search` holds, within `scope`'s
/// organisation) and computes hit@3 and MRR.
pub async fn evaluate(
    search: &ArchiveSearch,
    cases: &[RelevanceCase],
    scope: &SearchQuery,
) -> Result<RelevanceReport, StoreError> {
    let mut ranks = Vec::with_capacity(cases.len());
    for case in cases {
        let query = SearchQuery { text: case.query.clone(), per_page: RANKS_READ, page: 1, ..scope.clone() };
        let page = search.search_precedents(&query).await?;
        let rank = page
            .results
            .iter()
            .position(|hit| hit.import_ref.as_ref().is_some_and(|r| case.expected.contains(r)))
            .map(|i| i + 1);
        ranks.push((case.query.clone(), rank));
    }
    let n = ranks.len().max(1) as f64;
    let hit_at_3 = ranks.iter().filter(|(_, r)| r.is_some_and(|r| r <= 3)).count() as f64 / n;
    let mrr = ranks.iter().map(|(_, r)| r.map_or(0.0, |r| 1.0 / r as f64)).sum::<f64>() / n;
    Ok(RelevanceReport { ranks, hit_at_3, mrr })
}
