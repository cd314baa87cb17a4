//! Applying one-click replacements chosen in the case editor.

use super::offsets::chars_to_bytes;

/// Why a set of replacements cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplacementError {
    #[error("replacement {start}..{end} is empty or reversed")]
    Reversed { start: usize, end: usize },
    #[error("replacement {start}..{end} lies past the end of the text ({len} characters)")]
    OutOfRange { start: usize, end: usize, len: usize },
    #[error("replacements {0:?} and {1:?} overlap")]
    Overlap((usize, usize), (usize, usize)),
}

/// Replaces char ranges `start..end` (code points, end exclusive) of `text`.
/// The order of `replacements` does not matter; they must not overlap.
pub fn try_apply_replacements<S: AsRef<str>>(
    text: &str,
    replacements: &[(usize, usize, S)],
) -> Result<String, ReplacementError> {
    let mut sorted: Vec<(usize, usize, &str)> =
        replacements.iter().map(|(s, e, r)| (*s, *e, r.as_ref())).collect();
    sorted.sort_by_key(|&(s, e, _)| (s, e));
    for &(start, end, _) in &sorted {
        if start >= end {
            return Err(ReplacementError::Reversed { start, end });
        }
    }
    for pair in sorted.windows(2) {
        if pair[1].0 < pair[0].1 {
            return Err(ReplacementError::Overlap((pair[0].0, pair[0].1), (pair[1].0, pair[1].1)));
        }
    }
    let offsets: Vec<usize> = sorted.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    let Some(bytes) = chars_to_bytes(text, &offsets) else {
        let len = text.chars().count();
        let &(start, end, _) = sorted.iter().find(|&&(_, e, _)| e > len).expect("an offset is past the end");
        return Err(ReplacementError::OutOfRange { start, end, len });
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0usize;
    for (i, &(_, _, replacement)) in sorted.iter().enumerate() {
        let (bs, be) = (bytes[2 * i], bytes[2 * i + 1]);
        out.push_str(&text[last..bs]);
        out.push_str(replacement);
        last = be;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// Lenient form of [`try_apply_replacements`] for one-click use: replacements
/// are applied in order of their start; one that is empty, reversed, overlaps
/// an earlier one or reaches past the end of the text is skipped.
pub fn apply_replacements<S: AsRef<str>>(text: &str, replacements: &[(usize, usize, S)]) -> String {
    let len = text.chars().count();
    let mut sorted: Vec<(usize, usize, &str)> = replacements
        .iter()
        .map(|(s, e, r)| (*s, *e, r.as_ref()))
        .filter(|&(s, e, _)| s < e && e <= len)
        .collect();
    sorted.sort_by_key(|&(s, e, _)| (s, e));
    let mut kept: Vec<(usize, usize, &str)> = Vec::with_capacity(sorted.len());
    for r in sorted {
        if kept.last().is_none_or(|last| r.0 >= last.1) {
            kept.push(r);
        }
    }
    try_apply_replacements(text, &kept).expect("filtered replacements are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_by_char_offsets_in_any_order() {
        let text = "Cliënte Anouk belt 😀 Jansen.";
        let out = apply_replacements(text, &[(21, 27, "[partner]"), (8, 13, "[cliënt]")]);
        assert_eq!(out, "Cliënte [cliënt] belt 😀 [partner].");
    }

    #[test]
    fn strict_form_rejects_bad_input() {
        let text = "abcdef";
        assert!(matches!(
            try_apply_replacements(text, &[(1, 3, "x"), (2, 4, "y")]),
            Err(ReplacementError::Overlap(..))
        ));
        assert!(matches!(
            try_apply_replacements(text, &[(3, 3, "x")]),
            Err(ReplacementError::Reversed { .. })
        ));
        assert_eq!(
            try_apply_replacements(text, &[(4, 7, "x")]),
            Err(ReplacementError::OutOfRange { start: 4, end: 7, len: 6 })
        );
        assert_eq!(try_apply_replacements(text, &[(0, 6, "z")]).unwrap(), "z");
    }

    #[test]
    fn lenient_form_skips_bad_replacements() {
        let out = apply_replacements("abcdef", &[(1, 3, "X"), (2, 4, "Y"), (5, 9, "Z")]);
        assert_eq!(out, "aXdef");
    }
}
