//! The archive's inverted index, held in the server process.
//!
//! It is a cache derived from the database (the database stays the truth): loaded on the first
//! search, then brought up to date before every search with the precedents changed since (see
//! `cache.rs`). Each distinct word form of the archive is one *kind*: its folded word (for
//! phrases) and its stem terms (for word queries; see `domain::text::token_terms`). A posting
//! says how often a kind occurs in the title and the body of one document; each document also
//! keeps its kind sequence for phrase queries. Because every token has exactly one kind, term
//! frequencies summed over the kinds a query term matches are the same counts that
//! `domain::text::field_counts` makes from the original text.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use std::ops::ControlFlow;

use crate::domain::text::{token_terms, tokens, word_of, QueryStem, MAX_PHRASE_WORDS};

use super::view::SearchView;
use super::vocabulary::Vocabulary;

// A phrase word's position is a bit of a `u16`.
const _: () = assert!(MAX_PHRASE_WORDS <= 16);

/// Index of a document slot in [`ArchiveIndex::docs`].
pub type Slot = u32;
/// Index of a word form in [`ArchiveIndex::kinds`].
pub type KindId = u32;
/// Index of an interned label (theme, tag, value, law key, method) in [`ArchiveIndex::labels`].
pub type LabelId = u32;

/// What the index is built from: one precedent as the store loads it.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct IndexSource {
    pub id: i64,
    pub organisation_id: i64,
    pub status: String,
    pub import_ref: Option<String>,
    pub citation_id: Option<String>,
    pub title: String,
    /// `PrecedentIndex::body`; empty when the precedent has no text row.
    pub body: String,
    pub decided_on: Option<String>,
    pub method_key: Option<String>,
    pub team_id: Option<i64>,
    /// The generation of the precedent's last change.
    pub index_seq: i64,
}

/// A label or law key of one precedent, as the store loads it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IndexLabel {
    pub precedent_id: i64,
    /// "theme", "tag", "value" or "law".
    pub kind: String,
    pub label: String,
}

/// One occurrence count of a kind in a document.
#[derive(Clone, Copy, Debug)]
pub struct Posting {
    pub slot: Slot,
    pub title_tf: u16,
    pub body_tf: u16,
}

/// One document slot. A replaced or removed precedent leaves a dead slot behind (its postings
/// stay until the next compaction, and are skipped).
#[derive(Clone, Debug)]
pub struct Doc {
    pub id: i64,
    pub organisation_id: i64,
    pub alive: bool,
    /// Only adopted precedents are found.
    pub searchable: bool,
    pub import_ref: Option<String>,
    pub citation_id: Option<String>,
    pub title: String,
    pub decided_on: Option<String>,
    pub method: Option<LabelId>,
    pub team_id: Option<i64>,
    pub themes: Vec<LabelId>,
    pub tags: Vec<LabelId>,
    pub values: Vec<LabelId>,
    pub laws: Vec<LabelId>,
    /// Kind sequences, for phrase queries.
    pub title_kinds: Box<[KindId]>,
    pub body_kinds: Box<[KindId]>,
}

impl Doc {
    pub fn title_len(&self) -> u32 {
        self.title_kinds.len() as u32
    }

    pub fn body_len(&self) -> u32 {
        self.body_kinds.len() as u32
    }
}

/// A distinct word form.
#[derive(Clone, Debug)]
pub struct Kind {
    /// Folded word (`index_words`), for phrases.
    pub word: String,
    /// The form as written (`Token::raw`), for snippets.
    pub raw: Box<str>,
}

/// What every search touches for many documents, kept in flat per-slot arrays (a few bytes
/// a document, read in order) rather than in [`Doc`].
#[derive(Default)]
pub struct Columns {
    /// Alive and adopted.
    pub found: Vec<bool>,
    pub organisation: Vec<i64>,
    pub title_len: Vec<u32>,
    pub body_len: Vec<u32>,
    /// `decided_on` as YYYYMMDD (0 when unknown), for ordering ties newest first.
    pub date: Vec<u32>,
    pub id: Vec<i64>,
    /// The facet labels of each document (themes, method, law articles), as a slice of
    /// `facet_ids` from `facet_start[slot]` to `facet_start[slot + 1]`.
    pub facet_start: Vec<u32>,
    pub facet_ids: Vec<LabelId>,
    /// The filter labels of each document (themes, tags, values, law keys), likewise.
    pub label_start: Vec<u32>,
    pub label_ids: Vec<LabelId>,
    pub method: Vec<Option<LabelId>>,
    pub team: Vec<Option<i64>>,
}

