//! Answering a search from the in-process index: scope and filters, term frequencies from the
//! postings, BM25F (title weighted) with archive-wide document frequencies and average field
//! lengths, facets over the whole matching set, and the requested page.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::index::{LabelId, Slot};
use super::page::{Facet, Facets, MatchReport, Relaxation, Suggestion};
use super::query::SearchQuery;
use super::rank::{top, Covered, Match, Scope, Scoring, TermFreqs};
use super::view::SearchView;
use super::vocabulary::Letters;
use crate::domain::text::{
    decompound, edit_distance_within, query_terms, stem_variants, word_alternatives, word_of, Alternative,
    AlternativeSource, Marks, QueryStem, QueryTerm, Synonyms, MAX_QUERY_TERMS, MAX_SUGGESTION_DISTANCE,
    PART_WEIGHT,
};

/// A page of ranked documents and what the whole matching set holds.
#[derive(Debug)]
pub struct Ranked {
    pub total: u64,
    /// The page's documents, best first.
    pub hits: Vec<RankedDoc>,
    pub facets: Facets,
    /// What the search found nothing for and what it did about it.
    pub report: MatchReport,
    /// What the terms searched for at last (after any relaxation) highlight: each word's forms
    /// found through its stems, compounds, synonyms and parts; each phrase.
    pub highlight: Vec<Marks>,
}

/// One ranked document of a page.
#[derive(Debug)]
pub struct RankedDoc {
    pub slot: Slot,
    /// BM25F, times the coverage factor when some words are missing (0 without query terms).
    pub score: f64,
    /// The words (as typed) this document does not hold.
    pub missing: Vec<String>,
}

/// Term frequencies of one query term in every document (dense, by slot; fractional when an
/// alternative of lower weight matched), and the slots where it occurs.
struct TermHits {
    title: Vec<f32>,
    body: Vec<f32>,
    slots: Vec<Slot>,
}

impl TermHits {
    fn new(n: usize) -> Self {
        TermHits { title: vec![0.0; n], body: vec![0.0; n], slots: Vec::new() }
    }

    fn freqs(&self) -> TermFreqs<'_> {
        TermFreqs { title: &self.title, body: &self.body, slots: &self.slots }
    }

    fn add(&mut self, slot: Slot, title: f32, body: f32) {
        let i = slot as usize;
        if self.title[i] == 0.0 && self.body[i] == 0.0 && (title > 0.0 || body > 0.0) {
            self.slots.push(slot);
        }
        self.title[i] += title;
        self.body[i] += body;
    }
}

/// A query term resolved against the index.
struct Planned {
    raw: String,
    strict: bool,
    hits: TermHits,
    /// What the term highlights.
    highlight: Marks,
}

pub fn execute<V: SearchView>(index: &V, query: &SearchQuery, terms: &[QueryTerm]) -> Ranked {
    execute_with(index, query, terms, top)
}

/// How the matches are ranked into a page: [`top`], or (to compare with it) the ranking that
/// scores every match.
pub(super) type Rank = fn(&super::index::Columns, Option<&Scoring>, &[Covered], usize) -> Vec<Match>;

