//! The most informative words of a longer text, to look for similar documents with.
//!
//! A search query is the AND of its terms, so a whole case text as a query would find nothing.
//! Instead the consistency hints search for the few words that say most about the text and
//! combine the results: a precedent that shares several of them is similar. Without corpus
//! statistics at hand, a word's weight here is how often the text uses it (dampened) times its
//! length: long Dutch words are compounds and specific terms (`kostendelersnorm`,
//! `terugvordering`), short ones are common (`geld`, `werk`). Stopwords, numbers and words
//! shorter than [`MIN_SALIENT_CHARS`] never count.

use std::collections::HashMap;

use super::fold::fold;
use super::stem::stem;
use super::stopwords::{is_clitic, is_stopword};
use super::tokenize::tokens;

/// Words shorter than this (in chars, folded) are too common to be informative.
pub const MIN_SALIENT_CHARS: usize = 4;
/// Beyond this length a word gains no more weight.
const MAX_LENGTH_WEIGHT: usize = 14;

/// Up to `max` words of `text`, most informative first (ties: first written first), one per
/// stem, each as first written in the text — ready to be searched for one by one.
pub fn salient_terms(text: &str, max: usize) -> Vec<String> {
    struct Seen {
        first: usize,
        raw: String,
        count: u32,
        chars: usize,
    }
    let mut by_stem: HashMap<String, Seen> = HashMap::new();
    for (i, token) in tokens(text).enumerate() {
        if is_clitic(token.raw) {
            continue;
        }
        let folded = fold(token.raw);
        let chars = folded.chars().count();
        if chars < MIN_SALIENT_CHARS || is_stopword(&folded) || folded.chars().any(|c| c.is_numeric()) {
            continue;
        }
        let key = stem(token.raw);
        if key.is_empty() {
            continue;
        }
        by_stem.entry(key).and_modify(|s| s.count += 1).or_insert(Seen {
            first: i,
            raw: token.raw.to_string(),
            count: 1,
            chars,
        });
    }
    let mut ranked: Vec<(f64, usize, String)> = by_stem
        .into_values()
        .map(|s| {
            let weight = (1.0 + f64::from(s.count).ln()) * s.chars.min(MAX_LENGTH_WEIGHT) as f64;
            (weight, s.first, s.raw)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().take(max).map(|(_, _, raw)| raw).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_repeated_words_first_stopwords_and_numbers_never() {
        let text = "De cliënt heeft door een fout van de gemeente te veel bijstand ontvangen. \
                    De gemeente overweegt terugvordering van 2400 euro; terugvorderen treft cliënt hard.";
        let terms = salient_terms(text, 4);
        assert_eq!(terms[0], "terugvordering", "{terms:?}");
        assert!(terms.contains(&"gemeente".to_string()), "{terms:?}");
        for never in ["De", "heeft", "door", "2400", "te", "van"] {
            assert!(!terms.iter().any(|t| t == never), "{never} in {terms:?}");
        }
    }

    #[test]
    fn one_term_per_stem_as_first_written() {
        let terms = salient_terms("Verlagingen en een verlaging: de verlaging bleef.", 5);
        assert_eq!(
            terms.iter().filter(|t| t.to_lowercase().starts_with("verlaging")).count(),
            1,
            "{terms:?}"
        );
        assert_eq!(terms[0], "Verlagingen");
    }

    #[test]
    fn empty_and_stopword_texts_have_no_terms() {
        assert!(salient_terms("", 5).is_empty());
        assert!(salient_terms("de het een en van dat", 5).is_empty());
        assert_eq!(salient_terms("kostendelersnorm huishouden woning", 2).len(), 2);
    }
}
