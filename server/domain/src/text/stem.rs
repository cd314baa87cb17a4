//! Dutch stemming: the Snowball Dutch stemmer plus a few principled rules for what it misses.
//!
//! # Why more than Snowball
//! Snowball's Dutch stemmer removes inflectional endings that start with a vowel (`-en`, `-e`)
//! and a few derivational suffixes, but leaves the dental of weak verbs: it stems `weigeren` to
//! `weiger` and `weigerde`/`weigerden` to `weigerd`, `weigert` to `weigert` and `geweigerd` to
//! `geweigerd`. A caseworker searching "weigeren" wants all of them. It also keeps the doubled
//! consonant of a short vowel (`stoppen` → `stopp`, but `stop` → `stop`) and the voiced `v`/`z`
//! of a stem before a vowel (`huizen` → `huiz`, `huis` → `huis`).
//!
//! # What we add
//! 1. **Stem-end spelling** (applied to every stem): a stem never ends in a doubled consonant or
//!    in `v`/`z` in Dutch spelling — those are artefacts of a removed suffix. So `stopp` →
//!    `stop`, `gezinn` → `gezin`, `huiz` → `huis`, `blijv` → `blijf`.
//! 2. **Weak-verb readings.** A word that *can* be a weak verb form gets, besides its ordinary
//!    stem, the stem of the infinitive it would come from. The verb stem `X` is recovered by the
//!    regular morphology, and the infinitive `X + en` is then stemmed like any other word
//!    (so Snowball's own vowel undoubling and suffix rules apply identically on both sides):
//!    - past tense `X+de`, `X+den` when `X` ends in a voiced sound, `X+te`, `X+ten` when `X` ends
//!      in a voiceless one (the "'t kofschip" rule: t, k, f, s, ch, p, x; `f`/`s` also take `-de`
//!      because they may stand for `v`/`z`): `weigerde` → `weiger`, `werkte` → `werk`;
//!    - participle `ge+X+d`/`ge+X+t` by the same agreement: `geweigerd` → `weiger`,
//!      `gemaakt` → `mak`; and `ge+X` where `X` itself ends in d/t (`gemeld` → `meld`);
//!    - present tense `X+t` (and `X+dt`): `weigert` → `weiger`, `meldt` → `meld`;
//!    - participle of a verb with an unstressed prefix (be-, ver-, ont-, her-, er-), which has
//!      no `ge-`: `verlaagd` → `verlag`, `betaald` → `betal`;
//!    - and, for nouns, the plural `-s` after `-e`, which Snowball keeps: `boetes` → `boet`.
//!
//!    The recovered stem must look like a Dutch stem: at least three letters, a vowel, and
//!    ending in a consonant or in a vowel pair closed by `i`/`j` (`gooi`, `vrij`). Words with
//!    digits or non-Latin letters get no readings.
//!
//! # Why readings are *added*, not substituted
//! Spelling cannot tell a past tense from a noun or adjective: `ronde` ("round") looks like the
//! past tense of a verb `ronnen`, `maanden` ("months") like that of `manen`. Replacing the stem
//! would split families Snowball keeps together (`rond`/`ronde`) and merge unrelated words. So
//! [`stem_variants`] returns the reading(s) *and* the ordinary stem; index and query use all of
//! them and a word matches when the sets meet. Snowball's conflations are therefore never lost;
//! the cost is a rare extra match between a verb reading and an unrelated short stem
//! (`maanden` also yields `man`), which ranking pushes down.
//!
//! [`stem`] returns the *canonical* stem: the first verb reading if there is one, else the
//! ordinary stem — so `stem("weigeren") == stem("weigerde") == "weiger"`.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::fold::fold;

/// Longest folded word that gets stems at all; longer "words" (hashes, encoded blobs) are
/// not useful search terms and would bloat both backends' indexes.
pub const MAX_WORD_CHARS: usize = 64;

/// Unstressed verb prefixes whose participles take no `ge-`.
const UNSTRESSED_PREFIXES: &[&str] = &["be", "ver", "ont", "her", "er"];

fn snowball() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Dutch))
}

/// The canonical stem of a word (raw or folded): see the module documentation.
/// Returns an empty string for a word without letters or digits.
pub fn stem(word: &str) -> String {
    stem_variants(word).into_iter().next().unwrap_or_default()
}

