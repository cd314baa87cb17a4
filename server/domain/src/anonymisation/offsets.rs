//! Conversion between byte offsets (what Rust string slicing uses) and char
//! offsets (what the API and the samples use). Every conversion is a single
//! forward pass over the text for a sorted batch of offsets.

/// Converts sorted (non-decreasing) byte offsets that lie on char boundaries
/// to char offsets, in one forward pass.
pub(crate) fn bytes_to_chars(text: &str, sorted_bytes: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_bytes.len());
    let mut byte_pos = 0usize;
    let mut char_pos = 0usize;
    for &b in sorted_bytes {
        debug_assert!(b >= byte_pos, "byte offsets must be sorted");
        debug_assert!(text.is_char_boundary(b));
        char_pos += text[byte_pos..b].chars().count();
        byte_pos = b;
        out.push(char_pos);
    }
    out
}

/// Converts sorted (non-decreasing) char offsets to byte offsets in one pass.
/// Returns `None` for the first offset past the end of the text.
pub(crate) fn chars_to_bytes(text: &str, sorted_chars: &[usize]) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(sorted_chars.len());
    let mut iter = text.char_indices();
    let mut char_pos = 0usize;
    let mut byte_pos = 0usize;
    for &c in sorted_chars {
        while char_pos < c {
            iter.next()?;
            char_pos += 1;
            byte_pos = iter.clone().next().map_or(text.len(), |(b, _)| b);
        }
        out.push(byte_pos);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_multibyte_text() {
        let text = "Cliënte 😀 é x";
        let chars: Vec<usize> = (0..=text.chars().count()).collect();
        let bytes = chars_to_bytes(text, &chars).unwrap();
        let expected: Vec<usize> =
            text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        assert_eq!(bytes, expected);
        assert_eq!(bytes_to_chars(text, &bytes), chars);
    }

    #[test]
    fn past_the_end_is_none() {
        assert_eq!(chars_to_bytes("abc", &[1, 3]), Some(vec![1, 3]));
        assert_eq!(chars_to_bytes("abc", &[4]), None);
    }
}
