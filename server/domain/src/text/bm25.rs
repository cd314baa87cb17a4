//! BM25F ranking, pure: the same scores whichever backend found the candidates.
//!
//! The server ranks in Rust, whichever backend stores the archive: term frequencies per field
//! (from an index, or [`field_counts`] over an original text), document frequencies per query
//! term, then [`bm25f`] (or its parts, [`weighted_tf`] and [`term_score`], without allocating).

use super::index::{token_terms, word_of};
use super::query::QueryTerm;
use super::tokenize::tokens;

/// BM25 saturation (`k1`) and length normalisation (`b`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    pub k1: f64,
    pub b: f64,
}

impl Default for Bm25Params {
    /// The usual `k1 = 1.2`, `b = 0.75`.
    fn default() -> Self {
        Bm25Params { k1: 1.2, b: 0.75 }
    }
}

/// Suggested field weight of a title against the body's 1.0.
pub const TITLE_WEIGHT: f64 = 3.0;

/// How often each query term occurs in one field of one document, and the field's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCounts {
    /// Number of words in the field (stopwords included), see [`field_len`].
    pub len: u32,
    /// Per query term, in query order: matching words (word terms) or occurrences (phrases).
    pub tf: Vec<u32>,
}

/// One field of a document as the ranker sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldInput<'a> {
    /// Field weight, e.g. [`TITLE_WEIGHT`] for the title, 1.0 for the body.
    pub weight: f64,
    pub counts: &'a FieldCounts,
    /// Average [`FieldCounts::len`] of this field over the collection.
    pub avg_len: f64,
}

/// The length of a field as used for `avg_len`: its number of words.
pub fn field_len(text: &str) -> u32 {
    u32::try_from(tokens(text).count()).unwrap_or(u32::MAX)
}

/// Counts the query terms in one field's original text, with the same matching rules as the
/// backends (stems, prefixes, phrases over folded words).
pub fn field_counts(text: &str, query: &[QueryTerm]) -> FieldCounts {
    let toks: Vec<_> = tokens(text).collect();
    let terms: Vec<Vec<String>> = toks.iter().map(token_terms).collect();
    let words: Vec<String> = toks.iter().map(|t| word_of(t.raw)).collect();
    let tf = query
        .iter()
        .map(|q| match q {
            QueryTerm::Word { .. } => terms.iter().filter(|t| q.matches_token_terms(t)).count(),
            QueryTerm::Phrase { words: p, .. } => {
                if p.is_empty() {
                    0
                } else {
                    words.windows(p.len()).filter(|w| *w == p.as_slice()).count()
                }
            }
        })
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        .collect();
    FieldCounts { len: u32::try_from(toks.len()).unwrap_or(u32::MAX), tf }
}