/// All stems of a word, canonical first, without duplicates: the weak-verb readings (if any),
/// then the ordinary stem. Empty for a word without letters or digits or longer than
/// [`MAX_WORD_CHARS`]. At most five entries.
///
/// A trailing `'s` (plural or genitive: `auto's`, `Jan's`) is removed before stemming.
pub fn stem_variants(word: &str) -> Vec<String> {
    let folded = fold(strip_apostrophe_s(word));
    if folded.is_empty() || folded.chars().count() > MAX_WORD_CHARS {
        return Vec::new();
    }
    if !folded.bytes().all(|b| b.is_ascii_lowercase()) {
        // Digits ("18a", "2026") are kept as they are; other scripts get Snowball only.
        if folded.chars().any(|c| c.is_numeric()) {
            return vec![folded];
        }
        return vec![ordinary_stem(&folded)];
    }
    let mut out: Vec<String> = Vec::with_capacity(3);
    for reading in verb_and_plural_readings(&folded) {
        push_unique(&mut out, reading);
    }
    push_unique(&mut out, ordinary_stem(&folded));
    out
}

/// Snowball Dutch plus the stem-end spelling rule. `folded` must be folded.
pub(crate) fn ordinary_stem(folded: &str) -> String {
    let s = snowball().stem(folded);
    normalise_stem_end(&s)
}

fn strip_apostrophe_s(word: &str) -> &str {
    let mut rev = word.char_indices().rev();
    match (rev.next(), rev.next(), rev.next()) {
        (Some((_, s)), Some((i, a)), Some((_, before)))
            if (s == 's' || s == 'S') && super::tokenize::is_apostrophe(a) && before.is_alphanumeric() =>
        {
            &word[..i]
        }
        _ => word,
    }
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !s.is_empty() && !out.contains(&s) {
        out.push(s);
    }
}

