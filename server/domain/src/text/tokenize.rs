//! Splitting text into words, with char offsets into the original.

use unicode_normalization::char::is_combining_mark;

/// One word of a text. Offsets are in `char`s (Unicode scalar values) of the original text;
/// `start_byte` lets a caller slice without recounting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Char offset of the first char of the word.
    pub start_char: usize,
    /// Char offset one past the last char of the word.
    pub end_char: usize,
    /// Byte offset of the word in the original text.
    pub start_byte: usize,
    /// The word exactly as written, including internal apostrophes and hyphens.
    pub raw: &'a str,
}

impl Token<'_> {
    /// The parts of a hyphenated word (`"kostendelers-norm"` → `["kostendelers", "norm"]`);
    /// a word without hyphens yields itself once.
    pub fn hyphen_parts(&self) -> impl Iterator<Item = &str> {
        self.raw.split(is_hyphen).filter(|p| !p.is_empty())
    }

    /// Whether the word is written with an internal hyphen.
    pub fn is_hyphenated(&self) -> bool {
        self.raw.contains(is_hyphen)
    }
}

/// The words of `s`, in order.
///
/// A word is a maximal run of letters and digits (combining marks stay with their letter, so
/// decomposed `e\u{308}` is part of the word). An apostrophe or hyphen *between* two letters or
/// digits joins: `zo'n`, `auto's`, `e-mail`, `kostendelers-norm`, `18-jarige` are one word
/// each. A leading or trailing apostrophe or hyphen is not part of the word: in `'s avonds`
/// the words are `s` and `avonds`; in `zorg- en welzijn` they are `zorg`, `en`, `welzijn`.
/// Everything else (whitespace, punctuation, symbols) separates words.
pub fn tokens(s: &str) -> Tokens<'_> {
    Tokens { text: s, chars: s.char_indices().peekable(), char_pos: 0 }
}

/// Iterator returned by [`tokens`].
pub struct Tokens<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    char_pos: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        // Skip separators.
        let (start_byte, start_char) = loop {
            let &(b, c) = self.chars.peek()?;
            if is_word_char(c) && !is_combining_mark(c) {
                break (b, self.char_pos);
            }
            self.chars.next();
            self.char_pos += 1;
        };
        let mut end_byte = start_byte;
        let mut end_char = start_char;
        loop {
            match self.chars.peek().copied() {
                Some((b, c)) if is_word_char(c) => {
                    self.chars.next();
                    self.char_pos += 1;
                    end_byte = b + c.len_utf8();
                    end_char = self.char_pos;
                }
                Some((b, c)) if is_joiner(c) => {
                    // A joiner belongs to the word only when a letter or digit follows it.
                    let after = b + c.len_utf8();
                    let next_is_word = self.text[after..]
                        .chars()
                        .next()
                        .is_some_and(|n| is_word_char(n) && !is_combining_mark(n));
                    if !next_is_word {
                        break;
                    }
                    self.chars.next();
                    self.char_pos += 1;
                }
                _ => break,
            }
        }
        Some(Token { start_char, end_char, start_byte, raw: &self.text[start_byte..end_byte] })
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Apostrophes and hyphens that may join two parts of one word.
fn is_joiner(c: char) -> bool {
    is_apostrophe(c) || is_hyphen(c)
}

/// ASCII apostrophe, typographic right single quote and modifier letter apostrophe.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// ASCII hyphen-minus, Unicode hyphen and non-breaking hyphen.
pub(crate) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws(s: &str) -> Vec<&str> {
        tokens(s).map(|t| t.raw).collect()
    }

    #[test]
    fn splits_on_whitespace_and_punctuation() {
        assert_eq!(
            raws("De cliënt weigert. Art. 18, lid 2!"),
            ["De", "cliënt", "weigert", "Art", "18", "lid", "2"]
        );
    }

    #[test]
    fn internal_apostrophes_and_hyphens_join() {
        assert_eq!(
            raws("zo'n e-mail over de kostendelers-norm, auto’s"),
            ["zo'n", "e-mail", "over", "de", "kostendelers-norm", "auto’s"]
        );
    }

    #[test]
    fn leading_and_trailing_joiners_do_not() {
        assert_eq!(raws("'s avonds"), ["s", "avonds"]);
        assert_eq!(raws("zorg- en welzijn"), ["zorg", "en", "welzijn"]);
        assert_eq!(raws("a--b"), ["a", "b"]);
        assert_eq!(raws("'quoted'"), ["quoted"]);
    }

    #[test]
    fn offsets_are_in_chars() {
        let t: Vec<_> = tokens("één cliënte").collect();
        assert_eq!((t[0].start_char, t[0].end_char), (0, 3));
        assert_eq!((t[1].start_char, t[1].end_char), (4, 11));
        assert_eq!(t[1].start_byte, "één ".len());
        let chars: Vec<char> = "één cliënte".chars().collect();
        let s: String = chars[t[1].start_char..t[1].end_char].iter().collect();
        assert_eq!(s, t[1].raw);
    }

    #[test]
    fn combining_marks_stay_in_the_word() {
        assert_eq!(raws("clie\u{0308}nte ok"), ["clie\u{0308}nte", "ok"]);
        // A stray combining mark cannot start a word.
        assert_eq!(raws("\u{0308}ab"), ["ab"]);
    }

    #[test]
    fn hyphen_parts() {
        let t = tokens("kostendelers-norm").next().unwrap();
        assert!(t.is_hyphenated());
        assert_eq!(t.hyphen_parts().collect::<Vec<_>>(), ["kostendelers", "norm"]);
    }

    #[test]
    fn empty_and_separator_only_text_has_no_words() {
        assert_eq!(raws(""), Vec::<&str>::new());
        assert_eq!(raws(" -- ' … "), Vec::<&str>::new());
    }
}
