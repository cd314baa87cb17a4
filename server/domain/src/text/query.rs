//! Parsing a user's search query into terms both backends can match.
//!
//! Syntax, deliberately small: words, `+word` (this word must occur), and quoted phrases
//! (`"dringende redenen"`, also with typographic quotes `„…”`, `“…”`, `«…»`), which must occur
//! as written. Plain words are ranked partial matching: a precedent needs only some of them
//! (see `server/src/search/execute.rs`). Nothing else is syntax: `OR`, `NEAR(`, `*`, `-`, `:`
//! and the like are ordinary characters, which the tokenizer drops, so user input can never
//! reach a query language as syntax.

use super::fold::fold;
use super::index::{token_terms, word_of};
use super::stem::stem_variants;
use super::stopwords::{is_clitic, is_stopword};
use super::tokenize::{tokens, Token};

/// Stems shorter than this (in chars) match only exactly; longer ones also match indexed
/// stems that start with them (compounds: `kostendeler` → `kostendelersnorm`). Short stems
/// would match far too much as prefixes (`wet` → `wethouder`, `wetenschap`).
pub const MIN_PREFIX_CHARS: usize = 5;
/// At most this many terms of a query are used; the rest is ignored.
pub const MAX_QUERY_TERMS: usize = 16;
/// At most this many words of a quoted phrase are used.
pub const MAX_PHRASE_WORDS: usize = 12;

/// One stem of a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryStem {
    /// Letters and digits only.
    pub stem: String,
    /// Whether an indexed stem that merely starts with `stem` also matches.
    pub prefix: bool,
    /// Whether an indexed stem that merely ends with `stem` also matches (compounds ending in
    /// the word: `zorg` → `mantelzorg`). Never set together with `prefix` by the parser; the
    /// query expansion (`super::expand`) adds such stems.
    pub suffix: bool,
}

impl QueryStem {
    /// A stem as the parser makes it: a prefix for stems of [`MIN_PREFIX_CHARS`] or more.
    pub fn new(stem: String) -> Self {
        let prefix = stem.chars().count() >= MIN_PREFIX_CHARS;
        QueryStem { stem, prefix, suffix: false }
    }

    /// Whether an indexed stem term matches this stem.
    pub fn matches(&self, indexed: &str) -> bool {
        if self.prefix {
            indexed.starts_with(&self.stem)
        } else if self.suffix {
            indexed.ends_with(&self.stem)
        } else {
            indexed == self.stem
        }
    }
}

/// One term of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryTerm {
    /// A word: matches a document whose stems column holds any of `stems`
    /// (exactly, or as a prefix where [`QueryStem::prefix`]).
    Word {
        /// The word as the user typed it.
        raw: String,
        /// Its stem variants, canonical first; never empty.
        stems: Vec<QueryStem>,
        /// Written `+word`: a precedent must hold it (otherwise any word may be missing).
        strict: bool,
    },
    /// A quoted phrase: matches a document whose words column holds `words` consecutively.
    Phrase {
        /// The phrase as the user typed it, without quotes.
        raw: String,
        /// Folded words, stopwords included; never empty.
        words: Vec<String>,
    },
}

impl QueryTerm {
    /// Whether two terms search for the same thing (however they were typed).
    fn same_search(&self, other: &QueryTerm) -> bool {
        match (self, other) {
            (QueryTerm::Word { stems: a, .. }, QueryTerm::Word { stems: b, .. }) => a == b,
            (QueryTerm::Phrase { words: a, .. }, QueryTerm::Phrase { words: b, .. }) => a == b,
            _ => false,
        }
    }

    /// Whether every match must hold this term: a `+word` or a quoted phrase.
    pub fn is_strict(&self) -> bool {
        match self {
            QueryTerm::Word { strict, .. } => *strict,
            QueryTerm::Phrase { .. } => true,
        }
    }

    /// The term as typed (a phrase without its quotes).
    pub fn raw(&self) -> &str {
        match self {
            QueryTerm::Word { raw, .. } | QueryTerm::Phrase { raw, .. } => raw,
        }
    }

    /// The term made lenient, for a search that found nothing: a `+word` as a plain word, a
    /// phrase as its words (stopwords left out).
    pub fn relaxed(&self) -> Vec<QueryTerm> {
        match self {
            QueryTerm::Word { raw, stems, .. } => {
                vec![QueryTerm::Word { raw: raw.clone(), stems: stems.clone(), strict: false }]
            }
            QueryTerm::Phrase { raw, .. } => tokens(raw).filter_map(|t| word_term(&t, false)).collect(),
        }
    }

    /// Whether a token with these stem terms (from [`super::token_terms`]) matches this word
    /// term. Always false for a phrase.
    pub fn matches_token_terms(&self, token_terms: &[String]) -> bool {
        match self {
            QueryTerm::Word { stems, .. } => stems.iter().any(|s| token_terms.iter().any(|t| s.matches(t))),
            QueryTerm::Phrase { .. } => false,
        }
    }
}