/// Inverse document frequency, never negative: `ln(1 + (N − df + 0.5) / (df + 0.5))`.
pub fn idf(n_docs: u64, df: u64) -> f64 {
    let n = n_docs as f64;
    let df = (df.min(n_docs)) as f64;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The BM25F score of one document: per query term `t`,
/// `idf(t) · tf̃ · (k1 + 1) / (tf̃ + k1)` with
/// `tf̃ = Σ_fields weight · tf / (1 − b + b · len / avg_len)`.
///
/// `df[i]` is the number of documents matching query term `i`; `n_docs` the collection size.
/// Every field's `tf` must have one entry per query term (missing entries count as 0).
pub fn bm25f(params: Bm25Params, n_docs: u64, df: &[u64], fields: &[FieldInput<'_>]) -> f64 {
    let mut score = 0.0;
    for (i, &df_i) in df.iter().enumerate() {
        let mut tf_w = 0.0;
        for f in fields {
            let tf = f.counts.tf.get(i).copied().unwrap_or(0);
            tf_w += weighted_tf(params, f.weight, f64::from(tf), f.counts.len, f.avg_len);
        }
        score += term_score(params, idf(n_docs, df_i), tf_w);
    }
    score
}

/// One field's contribution to a term's weighted frequency `tf̃`:
/// `weight · tf / (1 − b + b · len / avg_len)` (0 when `tf` is 0). `tf` may be fractional: an
/// occurrence of a query word's alternative (a synonym, a compound) counts for its weight.
pub fn weighted_tf(params: Bm25Params, weight: f64, tf: f64, len: u32, avg_len: f64) -> f64 {
    if tf <= 0.0 {
        return 0.0;
    }
    let norm = if avg_len > 0.0 { 1.0 - params.b + params.b * f64::from(len) / avg_len } else { 1.0 };
    weight * tf / norm
}

/// One term's share of the score: `idf · tf̃ · (k1 + 1) / (tf̃ + k1)` (0 when `tf̃` is 0).
pub fn term_score(params: Bm25Params, idf: f64, tf_w: f64) -> f64 {
    if tf_w > 0.0 {
        idf * tf_w * (params.k1 + 1.0) / (tf_w + params.k1)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_terms;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn idf_matches_the_formula_and_is_never_negative() {
        assert!(close(idf(10, 1), (1.0f64 + 9.5 / 1.5).ln()));
        assert!(idf(10, 10) > 0.0);
        assert!(idf(10, 20) > 0.0);
        assert!(idf(100, 1) > idf(100, 50));
    }

    #[test]
    fn single_field_score_matches_hand_computation() {
        let counts = FieldCounts { len: 10, tf: vec![2] };
        let fields = [FieldInput { weight: 1.0, counts: &counts, avg_len: 20.0 }];
        let p = Bm25Params::default();
        let tf = 2.0 / (1.0 - 0.75 + 0.75 * 0.5);
        let expected = idf(100, 5) * tf * 2.2 / (tf + 1.2);
        assert!(close(bm25f(p, 100, &[5], &fields), expected));
    }

    #[test]
    fn title_weight_ranks_a_title_match_above_a_body_match() {
        let hit = FieldCounts { len: 8, tf: vec![1] };
        let miss = FieldCounts { len: 8, tf: vec![0] };
        let body_hit = FieldCounts { len: 100, tf: vec![1] };
        let body_miss = FieldCounts { len: 100, tf: vec![0] };
        let p = Bm25Params::default();
        let in_title = bm25f(
            p,
            50,
            &[3],
            &[
                FieldInput { weight: TITLE_WEIGHT, counts: &hit, avg_len: 8.0 },
                FieldInput { weight: 1.0, counts: &body_miss, avg_len: 100.0 },
            ],
        );
        let in_body = bm25f(
            p,
            50,
            &[3],
            &[
                FieldInput { weight: TITLE_WEIGHT, counts: &miss, avg_len: 8.0 },
                FieldInput { weight: 1.0, counts: &body_hit, avg_len: 100.0 },
            ],
        );
        assert!(in_title > in_body, "{in_title} vs {in_body}");
    }

    #[test]
    fn rare_terms_weigh_more_and_no_match_scores_zero() {
        let c = FieldCounts { len: 10, tf: vec![1, 1] };
        let f = [FieldInput { weight: 1.0, counts: &c, avg_len: 10.0 }];
        let p = Bm25Params::default();
        assert!(bm25f(p, 100, &[1, 90], &f) > bm25f(p, 100, &[90, 90], &f));
        let none = FieldCounts { len: 10, tf: vec![0, 0] };
        let f = [FieldInput { weight: 1.0, counts: &none, avg_len: 10.0 }];
        assert_eq!(bm25f(p, 100, &[1, 1], &f), 0.0);
    }

    #[test]
    fn field_counts_use_the_search_rules() {
        let q = query_terms("weigeren kostendeler \"dringende redenen\"");
        let c = field_counts(
            "Hij weigerde; zij weigert. De kostendelersnorm. Dringende redenen, dringende zaken.",
            &q,
        );
        assert_eq!(c.tf, [2, 1, 1]);
        assert_eq!(c.len, 10);
        assert_eq!(field_len("één twee-drie"), 2);
    }
}
