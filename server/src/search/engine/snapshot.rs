//! One committed state of the tantivy index as the ranking reads it ([`SearchView`]): a
//! searcher over its segments, with the per-document columns every search touches (scope,
//! field lengths, dates, labels) read once from the fast fields when the state is opened.
//! A document's slot is its segment's base plus its doc id.

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::postings::{Postings, TermInfo};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocSet, InvertedIndexReader, Searcher, SegmentReader, TantivyDocument, TERMINATED,
};

use super::analysis::KIND_SEPARATOR;
use super::schema::Fields;
use crate::domain::text::{QueryStem, MAX_PHRASE_WORDS};
use crate::search::index::{Columns, LabelId, Slot};
use crate::search::page::{SearchHit, SnippetOut};
use crate::search::view::SearchView;
use crate::search::vocabulary::Vocabulary;

/// A word form found through the term dictionary: its word as written (what makes it one
/// kind) and one of its terms (`stem\0raw`), whose postings are the form's occurrences.
#[derive(Clone, Debug)]
pub struct TermKind {
    term: Box<[u8]>,
    /// Where the raw word begins in `term`.
    raw_start: usize,
    /// Where the dictionaries put `term`'s postings, as found: segment, body (else title),
    /// and the term's entry (so reading the postings needs no second lookup).
    found: Vec<(usize, bool, TermInfo)>,
}

impl TermKind {
    fn raw(&self) -> &[u8] {
        &self.term[self.raw_start..]
    }
}

impl PartialEq for TermKind {
    fn eq(&self, other: &Self) -> bool {
        self.raw() == other.raw()
    }
}
impl Eq for TermKind {}
impl std::hash::Hash for TermKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw().hash(state);
    }
}
impl PartialOrd for TermKind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for TermKind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw().cmp(other.raw())
    }
}

/// The readers of one segment.
struct Segment {
    base: Slot,
    reader: SegmentReader,
    title_kinds: Arc<InvertedIndexReader>,
    body_kinds: Arc<InvertedIndexReader>,
    title_words: Arc<InvertedIndexReader>,
    body_words: Arc<InvertedIndexReader>,
    reversed: Arc<InvertedIndexReader>,
}

impl Segment {
    fn alive(&self, doc: u32) -> bool {
        self.reader.alive_bitset().is_none_or(|a| a.is_alive(doc))
    }
}

pub struct Snapshot {
    searcher: Searcher,
    fields: Fields,
    segments: Vec<Segment>,
    slots: usize,
    columns: Columns,
    labels: Vec<String>,
    label_ids: FxHashMap<String, LabelId>,
    /// Made on the first spelling suggestion asked of this state.
    suggestion_words: std::sync::OnceLock<Vocabulary>,
}

impl Snapshot {
    /// Reads the columns of every segment of `searcher`.
    pub fn open(searcher: Searcher, fields: Fields) -> tantivy::Result<Snapshot> {
        let mut segments = Vec::new();
        let mut base: Slot = 0;
        for reader in searcher.segment_readers() {
            segments.push(Segment {
                base,
                title_kinds: reader.inverted_index(fields.title_kinds)?,
                body_kinds: reader.inverted_index(fields.body_kinds)?,
                title_words: reader.inverted_index(fields.title_words)?,
                body_words: reader.inverted_index(fields.body_words)?,
                reversed: reader.inverted_index(fields.reversed)?,
                reader: reader.clone(),
            });
            base += reader.max_doc();
        }
        let mut snapshot = Snapshot {
            searcher,
            fields,
            segments,
            slots: base as usize,
            columns: Columns::default(),
            labels: Vec::new(),
            label_ids: FxHashMap::default(),
            suggestion_words: std::sync::OnceLock::new(),
        };
        snapshot.read_columns()?;
        Ok(snapshot)
    }

    fn intern(&mut self, key: &str) -> LabelId {
        if let Some(&id) = self.label_ids.get(key) {
            return id;
        }
        let id = self.labels.len() as LabelId;
        self.labels.push(key.to_string());
        self.label_ids.insert(key.to_string(), id);
        id
    }

