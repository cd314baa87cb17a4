//! The normalised view of a text that the structured detectors (e-mail, IBAN,
//! BSN, phone, and the numeric look-alikes that veto them) read, so that a
//! number written with full-width digits, zero-width characters inside, or
//! no-break spaces is the same number as the plain one.
//!
//! Per char, in one pass: invisible characters (zero-width spaces and
//! joiners, the soft hyphen, bidirectional controls, variation selectors)
//! are dropped; combining marks right after a digit (`1̶2̶3̶`) are dropped;
//! every other non-ASCII char is replaced by its Unicode NFKC form
//! (full-width `１２３` and `ＮＬ` become ASCII, `①` becomes `1`, no-break and
//! other spaces become a plain space). ASCII text is its own view and costs
//! nothing.
//!
//! Every byte of the view remembers the original char it came from, so spans
//! found in the view map back to spans of the original text, which is what
//! the editor highlights.

use std::borrow::Cow;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// A text as the structured detectors read it, with the way back.
pub(crate) struct Normalised<'a> {
    pub text: Cow<'a, str>,
    /// For each byte of `text` (plus one entry for the end), the byte offset
    /// of the original char it came from; `None` when the view is the text.
    origin: Option<Vec<u32>>,
    original_len: usize,
}

/// Chars that are invisible in running text and are dropped.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{034F}'                // combining grapheme joiner
        | '\u{061C}'                // Arabic letter mark
        | '\u{115F}' | '\u{1160}'   // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'   // Mongolian free variation selectors, vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space, (non-)joiner, LRM, RLM
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, bidi isolates
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{FEFF}'                // zero-width no-break space (BOM)
        | '\u{FFA0}'
        | '\u{E0000}'..='\u{E007F}' // tags
        | '\u{E0100}'..='\u{E01EF}' // variation selectors supplement
    )
}

/// Combining marks, which are dropped when they follow a digit.
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
    )
}

impl<'a> Normalised<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return Normalised { text: Cow::Borrowed(text), origin: None, original_len: text.len() };
        }
        let mut out = String::with_capacity(text.len());
        let mut origin: Vec<u32> = Vec::with_capacity(text.len() + 1);
        let mut ascii_from = 0;
        for (i, c) in text.char_indices() {
            if c.is_ascii() {
                continue;
            }
            // The ASCII run before this char, copied whole.
            out.push_str(&text[ascii_from..i]);
            origin.extend(ascii_from as u32..i as u32);
            ascii_from = i + c.len_utf8();
            if is_invisible(c) || (is_combining(c) && out.ends_with(|p: char| p.is_ascii_digit())) {
                continue;
            } else if c.is_whitespace() && c != '\u{2028}' && c != '\u{2029}' && c != '\u{85}' {
                out.push(' ');
            } else if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
                out.push(c);
            } else {
                out.extend(std::iter::once(c).nfkc());
            }
            origin.resize(out.len(), i as u32);
        }
        out.push_str(&text[ascii_from..]);
        origin.extend(ascii_from as u32..text.len() as u32);
        origin.push(text.len() as u32);
        Normalised { text: Cow::Owned(out), origin: Some(origin), original_len: text.len() }
    }

    /// The original byte span of the view's byte span `start..end`: from the
    /// start of the char that produced `start` to the end of the char that
    /// produced `end - 1`.
    pub(crate) fn to_original(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let Some(origin) = &self.origin else {
            return (start, end);
        };
        debug_assert_eq!(original.len(), self.original_len);
        let s = origin[start] as usize;
        let last = origin[end - 1] as usize;
        let e = last + original[last..].chars().next().map_or(0, char::len_utf8);
        (s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn back<'t>(text: &'t str, needle: &str) -> &'t str {
        let n = Normalised::new(text);
        let s = n.text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {:?}", n.text));
        let (a, b) = n.to_original(text, s, s + needle.len());
        &text[a..b]
    }

    #[test]
    fn ascii_is_its_own_view() {
        let n = Normalised::new("BSN 123");
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert_eq!(n.to_original("BSN 123", 4, 7), (4, 7));
    }

    #[test]
    fn full_width_zero_width_and_spaces_map_back() {
        assert_eq!(Normalised::new("１２３\u{200B}４５").text, "12345");
        assert_eq!(Normalised::new("a\u{a0}b\u{202f}c").text, "a b c");
        assert_eq!(Normalised::new("1\u{336}2\u{336}").text, "12");
        assert_eq!(Normalised::new("ＮＬ９１").text, "NL91");
        let text = "zie ｘ１２\u{200D}３ é";
        assert_eq!(back(text, "123"), "１２\u{200D}３");
        assert_eq!(back(text, "x"), "ｘ");
        assert_eq!(back("é①", "1"), "①");
    }
}
