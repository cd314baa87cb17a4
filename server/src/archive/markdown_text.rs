//! User text inside a Markdown document: shown literally, never read as Markdown or HTML.
//!
//! CommonMark lets a backslash stand before any ASCII punctuation to make it literal. Inline
//! markers (emphasis, code, links, images, tables, raw HTML, entities, strikethrough) are
//! escaped wherever they stand; block markers (headings, quotes, lists, rules, setext
//! underlines) only where a line starts with one.

/// Characters that start or end an inline construct anywhere in a line.
const INLINE: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '!'];
/// Characters that start a block when a line begins with them.
const LINE_START: &[char] = &['#', '>', '-', '+', '=', '*'];

/// `text` with every Markdown marker escaped; line breaks are kept.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        out.push_str(&line[..line.len() - body.len()]);
        let chars = body.char_indices();
        // A list item `1.` or `1)` starts with digits: escape the `.` or `)` after them.
        let digits = body.chars().take_while(char::is_ascii_digit).count();
        if let Some(first) = body.chars().next() {
            if LINE_START.contains(&first) && !INLINE.contains(&first) {
                out.push('\\');
            }
        }
        for (i, c) in chars {
            if INLINE.contains(&c) || (digits > 0 && i == digits && (c == '.' || c == ')')) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// One line for a table cell: whitespace runs (line breaks too) become one space.
pub fn cell(text: &str) -> String {
    escape(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markers_are_literal() {
        assert_eq!(escape("*niet vet* en [geen link](x)"), "\\*niet vet\\* en \\[geen link\\](x)");
        assert_eq!(escape("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(
            escape("![img](x) `code` a_b ~~s~~ &amp;"),
            "\\!\\[img\\](x) \\`code\\` a\\_b \\~\\~s\\~\\~ \\&amp;"
        );
    }

    #[test]
    fn block_markers_only_at_the_start_of_a_line() {
        assert_eq!(
            escape("# kop\n> citaat\n- punt\n1. lijst\n  2) ook"),
            "\\# kop\n\\> citaat\n\\- punt\n1\\. lijst\n  2\\) ook"
        );
        assert_eq!(escape("art. 18 lid 2 - zie #3"), "art. 18 lid 2 - zie #3");
        assert_eq!(escape("===\n+++"), "\\===\n\\+++");
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            escape("Drie keer per week. Participatiewet art. 35."),
            "Drie keer per week. Participatiewet art. 35."
        );
    }

    #[test]
    fn table_cells_stay_on_one_line_with_pipes_escaped() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }
}