/// [`execute`] with the ranking `rank`.
pub(super) fn execute_with<V: SearchView>(
    index: &V,
    query: &SearchQuery,
    terms: &[QueryTerm],
    rank: Rank,
) -> Ranked {
    let filter = Filter::new(index, query);
    let cols = index.columns();
    // The searcher's archive: their organisation and, when the search is limited to a team
    // (a filter, or the reader's scope), that team. Statistics, unmatched words and spelling
    // suggestions come from it alone.
    let in_scope = |s: usize| {
        cols.found[s]
            && query.organisation_id.is_none_or(|o| cols.organisation[s] == o)
            && query.team_id.is_none_or(|t| cols.team[s] == Some(t))
    };
    let synonyms = if query.synonym_groups.is_empty() {
        Cow::Borrowed(Synonyms::shipped())
    } else {
        Cow::Owned(Synonyms::shipped().with_groups(&query.synonym_groups))
    };
    let scope = Scope::new(cols, index.slots(), &in_scope);
    let mut report = MatchReport::default();
    let (mut matches, mut planned) = if terms.is_empty() {
        let passes = |s: usize| !filter.active || filter.passes(index, s);
        let all = (0..index.slots())
            .filter(|&s| in_scope(s) && passes(s))
            .map(|s| Covered { slot: s as Slot, mask: 0 })
            .collect();
        (all, Vec::new())
    } else {
        let planned = plan(index, terms, &synonyms);
        (cover(index, query, &scope, &planned, &in_scope, &filter), planned)
    };
    if !terms.is_empty() {
        report.unmatched = planned
            .iter()
            .filter(|p| !p.hits.slots.iter().any(|&s| in_scope(s as usize)))
            .map(|p| p.raw.clone())
            .collect();
        report.suggestions = terms
            .iter()
            .filter(|t| matches!(t, QueryTerm::Word { .. }) && report.unmatched.iter().any(|u| u == t.raw()))
            .filter_map(|t| {
                suggest(index, t.raw(), &in_scope).map(|s| Suggestion { word: t.raw().into(), suggestion: s })
            })
            .collect();
    }
    // A word that occurs nowhere is searched as the archive's closest word (and said so).
    let mut current: Vec<QueryTerm> = terms.to_vec();
    if !report.suggestions.is_empty() {
        for s in &report.suggestions {
            report.relaxed.push(Relaxation::Spelling { from: s.word.clone(), to: s.suggestion.clone() });
        }
        current = respelled(&current, &report.suggestions);
        planned = plan(index, &current, &synonyms);
        matches = cover(index, query, &scope, &planned, &in_scope, &filter);
    }
    // Never a dead end: relax step by step until something is found.
    if matches.is_empty() && !terms.is_empty() {
        if current.iter().any(QueryTerm::is_strict) {
            report.relaxed.push(Relaxation::Strict {
                terms: current.iter().filter(|t| t.is_strict()).map(|t| t.raw().to_string()).collect(),
            });
            current = current.iter().flat_map(QueryTerm::relaxed).collect();
            planned = plan(index, &current, &synonyms);
            matches = cover(index, query, &scope, &planned, &in_scope, &filter);
        }
        // The team stays: it may be the reader's scope, not a filter they chose.
        let scope_only = SearchQuery { team_id: query.team_id, ..SearchQuery::default() };
        let has_user_filters = query.law.is_some()
            || query.theme.is_some()
            || query.value.is_some()
            || query.method.is_some()
            || query.from.is_some()
            || query.to.is_some();
        if matches.is_empty() && has_user_filters {
            report.relaxed.push(Relaxation::Filters);
            let team_only = Filter::new(index, &scope_only);
            matches = cover(index, query, &scope, &planned, &in_scope, &team_only);
        }
    }
    let facets = facets(index, &matches);
    let total = matches.len() as u64;
    let per_page = query.per_page() as usize;
    let skip = (query.page() as usize - 1).saturating_mul(per_page);
    let wanted = skip.saturating_add(per_page);
    let scoring = (!planned.is_empty()).then(|| scoring(&scope, &planned, &in_scope));
    let matches = rank(cols, scoring.as_ref(), &matches, wanted);
    let hits = matches
        .into_iter()
        .skip(skip)
        .take(per_page)
        .map(|m| RankedDoc {
            slot: m.slot,
            score: m.score,
            missing: planned
                .iter()
                .enumerate()
                .filter(|(i, _)| m.mask & (1 << i) == 0 && !terms.is_empty())
                .map(|(_, p)| p.raw.clone())
                .collect(),
        })
        .collect();
    let highlight = planned.into_iter().map(|p| p.highlight).collect();
    Ranked { total, hits, facets, report, highlight }
}

/// `terms` with each suggested word replaced by its suggestion (a `+` stays).
fn respelled(terms: &[QueryTerm], suggestions: &[Suggestion]) -> Vec<QueryTerm> {
    terms
        .iter()
        .map(|t| {
            let Some(s) = suggestions.iter().find(|s| s.word == t.raw()) else { return t.clone() };
            match query_terms(&s.suggestion).into_iter().next() {
                Some(QueryTerm::Word { raw, stems, .. }) => {
                    QueryTerm::Word { raw, stems, strict: t.is_strict() }
                }
                _ => t.clone(),
            }
        })
        .collect()
}