    fn read_columns(&mut self) -> tantivy::Result<()> {
        let mut c = Columns::default();
        c.facet_start.push(0);
        c.label_start.push(0);
        let segments = std::mem::take(&mut self.segments);
        for segment in &segments {
            let ff = segment.reader.fast_fields();
            let id = ff.i64("id")?;
            let organisation = ff.i64("organisation")?;
            let team = ff.i64("team")?;
            let found = ff.u64("found")?;
            let date = ff.u64("date")?;
            let title_len = ff.u64("title_len")?;
            let body_len = ff.u64("body_len")?;
            // Each segment's label ordinals, as global label ids.
            let mut global =
                |column: &Option<tantivy::columnar::StrColumn>| -> tantivy::Result<Vec<LabelId>> {
                    let Some(column) = column else { return Ok(Vec::new()) };
                    let mut out = Vec::with_capacity(column.num_terms());
                    let mut text = String::new();
                    for ord in 0..column.num_terms() as u64 {
                        column.ord_to_str(ord, &mut text)?;
                        out.push(self.intern(&text));
                    }
                    Ok(out)
                };
            let facet = ff.str("facet")?;
            let label = ff.str("label")?;
            let method = ff.str("method")?;
            let facet_ids = global(&facet)?;
            let label_ids = global(&label)?;
            let method_ids: Vec<LabelId> = match &method {
                None => Vec::new(),
                Some(column) => {
                    let mut out = Vec::with_capacity(column.num_terms());
                    let mut text = String::new();
                    for ord in 0..column.num_terms() as u64 {
                        column.ord_to_str(ord, &mut text)?;
                        out.push(self.intern(&super::schema::label_key("method", &text)));
                    }
                    out
                }
            };
            for doc in 0..segment.reader.max_doc() {
                c.found.push(segment.alive(doc) && found.first(doc) == Some(1));
                c.organisation.push(organisation.first(doc).unwrap_or_default());
                c.team.push(team.first(doc));
                c.title_len.push(title_len.first(doc).unwrap_or_default() as u32);
                c.body_len.push(body_len.first(doc).unwrap_or_default() as u32);
                c.date.push(date.first(doc).unwrap_or_default() as u32);
                c.id.push(id.first(doc).unwrap_or_default());
                if let Some(facet) = &facet {
                    c.facet_ids.extend(facet.term_ords(doc).map(|o| facet_ids[o as usize]));
                }
                c.facet_start.push(c.facet_ids.len() as u32);
                if let Some(label) = &label {
                    c.label_ids.extend(label.term_ords(doc).map(|o| label_ids[o as usize]));
                }
                c.label_start.push(c.label_ids.len() as u32);
                c.method.push(
                    method.as_ref().and_then(|m| m.term_ords(doc).next()).map(|o| method_ids[o as usize]),
                );
            }
        }
        self.segments = segments;
        self.columns = c;
        Ok(())
    }

    fn address(&self, slot: Slot) -> (usize, u32) {
        let i = self.segments.partition_point(|s| s.base <= slot) - 1;
        (i, slot - self.segments[i].base)
    }

    /// The display fields of a ranked document.
    pub fn hit(&self, slot: Slot, score: f64, missing: Vec<String>) -> tantivy::Result<SearchHit> {
        let (segment, doc) = self.address(slot);
        let stored: TantivyDocument = self.searcher.doc(DocAddress::new(segment as u32, doc))?;
        let text = |field: Field| stored.get_first(field).and_then(|v| v.as_str().map(str::to_string));
        Ok(SearchHit {
            id: self.columns.id[slot as usize],
            import_ref: text(self.fields.import_ref),
            citation_id: text(self.fields.citation_id),
            title: text(self.fields.title).unwrap_or_default(),
            decided_on: text(self.fields.decided_on),
            method: text(self.fields.method),
            team_id: self.columns.team[slot as usize],
            score,
            missing,
            snippet: SnippetOut::default(),
        })
    }

    /// Number of live documents.
    pub fn live(&self) -> usize {
        self.segments.iter().map(|s| s.reader.num_docs() as usize).sum()
    }

    /// Calls `f(slot, tf)` with every live document holding `term` in `field`'s reader.
    fn docs_of(segment: &Segment, reader: &InvertedIndexReader, term: &[u8], f: &mut dyn FnMut(Slot, u32)) {
        if let Ok(Some(info)) = reader.terms().get(term) {
            Self::postings_of(segment, reader, &info, f);
        }
    }

