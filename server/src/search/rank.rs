//! Ranking a search's matches, with work proportional to the page rather than to the matches.
//!
//! The order (see [`Match`]): every document holding all query terms first, then by score —
//! BM25F, times the coverage factor (the share of the query's idf a document holds) for one
//! that lacks some terms — then newest first, then by id. Finding the matches needs no score:
//! which terms a document holds (its *mask*, a bit per term) decides whether it matches, and
//! the total and the facets count the matches. So the search first finds the masks
//! ([`Covered`]), and scores only the documents that can reach the requested page:
//!
//! - every document holding all terms, when they do not fill the page on their own at least
//!   (each of them ranks before any other), keeping the best in a bounded heap;
//! - then the partial matches, grouped by mask, best bound first: a mask's bound is the most
//!   any document with it can score (each term's score at the highest weighted frequency any
//!   document has for it, times the mask's coverage). Once the page is full and the next
//!   mask's bound is below the worst score on it, no document left can enter: the rest are
//!   not scored.
//!
//! The scores of the documents scored are computed exactly as a full ranking computes them
//! (the same operations in the same order), so the page is the same one, with the same
//! scores (`rank_equivalence.rs` compares the two on a generated archive).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::index::{Columns, Slot};
use crate::domain::text::{idf, term_score, weighted_tf, Bm25Params, TITLE_WEIGHT};

/// One matching document before ranking: the query terms it holds, a bit per term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Covered {
    pub slot: Slot,
    pub mask: u32,
}

/// One ranked document of a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    pub slot: Slot,
    /// BM25F, times the coverage factor when some terms are missing (0 without query terms).
    pub score: f64,
    pub mask: u32,
    /// Holds every query term (always, without query terms).
    pub full: bool,
}

/// A query term's frequency in every document (dense, by slot; fractional when an alternative
/// of lower weight matched).
#[derive(Clone, Copy)]
pub struct TermFreqs<'a> {
    pub title: &'a [f32],
    pub body: &'a [f32],
    /// The slots where it occurs (title or body above zero).
    pub slots: &'a [Slot],
}

/// The searcher's archive as the scores see it: its size and average field lengths (of the
/// whole scope, not of the matches), and its shortest fields (for bounds).
pub struct Scope {
    n_docs: u64,
    avg_title: f64,
    avg_body: f64,
    min_title: u32,
    min_body: u32,
}

impl Scope {
    /// The slots `in_scope` says belong to the searcher's archive.
    pub fn new(cols: &Columns, slots: usize, in_scope: &dyn Fn(usize) -> bool) -> Self {
        let (mut n_docs, mut title_sum, mut body_sum) = (0u64, 0u64, 0u64);
        let (mut min_title, mut min_body) = (u32::MAX, u32::MAX);
        for s in (0..slots).filter(|&s| in_scope(s)) {
            n_docs += 1;
            title_sum += u64::from(cols.title_len[s]);
            body_sum += u64::from(cols.body_len[s]);
            min_title = min_title.min(cols.title_len[s]);
            min_body = min_body.min(cols.body_len[s]);
        }
        let n = n_docs.max(1) as f64;
        Scope { n_docs, avg_title: title_sum as f64 / n, avg_body: body_sum as f64 / n, min_title, min_body }
    }
}

/// What scoring a document needs of the query: each term's frequencies and idf.
pub struct Scoring<'a> {
    terms: Vec<TermFreqs<'a>>,
    idfs: Vec<f64>,
    total_idf: f64,
    /// The mask of a document holding every term.
    all: u32,
    avg_title: f64,
    avg_body: f64,
    /// Per term, at least the highest weighted frequency (`tf̃`) any document has for it.
    max_tf_w: Vec<f64>,
}

/// Relative margin on a bound, for the rounding of its sum (a bound is never below a score).
const BOUND_MARGIN: f64 = 1e-9;

