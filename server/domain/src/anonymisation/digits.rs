//! Chains of ASCII digit groups joined by single separators, found in one
//! pass. BSN and phone detection both start from these.

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

/// Digit groups joined by exactly one separator (space, no-break space, dot
/// or dash) each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chain {
    pub groups: Vec<Group>,
    /// `seps[i]` joins `groups[i]` and `groups[i + 1]`.
    pub seps: Vec<char>,
    /// Nothing glued on the left: not a letter, digit, `+`, `€`, `/`, or a
    /// `.`/`,` that follows a digit or letter.
    pub clean_left: bool,
    /// Nothing glued on the right: not a letter or digit, and not `,`, `.`,
    /// `/` or `-` followed by a digit.
    pub clean_right: bool,
}

pub(crate) fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '.' | '-')
}

/// All chains in `text`.
pub(crate) fn digit_chains(text: &str) -> Vec<Chain> {
    let bytes = text.as_bytes();
    let mut groups = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            groups.push(Group { start, end: i });
        } else {
            i += 1;
        }
    }
    let mut chains: Vec<Chain> = Vec::new();
    let mut iter = groups.into_iter().peekable();
    while let Some(first) = iter.next() {
        let mut chain = Chain {
            groups: vec![first],
            seps: Vec::new(),
            clean_left: clean_left(text, first.start),
            clean_right: true,
        };
        while let Some(next) = iter.peek().copied() {
            let last = chain.groups[chain.groups.len() - 1];
            let between = &text[last.end..next.start];
            let mut cs = between.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if is_separator(c) => {
                    chain.seps.push(c);
                    chain.groups.push(next);
                    iter.next();
                }
                _ => break,
            }
        }
        let last = chain.groups[chain.groups.len() - 1];
        chain.clean_right = clean_right(text, last.end);
        chains.push(chain);
    }
    chains
}

fn clean_left(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || matches!(c, '+' | '€' | '/' | '_' | '@') => false,
        Some('.' | ',') => !before.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

fn clean_right(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    match after.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || matches!(c, '_' | '@') => false,
        Some(',' | '.' | '/' | '-') => !after.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_join_single_separators_only() {
        let text = "a 1234.56.782, 12  34 x9 5-6";
        let chains = digit_chains(text);
        let shapes: Vec<(Vec<usize>, bool, bool)> = chains
            .iter()
            .map(|c| (c.groups.iter().map(Group::len).collect(), c.clean_left, c.clean_right))
            .collect();
        assert_eq!(
            shapes,
            vec![
                (vec![4, 2, 3], true, true),
                (vec![2], true, true),
                (vec![2], true, true),
                (vec![1, 1, 1], false, true),
            ]
        );
    }
}
