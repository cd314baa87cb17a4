//! Dutch stopwords: words too common to be worth indexing or querying as single terms.
//!
//! The list is the Snowball project's standard Dutch stopword list (101 words), plus the
//! letters left over from clitics (`'s`, `'t`, `'n`) and the clitic forms themselves.
//! Stopwords are left out of the stem terms on both the index and the query side; they are
//! kept in the folded word sequence, so a quoted phrase such as `"in de bijstand"` still
//! matches word for word.

/// The Snowball Dutch stopword list, folded (no diacritics), sorted for binary search.
const STOPWORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de", "der", "deze",
    "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen", "geweest", "haar",
    "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in",
    "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "n",
    "na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over",
    "reeds", "s", "t", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want",
    "waren", "was", "wat", "werd", "wezen", "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich",
    "zij", "zijn", "zo", "zonder", "zou",
];

/// Clitic forms written with an apostrophe (compared after lowercasing, with the apostrophe
/// normalised to `'`). Folding would turn `zo'n` into `zon` ("sun"), so these are recognised
/// before folding.
const CLITICS: &[&str] = &["d'r", "m'n", "z'n", "zo'n"];

/// Whether a *folded* word is a stopword.
pub fn is_stopword(folded: &str) -> bool {
    STOPWORDS.binary_search(&folded).is_ok()
}

/// Whether a raw token (as written, e.g. `Zo’n`) is a clitic stopword such as `zo'n`.
pub fn is_clitic(raw: &str) -> bool {
    if !raw.contains(super::tokenize::is_apostrophe) {
        return false;
    }
    let normalised: String = raw
        .chars()
        .map(|c| if super::tokenize::is_apostrophe(c) { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    CLITICS.contains(&normalised.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_unique_and_folded() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]), "keep STOPWORDS sorted");
        for w in STOPWORDS {
            assert_eq!(&super::super::fold(w), w);
        }
    }

    #[test]
    fn common_function_words_are_stopwords() {
        for w in ["de", "het", "een", "en", "van", "niet", "zijn", "wordt", "t", "s"] {
            assert!(is_stopword(w), "{w}");
        }
    }

    #[test]
    fn content_words_are_not() {
        for w in ["bijstand", "client", "weigeren", "boete", "wet", "zon", "maand", "18"] {
            assert!(!is_stopword(w), "{w}");
        }
    }

    #[test]
    fn clitics_are_recognised_before_folding() {
        assert!(is_clitic("zo'n"));
        assert!(is_clitic("Zo’n"));
        assert!(is_clitic("m'n"));
        assert!(!is_clitic("zon"));
        assert!(!is_clitic("auto's"));
    }
}
