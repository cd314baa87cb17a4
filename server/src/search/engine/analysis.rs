//! The domain's Dutch analysis (`domain::text`) as tantivy tokenizers, so the index holds
//! exactly the terms the in-memory engine makes: the rules stay in one place (the domain), this
//! only lays them out as tantivy tokens.
//!
//! Three analyses of one text, one token position per word (`domain::text::tokens`), byte
//! offsets into the original:
//! - [`KINDS`]: every stem term of a word (`token_terms`: stopwords left out, weak-verb
//!   readings and hyphen parts added) joined to the word as written, `stem\0raw`. The term
//!   dictionary is then the map from stems to word forms (a prefix range finds compounds), and
//!   one such term's frequency in a document is the frequency of its word form, so a query
//!   term counts every token once however many of its stems match.
//! - [`WORDS`]: the folded word (`word_of`, stopwords included), with positions, for phrases,
//!   spelling suggestions and snippets.
//! - [`REVERSED`]: every stem term spelled backwards, so a compound's last part is a prefix
//!   range (`zorg` → `mantelzorg`).

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

use crate::domain::text::{token_terms, tokens, word_of, Token as WordToken};

pub const KINDS: &str = "beraad_kinds";
pub const WORDS: &str = "beraad_words";
pub const REVERSED: &str = "beraad_reversed";

/// Separates a stem from its word form in a [`KINDS`] term; sorts before every letter.
pub const KIND_SEPARATOR: char = '\0';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Analysis {
    Kinds,
    Words,
    Reversed,
}

/// One of the three analyses as a tantivy tokenizer.
#[derive(Clone, Copy, Debug)]
pub struct DutchTokenizer(Analysis);

/// Registers the three tokenizers on an opened index (tantivy does not persist them).
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(KINDS, TextAnalyzer::from(DutchTokenizer(Analysis::Kinds)));
    manager.register(WORDS, TextAnalyzer::from(DutchTokenizer(Analysis::Words)));
    manager.register(REVERSED, TextAnalyzer::from(DutchTokenizer(Analysis::Reversed)));
}

/// The `stem\0raw` term of a word form.
pub fn kind_term(stem: &str, raw: &str) -> String {
    format!("{stem}{KIND_SEPARATOR}{raw}")
}

/// Word forms whose stem terms one indexing thread remembers (emptied when full): a text's
/// words are mostly forms seen before, and stemming is most of the analysis.
const TERMS_CACHED: usize = 50_000;

thread_local! {
    static TERMS: RefCell<FxHashMap<Box<str>, Rc<[String]>>> = RefCell::default();
}

/// `token_terms(t)`, remembered by the word as written (the terms are a function of it).
fn terms_of(t: &WordToken<'_>) -> Rc<[String]> {
    TERMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(terms) = cache.get(t.raw) {
            return terms.clone();
        }
        if cache.len() >= TERMS_CACHED {
            cache.clear();
        }
        let terms: Rc<[String]> = token_terms(t).into();
        cache.insert(t.raw.into(), terms.clone());
        terms
    })
}

fn analyse(analysis: Analysis, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (position, t) in tokens(text).enumerate() {
        let token = |text: String| Token {
            offset_from: t.start_byte,
            offset_to: t.start_byte + t.raw.len(),
            position,
            text,
            position_length: 1,
        };
        match analysis {
            Analysis::Words => out.push(token(word_of(t.raw))),
            Analysis::Kinds => {
                for stem in terms_of(&t).iter() {
                    out.push(token(kind_term(stem, t.raw)));
                }
            }
            Analysis::Reversed => {
                for stem in terms_of(&t).iter() {
                    out.push(token(stem.chars().rev().collect()));
                }
            }
        }
    }
    out
}

impl Tokenizer for DutchTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens { tokens: analyse(self.0, text), next: 0 }
    }
}

/// The analysed tokens of one text.
pub struct Tokens {
    tokens: Vec<Token>,
    /// One past the current token.
    next: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(analysis: Analysis, text: &str) -> Vec<(String, usize)> {
        analyse(analysis, text).into_iter().map(|t| (t.text, t.position)).collect()
    }

    #[test]
    fn kinds_join_each_stem_to_the_word_as_written() {
        let got = texts(Analysis::Kinds, "De cliënte weigert");
        assert_eq!(
            got,
            [
                ("client\0cliënte".to_string(), 1),
                ("weiger\0weigert".to_string(), 2),
                ("weigert\0weigert".to_string(), 2)
            ]
        );
    }

    #[test]
    fn words_keep_stopwords_and_positions() {
        let got = texts(Analysis::Words, "De cliënte weigert");
        assert_eq!(got, [("de".to_string(), 0), ("cliente".to_string(), 1), ("weigert".to_string(), 2)]);
        let t = &analyse(Analysis::Words, "één cliënte")[1];
        assert_eq!((t.offset_from, t.offset_to), ("één ".len(), "één cliënte".len()));
    }

    #[test]
    fn reversed_stems() {
        assert_eq!(texts(Analysis::Reversed, "mantelzorg"), [("grozletnam".to_string(), 0)]);
    }
}