impl<'a> Scoring<'a> {
    /// The scoring of `terms` (in query order, at most 16) in `scope`; a term's document
    /// frequency counts the slots `in_scope` says belong to it.
    pub fn new(scope: &Scope, terms: Vec<TermFreqs<'a>>, in_scope: &dyn Fn(usize) -> bool) -> Self {
        assert!(terms.len() <= 16, "at most 16 terms (`MAX_QUERY_TERMS`): a mask per term set");
        let idfs: Vec<f64> = terms
            .iter()
            .map(|t| {
                let df = t.slots.iter().filter(|&&s| in_scope(s as usize)).count() as u64;
                idf(scope.n_docs, df)
            })
            .collect();
        let total_idf = idfs.iter().sum();
        let all = (1u32 << terms.len()) - 1;
        // A field's tf̃ grows with its frequency and falls with its length: the highest
        // frequency over the shortest field bounds it (documents out of scope included).
        let params = Bm25Params::default();
        let (avg_title, avg_body) = (scope.avg_title, scope.avg_body);
        let max_tf_w = terms
            .iter()
            .map(|t| {
                let (mut title, mut body) = (0f32, 0f32);
                for &s in t.slots {
                    title = title.max(t.title[s as usize]);
                    body = body.max(t.body[s as usize]);
                }
                let bound = weighted_tf(params, TITLE_WEIGHT, f64::from(title), scope.min_title, avg_title)
                    + weighted_tf(params, 1.0, f64::from(body), scope.min_body, avg_body);
                bound * (1.0 + BOUND_MARGIN)
            })
            .collect();
        Scoring { terms, idfs, total_idf, all, avg_title, avg_body, max_tf_w }
    }

    /// The mask of a document holding every term.
    pub fn all(&self) -> u32 {
        self.all
    }

    /// The terms slot `s` holds.
    pub fn mask(&self, s: usize) -> u32 {
        let mut m = 0;
        for (i, t) in self.terms.iter().enumerate() {
            if t.title[s] != 0.0 || t.body[s] != 0.0 {
                m |= 1 << i;
            }
        }
        m
    }

    /// The score of slot `s` holding the terms of `mask`.
    pub fn score(&self, cols: &Columns, s: usize, mask: u32) -> f64 {
        let params = Bm25Params::default();
        let mut score = 0.0;
        let mut covered = 0.0;
        for (t, &idf) in self.terms.iter().zip(&self.idfs) {
            let (title, body) = (t.title[s], t.body[s]);
            if title == 0.0 && body == 0.0 {
                continue;
            }
            covered += idf;
            let tf_w = weighted_tf(params, TITLE_WEIGHT, f64::from(title), cols.title_len[s], self.avg_title)
                + weighted_tf(params, 1.0, f64::from(body), cols.body_len[s], self.avg_body);
            score += term_score(params, idf, tf_w);
        }
        if mask != self.all && self.total_idf > 0.0 {
            score *= covered / self.total_idf;
        }
        score
    }

    /// At least the score of any document holding the terms of `mask`.
    fn bound(&self, mask: u32) -> f64 {
        let params = Bm25Params::default();
        let mut bound = 0.0;
        let mut covered = 0.0;
        for (i, &idf) in self.idfs.iter().enumerate() {
            if mask & (1 << i) != 0 {
                covered += idf;
                bound += term_score(params, idf, self.max_tf_w[i]);
            }
        }
        if mask != self.all && self.total_idf > 0.0 {
            bound *= covered / self.total_idf;
        }
        bound * (1.0 + BOUND_MARGIN)
    }
}

/// A ranked document as the heap orders it: the greatest is the worst.
struct Entry {
    full: bool,
    score: f64,
    date: u32,
    id: i64,
    slot: Slot,
    mask: u32,
}

impl Entry {
    fn new(cols: &Columns, slot: Slot, score: f64, mask: u32, full: bool) -> Self {
        let i = slot as usize;
        Entry { full, score, date: cols.date[i], id: cols.id[i], slot, mask }
    }
}

impl Ord for Entry {
    /// `Less` is better: all terms first, then the higher score, the newer, the higher id.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .full
            .cmp(&self.full)
            .then_with(|| other.score.total_cmp(&self.score))
            .then_with(|| other.date.cmp(&self.date))
            .then_with(|| other.id.cmp(&self.id))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// The best `wanted` entries offered.
struct Best {
    wanted: usize,
    heap: BinaryHeap<Entry>,
}

impl Best {
    fn new(wanted: usize) -> Self {
        Best { wanted, heap: BinaryHeap::with_capacity(wanted + 1) }
    }

