//! A search snippet as HTML: every segment escaped, the highlighted ones wrapped in `<mark>`.
//! The result is the only HTML a page inserts unescaped, so this is where escaping is proven.

use crate::search::SnippetOut;

/// Escapes text for an HTML element or attribute value.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The snippet as HTML. Highlight ranges are in chars, `[start, end)`; ranges out of order,
/// overlapping or past the end are tolerated (sorted, merged, clipped).
pub fn snippet_html(snippet: &SnippetOut) -> String {
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
    let mut out = String::with_capacity(snippet.text.len() + merged.len() * 13);
    let mut at = 0;
    for (s, e) in merged {
        escape(&chars[at..s].iter().collect::<String>(), &mut out);
        out.push_str("<mark>");
        escape(&chars[s..e].iter().collect::<String>(), &mut out);
        out.push_str("</mark>");
        at = e;
    }
    escape(&chars[at..].iter().collect::<String>(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str, highlights: &[[usize; 2]]) -> String {
        snippet_html(&SnippetOut { text: text.into(), highlights: highlights.to_vec() })
    }

    #[test]
    fn highlights_are_marked_by_char_offsets() {
        assert_eq!(html("Cliënte weigerde werk", &[[8, 16]]), "Cliënte <mark>weigerde</mark> werk");
        assert_eq!(html("Cliënte weigerde", &[[0, 7]]), "<mark>Cliënte</mark> weigerde");
        assert_eq!(html("geen treffers", &[]), "geen treffers");
    }

    #[test]
    fn every_segment_is_escaped() {
        let out = html("<script>alert('x')</script> & \"boete\"", &[[0, 8], [31, 36]]);
        assert_eq!(
            out,
            "<mark>&lt;script&gt;</mark>alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;<mark>boete</mark>&quot;"
        );
        assert!(!out.contains("<script"));
    }

    #[test]
    fn odd_ranges_are_sorted_merged_and_clipped() {
        assert_eq!(html("abcdef", &[[4, 9], [0, 2], [1, 3], [5, 5]]), "<mark>abc</mark>d<mark>ef</mark>");
    }
}
