//! Query expansion: what else a query word finds, and how much that weighs against the word
//! itself. The engine resolves each alternative against its vocabulary; the rules are here so
//! that any engine applies the same ones.
//!
//! - the word's own stems (weight 1; a prefix for stems of [`super::MIN_PREFIX_CHARS`]+ chars,
//!   as the parser makes them);
//! - compounds that begin or end with it ([`COMPOUND_WEIGHT`]): `zorg` → `zorgtaak`,
//!   `mantelzorg`; only for stems of [`MIN_COMPOUND_PART_CHARS`]+ chars;
//! - the other words of its synonym groups ([`SYNONYM_WEIGHT`]);
//! - when the word itself occurs nowhere, the parts of the compound it is ([`decompound`],
//!   [`PART_WEIGHT`]), found in the archive's own vocabulary.

use super::index::word_of;
use super::query::QueryStem;
use super::stem::stem_variants;
use super::synonyms::Synonyms;

/// Weight of a compound that begins or ends with the query word.
pub const COMPOUND_WEIGHT: f64 = 0.5;
/// Weight of a synonym.
pub const SYNONYM_WEIGHT: f64 = 0.6;
/// Weight of each part of a query compound that occurs nowhere as a whole.
pub const PART_WEIGHT: f64 = 0.7;
/// Shortest stem that finds compounds ending (or, below [`super::MIN_PREFIX_CHARS`], beginning)
/// with it, and shortest part [`decompound`] accepts.
pub const MIN_COMPOUND_PART_CHARS: usize = 4;

/// One thing a query word finds, with its weight relative to the word itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    pub stem: QueryStem,
    pub weight: f64,
    /// Where it comes from.
    pub source: AlternativeSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlternativeSource {
    Word,
    Compound,
    Synonym,
    Part,
}

/// The alternatives of a query word with stems `stems` as written `raw`, own stems first.
/// (Parts come from [`decompound`], which needs the vocabulary.)
pub fn word_alternatives(raw: &str, stems: &[QueryStem], synonyms: &Synonyms) -> Vec<Alternative> {
    let mut out: Vec<Alternative> = Vec::new();
    let mut push = |stem: QueryStem, weight: f64, source: AlternativeSource| {
        if !out.iter().any(|a| a.stem == stem) {
            out.push(Alternative { stem, weight, source });
        }
    };
    for s in stems {
        push(s.clone(), 1.0, AlternativeSource::Word);
    }
    // The stems, and the word as written (folded): a stem may be spelled otherwise inside a
    // compound (`school` stems to `schol`, `schoolgaand` keeps `school`).
    let folded = word_of(raw);
    let mut bases: Vec<&str> = stems.iter().map(|s| s.stem.as_str()).collect();
    if !bases.contains(&folded.as_str()) {
        bases.push(&folded);
    }
    for base in bases {
        if base.chars().count() < MIN_COMPOUND_PART_CHARS || base.chars().any(|c| c.is_numeric()) {
            continue;
        }
        let as_prefix = QueryStem { stem: base.to_string(), prefix: true, suffix: false };
        if !stems.contains(&as_prefix) {
            push(as_prefix, COMPOUND_WEIGHT, AlternativeSource::Compound);
        }
        push(
            QueryStem { stem: base.to_string(), prefix: false, suffix: true },
            COMPOUND_WEIGHT,
            AlternativeSource::Compound,
        );
    }
    for word in synonyms.alternatives(raw) {
        for s in stem_variants(&word) {
            push(QueryStem::new(s), SYNONYM_WEIGHT, AlternativeSource::Synonym);
        }
    }
    out
}

/// Linking sounds between the parts of a Dutch compound (`arbeid-s-plicht`, `kind-er-opvang`,
/// `zieken-huis`): tried after the head part.
const LINKS: &[&str] = &["", "s", "e", "en", "er"];

/// Splits a (folded) word into two parts that `known` accepts as stems of the vocabulary —
/// `mantelzorgsituatie` → `mantelzorg` + `situatie` — or `None`. Every split point is tried
/// once, with each linking sound; each part has at least [`MIN_COMPOUND_PART_CHARS`] chars.
/// Of several splits the one with the longest shorter part wins (the most balanced: fewer
/// accidental words). Work is bounded by the word's length.
pub fn decompound(word: &str, known: &dyn Fn(&str) -> bool) -> Option<(String, String)> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 * MIN_COMPOUND_PART_CHARS {
        return None;
    }
    let mut best: Option<(usize, String, String)> = None;
    for i in MIN_COMPOUND_PART_CHARS..=n - MIN_COMPOUND_PART_CHARS {
        let head: String = chars[..i].iter().collect();
        for link in LINKS {
            let Some(tail) = chars[i..].iter().collect::<String>().strip_prefix(link).map(str::to_string)
            else {
                continue;
            };
            if tail.chars().count() < MIN_COMPOUND_PART_CHARS {
                continue;
            }
            let is_known = |part: &str| stem_variants(part).iter().any(|s| known(s));
            if !is_known(&head) || !is_known(&tail) {
                continue;
            }
            let balance = head.chars().count().min(tail.chars().count());
            if best.as_ref().is_none_or(|(b, _, _)| balance > *b) {
                best = Some((balance, head.clone(), tail.clone()));
            }
        }
    }
    best.map(|(_, h, t)| (h, t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_terms;

    fn alternatives(word: &str) -> Vec<Alternative> {
        let q = query_terms(word);
        let crate::text::QueryTerm::Word { raw, stems, .. } = &q[0] else { panic!() };
        word_alternatives(raw, stems, Synonyms::shipped())
    }

    #[test]
    fn a_word_finds_itself_first_then_compounds_then_synonyms() {
        let alts = alternatives("zorg");
        assert_eq!((alts[0].stem.stem.as_str(), alts[0].weight), ("zorg", 1.0));
        assert!(alts.iter().any(|a| a.stem.suffix && a.stem.stem == "zorg" && a.weight == COMPOUND_WEIGHT));
        assert!(alts.iter().any(|a| a.stem.prefix && a.stem.stem == "zorg"));
        let klant = alternatives("klant");
        assert!(klant.iter().any(|a| a.source == AlternativeSource::Synonym && a.stem.stem == "client"));
        assert!(klant.iter().all(|a| a.source == AlternativeSource::Word || a.weight < 1.0));
    }

    #[test]
    fn short_words_and_numbers_find_no_compounds() {
        assert!(alternatives("wet").iter().all(|a| a.source != AlternativeSource::Compound));
        assert!(alternatives("2025").iter().all(|a| a.source != AlternativeSource::Compound));
    }

    #[test]
    fn compounds_split_into_known_parts() {
        let vocab = ["mantelzorg", "situatie", "mantel", "zorg", "arbeid", "plicht"];
        let known = |s: &str| vocab.iter().any(|v| stem_variants(v).iter().any(|x| x == s));
        assert_eq!(decompound("mantelzorgsituatie", &known), Some(("mantelzorg".into(), "situatie".into())));
        assert_eq!(decompound("arbeidsplicht", &known), Some(("arbeid".into(), "plicht".into())));
        assert_eq!(decompound("bijstand", &known), None);
        assert_eq!(decompound("zorg", &known), None);
    }
}