    fn offer(&mut self, entry: Entry) {
        if self.heap.len() < self.wanted {
            self.heap.push(entry);
        } else if self.heap.peek().is_some_and(|worst| entry < *worst) {
            self.heap.pop();
            self.heap.push(entry);
        }
    }

    /// The worst entry kept, once `wanted` are.
    fn worst_when_full(&self) -> Option<&Entry> {
        (self.heap.len() >= self.wanted).then(|| self.heap.peek()).flatten()
    }

    /// Best first.
    fn into_matches(self) -> Vec<Match> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|e| Match { slot: e.slot, score: e.score, mask: e.mask, full: e.full })
            .collect()
    }
}

/// The first `wanted` matches in rank order, best first; `scoring` is `None` without query
/// terms (every match then holds "all" of none, scores 0, and the newest come first).
pub fn top(cols: &Columns, scoring: Option<&Scoring>, matches: &[Covered], wanted: usize) -> Vec<Match> {
    let wanted = wanted.min(matches.len());
    if wanted == 0 {
        return Vec::new();
    }
    let mut best = Best::new(wanted);
    let Some(scoring) = scoring else {
        for m in matches {
            best.offer(Entry::new(cols, m.slot, 0.0, m.mask, true));
        }
        return best.into_matches();
    };
    let all = scoring.all();
    // The partial matches' masks, each a group: `group_of[mask]` (a table over every mask of
    // the query's terms, at most 2^16).
    let mut group_of = vec![u32::MAX; 1usize << scoring.terms.len()];
    let mut masks: Vec<u32> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    // Every complete match ranks before any partial one: score them all.
    for m in matches {
        if m.mask == all {
            best.offer(Entry::new(cols, m.slot, scoring.score(cols, m.slot as usize, m.mask), m.mask, true));
        } else {
            let g = &mut group_of[m.mask as usize];
            if *g == u32::MAX {
                *g = masks.len() as u32;
                masks.push(m.mask);
                sizes.push(0);
            }
            sizes[*g as usize] += 1;
        }
    }
    if masks.is_empty() || best.worst_when_full().is_some() {
        return best.into_matches();
    }
    // The groups, best bound first; their matches laid out in that order (a counting sort).
    let mut order: Vec<(f64, usize)> =
        masks.iter().enumerate().map(|(g, &m)| (scoring.bound(m), g)).collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut start = vec![0usize; masks.len()];
    let mut end = 0;
    for &(_, g) in &order {
        start[g] = end;
        end += sizes[g];
    }
    let mut next = start.clone();
    let mut laid_out = vec![0 as Slot; end];
    for m in matches.iter().filter(|m| m.mask != all) {
        let g = group_of[m.mask as usize] as usize;
        laid_out[next[g]] = m.slot;
        next[g] += 1;
    }
    for &(bound, g) in &order {
        if best.worst_when_full().is_some_and(|worst| worst.full || bound < worst.score) {
            break;
        }
        let mask = masks[g];
        for &slot in &laid_out[start[g]..start[g] + sizes[g]] {
            best.offer(Entry::new(cols, slot, scoring.score(cols, slot as usize, mask), mask, false));
        }
    }
    best.into_matches()
}

/// The ranking without pruning, as it was: every match scored, all sorted, the first `wanted`
/// kept (the reference `rank_equivalence.rs` holds [`top`] to).
#[cfg(test)]
pub fn top_scoring_all(
    cols: &Columns,
    scoring: Option<&Scoring>,
    matches: &[Covered],
    wanted: usize,
) -> Vec<Match> {
    let mut all: Vec<Entry> = matches
        .iter()
        .map(|m| match scoring {
            None => Entry::new(cols, m.slot, 0.0, m.mask, true),
            Some(s) => {
                let full = m.mask == s.all();
                Entry::new(cols, m.slot, s.score(cols, m.slot as usize, m.mask), m.mask, full)
            }
        })
        .collect();
    all.sort();
    all.truncate(wanted);
    all.into_iter().map(|e| Match { slot: e.slot, score: e.score, mask: e.mask, full: e.full }).collect()
}