impl Columns {
    pub fn facets(&self, slot: Slot) -> &[LabelId] {
        let i = slot as usize;
        &self.facet_ids[self.facet_start[i] as usize..self.facet_start[i + 1] as usize]
    }

    pub fn labels(&self, slot: Slot) -> &[LabelId] {
        let i = slot as usize;
        &self.label_ids[self.label_start[i] as usize..self.label_start[i + 1] as usize]
    }
}

#[derive(Default)]
pub struct ArchiveIndex {
    /// The generation of the last change applied (see migration 0006).
    pub generation: i64,
    pub docs: Vec<Doc>,
    pub columns: Columns,
    slot_of: FxHashMap<i64, Slot>,
    pub kinds: Vec<Kind>,
    pub postings: Vec<Vec<Posting>>,
    /// Raw token → kind (tokens are interned by how they are written).
    kind_of_raw: FxHashMap<String, KindId>,
    /// Stem term → kinds having it; ordered, so a prefix is a range.
    stems: BTreeMap<String, Vec<KindId>>,
    /// Every stem term spelled backwards, so a suffix (a compound's last part) is a range.
    stems_reversed: BTreeSet<String>,
    /// Folded word → kinds having it.
    words: FxHashMap<String, Vec<KindId>>,
    labels: Vec<String>,
    label_ids: FxHashMap<String, LabelId>,
    dead: usize,
    /// Made on the first spelling suggestion after a change.
    suggestion_words: std::sync::OnceLock<Vocabulary>,
}

