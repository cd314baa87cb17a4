//! A single-pass word tokenizer for the name and address detectors. Words
//! are runs of letters (with internal apostrophes, as in `D'Souza`, and a
//! leading one in `'t` / `'s`); everything between two words is a gap,
//! classified so detectors know whether two words belong together.

use std::borrow::Cow;

use super::lexicon::fold;

/// What separates a word from the word before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Start of the text (only whitespace before).
    Start,
    /// Whitespace on one line.
    Space,
    /// A hyphen with no spaces: `Jansen-de Vries`, `'s-Hertogenbosch`.
    Hyphen,
    /// A period, optionally followed by a space: after initials and titles.
    Dot,
    /// A comma and whitespace.
    Comma,
    /// Anything else: other punctuation, digits, line breaks.
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Word<'a> {
    pub start: usize,
    pub end: usize,
    /// Lower case without diacritics; borrowed from the text when the word
    /// already is (most words), so tokenizing allocates little.
    pub folded: Cow<'a, str>,
    /// First letter upper case.
    pub cap: bool,
    /// At least two letters, all upper case (acronyms: UWV, BSN).
    pub all_caps: bool,
    pub gap: Gap,
    /// The word starts a sentence (or a line, or follows a colon or quote).
    pub sentence_start: bool,
    /// A period follows directly.
    pub dot_after: bool,
}

impl Word<'_> {
    pub(crate) fn is_initial(&self) -> bool {
        self.cap && self.dot_after && self.end - self.start <= 2 && self.folded.chars().count() == 1
    }
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dhr", "mw", "mevr", "mr", "dr", "drs", "ir", "ing", "prof", "bc", "mnr", "mej", "fam", "st", "nr",
    "art", "geb", "bijv", "ca", "jl", "jr", "sr", "o", "a", "e", "i", "p", "z", "s", "t", "v", "m", "resp",
    "evt", "incl", "excl", "etc", "vs", "tel", "max", "min", "wo", "jhr", "ds", "pag", "blz",
];

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_combining(c)
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

pub(crate) fn tokenize(text: &str) -> Vec<Word<'_>> {
    let mut words: Vec<Word<'_>> = Vec::with_capacity(text.len() / 6);
    let mut chars = text.char_indices().peekable();
    let mut gap_start = 0usize;
    while let Some(&(i, c)) = chars.peek() {
        // A leading apostrophe only in 't / 's / 'n followed by a non-letter or hyphen.
        let leading_apostrophe = is_apostrophe(c) && {
            let rest = &text[i + c.len_utf8()..];
            let mut rc = rest.chars();
            matches!(rc.next(), Some('t' | 's' | 'n')) && !rc.next().is_some_and(is_word_char)
        };
        if !is_word_char(c) && !leading_apostrophe {
            chars.next();
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        chars.next();
        while let Some(&(j, d)) = chars.peek() {
            let glued_apostrophe =
                is_apostrophe(d) && text[j + d.len_utf8()..].starts_with(is_word_char) && end > start;
            if is_word_char(d) || glued_apostrophe {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let gap_text = &text[gap_start..start];
        let word_text = &text[start..end];
        let mut letters = word_text.chars().filter(|c| c.is_alphabetic());
        let cap = letters.next().is_some_and(char::is_uppercase);
        let all_caps = cap && {
            let mut rest = letters.peekable();
            rest.peek().is_some() && rest.all(char::is_uppercase)
        };
        let gap = classify_gap(gap_text, words.is_empty());
        let sentence_start = is_sentence_start(gap_text, words.last());
        let dot_after = text[end..].starts_with('.');
        words.push(Word {
            start,
            end,
            folded: if word_text.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
                Cow::Borrowed(word_text)
            } else {
                Cow::Owned(fold(word_text))
            },
            cap,
            all_caps,
            gap,
            sentence_start,
            dot_after,
        });
        gap_start = end;
    }
    words
}

fn classify_gap(gap: &str, first: bool) -> Gap {
    if first && gap.chars().all(char::is_whitespace) {
        return Gap::Start;
    }
    if gap.contains('\n') {
        return Gap::Other;
    }
    match gap {
        "-" => Gap::Hyphen,
        "." => Gap::Dot,
        _ if !gap.is_empty() && gap.chars().all(char::is_whitespace) => Gap::Space,
        _ => {
            let mut cs = gap.chars();
            match cs.next() {
                Some('.') if cs.clone().all(char::is_whitespace) => Gap::Dot,
                Some(',') if cs.clone().all(char::is_whitespace) => Gap::Comma,
                _ => Gap::Other,
            }
        }
    }
}

fn is_sentence_start(gap: &str, prev: Option<&Word<'_>>) -> bool {
    let Some(prev) = prev else {
        return true;
    };
    if gap.contains('\n') {
        return true;
    }
    let t =
        gap.trim().trim_end_matches(['"', '“', '”', '‘', '\'', '(', '[', '«', '„', '*', '•', '-', '–', ' ']);
    match t.chars().next_back() {
        None => false,
        Some('!' | '?' | ':' | '•') => true,
        Some('"' | '“' | '„') => true,
        Some('.') => {
            // The period of an abbreviation or initial does not end the sentence,
            // unless more punctuation follows it ("dhr.)").
            if t == "." && prev.dot_after {
                let abbrev = ABBREVIATIONS.contains(&prev.folded.as_ref()) || prev.is_initial();
                !abbrev
            } else {
                true
            }
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, Gap, bool)> {
        tokenize(text)
            .into_iter()
            .map(|w| (text[w.start..w.end].to_owned(), w.gap, w.sentence_start))
            .collect()
    }

    #[test]
    fn gaps_and_sentence_starts() {
        let got = words("Mw. Demir belde. Daarna: Jansen-de Vries, 's-Hertogenbosch\nD’Souza");
        let expected = [
            ("Mw", Gap::Start, true),
            ("Demir", Gap::Dot, false),
            ("belde", Gap::Space, false),
            ("Daarna", Gap::Dot, true),
            ("Jansen", Gap::Other, true),
            ("de", Gap::Hyphen, false),
            ("Vries", Gap::Space, false),
            ("'s", Gap::Comma, false),
            ("Hertogenbosch", Gap::Hyphen, false),
            ("D’Souza", Gap::Other, true),
        ];
        let expected: Vec<(String, Gap, bool)> =
            expected.iter().map(|(w, g, s)| (w.to_string(), *g, *s)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn initials_do_not_end_sentences() {
        let ws = tokenize("J.P. van der Berg en A. Jansen");
        assert!(ws[0].is_initial() && ws[1].is_initial());
        assert!(!ws[1].sentence_start && !ws[2].sentence_start && !ws[6].sentence_start);
    }
}