/// Every query term resolved against the index: where it and its alternatives occur.
fn plan<V: SearchView>(index: &V, terms: &[QueryTerm], synonyms: &Synonyms) -> Vec<Planned> {
    terms
        .iter()
        .take(MAX_QUERY_TERMS)
        .map(|t| {
            let (hits, highlight) = term_hits(index, t, synonyms);
            Planned { raw: t.raw().to_string(), strict: t.is_strict(), hits, highlight }
        })
        .collect()
}

/// The scoring of the planned terms in `scope`.
fn scoring<'a>(scope: &Scope, planned: &'a [Planned], in_scope: &dyn Fn(usize) -> bool) -> Scoring<'a> {
    Scoring::new(scope, planned.iter().map(|p| p.hits.freqs()).collect(), in_scope)
}

/// Ranked partial matching, without the ranking: the documents (in scope and passing the
/// filter) that hold at least one term — every strict term (`+word`, phrases), and at least
/// `query.min_terms` terms — with the terms each holds. `rank::top` ranks them: a document
/// holding every term keeps its BM25F score and ranks before any that lacks one; the others'
/// scores are multiplied by their coverage, the share of the query's idf they hold (how many
/// words, and how rare). Document frequencies and average field lengths are those of the
/// whole scope (the searcher's archive), not of the matches, so a rare term outweighs a
/// common one.
fn cover<V: SearchView>(
    index: &V,
    query: &SearchQuery,
    scope: &Scope,
    planned: &[Planned],
    in_scope: &dyn Fn(usize) -> bool,
    filter: &Filter,
) -> Vec<Covered> {
    if planned.is_empty() {
        return Vec::new();
    }
    let scoring = scoring(scope, planned, in_scope);
    let strict: u32 = planned.iter().enumerate().filter(|(_, p)| p.strict).map(|(i, _)| 1u32 << i).sum();
    let min_terms = (query.min_terms as usize).clamp(1, planned.len()) as u32;
    // Candidates: the slots of the rarest strict term, or of any term.
    let mut candidates: Vec<Slot> = Vec::new();
    let rarest_strict = planned.iter().filter(|p| p.strict).min_by_key(|p| p.hits.slots.len());
    match rarest_strict {
        Some(r) => candidates.extend_from_slice(&r.hits.slots),
        None => {
            let mut seen = vec![false; index.slots()];
            for p in planned {
                for &s in &p.hits.slots {
                    if !seen[s as usize] {
                        candidates.push(s);
                        seen[s as usize] = true;
                    }
                }
            }
        }
    }
    candidates
        .into_iter()
        .filter_map(|slot| {
            let s = slot as usize;
            let m = scoring.mask(s);
            if m & strict != strict || m.count_ones() < min_terms || !in_scope(s) {
                return None;
            }
            if filter.active && !filter.passes(index, s) {
                return None;
            }
            Some(Covered { slot, mask: m })
        })
        .collect()
}

/// Where one query term occurs, and how often, in every document; and what it highlights (the
/// word forms it found, or the phrase).
fn term_hits<V: SearchView>(index: &V, term: &QueryTerm, synonyms: &Synonyms) -> (TermHits, Marks) {
    let mut hits = TermHits::new(index.slots());
    match term {
        QueryTerm::Word { raw, stems, .. } => {
            let mut alternatives = word_alternatives(raw, stems, synonyms);
            let own_found = alternatives
                .iter()
                .filter(|a| a.source == AlternativeSource::Word)
                .any(|a| !index.kinds_of_stem(&a.stem).is_empty());
            if !own_found {
                // A compound occurring nowhere as a whole: its parts, if the archive knows them.
                if let Some((head, tail)) = decompound(&word_of(raw), &|s| index.has_stem(s)) {
                    for part in [head, tail] {
                        for s in stem_variants(&part) {
                            alternatives.push(Alternative {
                                stem: QueryStem::new(s),
                                weight: PART_WEIGHT,
                                source: AlternativeSource::Part,
                            });
                        }
                    }
                }
            }
            // Each kind counts once, at the highest weight of the alternatives that find it.
            let mut weight_of: FxHashMap<V::Kind, f64> = FxHashMap::default();
            for a in &alternatives {
                for k in index.kinds_of_stem(&a.stem) {
                    let w = weight_of.entry(k).or_insert(0.0);
                    *w = w.max(a.weight);
                }
            }
            let mut kinds: Vec<(V::Kind, f64)> = weight_of.into_iter().collect();
            kinds.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut forms = FxHashSet::default();
            for (k, w) in kinds {
                let w = w as f32;
                index.postings(&k, &mut |slot, title, body| {
                    hits.add(slot, title as f32 * w, body as f32 * w);
                });
                forms.insert(index.form(&k));
            }
            (hits, Marks::Forms(forms))
        }
        QueryTerm::Phrase { words, .. } => {
            index.phrase(words, &mut |slot, title, body| hits.add(slot, title as f32, body as f32));
            (hits, Marks::Phrase(words.clone()))
        }
    }
}