impl ArchiveIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of live documents.
    pub fn len(&self) -> usize {
        self.docs.len() - self.dead
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn label_count(&self) -> usize {
        self.labels.len()
    }

    pub fn label(&self, id: LabelId) -> &str {
        &self.labels[id as usize]
    }

    /// The slot of a label's text, if any document has it (labels are namespaced by kind).
    pub fn label_id(&self, kind: &str, label: &str) -> Option<LabelId> {
        self.label_ids.get(&label_key(kind, label)).copied()
    }

    /// All interned labels of one kind, with their ids.
    pub fn labels_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (LabelId, &'a str)> + 'a {
        self.labels.iter().enumerate().filter_map(move |(i, l)| {
            l.strip_prefix(kind).and_then(|rest| rest.strip_prefix('\u{1f}')).map(|text| (i as LabelId, text))
        })
    }

    pub fn slot(&self, id: i64) -> Option<Slot> {
        self.slot_of.get(&id).copied()
    }

    /// The kinds a word query stem matches: exactly, or every stem it begins or ends
    /// (compounds).
    pub fn kinds_of_stem(&self, stem: &QueryStem) -> Vec<KindId> {
        let mut out = Vec::new();
        if stem.suffix {
            let reversed: String = stem.stem.chars().rev().collect();
            for key in self.stems_reversed.range(reversed.clone()..) {
                if !key.starts_with(&reversed) {
                    break;
                }
                let forward: String = key.chars().rev().collect();
                if let Some(kinds) = self.stems.get(&forward) {
                    out.extend_from_slice(kinds);
                }
            }
        } else if stem.prefix {
            for (key, kinds) in self.stems.range(stem.stem.clone()..) {
                if !key.starts_with(&stem.stem) {
                    break;
                }
                out.extend_from_slice(kinds);
            }
        } else if let Some(kinds) = self.stems.get(&stem.stem) {
            out.extend_from_slice(kinds);
        }
        out
    }

    /// Whether any indexed word has this stem term.
    pub fn has_stem(&self, stem: &str) -> bool {
        self.stems.contains_key(stem)
    }

    /// Every folded word of the index with the kinds spelled so (the vocabulary, for spelling
    /// suggestions).
    pub fn vocabulary(&self) -> impl Iterator<Item = (&str, &[KindId])> {
        self.words.iter().map(|(w, k)| (w.as_str(), k.as_slice()))
    }

    /// The kinds whose folded word is `word`.
    pub fn kinds_of_word(&self, word: &str) -> &[KindId] {
        self.words.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Applies changed precedents (with all their labels) and moves to `generation`.
    pub fn apply(&mut self, sources: Vec<IndexSource>, labels: &[IndexLabel], generation: i64) {
        if !sources.is_empty() {
            self.suggestion_words = std::sync::OnceLock::new();
        }
        let mut by_id: FxHashMap<i64, Vec<&IndexLabel>> = FxHashMap::default();
        for l in labels {
            by_id.entry(l.precedent_id).or_default().push(l);
        }
        for source in sources {
            let own = by_id.remove(&source.id).unwrap_or_default();
            self.upsert(source, &own);
        }
        self.generation = self.generation.max(generation);
        if self.dead > 1024 && self.dead * 4 > self.docs.len() {
            self.compact();
        }
    }

    fn upsert(&mut self, source: IndexSource, labels: &[&IndexLabel]) {
        if let Some(old) = self.slot_of.remove(&source.id) {
            self.docs[old as usize].alive = false;
            self.columns.found[old as usize] = false;
            self.dead += 1;
        }
        let slot = self.docs.len() as Slot;
        let title_kinds = self.kinds_of_text(&source.title);
        let body_kinds = self.kinds_of_text(&source.body);
        let mut counts: FxHashMap<KindId, (u16, u16)> = FxHashMap::default();
        for &k in title_kinds.iter() {
            let c = counts.entry(k).or_default();
            c.0 = c.0.saturating_add(1);
        }
        for &k in body_kinds.iter() {
            let c = counts.entry(k).or_default();
            c.1 = c.1.saturating_add(1);
        }
        for (kind, (title_tf, body_tf)) in counts {
            self.postings[kind as usize].push(Posting { slot, title_tf, body_tf });
        }
        let mut doc = Doc {
            id: source.id,
            organisation_id: source.organisation_id,
            alive: true,
            searchable: source.status == "adopted",
            import_ref: source.import_ref,
            citation_id: source.citation_id,
            title: source.title,
            decided_on: source.decided_on,
            method: None,
            team_id: source.team_id,
            themes: Vec::new(),
            tags: Vec::new(),
            values: Vec::new(),
            laws: Vec::new(),
            title_kinds,
            body_kinds,
        };
        doc.method = source.method_key.as_deref().map(|m| self.intern("method", m));
        for l in labels {
            let id = self.intern(&l.kind, &l.label);
            let list = match l.kind.as_str() {
                "theme" => &mut doc.themes,
                "tag" => &mut doc.tags,
                "value" => &mut doc.values,
                "law" => &mut doc.laws,
                _ => continue,
            };
            if !list.contains(&id) {
                list.push(id);
            }
        }
        self.slot_of.insert(doc.id, slot);
        self.push_columns(&doc);
        self.docs.push(doc);
    }

    /// Appends a new last document's columns.
    fn push_columns(&mut self, doc: &Doc) {
        let mut facets: Vec<LabelId> = doc.themes.clone();
        facets.extend(doc.method);
        for &law in &doc.laws {
            let article = article_key(&self.labels[law as usize]);
            let id = self.intern("article", &article);
            if !facets.contains(&id) {
                facets.push(id);
            }
        }
        let c = &mut self.columns;
        if c.facet_start.is_empty() {
            c.facet_start.push(0);
            c.label_start.push(0);
        }
        c.label_ids.extend(doc.themes.iter().chain(&doc.tags).chain(&doc.values).chain(&doc.laws));
        c.label_start.push(c.label_ids.len() as u32);
        c.method.push(doc.method);
        c.team.push(doc.team_id);
        c.found.push(doc.alive && doc.searchable);
        c.organisation.push(doc.organisation_id);
        c.title_len.push(doc.title_len());
        c.body_len.push(doc.body_len());
        c.date.push(date_key(doc.decided_on.as_deref()));
        c.id.push(doc.id);
        c.facet_ids.extend(facets);
        c.facet_start.push(c.facet_ids.len() as u32);
    }

    /// The kind of every token of `text`, interning new word forms.
    fn kinds_of_text(&mut self, text: &str) -> Box<[KindId]> {
        tokens(text)
            .map(|t| {
                if let Some(&k) = self.kind_of_raw.get(t.raw) {
                    return k;
                }
                let word = word_of(t.raw);
                let k = self.kinds.len() as KindId;
                for term in token_terms(&t) {
                    let kinds = self.stems.entry(term).or_insert_with_key(|term| {
                        self.stems_reversed.insert(term.chars().rev().collect());
                        Vec::new()
                    });
                    kinds.push(k);
                }
                self.words.entry(word.clone()).or_default().push(k);
                self.kinds.push(Kind { word, raw: t.raw.into() });
                self.postings.push(Vec::new());
                self.kind_of_raw.insert(t.raw.to_string(), k);
                k
            })
            .collect()
    }

    fn intern(&mut self, kind: &str, label: &str) -> LabelId {
        let key = label_key(kind, label);
        if let Some(&id) = self.label_ids.get(&key) {
            return id;
        }
        let id = self.labels.len() as LabelId;
        self.labels.push(key.clone());
        self.label_ids.insert(key, id);
        id
    }

    /// Drops dead slots: renumbers the live documents and rewrites the postings.
    fn compact(&mut self) {
        let mut new_slot = vec![Slot::MAX; self.docs.len()];
        let mut docs = Vec::with_capacity(self.len());
        for (i, doc) in std::mem::take(&mut self.docs).into_iter().enumerate() {
            if doc.alive {
                new_slot[i] = docs.len() as Slot;
                docs.push(doc);
            }
        }
        for list in &mut self.postings {
            list.retain_mut(|p| {
                p.slot = new_slot[p.slot as usize];
                p.slot != Slot::MAX
            });
        }
        self.slot_of = docs.iter().enumerate().map(|(i, d)| (d.id, i as Slot)).collect();
        self.columns = Columns::default();
        for doc in &docs {
            self.push_columns(doc);
        }
        self.docs = docs;
        self.dead = 0;
    }
}

/// The law and article of a law key (`participatiewet/18/2/` → `participatiewet`, `18`).
pub(super) fn law_and_article(key: &str) -> (&str, &str) {
    let mut parts = key.split('/');
    (parts.next().unwrap_or_default(), parts.next().unwrap_or_default())
}

/// The article-level facet key of a stored law label (`law\u{1f}participatiewet/18/2/` →
/// `participatiewet/18/`).
fn article_key(label: &str) -> String {
    let (law, article) = law_and_article(label.split_once('\u{1f}').map_or(label, |(_, k)| k));
    format!("{law}/{article}/")
}

/// `YYYY-MM-DD` as the number YYYYMMDD (0 when absent or malformed), so dates order as numbers.
fn date_key(date: Option<&str>) -> u32 {
    date.and_then(|d| d.replace('-', "").parse().ok()).unwrap_or(0)
}

/// Labels of different kinds never collide: the kind is part of the key.
fn label_key(kind: &str, label: &str) -> String {
    format!("{kind}\u{1f}{label}")
}

impl ArchiveIndex {
    /// The label text without its kind prefix.
    pub fn label_text(&self, id: LabelId) -> &str {
        let full = self.label(id);
        full.split_once('\u{1f}').map_or(full, |(_, text)| text)
    }
}

impl SearchView for ArchiveIndex {
    type Kind = KindId;

    fn slots(&self) -> usize {
        self.docs.len()
    }

    fn columns(&self) -> &Columns {
        &self.columns
    }

    fn label_count(&self) -> usize {
        self.labels.len()
    }

    fn label_id(&self, kind: &str, label: &str) -> Option<LabelId> {
        ArchiveIndex::label_id(self, kind, label)
    }

    fn labels_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (LabelId, &'a str)> + 'a {
        ArchiveIndex::labels_of_kind(self, kind)
    }

    fn kinds_of_stem(&self, stem: &QueryStem) -> Vec<KindId> {
        ArchiveIndex::kinds_of_stem(self, stem)
    }

    fn form(&self, kind: &KindId) -> String {
        self.kinds[*kind as usize].raw.to_string()
    }

    fn has_stem(&self, stem: &str) -> bool {
        ArchiveIndex::has_stem(self, stem)
    }

    fn postings(&self, kind: &KindId, f: &mut dyn FnMut(Slot, u32, u32)) {
        for p in &self.postings[*kind as usize] {
            f(p.slot, u32::from(p.title_tf), u32::from(p.body_tf));
        }
    }

    fn phrase(&self, words: &[String], f: &mut dyn FnMut(Slot, u32, u32)) {
        // Each phrase word as the (few) kinds that spell it.
        let sets: Vec<&[KindId]> = words.iter().map(|w| self.kinds_of_word(w)).collect();
        if sets.is_empty() || sets.iter().any(|s| s.is_empty()) {
            return;
        }
        let postings_len =
            |kinds: &[KindId]| -> usize { kinds.iter().map(|&k| self.postings[k as usize].len()).sum() };
        // Candidates: the documents holding the phrase's rarest word.
        let rarest = sets.iter().min_by_key(|s| postings_len(s)).expect("phrases are never empty");
        let mut candidates: Vec<Slot> =
            rarest.iter().flat_map(|&k| self.postings[k as usize].iter().map(|p| p.slot)).collect();
        candidates.sort_unstable();
        candidates.dedup();
        // For every kind, which phrase positions it may stand in (bit j: word j), so the
        // scan below is one table lookup a token.
        let mut positions = vec![0u16; self.kinds.len()];
        for (j, set) in sets.iter().enumerate().take(MAX_PHRASE_WORDS) {
            for &k in *set {
                positions[k as usize] |= 1 << j;
            }
        }
        let n = sets.len().min(MAX_PHRASE_WORDS);
        let count = |seq: &[KindId]| -> u32 {
            if seq.len() < n {
                return 0;
            }
            (0..=seq.len() - n)
                .filter(|&i| {
                    positions[seq[i] as usize] & 1 != 0
                        && (1..n).all(|j| positions[seq[i + j] as usize] & (1 << j) != 0)
                })
                .count() as u32
        };
        for slot in candidates {
            let d = &self.docs[slot as usize];
            f(slot, count(&d.title_kinds), count(&d.body_kinds));
        }
    }

    fn for_each_word(&self, f: &mut dyn FnMut(&str) -> ControlFlow<()>) {
        for (word, _) in self.vocabulary() {
            if f(word).is_break() {
                return;
            }
        }
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.suggestion_words.get_or_init(|| Vocabulary::of(self))
    }

    fn word_df(&self, word: &str, in_scope: &dyn Fn(usize) -> bool) -> usize {
        let mut slots: Vec<Slot> = self
            .kinds_of_word(word)
            .iter()
            .flat_map(|&k| self.postings[k as usize].iter().map(|p| p.slot))
            .filter(|&s| in_scope(s as usize))
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots.len()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An adopted precedent of organisation 1 (the search tests' documents).
    pub(in crate::search) fn source(id: i64, title: &str, body: &str) -> IndexSource {
        IndexSource {
            id,
            organisation_id: 1,
            status: "adopted".into(),
            title: title.into(),
            body: body.into(),
            ..IndexSource::default()
        }
    }

    #[test]
    fn replacing_a_precedent_leaves_one_live_slot() {
        let mut index = ArchiveIndex::new();
        index.apply(vec![source(7, "Verlaging", "oud")], &[], 1);
        index.apply(vec![source(7, "Verlaging", "nieuw")], &[], 2);
        assert_eq!(index.len(), 1);
        assert_eq!(index.generation, 2);
        let slot = index.slot(7).unwrap();
        assert!(index.docs[slot as usize].alive);
        assert_eq!(index.docs.iter().filter(|d| d.alive).count(), 1);
    }

    #[test]
    fn compaction_renumbers_postings() {
        let mut index = ArchiveIndex::new();
        index.apply((1..=10).map(|i| source(i, "boete", "tekst")).collect(), &[], 1);
        for _ in 0..3 {
            index.apply((1..=5).map(|i| source(i, "boete", "tekst")).collect(), &[], 2);
        }
        index.compact();
        assert_eq!(index.docs.len(), 10);
        let boete = index.kinds_of_word("boete")[0];
        let mut slots: Vec<_> = index.postings[boete as usize].iter().map(|p| p.slot).collect();
        slots.sort();
        assert_eq!(slots, (0..10).collect::<Vec<_>>());
        assert_eq!(index.columns.found.len(), 10);
        assert!(index.columns.found.iter().all(|&f| f));
        assert_eq!(index.columns.facet_start.len(), 11);
    }

    #[test]
    fn labels_are_namespaced_by_kind() {
        let mut index = ArchiveIndex::new();
        let labels = [
            IndexLabel { precedent_id: 1, kind: "theme".into(), label: "boete".into() },
            IndexLabel { precedent_id: 1, kind: "tag".into(), label: "boete".into() },
        ];
        index.apply(vec![source(1, "t", "b")], &labels, 1);
        let doc = &index.docs[0];
        assert_ne!(doc.themes[0], doc.tags[0]);
        assert_eq!(index.label_text(doc.themes[0]), "boete");
    }
}
