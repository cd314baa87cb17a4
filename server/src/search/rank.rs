//! Ranking, facets, paging and snippets over the candidates a backend found: the same code for
//! both backends, so they answer identically.

use std::collections::HashMap;

use super::page::{Facet, Facets, SearchHit, SearchPage, SnippetOut};
use super::query::SearchQuery;
use crate::domain::text::{
    bm25f, field_counts, field_len, snippet, Bm25Params, FieldInput, QueryTerm, TITLE_WEIGHT,
};

/// Longest snippet, in chars.
const SNIPPET_CHARS: usize = 220;

/// One precedent that matched the query and the filters.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub import_ref: Option<String>,
    pub citation_id: Option<String>,
    pub title: String,
    pub body: String,
    pub decided_on: Option<String>,
    pub method_key: Option<String>,
    pub team_id: Option<i64>,
}

/// A label or law key of some precedent (only those of candidates are used).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CandidateLabels {
    pub precedent_id: i64,
    /// "theme", "tag", "value" or "law".
    pub kind: String,
    pub label: String,
}

/// Archive-wide statistics for BM25: the number of searchable precedents and, per query term,
/// how many contain it (counted by the backend over the whole archive, not just the matches).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorpusStats {
    pub n_docs: u64,
    pub df: Vec<u64>,
}

/// Ranks the candidates (BM25F, title weighted; newest first without query terms or on equal
/// scores), counts the facets over all of them and cuts out the requested page.
pub fn rank(
    query: &SearchQuery,
    terms: &[QueryTerm],
    corpus: &CorpusStats,
    candidates: Vec<Candidate>,
    labels: &[CandidateLabels],
) -> SearchPage {
    let facets = facets(&candidates, labels);
    let mut scored: Vec<(f64, Candidate)> = if terms.is_empty() {
        candidates.into_iter().map(|c| (0.0, c)).collect()
    } else {
        score(terms, corpus, candidates)
    };
    scored.sort_by(|(sa, a), (sb, b)| {
        sb.total_cmp(sa).then_with(|| b.decided_on.cmp(&a.decided_on)).then_with(|| b.id.cmp(&a.id))
    });
    let total = scored.len() as u64;
    let per_page = query.per_page();
    let page = query.page();
    let skip = (page as usize - 1).saturating_mul(per_page as usize);
    let results = scored
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .map(|(score, c)| {
            let s = snippet(&c.body, terms, SNIPPET_CHARS);
            SearchHit {
                id: c.id,
                import_ref: c.import_ref,
                citation_id: c.citation_id,
                title: c.title,
                decided_on: c.decided_on,
                method: c.method_key,
                team_id: c.team_id,
                score,
                snippet: SnippetOut {
                    text: s.text,
                    highlights: s.highlights.into_iter().map(|(a, b)| [a, b]).collect(),
                },
            }
        })
        .collect();
    SearchPage { total, page, per_page, results, facets }
}

/// BM25F with the archive's document frequencies (`corpus`); average field lengths are taken
/// over the candidates, which both backends find identically.
fn score(terms: &[QueryTerm], corpus: &CorpusStats, candidates: Vec<Candidate>) -> Vec<(f64, Candidate)> {
    let counted: Vec<_> = candidates
        .into_iter()
        .map(|c| (field_counts(&c.title, terms), field_counts(&c.body, terms), c))
        .collect();
    let n = counted.len().max(1) as f64;
    let avg_title = counted.iter().map(|(_, _, c)| f64::from(field_len(&c.title))).sum::<f64>() / n;
    let avg_body = counted.iter().map(|(_, _, c)| f64::from(field_len(&c.body))).sum::<f64>() / n;
    // Every candidate is in the corpus, so neither count can be below what the candidates show.
    let n_docs = corpus.n_docs.max(counted.len() as u64);
    let df: Vec<u64> = (0..terms.len())
        .map(|i| {
            let in_candidates = counted
                .iter()
                .filter(|(t, b, _)| t.tf.get(i).copied().unwrap_or(0) + b.tf.get(i).copied().unwrap_or(0) > 0)
                .count() as u64;
            corpus.df.get(i).copied().unwrap_or(0).max(in_candidates)
        })
        .collect();
    counted
        .into_iter()
        .map(|(t, b, c)| {
            let fields = [
                FieldInput { weight: TITLE_WEIGHT, counts: &t, avg_len: avg_title },
                FieldInput { weight: 1.0, counts: &b, avg_len: avg_body },
            ];
            (bm25f(Bm25Params::default(), n_docs, &df, &fields), c)
        })
        .collect()
}

fn facets(candidates: &[Candidate], labels: &[CandidateLabels]) -> Facets {
    let ids: std::collections::HashSet<i64> = candidates.iter().map(|c| c.id).collect();
    let mut themes: HashMap<String, u64> = HashMap::new();
    let mut laws: HashMap<String, (String, std::collections::HashSet<i64>)> = HashMap::new();
    for l in labels.iter().filter(|l| ids.contains(&l.precedent_id)) {
        match l.kind.as_str() {
            "theme" => *themes.entry(l.label.clone()).or_default() += 1,
            "law" => {
                let (key, label) = article_of(&l.label);
                laws.entry(key).or_insert_with(|| (label, Default::default())).1.insert(l.precedent_id);
            }
            _ => {}
        }
    }
    let mut methods: HashMap<String, u64> = HashMap::new();
    for c in candidates {
        if let Some(m) = &c.method_key {
            *methods.entry(m.clone()).or_default() += 1;
        }
    }
    let plain = |m: HashMap<String, u64>| {
        sorted(m.into_iter().map(|(value, count)| Facet { label: value.clone(), value, count }).collect())
    };
    Facets {
        themes: plain(themes),
        methods: plain(methods),
        laws: sorted(
            laws.into_iter()
                .map(|(value, (label, ids))| Facet { value, label, count: ids.len() as u64 })
                .collect(),
        ),
    }
}

/// Most frequent first, then by value.
fn sorted(mut v: Vec<Facet>) -> Vec<Facet> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

/// The article-level key and label of a law key: `participatiewet/18/2/` →
/// (`participatiewet/18/`, `art. 18`); another law keeps its name in the label.
fn article_of(key: &str) -> (String, String) {
    let mut parts = key.split('/');
    let law = parts.next().unwrap_or_default();
    let article = parts.next().unwrap_or_default();
    let label =
        if law == "participatiewet" { format!("art. {article}") } else { format!("{law} art. {article}") };
    (format!("{law}/{article}/"), label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_level_of_law_keys() {
        assert_eq!(article_of("participatiewet/18/2/"), ("participatiewet/18/".into(), "art. 18".into()));
        assert_eq!(article_of("participatiewet/18a/"), ("participatiewet/18a/".into(), "art. 18a".into()));
    }
}
