//! Chains of ASCII digit groups joined by short separator runs, found in one
//! pass over the normalised text. BSN detection starts from these.
//!
//! Any run of one to three characters that are neither letters, digits nor
//! line breaks joins two digit groups, so `123 456 782`, `1234.56.782`,
//! `123/456/782`, `123 - 456 - 782` and `123_456_782` are all one chain.
//! Letters, `_` or `@` glued to the outer digits do not matter: a chain is
//! about its digits.

/// A maximal run of ASCII digits, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Group {
    pub start: usize,
    pub end: usize,
}

impl Group {
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Digit groups joined by separator runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chain {
    pub groups: Vec<Group>,
    /// `soft[i]` tells whether the run between `groups[i]` and `groups[i + 1]`
    /// sets the groups apart (whitespace, a bracket, a quote, ...) rather than
    /// formatting one number (`.`, `-`, `,`, `/`, `_`, `:`).
    pub soft: Vec<bool>,
}

/// Longest separator run (in chars) that still joins two digit groups.
const MAX_SEPARATOR: usize = 3;

/// Characters that format one number rather than set numbers apart.
fn is_formatting(c: char) -> bool {
    matches!(c, '.' | '-' | ',' | '/' | '_' | ':' | '\'' | '·')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The separator run between two digit groups: `Some(soft)` when it joins them.
fn separator(between: &str) -> Option<bool> {
    let mut n = 0;
    let mut soft = false;
    for c in between.chars() {
        n += 1;
        if n > MAX_SEPARATOR || c.is_alphanumeric() || is_line_break(c) {
            return None;
        }
        soft |= !is_formatting(c);
    }
    (n > 0).then_some(soft)
}

/// All chains in `text`.
pub(crate) fn digit_chains(text: &str) -> Vec<Chain> {
    let bytes = text.as_bytes();
    let mut chains: Vec<Chain> = Vec::new();
    let mut current: Option<Chain> = None;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let group = Group { start, end: i };
        match current.as_mut() {
            Some(chain) => {
                let last = chain.groups[chain.groups.len() - 1];
                match separator(&text[last.end..start]) {
                    Some(soft) => {
                        chain.soft.push(soft);
                        chain.groups.push(group);
                    }
                    None => {
                        chains.extend(current.take());
                        current = Some(Chain { groups: vec![group], soft: Vec::new() });
                    }
                }
            }
            None => current = Some(Chain { groups: vec![group], soft: Vec::new() }),
        }
    }
    chains.extend(current);
    chains
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_join_short_separator_runs() {
        let text = "a 1234.56.782, 12  34 x9 5-6 7 (8)\n9 1/ - 2";
        let chains = digit_chains(text);
        let shapes: Vec<(Vec<usize>, Vec<bool>)> =
            chains.iter().map(|c| (c.groups.iter().map(Group::len).collect(), c.soft.clone())).collect();
        assert_eq!(
            shapes,
            vec![
                (vec![4, 2, 3, 2, 2], vec![false, false, true, true]),
                (vec![1, 1, 1, 1, 1], vec![true, false, true, true]),
                (vec![1, 1], vec![true]),
                (vec![1], vec![]),
            ]
        );
    }
}
