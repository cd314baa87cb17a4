//! Case and diacritics folding: the first step of every search term.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds one word for search: compatibility-decomposes it (NFKD), lowercases it, drops the
/// combining marks (so `ë` → `e`, `é` → `e`, `ï` → `i`), spells out the few Latin letters that
/// do not decompose (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, `ł` → `l`, …) and keeps only letters and
/// digits. Apostrophes, hyphens, punctuation and whitespace are dropped, so fold a *token*
/// (see [`super::tokens`]), not a sentence: `fold("zo'n") == "zon"`,
/// `fold("Cliënte") == "cliente"`, `fold("e-mail") == "email"`.
///
/// The result is what a user can type on a plain keyboard for the same word; both the index
/// side and the query side go through it, so "cliente" and "cliënte" meet.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            push_folded(&mut out, l);
        }
    }
    out
}

/// Pushes one lowercase, decomposed character, spelling out letters without a decomposition.
fn push_folded(out: &mut String, c: char) {
    let spelled = match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => {
            if c.is_alphanumeric() {
                out.push(c);
            }
            return;
        }
    };
    out.push_str(spelled);
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn strips_dutch_diacritics_and_case() {
        assert_eq!(fold("Cliënte"), "cliente");
        assert_eq!(fold("ÉÉN"), "een");
        assert_eq!(fold("coöperatie"), "cooperatie");
        assert_eq!(fold("ruïne"), "ruine");
        assert_eq!(fold("café"), "cafe");
    }

    #[test]
    fn already_decomposed_input_folds_the_same() {
        assert_eq!(fold("clie\u{0308}nte"), "cliente");
    }

    #[test]
    fn spells_out_letters_without_decomposition() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Søren"), "soren");
        assert_eq!(fold("Æsop"), "aesop");
    }

    #[test]
    fn compatibility_forms_become_plain() {
        assert_eq!(fold("ĳs"), "ijs");
        assert_eq!(fold("ﬁets"), "fiets");
        assert_eq!(fold("Ｐｗ"), "pw");
    }

    #[test]
    fn drops_everything_but_letters_and_digits() {
        assert_eq!(fold("zo'n"), "zon");
        assert_eq!(fold("e-mail"), "email");
        assert_eq!(fold("18a."), "18a");
        assert_eq!(fold(" \t!?"), "");
    }
}