    /// Calls `f(slot, tf)` with every live document of the postings at `info`, read a block
    /// (128 documents) at a time.
    fn postings_of(
        segment: &Segment,
        reader: &InvertedIndexReader,
        info: &TermInfo,
        f: &mut dyn FnMut(Slot, u32),
    ) {
        let Ok(mut block) = reader.read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
        else {
            return;
        };
        let alive = segment.reader.alive_bitset();
        loop {
            let docs = block.docs();
            if docs.is_empty() {
                break;
            }
            for (&doc, &tf) in docs.iter().zip(block.freqs()) {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    f(segment.base + doc, tf);
                }
            }
            block.advance();
        }
    }

    /// Every key of `reader`'s dictionary that starts with `prefix`, with its entry.
    fn keys_with_prefix(reader: &InvertedIndexReader, prefix: &[u8], f: &mut dyn FnMut(&[u8], &TermInfo)) {
        let Ok(mut stream) = reader.terms().range().ge(prefix).into_stream() else { return };
        while stream.advance() {
            if !stream.key().starts_with(prefix) {
                break;
            }
            f(stream.key(), stream.value());
        }
    }

    /// The kinds of every `stem\0raw` term starting with `prefix` (with the separator when
    /// `exact`), by raw word: one term per raw word (the same in every segment: a word's terms
    /// are a function of how it is written), with everywhere it was found.
    fn kinds_with_prefix(&self, prefix: &[u8], exact: bool, out: &mut FxHashMap<Box<[u8]>, TermKind>) {
        let mut key_prefix = prefix.to_vec();
        if exact {
            key_prefix.push(KIND_SEPARATOR as u8);
        }
        for (i, segment) in self.segments.iter().enumerate() {
            for (body, reader) in [(false, &segment.title_kinds), (true, &segment.body_kinds)] {
                Self::keys_with_prefix(reader, &key_prefix, &mut |key, info| {
                    let Some(sep) = key.iter().position(|&b| b == KIND_SEPARATOR as u8) else { return };
                    let kind = out.entry(key[sep + 1..].into()).or_insert_with(|| TermKind {
                        term: key.into(),
                        raw_start: sep + 1,
                        found: Vec::new(),
                    });
                    if *kind.term == *key {
                        kind.found.push((i, body, info.clone()));
                    }
                });
            }
        }
    }
}

impl SearchView for Snapshot {
    type Kind = TermKind;

    fn slots(&self) -> usize {
        self.slots
    }

    fn columns(&self) -> &Columns {
        &self.columns
    }

    fn label_count(&self) -> usize {
        self.labels.len()
    }

    fn label_id(&self, kind: &str, label: &str) -> Option<LabelId> {
        self.label_ids.get(&super::schema::label_key(kind, label)).copied()
    }