/// Parses a user query. Stopwords outside quotes are dropped; duplicate terms are dropped;
/// at most [`MAX_QUERY_TERMS`] terms are kept. An empty result means "nothing to search for"
/// (the server then lists instead of searching).
pub fn query_terms(q: &str) -> Vec<QueryTerm> {
    let mut out: Vec<QueryTerm> = Vec::new();
    let mut push = |term: QueryTerm| {
        if out.len() < MAX_QUERY_TERMS && !out.iter().any(|t| t.same_search(&term)) {
            out.push(term);
        }
    };
    let mut rest = q;
    while !rest.is_empty() {
        match rest.char_indices().find(|&(_, c)| is_open_quote(c)) {
            None => {
                for t in tokens(rest) {
                    if let Some(term) = word_term(&t, is_plus(rest, &t)) {
                        push(term);
                    }
                }
                break;
            }
            Some((i, quote)) => {
                let before = &rest[..i];
                for t in tokens(before) {
                    if let Some(term) = word_term(&t, is_plus(before, &t)) {
                        push(term);
                    }
                }
                let inner_start = i + quote.len_utf8();
                let inner = &rest[inner_start..];
                let (phrase, next) = match inner.char_indices().find(|&(_, c)| is_close_quote(c)) {
                    Some((j, close)) => (&inner[..j], &inner[j + close.len_utf8()..]),
                    None => (inner, ""),
                };
                let words: Vec<String> =
                    tokens(phrase).take(MAX_PHRASE_WORDS).map(|t| word_of(t.raw)).collect();
                if !words.is_empty() {
                    push(QueryTerm::Phrase { raw: phrase.trim().to_string(), words });
                }
                rest = next;
            }
        }
    }
    out
}

/// Whether the token is written right after a `+` (`+boete`).
fn is_plus(text: &str, t: &Token<'_>) -> bool {
    text[..t.start_byte].ends_with('+')
}

fn word_term(t: &Token<'_>, strict: bool) -> Option<QueryTerm> {
    if is_clitic(t.raw) || is_stopword(&fold(t.raw)) {
        return None;
    }
    // The whole word only: a hyphenated query word is matched joined, which finds both the
    // joined and the hyphenated spelling (the index holds the joined form of both).
    let stems: Vec<QueryStem> = stem_variants(t.raw).into_iter().map(QueryStem::new).collect();
    if stems.is_empty() {
        return None;
    }
    Some(QueryTerm::Word { raw: t.raw.to_string(), stems, strict })
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '„' | '“' | '”' | '«' | '‟')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '»' | '‟')
}

/// The index-side check the backends perform, in Rust: whether a text (one field) contains
/// the term. Useful for tests and for re-checking candidates.
pub fn text_matches(text: &str, term: &QueryTerm) -> bool {
    match term {
        QueryTerm::Word { .. } => tokens(text).any(|t| term.matches_token_terms(&token_terms(&t))),
        QueryTerm::Phrase { words, .. } => {
            let doc: Vec<String> = tokens(text).map(|t| word_of(t.raw)).collect();
            doc.windows(words.len()).any(|w| w == words.as_slice())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems_of(t: &QueryTerm) -> Vec<(&str, bool)> {
        match t {
            QueryTerm::Word { stems, .. } => stems.iter().map(|s| (s.stem.as_str(), s.prefix)).collect(),
            QueryTerm::Phrase { .. } => panic!("not a word: {t:?}"),
        }
    }

    #[test]
    fn words_become_stems_with_prefix_for_long_ones() {
        let q = query_terms("de kostendeler wet");
        assert_eq!(q.len(), 2);
        assert_eq!(stems_of(&q[0]), [("kostendeler", true)]);
        assert_eq!(stems_of(&q[1]), [("wet", false)]);
    }

    #[test]
    fn quoted_phrases_keep_folded_words_including_stopwords() {
        let q = query_terms("boete „in de bijstand” weigeren");
        assert_eq!(q.len(), 3);
        assert_eq!(
            q[1],
            QueryTerm::Phrase {
                raw: "in de bijstand".into(),
                words: vec!["in".into(), "de".into(), "bijstand".into()]
            }
        );
    }

    #[test]
    fn plus_makes_a_word_strict_and_relaxing_undoes_it() {
        let q = query_terms("+boete weigeren \"dringende redenen\"");
        assert!(q[0].is_strict() && !q[1].is_strict() && q[2].is_strict());
        assert_eq!(q[0].raw(), "boete");
        assert!(!q[0].relaxed()[0].is_strict());
        let words: Vec<String> = q[2].relaxed().iter().map(|t| t.raw().to_string()).collect();
        assert_eq!(words, ["dringende", "redenen"]);
        // A `+` elsewhere is no syntax.
        assert!(!query_terms("a+ boete")[0].is_strict());
    }

    #[test]
    fn suffix_stems_match_compound_ends() {
        let s = QueryStem { stem: "zorg".into(), prefix: false, suffix: true };
        assert!(s.matches("mantelzorg") && s.matches("zorg") && !s.matches("zorgtak"));
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        let q = query_terms("\"dringende redenen");
        assert!(matches!(&q[0], QueryTerm::Phrase { words, .. } if words == &["dringende", "redenen"]));
    }

    #[test]
    fn empty_quotes_stopwords_and_punctuation_give_nothing() {
        assert!(query_terms("").is_empty());
        assert!(query_terms("\"\" de het een").is_empty());
        assert!(query_terms("*:&!()\\").is_empty());
        assert!(query_terms(" ' ").is_empty());
    }

    #[test]
    fn duplicates_are_dropped_and_the_count_is_capped() {
        assert_eq!(query_terms("boete Boete BOETE").len(), 1);
        let many: String = (0..40).map(|i| format!("woord{i} ")).collect();
        assert_eq!(query_terms(&many).len(), MAX_QUERY_TERMS);
        let long_phrase = format!("\"{}\"", "a ".repeat(50));
        assert!(
            matches!(&query_terms(&long_phrase)[0], QueryTerm::Phrase { words, .. } if words.len() == MAX_PHRASE_WORDS)
        );
    }

    #[test]
    fn text_matches_follows_the_index_rules() {
        let w = &query_terms("kostendeler")[0];
        assert!(text_matches("De kostendelersnorm geldt.", w));
        assert!(!text_matches("De kosten delen.", w));
        let p = &query_terms("\"dringende redenen\"")[0];
        assert!(text_matches("Er zijn Dringende redenen.", p));
        assert!(!text_matches("redenen dringende", p));
    }
}