/// The archive's closest word to `raw` (edit distance at most [`MAX_SUGGESTION_DISTANCE`]),
/// among words that occur in the searcher's scope: the nearest, then the most frequent.
fn suggest<V: SearchView>(index: &V, raw: &str, in_scope: &dyn Fn(usize) -> bool) -> Option<String> {
    let word = word_of(raw);
    let len = word.chars().count();
    if len < 4 || word.chars().any(|c| c.is_numeric()) {
        return None;
    }
    let letters = Letters::of(&word);
    let mut best: Option<(usize, usize, String)> = None;
    for candidate in index.vocabulary().near(len, &letters) {
        if candidate.len().abs_diff(word.len()) > MAX_SUGGESTION_DISTANCE + 2 {
            continue;
        }
        let Some(d) = edit_distance_within(&word, candidate, MAX_SUGGESTION_DISTANCE) else { continue };
        if d == 0 {
            continue;
        }
        let df = index.word_df(candidate, in_scope);
        if df == 0 {
            continue;
        }
        let better = match &best {
            None => true,
            Some((bd, bdf, bw)) => {
                (d, std::cmp::Reverse(df), candidate) < (*bd, std::cmp::Reverse(*bdf), bw.as_str())
            }
        };
        if better {
            best = Some((d, df, candidate.to_string()));
        }
    }
    best.map(|(_, _, w)| w)
}

/// The filters of a query, resolved against the index's labels once: each label filter is a
/// table over label ids (is this label allowed?), checked against a document's labels column.
struct Filter {
    /// Whether any filter is set (otherwise `passes` need not be asked).
    active: bool,
    /// One table per label filter (law, theme-or-tag, value); a document must have an allowed
    /// label in each.
    label_filters: Vec<Vec<bool>>,
    /// `Some(None)`: a method was asked for that no document has.
    method: Option<Option<LabelId>>,
    team: Option<i64>,
    /// YYYYMMDD bounds.
    from: Option<u32>,
    to: Option<u32>,
}

impl Filter {
    fn new<V: SearchView>(index: &V, query: &SearchQuery) -> Self {
        let n = index.label_count();
        let table = |ids: &mut dyn Iterator<Item = LabelId>| {
            let mut t = vec![false; n];
            for id in ids {
                t[id as usize] = true;
            }
            t
        };
        let mut label_filters = Vec::new();
        if query.law.is_some() {
            label_filters.push(table(
                &mut index.labels_of_kind("law").filter(|(_, key)| query.law_matches(key)).map(|(id, _)| id),
            ));
        }
        if query.theme.is_some() {
            // A theme or tag no document has matches nothing (an all-false table).
            let label = query.theme_label();
            label_filters.push(table(
                &mut ["theme", "tag"].iter().filter_map(|kind| index.label_id(kind, label.as_deref()?)),
            ));
        }
        if query.value.is_some() {
            let label = query.value_label();
            label_filters.push(table(&mut label.iter().filter_map(|v| index.label_id("value", v))));
        }
        let method = query.method.as_ref().map(|m| index.label_id("method", m));
        let date = |d: Option<crate::domain::precedent::CalendarDate>| {
            d.and_then(|d| d.to_string().replace('-', "").parse::<u32>().ok())
        };
        let (from, to) = (date(query.from), date(query.to));
        let active = !label_filters.is_empty()
            || method.is_some()
            || query.team_id.is_some()
            || from.is_some()
            || to.is_some();
        Filter { active, label_filters, method, team: query.team_id, from, to }
    }

