//! A search snippet as segments for the template: plain text and highlighted text, in order.
//! The template writes each segment with autoescape on (inside `<mark>` when highlighted), so
//! no page inserts HTML that Rust code built.

use serde::Serialize;

use crate::search::SnippetOut;

/// One run of a snippet's text; `mark` when it matched the query.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub mark: bool,
}

/// The snippet as segments. Highlight ranges are in chars, `[start, end)`; ranges out of
/// order, overlapping or past the end are tolerated (sorted, merged, clipped).
pub fn snippet_segments(snippet: &SnippetOut) -> Vec<Segment> {
    let chars: Vec<char> = snippet.text.chars().collect();
    let mut ranges: Vec<(usize, usize)> = snippet
        .highlights
        .iter()
        .map(|[s, e]| ((*s).min(chars.len()), (*e).min(chars.len())))
        .filter(|(s, e)| s < e)
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut out = Vec::with_capacity(merged.len() * 2 + 1);
    let mut at = 0;
    for (s, e) in merged {
        if at < s {
            out.push(Segment { text: text(at, s), mark: false });
        }
        out.push(Segment { text: text(s, e), mark: true });
        at = e;
    }
    if at < chars.len() {
        out.push(Segment { text: text(at, chars.len()), mark: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str, highlights: &[[usize; 2]]) -> Vec<(String, bool)> {
        snippet_segments(&SnippetOut { text: text.into(), highlights: highlights.to_vec() })
            .into_iter()
            .map(|s| (s.text, s.mark))
            .collect()
    }

    fn seg(text: &str, mark: bool) -> (String, bool) {
        (text.to_owned(), mark)
    }

    #[test]
    fn highlights_are_marked_by_char_offsets() {
        assert_eq!(
            segments("Cliënte weigerde werk", &[[8, 16]]),
            [seg("Cliënte ", false), seg("weigerde", true), seg(" werk", false)]
        );
        assert_eq!(segments("Cliënte weigerde", &[[0, 7]]), [seg("Cliënte", true), seg(" weigerde", false)]);
        assert_eq!(segments("geen treffers", &[]), [seg("geen treffers", false)]);
    }

    #[test]
    fn odd_ranges_are_sorted_merged_and_clipped() {
        assert_eq!(
            segments("abcdef", &[[4, 9], [0, 2], [1, 3], [5, 5]]),
            [seg("abc", true), seg("d", false), seg("ef", true)]
        );
    }
}
