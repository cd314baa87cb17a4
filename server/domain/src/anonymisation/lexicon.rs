//! The word lists behind the name detector, embedded at compile time from
//! `lexicon/*.txt` and parsed once into hash sets. All entries and all
//! lookups are folded: lower case, diacritics removed (`Yıldız` → `yildiz`).

use std::sync::LazyLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use rustc_hash::FxHashSet;

/// Lower-cases and strips diacritics; maps the few letters that have no
/// decomposition (ı, ł, ø, ß, đ) and typographic apostrophes.
pub(crate) fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ı' | 'İ' => out.push('i'),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            '’' | '‘' | '`' | '´' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Entries of a list file: `#` starts a comment; entries are separated by
/// commas or newlines.
fn entries(src: &'static str) -> impl Iterator<Item = String> {
    src.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(fold)
}

pub(crate) struct Lexicon {
    pub first_names: FxHashSet<String>,
    /// Full surnames with their prefix: `de vries`, `jansen`, `al-hassan`.
    pub surnames: FxHashSet<String>,
    /// The last word of every surname: `vries`, `jansen`.
    pub surname_cores: FxHashSet<String>,
    pub ambiguous: FxHashSet<String>,
    pub stopwords: FxHashSet<String>,
    /// Single-word places and multi-word places (`den haag`).
    pub places: FxHashSet<String>,
}

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let surnames: FxHashSet<String> = entries(include_str!("lexicon/surnames.txt")).collect();
    let surname_cores =
        surnames.iter().filter_map(|s| s.split([' ', '-']).next_back()).map(str::to_owned).collect();
    Lexicon {
        first_names: entries(include_str!("lexicon/first_names.txt")).collect(),
        surnames,
        surname_cores,
        ambiguous: entries(include_str!("lexicon/ambiguous.txt")).collect(),
        stopwords: entries(include_str!("lexicon/stopwords.txt")).collect(),
        places: entries(include_str!("lexicon/places.txt")).collect(),
    }
});

impl Lexicon {
    pub(crate) fn is_known_name(&self, folded: &str) -> bool {
        self.first_names.contains(folded) || self.surname_cores.contains(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Yıldız"), "yildiz");
        assert_eq!(fold("Öztürk"), "ozturk");
        assert_eq!(fold("Wiśniewski"), "wisniewski");
        assert_eq!(fold("Łukasz"), "lukasz");
        assert_eq!(fold("Cliënte"), "cliente");
        assert_eq!(fold("D’Souza"), "d'souza");
    }

    #[test]
    fn lists_load_and_are_disjoint_where_it_matters() {
        let lex = &*LEXICON;
        assert!(lex.first_names.len() > 1000, "{}", lex.first_names.len());
        assert!(lex.surnames.len() > 900, "{}", lex.surnames.len());
        assert!(lex.first_names.contains("rik"));
        assert!(lex.surnames.contains("van leeuwen"));
        assert!(lex.surname_cores.contains("leeuwen"));
        assert!(lex.places.contains("den haag"));
        // Months and weekdays are stopwords, never names.
        for w in ["maandag", "maart", "participatiewet", "gemeente"] {
            assert!(lex.stopwords.contains(w), "{w}");
        }
        // A name that is also a stopword would never be found.
        let clash: Vec<&String> = lex
            .first_names
            .iter()
            .filter(|n| lex.stopwords.contains(*n) && !lex.ambiguous.contains(*n))
            .collect();
        assert!(clash.is_empty(), "first names that are stopwords: {clash:?}");
    }
}