    fn passes<V: SearchView>(&self, index: &V, slot: usize) -> bool {
        let cols = index.columns();
        let labels = cols.labels(slot as Slot);
        if !self.label_filters.iter().all(|allowed| labels.iter().any(|&l| allowed[l as usize])) {
            return false;
        }
        if let Some(method) = self.method {
            if method.is_none() || cols.method[slot] != method {
                return false;
            }
        }
        if self.team.is_some() && cols.team[slot] != self.team {
            return false;
        }
        let date = cols.date[slot];
        if self.from.is_some_and(|from| date == 0 || date < from)
            || self.to.is_some_and(|to| date == 0 || date > to)
        {
            return false;
        }
        true
    }
}

/// Counts over the whole matching set, most frequent first: themes, methods and law articles
/// (`participatiewet/18/2/` counts for `art. 18`, once per precedent).
fn facets<V: SearchView>(index: &V, matches: &[Covered]) -> Facets {
    let mut counts = vec![0u64; index.label_count()];
    for m in matches {
        for &l in index.columns().facets(m.slot) {
            counts[l as usize] += 1;
        }
    }
    let of_kind = |kind: &str| -> Vec<Facet> {
        sorted(
            index
                .labels_of_kind(kind)
                .filter(|(id, _)| counts[*id as usize] > 0)
                .map(|(id, value)| Facet {
                    value: value.to_string(),
                    label: if kind == "article" { article_label(value) } else { value.to_string() },
                    count: counts[id as usize],
                })
                .collect(),
        )
    };
    Facets { themes: of_kind("theme"), methods: of_kind("method"), laws: of_kind("article") }
}

/// Most frequent first, then by value.
fn sorted(mut v: Vec<Facet>) -> Vec<Facet> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

