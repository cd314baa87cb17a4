//! Word-boundary checks on byte offsets. The regexes avoid `\b` (Unicode word
//! boundaries force the slow regex engine on non-ASCII text), so matches are
//! checked here instead.

/// The char just before byte offset `i`.
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The char starting at byte offset `i`.
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// True when no letter or digit touches the span `start..end` on either side.
pub(crate) fn is_isolated(text: &str, start: usize, end: usize) -> bool {
    !char_before(text, start).is_some_and(char::is_alphanumeric)
        && !char_at(text, end).is_some_and(char::is_alphanumeric)
}

/// The byte offset at most `n` bytes before `i`, moved back to a char boundary.
pub(crate) fn back(text: &str, i: usize, n: usize) -> usize {
    let mut from = i.saturating_sub(n);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    from
}

/// The byte offset at most `n` bytes after `i`, moved forward to a char boundary.
pub(crate) fn ahead(text: &str, i: usize, n: usize) -> usize {
    let mut to = (i + n).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    to
}
