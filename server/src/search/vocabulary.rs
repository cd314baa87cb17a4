//! The archive's vocabulary as spelling suggestions read it: its words without digits, grouped
//! by length in chars, made once per index state (on the first suggestion it is asked for).
//!
//! A suggestion is a word at most [`MAX_SUGGESTION_DISTANCE`] edits away, so only words whose
//! length is at most that far off can be one: grouping by length, and a cheap lower bound of
//! the distance (the letters one word has that the other lacks, see [`Letters`]), leave the
//! exact distance to a few words instead of the whole vocabulary at every search.

use std::ops::ControlFlow;

use super::view::SearchView;
use crate::domain::text::MAX_SUGGESTION_DISTANCE;

/// Vocabulary words read at most (in the index's order) when the vocabulary is made.
pub const MAX_SUGGESTION_SCAN: usize = 500_000;

#[derive(Default)]
pub struct Vocabulary {
    /// Words without digits, by their number of chars.
    by_chars: Vec<Vec<Box<str>>>,
}

impl Vocabulary {
    /// The first [`MAX_SUGGESTION_SCAN`] words of `index`'s vocabulary, those without digits.
    pub fn of<V: SearchView + ?Sized>(index: &V) -> Vocabulary {
        let mut by_chars: Vec<Vec<Box<str>>> = Vec::new();
        let mut scanned = 0;
        index.for_each_word(&mut |word| {
            scanned += 1;
            if scanned > MAX_SUGGESTION_SCAN {
                return ControlFlow::Break(());
            }
            if !word.chars().any(|c| c.is_numeric()) {
                let n = word.chars().count();
                if by_chars.len() <= n {
                    by_chars.resize_with(n + 1, Vec::new);
                }
                by_chars[n].push(word.into());
            }
            ControlFlow::Continue(())
        });
        Vocabulary { by_chars }
    }

    /// Every word whose length in chars is at most [`MAX_SUGGESTION_DISTANCE`] from `chars`
    /// and that may be that close to a word with these `letters` (the others cannot be).
    pub fn near<'a>(&'a self, chars: usize, letters: &'a Letters) -> impl Iterator<Item = &'a str> + 'a {
        let lo = chars.saturating_sub(MAX_SUGGESTION_DISTANCE);
        let hi = (chars + MAX_SUGGESTION_DISTANCE).min(self.by_chars.len().saturating_sub(1));
        self.by_chars
            .get(lo..=hi)
            .unwrap_or_default()
            .iter()
            .flatten()
            .map(|w| &**w)
            .filter(move |w| letters.distance_at_least(&Letters::of(w)) <= MAX_SUGGESTION_DISTANCE)
    }
}

/// How often each letter occurs in a word (`a`–`z`; every other char counted together). An
/// insertion, a deletion or a substitution changes the letters one word has more than the
/// other by at most one, a swap of neighbours not at all: so the larger of the two excesses
/// is at most the edit distance (letters counted together only make it smaller).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Letters([u16; 27]);

impl Letters {
    pub fn of(word: &str) -> Letters {
        let mut counts = [0u16; 27];
        for c in word.chars() {
            let i = if c.is_ascii_lowercase() { (c as u8 - b'a') as usize } else { 26 };
            counts[i] = counts[i].saturating_add(1);
        }
        Letters(counts)
    }

    /// A lower bound of the edit distance between the words of `self` and `other`.
    pub fn distance_at_least(&self, other: &Letters) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::edit_distance_within;

    #[test]
    fn the_letter_bound_is_never_above_the_edit_distance() {
        let words = [
            "boete",
            "bote",
            "boetes",
            "kostendelersnorm",
            "kostendelersnrom",
            "mantelzorg",
            "mantlzorg",
            "cliënt",
            "client",
            "clienten",
            "abc",
            "xyz",
            "verlaging",
            "verl",
            "",
            "ab",
            "ba",
            "werk",
            "wrek",
            "kerw",
            "zorg",
        ];
        for a in words {
            for b in words {
                if let Some(d) = edit_distance_within(a, b, 8) {
                    assert!(Letters::of(a).distance_at_least(&Letters::of(b)) <= d, "{a} {b}");
                }
            }
        }
        assert_eq!(Letters::of("abc").distance_at_least(&Letters::of("xyz")), 3);
    }
}