/// How an article-level key reads: `participatiewet/18/` → `art. 18`; another law keeps its
/// name (`awb/4/` → `awb art. 4`).
fn article_label(key: &str) -> String {
    let (law, article) = super::index::law_and_article(key);
    if law == "participatiewet" {
        format!("art. {article}")
    } else {
        format!("{law} art. {article}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::{bm25f, field_counts, query_terms, Bm25Params, FieldInput, TITLE_WEIGHT};
    use crate::search::index::{ArchiveIndex, IndexLabel, IndexSource};

    fn doc(id: i64, title: &str, body: &str) -> IndexSource {
        let decided_on = Some(format!("2025-01-{:02}", id));
        IndexSource { decided_on, ..crate::search::index::tests::source(id, title, body) }
    }

    /// An index of precedents 1, 2, … with these bodies (titles "a", "b", …).
    fn of_bodies(bodies: &[&str]) -> ArchiveIndex {
        let title = |i: usize| char::from(b'a' + i as u8).to_string();
        index(bodies.iter().enumerate().map(|(i, b)| doc(i as i64 + 1, &title(i), b)).collect(), &[])
    }

    fn index(docs: Vec<IndexSource>, labels: &[IndexLabel]) -> ArchiveIndex {
        let mut index = ArchiveIndex::new();
        index.apply(docs, labels, 1);
        index
    }

    fn search(index: &ArchiveIndex, text: &str) -> Vec<(i64, f64)> {
        let q = SearchQuery { text: text.into(), ..SearchQuery::default() };
        let r = execute(index, &q, &query_terms(text));
        r.hits.into_iter().map(|h| (index.docs[h.slot as usize].id, h.score)).collect()
    }

    fn missing(index: &ArchiveIndex, text: &str) -> Vec<(i64, Vec<String>)> {
        let q = SearchQuery { text: text.into(), ..SearchQuery::default() };
        let r = execute(index, &q, &query_terms(text));
        r.hits.into_iter().map(|h| (index.docs[h.slot as usize].id, h.missing)).collect()
    }

    #[test]
    fn article_labels() {
        assert_eq!(article_label("participatiewet/18/"), "art. 18");
        assert_eq!(article_label("participatiewet/18a/"), "art. 18a");
    }

    /// The index's scores are the reference BM25F over the original texts: `field_counts` per
    /// field, document frequencies and average lengths over the archive.
    #[test]
    fn scores_equal_bm25f_over_the_original_texts() {
        let texts = [
            ("Verlaging bij dringende redenen", "De cliënte weigerde werk; verlaging verlaagd verlagingen."),
            ("Kostendelersnorm", "Kostendelers-norm en dringende redenen bij een verlaging."),
            ("Boete", "Geen dringende redenen, wel een boete."),
        ];
        let idx = index(texts.iter().enumerate().map(|(i, (t, b))| doc(i as i64 + 1, t, b)).collect(), &[]);
        for text in
            ["verlaging", "dringende redenen", "\"dringende redenen\" verlaging", "kostendeler", "cliente"]
        {
            let terms = query_terms(text);
            let n = texts.len() as u64;
            let avg_t =
                texts.iter().map(|(t, _)| crate::domain::text::field_len(t) as f64).sum::<f64>() / 3.0;
            let avg_b =
                texts.iter().map(|(_, b)| crate::domain::text::field_len(b) as f64).sum::<f64>() / 3.0;
            let counts: Vec<_> =
                texts.iter().map(|(t, b)| (field_counts(t, &terms), field_counts(b, &terms))).collect();
            let df: Vec<u64> = (0..terms.len())
                .map(|i| counts.iter().filter(|(t, b)| t.tf[i] + b.tf[i] > 0).count() as u64)
                .collect();
            let got = search(&idx, text);
            assert!(!got.is_empty(), "{text}");
            let complete: Vec<i64> =
                missing(&idx, text).into_iter().filter(|(_, m)| m.is_empty()).map(|(id, _)| id).collect();
            for (id, score) in got.into_iter().filter(|(id, _)| complete.contains(id)) {
                let (t, b) = &counts[id as usize - 1];
                let fields = [
                    FieldInput { weight: TITLE_WEIGHT, counts: t, avg_len: avg_t },
                    FieldInput { weight: 1.0, counts: b, avg_len: avg_b },
                ];
                let expected = bm25f(Bm25Params::default(), n, &df, &fields);
                assert!((score - expected).abs() < 1e-9, "{text}: doc {id}: {score} vs {expected}");
            }
        }
    }

    #[test]
    fn partial_matches_rank_after_complete_ones_and_say_what_is_missing() {
        let idx = of_bodies(&[
            "dringende redenen voor verlaging",
            "redenen dringende, geen verlaging",
            "een boete, een verlaging en een afspraak",
            "een afspraak",
        ]);
        let ids = |t: &str| search(&idx, t).into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids("\"dringende redenen\""), [1], "a phrase keeps its order and is strict");
        // Document 3 holds both words; 1 and 2 one of them; 4 none.
        let found = ids("verlaging boete");
        assert_eq!(found[0], 3);
        assert_eq!(found.len(), 3);
        let m = missing(&idx, "verlaging boete");
        assert_eq!(m[0].1, Vec::<String>::new());
        assert_eq!(m[1].1, ["boete"]);
        // `+boete`: only precedents holding it.
        assert_eq!(ids("verlaging +boete"), [3]);
        assert_eq!(ids("afspraak +verlaging \"dringende redenen\""), [1]);
    }

    #[test]
    fn more_and_rarer_words_rank_higher_among_partial_matches() {
        let idx = of_bodies(&[
            "verlaging verlaging",
            "zonnepanelen",
            "verlaging",
            "verlaging",
            "verlaging zonnepanelen",
        ]);
        let ids: Vec<i64> =
            search(&idx, "verlaging zonnepanelen boete").into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids[0], 5, "two of three words first");
        assert_eq!(ids[1], 2, "then the rare word");
    }

    #[test]
    fn compounds_synonyms_and_parts_are_found_with_a_lower_weight() {
        let idx = of_bodies(&[
            "mantelzorg voor de moeder",
            "zorg voor de moeder",
            "de cliënt weigert",
            "een schoolgaand kind",
            "de situatie thuis",
        ]);
        let found = search(&idx, "zorg");
        assert_eq!(found.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [2, 1], "the word itself first");
        assert!(found[0].1 > found[1].1);
        assert_eq!(search(&idx, "klant")[0].0, 3, "a synonym");
        assert_eq!(search(&idx, "school")[0].0, 4, "a compound beginning with the word");
        let parts: Vec<i64> = search(&idx, "mantelzorgsituatie").into_iter().map(|(id, _)| id).collect();
        assert!(parts.contains(&1) && parts.contains(&5), "the parts of an unknown compound: {parts:?}");
    }

    #[test]
    fn nothing_found_relaxes_and_suggests() {
        let labels =
            vec![IndexLabel { precedent_id: 1, kind: "law".into(), label: "participatiewet/18/".into() }];
        let idx = index(vec![doc(1, "a", "de kostendelersnorm"), doc(2, "b", "een boete")], &labels);
        let run = |q: SearchQuery| execute(&idx, &q, &query_terms(&q.text));
        let r = run(SearchQuery { text: "kostendelersnrom".into(), ..SearchQuery::default() });
        assert_eq!(r.total, 1);
        assert_eq!(r.report.unmatched, ["kostendelersnrom"]);
        assert_eq!(r.report.suggestions[0].suggestion, "kostendelersnorm");
        assert!(matches!(&r.report.relaxed[0], Relaxation::Spelling { to, .. } if to == "kostendelersnorm"));
        let r = run(SearchQuery { text: "\"boete kostendelersnorm\"".into(), ..SearchQuery::default() });
        assert_eq!(r.total, 2);
        assert!(matches!(&r.report.relaxed[0], Relaxation::Strict { .. }));
        let law = crate::domain::precedent::LawRef::parse("art. 18").unwrap();
        let r = run(SearchQuery { text: "boete".into(), law: Some(law), ..SearchQuery::default() });
        assert_eq!(r.total, 1);
        assert_eq!(r.report.relaxed, [Relaxation::Filters]);
        // Found as asked: nothing relaxed.
        assert!(run(SearchQuery { text: "boete".into(), ..SearchQuery::default() })
            .report
            .relaxed
            .is_empty());
        // Another organisation's words are never suggested.
        let r = run(SearchQuery {
            text: "kostendelersnrom".into(),
            organisation_id: Some(2),
            ..SearchQuery::default()
        });
        assert!(r.report.suggestions.is_empty() && r.total == 0);
    }

    #[test]
    fn drafts_withdrawn_and_other_organisations_are_not_found() {
        let mut draft = doc(2, "verlaging", "");
        draft.status = "draft".into();
        let mut other = doc(3, "verlaging", "");
        other.organisation_id = 2;
        let idx = index(vec![doc(1, "verlaging", ""), draft, other], &[]);
        let q = SearchQuery { organisation_id: Some(1), text: "verlaging".into(), ..SearchQuery::default() };
        let r = execute(&idx, &q, &query_terms(&q.text));
        assert_eq!(r.total, 1);
    }

    #[test]
    fn paging_cuts_the_ranked_list_and_ties_go_newest_first() {
        let idx = index((1..=25).map(|i| doc(i, "boete", "boete")).collect(), &[]);
        let q = |page| SearchQuery { text: "boete".into(), page, per_page: 10, ..SearchQuery::default() };
        let r1 = execute(&idx, &q(1), &query_terms("boete"));
        let r3 = execute(&idx, &q(3), &query_terms("boete"));
        assert_eq!(r1.total, 25);
        let ids: Vec<i64> = r1.hits.iter().map(|h| idx.docs[h.slot as usize].id).collect();
        assert_eq!(ids, (16..=25).rev().collect::<Vec<_>>());
        assert_eq!(r3.hits.len(), 5);
    }

    #[test]
    fn facets_count_articles_once_per_precedent() {
        let labels = [
            IndexLabel { precedent_id: 1, kind: "law".into(), label: "participatiewet/18/1/".into() },
            IndexLabel { precedent_id: 1, kind: "law".into(), label: "participatiewet/18/2/".into() },
            IndexLabel { precedent_id: 2, kind: "law".into(), label: "participatiewet/18a/".into() },
            IndexLabel { precedent_id: 2, kind: "theme".into(), label: "boete".into() },
        ];
        let idx = index(vec![doc(1, "x", ""), doc(2, "y", "")], &labels);
        let r = execute(&idx, &SearchQuery::default(), &[]);
        let laws: Vec<_> = r.facets.laws.iter().map(|f| (f.label.as_str(), f.count)).collect();
        assert_eq!(laws, [("art. 18", 1), ("art. 18a", 1)]);
        assert_eq!(r.facets.themes[0].count, 1);
    }
}