/// Undoubles a final doubled consonant and devoices a final `v`/`z`.
fn normalise_stem_end(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n >= 3 && chars[n - 1] == chars[n - 2] && is_consonant(chars[n - 1]) {
        chars.pop();
    }
    let n = chars.len();
    if n >= 3 {
        match chars[n - 1] {
            'v' => chars[n - 1] = 'f',
            'z' => chars[n - 1] = 's',
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !is_vowel(c)
}

/// The dental a weak verb takes after its stem.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dental {
    D,
    T,
}

/// Whether `x` looks like a Dutch verb stem: ≥ 3 letters, a vowel, and ending in a consonant
/// or in a vowel pair closed by `i`/`j` (`gooi`, `bloei`, `vrij`).
fn plausible_stem(x: &str) -> bool {
    let b = x.as_bytes();
    if b.len() < 3 || !x.chars().any(is_vowel) {
        return false;
    }
    let last = b[b.len() - 1] as char;
    let prev = b[b.len() - 2] as char;
    match last {
        'i' => is_vowel(prev),
        'j' => prev == 'i',
        c => is_consonant(c),
    }
}

/// Whether a stem ending in `x`'s last sound takes this dental ('t kofschip).
fn agrees(x: &str, dental: Dental) -> bool {
    let last = x.as_bytes()[x.len() - 1] as char;
    let voiceless = matches!(last, 't' | 'k' | 'p' | 'x') || x.ends_with("ch");
    // f and s may stand for v and z (leven → leefde, reizen → reisde): both dentals fit.
    let either = matches!(last, 'f' | 's');
    match dental {
        Dental::T => voiceless || either,
        Dental::D => !voiceless,
    }
}

/// The stem of the infinitive `x + en`, stemmed like any word.
fn infinitive_stem(x: &str) -> String {
    ordinary_stem(&format!("{x}en"))
}

fn verb_and_plural_readings(f: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Past tense: X+de, X+den, X+te, X+ten.
    for (ending, dental) in [("den", Dental::D), ("de", Dental::D), ("ten", Dental::T), ("te", Dental::T)] {
        if let Some(x) = f.strip_suffix(ending) {
            if plausible_stem(x) && agrees(x, dental) {
                out.push(infinitive_stem(x));
            }
        }
    }
    let dental = match f.as_bytes().last() {
        Some(b'd') => Some(Dental::D),
        Some(b't') => Some(Dental::T),
        _ => None,
    };
    if let Some(dental) = dental {
        // Participle ge+X+d/t, and ge+X where X ends in the dental itself (gemeld, gezet).
        if let Some(rest) = f.strip_prefix("ge") {
            let x = &rest[..rest.len() - 1];
            if x.len() >= 4 && plausible_stem(x) && agrees(x, dental) {
                out.push(infinitive_stem(x));
            }
            if rest.len() >= 4 && plausible_stem(rest) {
                out.push(infinitive_stem(rest));
            }
        }
        let x = &f[..f.len() - 1];
        let doubled = x.ends_with(if dental == Dental::T { 't' } else { 'd' });
        match dental {
            // Present tense X+t (weigert, meldt).
            Dental::T if !doubled && plausible_stem(x) => out.push(infinitive_stem(x)),
            // Participle of a verb with an unstressed prefix: verlaagd, betaald.
            Dental::D
                if !doubled
                    && x.len() >= 5
                    && UNSTRESSED_PREFIXES.iter().any(|p| x.starts_with(p))
                    && plausible_stem(x)
                    && agrees(x, Dental::D) =>
            {
                out.push(infinitive_stem(x))
            }
            _ => {}
        }
    }
    // Plural -s after -e, which Snowball keeps (boetes, tantes).
    if f.len() >= 5 && f.ends_with("es") {
        out.push(ordinary_stem(&f[..f.len() - 1]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meet(a: &str, b: &str) -> bool {
        let va = stem_variants(a);
        stem_variants(b).iter().any(|s| va.contains(s))
    }

    #[test]
    fn weak_past_tenses_meet_the_infinitive_on_the_canonical_stem() {
        for (inf, forms) in [
            ("weigeren", &["weigerde", "weigerden", "weigert", "geweigerd"][..]),
            ("werken", &["werkte", "werkten", "werkt", "gewerkt"]),
            ("maken", &["maakte", "maakten", "maakt", "gemaakt"]),
            ("wonen", &["woonde", "woonden", "woont", "gewoond"]),
            ("stoppen", &["stopte", "stopten", "stopt", "gestopt"]),
            ("verlagen", &["verlaagde", "verlaagden", "verlaagt", "verlaagd"]),
            ("betalen", &["betaalde", "betaalt", "betaald"]),
            ("leven", &["leefde", "leeft", "geleefd"]),
            ("gooien", &["gooide", "gooit", "gegooid"]),
        ] {
            for form in forms {
                assert_eq!(stem(form), stem(inf), "{form} vs {inf}: {:?}", stem_variants(form));
            }
        }
    }

    #[test]
    fn verbs_whose_stem_ends_in_a_dental_meet_through_their_variants() {
        // "melden" is spelled like a past plural of "melen", so its canonical stem is that
        // reading; the forms still share the stem "meld".
        for (inf, forms) in [
            ("melden", &["meldde", "meldt", "gemeld"][..]),
            ("wachten", &["wachtte", "wacht", "gewacht"]),
            ("praten", &["praatte", "praat", "gepraat"]),
        ] {
            for form in forms {
                assert!(meet(form, inf), "{form} {:?} / {inf} {:?}", stem_variants(form), stem_variants(inf));
            }
        }
    }

    #[test]
    fn snowball_conflations_are_kept() {
        for (a, b) in [
            ("verlaging", "verlagingen"),
            ("rond", "ronde"),
            ("breed", "brede"),
            ("groot", "grote"),
            ("vast", "vaste"),
            ("gezond", "gezonde"),
            ("maand", "maanden"),
            ("weigering", "weigeren"),
        ] {
            assert!(meet(a, b), "{a} {:?} / {b} {:?}", stem_variants(a), stem_variants(b));
        }
    }

    #[test]
    fn stem_end_spelling_joins_more_families() {
        for (a, b) in [
            ("gezin", "gezinnen"),
            ("huis", "huizen"),
            ("brief", "brieven"),
            ("prijs", "prijzen"),
            ("blijven", "blijft"),
            ("boete", "boetes"),
            ("auto", "auto's"),
        ] {
            assert!(meet(a, b), "{a} {:?} / {b} {:?}", stem_variants(a), stem_variants(b));
        }
    }

    #[test]
    fn ordinary_words_do_not_get_verb_readings_that_break_them() {
        // Voiced ending + -te, vowel + -de/-te, too short: no reading.
        for w in ["gemeente", "rente", "tante", "boete", "hoogte", "lengte", "goede", "wet"] {
            assert_eq!(stem_variants(w).len(), 1, "{w}: {:?}", stem_variants(w));
        }
    }

    #[test]
    fn unrelated_words_stay_apart() {
        for (a, b) in [
            ("boete", "boek"),
            ("gemeente", "gemeen"),
            ("rente", "rennen"),
            ("kind", "kin"),
            ("gezond", "zon"),
            ("staat", "stad"),
            ("recht", "rechter"),
        ] {
            assert!(!meet(a, b), "{a} {:?} / {b} {:?}", stem_variants(a), stem_variants(b));
        }
    }

    #[test]
    fn digits_and_other_scripts() {
        assert_eq!(stem_variants("18a"), ["18a"]);
        assert_eq!(stem_variants("2026"), ["2026"]);
        assert_eq!(stem_variants("Ελλάδα").len(), 1);
    }

    #[test]
    fn empty_and_overlong_words_have_no_stems() {
        assert!(stem_variants("").is_empty());
        assert!(stem_variants("'-").is_empty());
        assert!(stem_variants(&"a".repeat(MAX_WORD_CHARS + 1)).is_empty());
        assert_eq!(stem(""), "");
    }

    #[test]
    fn diacritics_do_not_matter() {
        assert_eq!(stem_variants("cliënte"), stem_variants("cliente"));
        assert_eq!(stem("geëindigd"), stem("eindigen"));
    }
}
