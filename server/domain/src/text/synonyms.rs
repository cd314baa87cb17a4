//! Synonyms of the field, applied at query time: the shipped list (`synonyms.txt`, one group a
//! line) and an organisation's own groups (its settings), merged per search. A query word
//! finds the other words of its groups with a lower weight than itself
//! ([`super::SYNONYM_WEIGHT`]). Words are keyed by their stems, so any form of a word finds
//! its group.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::fold;
use super::stem::{stem, stem_variants};
use super::stopwords::is_stopword;
use super::tokenize::tokens;

/// The shipped list.
const SHIPPED: &str = include_str!("synonyms.txt");

/// The most groups an organisation may add.
pub const MAX_ORG_GROUPS: usize = 200;
/// The most words in one group.
pub const MAX_GROUP_WORDS: usize = 12;
/// The longest word of a group, in chars.
pub const MAX_SYNONYM_CHARS: usize = 40;

/// Groups of words that find each other.
#[derive(Clone, Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    /// Stem → the groups holding a word with that stem.
    by_stem: HashMap<String, Vec<usize>>,
}

/// Why a group cannot be used, per line (1-based) of what was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SynonymError {
    TooManyGroups { max: usize },
    TooFewWords { line: usize },
    TooManyWords { line: usize, max: usize },
    NotOneWord { line: usize, word: String },
    TooLong { line: usize, max: usize },
    Stopword { line: usize, word: String },
}

impl Synonyms {
    /// The shipped list (parsed once).
    pub fn shipped() -> &'static Synonyms {
        static SHIPPED_LIST: OnceLock<Synonyms> = OnceLock::new();
        SHIPPED_LIST.get_or_init(|| {
            let groups = parse_groups(SHIPPED, usize::MAX).expect("the shipped synonym list is valid");
            Synonyms::from_groups(groups)
        })
    }

    pub fn from_groups(groups: Vec<Vec<String>>) -> Synonyms {
        let mut s = Synonyms::default();
        for g in groups {
            s.add(g);
        }
        s
    }

    /// These synonyms and `extra` groups (an organisation's own).
    pub fn with_groups(&self, extra: &[Vec<String>]) -> Synonyms {
        let mut s = self.clone();
        for g in extra {
            s.add(g.clone());
        }
        s
    }

    fn add(&mut self, group: Vec<String>) {
        let i = self.groups.len();
        for w in &group {
            for key in stem_variants(w) {
                let list = self.by_stem.entry(key).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        self.groups.push(group);
    }

    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The other words of every group holding `word` (in any form), without duplicates and
    /// without words that have the same stem as `word`.
    pub fn alternatives(&self, word: &str) -> Vec<String> {
        let own = stem_variants(word);
        let mut out: Vec<String> = Vec::new();
        for s in &own {
            for &g in self.by_stem.get(s).map(Vec::as_slice).unwrap_or(&[]) {
                for w in &self.groups[g] {
                    if !stem_variants(w).iter().any(|v| own.contains(v)) && !out.contains(w) {
                        out.push(w.clone());
                    }
                }
            }
        }
        out
    }
}

/// Parses groups, one a line (words separated by commas; `#` starts a comment line; empty
/// lines are skipped), checking each: at least two and at most [`MAX_GROUP_WORDS`] words, each
/// one word (a hyphen joins) of at most [`MAX_SYNONYM_CHARS`] chars and no stopword; at most
/// `max_groups` groups. Words are kept lower-cased as written.
pub fn parse_groups(text: &str, max_groups: usize) -> Result<Vec<Vec<String>>, Vec<SynonymError>> {
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut group: Vec<String> = Vec::new();
        let mut ok = true;
        for entry in line.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let toks: Vec<_> = tokens(entry).collect();
            if toks.len() != 1 {
                errors.push(SynonymError::NotOneWord { line: line_no, word: entry.to_string() });
                ok = false;
                continue;
            }
            if entry.chars().count() > MAX_SYNONYM_CHARS {
                errors.push(SynonymError::TooLong { line: line_no, max: MAX_SYNONYM_CHARS });
                ok = false;
                continue;
            }
            if is_stopword(&fold(entry)) || stem(entry).is_empty() {
                errors.push(SynonymError::Stopword { line: line_no, word: entry.to_string() });
                ok = false;
                continue;
            }
            let w = toks[0].raw.to_lowercase();
            if !group.contains(&w) {
                group.push(w);
            }
        }
        if !ok {
            continue;
        }
        if group.len() < 2 {
            errors.push(SynonymError::TooFewWords { line: line_no });
        } else if group.len() > MAX_GROUP_WORDS {
            errors.push(SynonymError::TooManyWords { line: line_no, max: MAX_GROUP_WORDS });
        } else {
            groups.push(group);
        }
    }
    if groups.len() > max_groups {
        errors.push(SynonymError::TooManyGroups { max: max_groups });
    }
    if errors.is_empty() {
        Ok(groups)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_is_valid_and_large_enough() {
        assert!(Synonyms::shipped().group_count() >= 60);
    }

    #[test]
    fn any_form_finds_the_group_but_not_itself() {
        let s = Synonyms::shipped();
        let alts = s.alternatives("Klanten");
        assert!(alts.contains(&"cliënt".to_string()), "{alts:?}");
        assert!(!alts.contains(&"klant".to_string()));
        assert!(s.alternatives("kortingen").contains(&"verlaging".to_string()));
        assert!(s.alternatives("baan").contains(&"werk".to_string()));
        assert!(s.alternatives("terugbetaling").contains(&"terugvordering".to_string()));
        assert!(s.alternatives("onbekendwoord").is_empty());
    }

    #[test]
    fn organisation_groups_are_added() {
        let extra = parse_groups("wijkteam, buurtteam", MAX_ORG_GROUPS).unwrap();
        let s = Synonyms::shipped().with_groups(&extra);
        assert_eq!(s.alternatives("buurtteams"), ["wijkteam"]);
    }

    #[test]
    fn bad_groups_are_refused_with_their_line() {
        let errs = parse_groups("a\nwijkteam\nwijk team, buurt\nde, het\n", 10).unwrap_err();
        assert!(errs.contains(&SynonymError::TooFewWords { line: 2 }), "{errs:?}");
        assert!(errs.contains(&SynonymError::NotOneWord { line: 3, word: "wijk team".into() }));
        assert!(errs.contains(&SynonymError::Stopword { line: 4, word: "de".into() }));
        let many = "aap, noot\n".repeat(3);
        assert_eq!(parse_groups(&many, 2).unwrap_err(), [SynonymError::TooManyGroups { max: 2 }]);
        let long = format!("{}, noot", "x".repeat(41));
        assert_eq!(parse_groups(&long, 2).unwrap_err(), [SynonymError::TooLong { line: 1, max: 40 }]);
    }
}
