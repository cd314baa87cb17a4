//! What the ranking (`execute.rs`) reads of an index, whichever engine holds it: the per-document
//! columns, the labels, where a stem's word forms occur, phrase occurrences and the vocabulary.
//! The in-memory index (`index.rs`) and the on-disk tantivy index (`engine/`) both answer
//! these, so one ranking code gives both the same answers.

use std::ops::ControlFlow;

use super::index::{Columns, LabelId, Slot};
use super::vocabulary::Vocabulary;
use crate::domain::text::QueryStem;

pub trait SearchView {
    /// One distinct word form (as written): every token has exactly one, so summing a query
    /// term's frequency over the kinds it matches counts every token once.
    type Kind: Clone + Eq + std::hash::Hash + Ord;

    /// Number of document slots (dead ones included: their `columns().found` is false).
    fn slots(&self) -> usize;
    fn columns(&self) -> &Columns;

    fn label_count(&self) -> usize;
    /// The id of a label's text, if any document has it (labels are namespaced by kind).
    fn label_id(&self, kind: &str, label: &str) -> Option<LabelId>;
    /// All labels of one kind, with their ids.
    fn labels_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (LabelId, &'a str)> + 'a;

    /// The kinds a word query stem matches: exactly, or every stem it begins or ends
    /// (compounds).
    fn kinds_of_stem(&self, stem: &QueryStem) -> Vec<Self::Kind>;
    /// The word form, exactly as written in the texts (what snippets highlight).
    fn form(&self, kind: &Self::Kind) -> String;
    /// Whether any indexed word has this stem term.
    fn has_stem(&self, stem: &str) -> bool;
    /// Calls `f(slot, title_tf, body_tf)` for the documents holding `kind` (a document may be
    /// reported once with both counts, or once a field).
    fn postings(&self, kind: &Self::Kind, f: &mut dyn FnMut(Slot, u32, u32));
    /// Calls `f(slot, title_count, body_count)` for the documents holding the folded `words`
    /// consecutively (at most [`crate::domain::text::MAX_PHRASE_WORDS`] of them are used).
    fn phrase(&self, words: &[String], f: &mut dyn FnMut(Slot, u32, u32));
    /// Calls `f` with every folded word of the index (the vocabulary) until it breaks.
    fn for_each_word(&self, f: &mut dyn FnMut(&str) -> ControlFlow<()>);
    /// The vocabulary as spelling suggestions read it, made on first use for this state of
    /// the index (`Vocabulary::of`).
    fn vocabulary(&self) -> &Vocabulary;
    /// How many documents in scope hold the folded `word`.
    fn word_df(&self, word: &str, in_scope: &dyn Fn(usize) -> bool) -> usize;
}