    fn labels_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (LabelId, &'a str)> + 'a {
        self.labels.iter().enumerate().filter_map(move |(i, l)| {
            l.strip_prefix(kind).and_then(|rest| rest.strip_prefix('\u{1f}')).map(|text| (i as LabelId, text))
        })
    }

    fn kinds_of_stem(&self, stem: &QueryStem) -> Vec<TermKind> {
        let mut out = FxHashMap::default();
        if stem.suffix {
            let reversed: String = stem.stem.chars().rev().collect();
            let mut stems = BTreeSet::new();
            for segment in &self.segments {
                Self::keys_with_prefix(&segment.reversed, reversed.as_bytes(), &mut |key, _| {
                    if let Ok(key) = std::str::from_utf8(key) {
                        stems.insert(key.chars().rev().collect::<String>());
                    }
                });
            }
            for s in stems {
                self.kinds_with_prefix(s.as_bytes(), true, &mut out);
            }
        } else {
            self.kinds_with_prefix(stem.stem.as_bytes(), !stem.prefix, &mut out);
        }
        let mut out: Vec<TermKind> = out.into_values().collect();
        out.sort_unstable();
        out
    }

    fn form(&self, kind: &TermKind) -> String {
        String::from_utf8_lossy(kind.raw()).into_owned()
    }

    fn has_stem(&self, stem: &str) -> bool {
        let mut prefix = stem.as_bytes().to_vec();
        prefix.push(KIND_SEPARATOR as u8);
        self.segments.iter().any(|segment| {
            [&segment.title_kinds, &segment.body_kinds].iter().any(|reader| {
                let mut found = false;
                if let Ok(mut stream) = reader.terms().range().ge(&prefix).into_stream() {
                    found = stream.advance() && stream.key().starts_with(&prefix);
                }
                found
            })
        })
    }

    fn postings(&self, kind: &TermKind, f: &mut dyn FnMut(Slot, u32, u32)) {
        for (i, body, info) in &kind.found {
            let segment = &self.segments[*i];
            let reader = if *body { &segment.body_kinds } else { &segment.title_kinds };
            Self::postings_of(segment, reader, info, &mut |slot, tf| {
                if *body {
                    f(slot, 0, tf)
                } else {
                    f(slot, tf, 0)
                }
            });
        }
    }

    fn phrase(&self, words: &[String], f: &mut dyn FnMut(Slot, u32, u32)) {
        let words = &words[..words.len().min(MAX_PHRASE_WORDS)];
        if words.is_empty() {
            return;
        }
        for segment in &self.segments {
            for (title, reader) in [(true, &segment.title_words), (false, &segment.body_words)] {
                let mut lists = Vec::with_capacity(words.len());
                for w in words {
                    let Ok(Some(info)) = reader.terms().get(w.as_bytes()) else { break };
                    let Ok(p) =
                        reader.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqsAndPositions)
                    else {
                        break;
                    };
                    lists.push(p);
                }
                if lists.len() < words.len() {
                    continue;
                }
                let (mut first, rest) = lists.split_first_mut().expect("phrases are never empty");
                let mut positions: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
                let mut doc = first.doc();
                'docs: while doc != TERMINATED {
                    for other in rest.iter_mut() {
                        let at = other.seek(doc);
                        if at != doc {
                            doc = first.seek(at);
                            continue 'docs;
                        }
                    }
                    if segment.alive(doc) {
                        first.positions(&mut positions[0]);
                        for (j, other) in rest.iter_mut().enumerate() {
                            other.positions(&mut positions[j + 1]);
                        }
                        let count = positions[0]
                            .iter()
                            .filter(|&&p| {
                                (1..words.len()).all(|j| positions[j].binary_search(&(p + j as u32)).is_ok())
                            })
                            .count() as u32;
                        if count > 0 {
                            let slot = segment.base + doc;
                            if title {
                                f(slot, count, 0);
                            } else {
                                f(slot, 0, count);
                            }
                        }
                    }
                    doc = first.advance();
                }
                let _ = &mut first;
            }
        }
    }

    /// The word dictionaries of every segment and field merged as they stream (each is sorted):
    /// every word once, in order, without collecting the vocabulary.
    fn for_each_word(&self, f: &mut dyn FnMut(&str) -> ControlFlow<()>) {
        let mut streams = Vec::new();
        for segment in &self.segments {
            for reader in [&segment.title_words, &segment.body_words] {
                if let Ok(mut stream) = reader.terms().stream() {
                    if stream.advance() {
                        streams.push(stream);
                    }
                }
            }
        }
        let mut word: Vec<u8> = Vec::new();
        while let Some(least) = streams.iter().map(|s| s.key()).min() {
            word.clear();
            word.extend_from_slice(least);
            // Every stream at this word moves on; an ended one is dropped.
            streams.retain_mut(|s| s.key() != word.as_slice() || s.advance());
            if let Ok(w) = std::str::from_utf8(&word) {
                if f(w).is_break() {
                    return;
                }
            }
        }
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.suggestion_words.get_or_init(|| Vocabulary::of(self))
    }

    fn word_df(&self, word: &str, in_scope: &dyn Fn(usize) -> bool) -> usize {
        let mut slots = Vec::new();
        for segment in &self.segments {
            for reader in [&segment.title_words, &segment.body_words] {
                Self::docs_of(segment, reader, word.as_bytes(), &mut |slot, _| {
                    if in_scope(slot as usize) {
                        slots.push(slot);
                    }
                });
            }
        }
        slots.sort_unstable();
        slots.dedup();
        slots.len()
    }
}
