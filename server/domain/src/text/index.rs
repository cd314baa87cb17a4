//! What the search index keeps of a text: stem terms and folded words.
//!
//! Every token of a searchable field has its **stems** ([`token_terms`]; all of a text's:
//! [`index_terms`]), which plain word queries match, and its **folded word** ([`word_of`]; all
//! of a text's: [`index_words`]), which quoted phrases match. Both are lowercase letters and
//! digits only. The server's in-process index (`server/src/search/index.rs`) is built from
//! exactly these, whichever database holds the originals.

use super::fold::fold;
use super::stem::{stem_variants, MAX_WORD_CHARS};
use super::stopwords::{is_clitic, is_stopword};
use super::tokenize::{tokens, Token};

/// The stem terms of a text, in text order: for every word that is not a stopword, its stem
/// variants (see [`super::stem_variants`]); for a hyphenated word also the stems of its parts
/// (`kostendelers-norm` → `kostendelersnorm`, `kostendeler`, `norm`), so a search for either
/// part finds it. Store them space-joined (`terms.join(" ")`).
///
/// Unhyphenated compounds are *not* split: without a lexicon a splitter invents parts
/// (`bijstand` → `bij` + `stand`). A query term matches the *start* of an indexed stem instead
/// (see [`super::QueryStem::prefix`]), which covers the usual search for a compound's first
/// part (`kostendeler` finds `kostendelersnorm`).
pub fn index_terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in tokens(s) {
        out.extend(token_terms(&t));
    }
    out
}

/// The folded words of a text, one per word, stopwords included, for phrase queries. Store
/// them space-joined. Words are truncated to [`MAX_WORD_CHARS`] chars.
pub fn index_words(s: &str) -> Vec<String> {
    tokens(s).map(|t| word_of(t.raw)).collect()
}

/// The folded form of one word as stored in the words column.
pub fn word_of(raw: &str) -> String {
    let f = fold(raw);
    if f.chars().count() > MAX_WORD_CHARS {
        f.chars().take(MAX_WORD_CHARS).collect()
    } else {
        f
    }
}

/// The stem terms of one token, without duplicates (empty for a stopword).
pub fn token_terms(t: &Token<'_>) -> Vec<String> {
    if is_clitic(t.raw) || is_stopword(&fold(t.raw)) {
        return Vec::new();
    }
    let mut out = stem_variants(t.raw);
    if t.is_hyphenated() {
        for part in t.hyphen_parts() {
            let f = fold(part);
            if f.chars().count() < 2 || is_stopword(&f) {
                continue;
            }
            for s in stem_variants(part) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_left_out_of_terms_but_not_words() {
        assert_eq!(index_terms("De cliënte weigert"), ["client", "weiger", "weigert"]);
        assert_eq!(index_words("De cliënte weigert"), ["de", "cliente", "weigert"]);
    }

    #[test]
    fn hyphenated_words_index_the_whole_and_the_parts() {
        assert_eq!(index_terms("kostendelers-norm"), ["kostendelersnorm", "kostendeler", "norm"]);
        assert_eq!(index_words("kostendelers-norm"), ["kostendelersnorm"]);
        // A one-letter part adds nothing.
        assert_eq!(index_terms("e-mail"), ["email", "mail"]);
    }

    #[test]
    fn clitics_are_stopwords() {
        assert!(index_terms("zo'n regeling").iter().all(|t| t != "zon"));
    }

    #[test]
    fn terms_are_plain_lowercase_letters_and_digits() {
        let text = "Cliënt (18) ontving €1.234,56 te véél — zie art. 58 lid 2; e-mail: x@y.nl";
        for t in index_terms(text).iter().chain(index_words(text).iter()) {
            assert!(!t.is_empty());
            assert!(t.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase()), "{t}");
        }
    }

    #[test]
    fn overlong_words_are_truncated_in_words_and_dropped_from_terms() {
        let long = "x".repeat(200);
        assert!(index_terms(&long).is_empty());
        assert_eq!(index_words(&long)[0].chars().count(), MAX_WORD_CHARS);
    }
}
