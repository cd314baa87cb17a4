//! Highlighted excerpts of the original text around the query's matches.
//!
//! Two ways to say what matched: by the query ([`snippet`]: every token analysed again for
//! every query term, the reference), or by what the search index already found
//! ([`snippet_of_marks`]: the word forms each term matched, so a token is only looked up by
//! how it is written). Both choose and render the excerpt the same way.

use rustc_hash::{FxHashMap, FxHashSet};

use super::index::{token_terms, word_of};
use super::query::QueryTerm;
use super::tokenize::{tokens, Token};

/// The ellipsis marking text cut off before or after the excerpt.
pub const ELLIPSIS: char = '…';

/// An excerpt with highlight ranges. `highlights` are `(start, end)` **char** offsets into
/// `text` (end exclusive), sorted and non-overlapping. The text is plain, unescaped: render it
/// with [`Snippet::segments`], escaping every segment and wrapping the highlighted ones in
/// `<mark>`, so no part of the stored text is ever output as markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The text cut at the highlight boundaries: `(segment, highlighted)` in order, covering
    /// the whole text.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let byte_at: Vec<usize> =
            self.text.char_indices().map(|(b, _)| b).chain(std::iter::once(self.text.len())).collect();
        let mut out = Vec::new();
        let mut pos = 0;
        for &(s, e) in &self.highlights {
            if s > pos {
                out.push((&self.text[byte_at[pos]..byte_at[s]], false));
            }
            out.push((&self.text[byte_at[s]..byte_at[e]], true));
            pos = e;
        }
        if pos < byte_at.len() - 1 {
            out.push((&self.text[byte_at[pos]..], false));
        }
        out
    }
}

/// The best excerpt of at most `max_chars` chars (ellipses included) of `original` for
/// `query`: the window holding the most distinct query terms, then the most matches, earliest
/// on a tie; widened with context to the budget and cut at word boundaries. Runs of
/// whitespace (including newlines) become one space. Every word whose stems match a word
/// term, and every word of an occurrence of a quoted phrase, is highlighted.
///
/// Without any match the excerpt is the start of the text, without highlights.
pub fn snippet(original: &str, query: &[QueryTerm], max_chars: usize) -> Snippet {
    let toks: Vec<Token<'_>> = tokens(original).collect();
    let hits = token_hits(&toks, query);
    excerpt(original, &toks, &hits, max_chars)
}

/// What one query term highlights, as the search index resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marks {
    /// The word forms, exactly as written in the texts, that the term matched (its stems,
    /// compounds, synonyms and parts).
    Forms(FxHashSet<String>),
    /// A quoted phrase's folded words.
    Phrase(Vec<String>),
}

/// The excerpt [`snippet`] makes, for terms resolved by the index: a token is highlighted
/// for a word term when it is written as one of the term's forms. For a text the index holds,
/// this highlights exactly what [`snippet`] does for the terms the forms were found for (the
/// stem terms of a token are a function of how it is written), without analysing the text.
pub fn snippet_of_marks(original: &str, marks: &[Marks], max_chars: usize) -> Snippet {
    let toks: Vec<Token<'_>> = tokens(original).collect();
    let mut hits = vec![0u64; toks.len()];
    let mut bit_of_form: FxHashMap<&str, u64> = FxHashMap::default();
    let mut words: Option<Vec<String>> = None;
    for (i, m) in marks.iter().enumerate() {
        let bit = term_bit(i);
        match m {
            Marks::Forms(forms) => {
                for f in forms {
                    *bit_of_form.entry(f.as_str()).or_default() |= bit;
                }
            }
            Marks::Phrase(phrase) => mark_phrase(&toks, &mut words, phrase, bit, &mut hits),
        }
    }
    if !bit_of_form.is_empty() {
        for (h, t) in hits.iter_mut().zip(&toks) {
            *h |= bit_of_form.get(t.raw).copied().unwrap_or(0);
        }
    }
    excerpt(original, &toks, &hits, max_chars)
}

/// The bit of the `i`-th query term (terms beyond 64 are folded into bit 63).
fn term_bit(i: usize) -> u64 {
    1u64 << i.min(63)
}

/// Chooses and renders the excerpt of `original` for the tokens' hit bits.
fn excerpt(original: &str, toks: &[Token<'_>], hits: &[u64], max_chars: usize) -> Snippet {
    let chars: Vec<char> = original.chars().collect();
    let (start, end) = choose_window(&chars, toks, hits, max_chars);
    render(&chars, toks, hits, start, end)
}

/// A bit per query term for every token.
fn token_hits(toks: &[Token<'_>], query: &[QueryTerm]) -> Vec<u64> {
    let mut hits = vec![0u64; toks.len()];
    let mut words: Option<Vec<String>> = None;
    for (i, term) in query.iter().enumerate() {
        let bit = term_bit(i);
        match term {
            QueryTerm::Word { .. } => {
                for (h, t) in hits.iter_mut().zip(toks) {
                    if term.matches_token_terms(&token_terms(t)) {
                        *h |= bit;
                    }
                }
            }
            QueryTerm::Phrase { words: phrase, .. } => mark_phrase(toks, &mut words, phrase, bit, &mut hits),
        }
    }
    hits
}

/// Sets `bit` on every token of every occurrence of `phrase` (folded words); `words` caches
/// the text's folded words.
fn mark_phrase(
    toks: &[Token<'_>],
    words: &mut Option<Vec<String>>,
    phrase: &[String],
    bit: u64,
    hits: &mut [u64],
) {
    let doc = words.get_or_insert_with(|| toks.iter().map(|t| word_of(t.raw)).collect());
    if phrase.is_empty() || phrase.len() > doc.len() {
        return;
    }
    for at in 0..=doc.len() - phrase.len() {
        if doc[at..at + phrase.len()] == phrase[..] {
            for h in &mut hits[at..at + phrase.len()] {
                *h |= bit;
            }
        }
    }
}

/// The window `[start, end)` in chars of the original.
fn choose_window(chars: &[char], toks: &[Token<'_>], hits: &[u64], max_chars: usize) -> (usize, usize) {
    let len = chars.len();
    let (mut first, mut last) = (0, len);
    while first < len && chars[first].is_whitespace() {
        first += 1;
    }
    while last > first && chars[last - 1].is_whitespace() {
        last -= 1;
    }
    if last - first <= max_chars {
        return (first, last);
    }
    // Room for the text itself, keeping one char for each ellipsis.
    let budget = max_chars.saturating_sub(2);
    if budget == 0 {
        return (first, first);
    }
    let hit_idx: Vec<usize> = (0..toks.len()).filter(|&i| hits[i] != 0).collect();
    let (span_start, span_end) =
        if hit_idx.is_empty() { (first, first) } else { best_span(toks, hits, &hit_idx, budget) };
    let span_len = span_end - span_start;
    if span_len >= budget {
        return (span_start, span_start + budget);
    }
    let slack = budget - span_len;
    let mut start = span_start.saturating_sub(slack / 3).max(first);
    let mut end = (start + budget).min(last);
    start = end.saturating_sub(budget).max(first).min(span_start);
    // Cut at word boundaries, never into the matched span.
    if start > first {
        if let Some(t) = toks.iter().find(|t| t.end_char > start) {
            if t.start_char < start {
                start = t.end_char.min(span_start);
            }
        }
    }
    if end < last {
        if let Some(t) = toks.iter().find(|t| t.end_char > end) {
            if t.start_char < end {
                end = t.start_char.max(span_end);
            }
        }
    }
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    (start, end)
}

/// The char span of the best run of hit tokens that fits `budget`.
fn best_span(toks: &[Token<'_>], hits: &[u64], hit_idx: &[usize], budget: usize) -> (usize, usize) {
    let mut best: Option<((u32, usize), usize, usize)> = None;
    for (a, &ia) in hit_idx.iter().enumerate() {
        let mut mask = 0u64;
        let mut count = 0usize;
        let mut end_tok = ia;
        for &ib in &hit_idx[a..] {
            if ib != ia && toks[ib].end_char - toks[ia].start_char > budget {
                break;
            }
            mask |= hits[ib];
            count += 1;
            end_tok = ib;
        }
        let score = (mask.count_ones(), count);
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, ia, end_tok));
        }
    }
    let (_, ia, ib) = best.expect("hit_idx is not empty");
    (toks[ia].start_char, toks[ib].end_char)
}

fn render(chars: &[char], toks: &[Token<'_>], hits: &[u64], start: usize, end: usize) -> Snippet {
    let mut text = String::new();
    let mut out_len = 0usize;
    let lead = start > 0 && chars[..start].iter().any(|c| !c.is_whitespace());
    let trail = end < chars.len() && chars[end..].iter().any(|c| !c.is_whitespace());
    if lead {
        text.push(ELLIPSIS);
        out_len += 1;
    }
    // Position in the output of every original char of the window (and of `end`).
    let mut map = Vec::with_capacity(end - start + 1);
    let mut in_space = false;
    for &c in &chars[start..end] {
        if c.is_whitespace() {
            map.push(out_len);
            if !in_space {
                text.push(' ');
                out_len += 1;
            }
            in_space = true;
        } else {
            map.push(out_len);
            text.push(c);
            out_len += 1;
            in_space = false;
        }
    }
    map.push(out_len);
    let mut highlights = Vec::new();
    for (t, &h) in toks.iter().zip(hits) {
        if h == 0 || t.end_char <= start || t.start_char >= end {
            continue;
        }
        let s = t.start_char.max(start) - start;
        let e = t.end_char.min(end) - start;
        highlights.push((map[s], map[e]));
    }
    if trail {
        text.push(ELLIPSIS);
    }
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_terms;

    fn marked(s: &Snippet) -> String {
        s.segments()
            .into_iter()
            .map(|(seg, hl)| if hl { format!("[{seg}]") } else { seg.to_string() })
            .collect()
    }

    #[test]
    fn short_text_is_whole_with_highlights() {
        let s = snippet("De cliënt weigerde het werk.", &query_terms("weigeren werk"), 100);
        assert_eq!(marked(&s), "De cliënt [weigerde] het [werk].");
        assert_eq!(s.highlights, [(10, 18), (23, 27)]);
    }

    #[test]
    fn picks_the_window_with_most_distinct_terms() {
        let filler = "niets bijzonders hier ".repeat(10);
        let text = format!("boete {filler}boete en verlaging samen {filler}einde");
        let s = snippet(&text, &query_terms("boete verlaging"), 40);
        assert!(s.text.chars().count() <= 40, "{}", s.text);
        assert!(marked(&s).contains("[boete] en [verlaging]"), "{}", marked(&s));
        assert!(s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS));
    }

    #[test]
    fn no_match_gives_the_start_without_highlights() {
        let s = snippet("Eerste zin. Tweede zin die langer is.", &query_terms("boete"), 15);
        assert!(s.highlights.is_empty());
        assert!(s.text.starts_with("Eerste"), "{}", s.text);
        assert!(s.text.ends_with(ELLIPSIS));
        assert!(s.text.chars().count() <= 15);
    }

    #[test]
    fn whitespace_is_collapsed_and_offsets_follow() {
        let s = snippet("a\n\n  boete", &query_terms("boete"), 100);
        assert_eq!(s.text, "a boete");
        assert_eq!(s.highlights, [(2, 7)]);
    }

    /// The forms a term matches in `text`, found the way an index finds them (every distinct
    /// word form whose stem terms match).
    fn marks_of(text: &str, query: &[QueryTerm]) -> Vec<Marks> {
        query
            .iter()
            .map(|term| match term {
                QueryTerm::Word { .. } => Marks::Forms(
                    tokens(text)
                        .filter(|t| term.matches_token_terms(&token_terms(t)))
                        .map(|t| t.raw.to_string())
                        .collect(),
                ),
                QueryTerm::Phrase { words, .. } => Marks::Phrase(words.clone()),
            })
            .collect()
    }

    #[test]
    fn marks_from_the_index_highlight_what_the_query_does() {
        let text = "De Cliënte weigerde werk; de cliënte werkte later. Kostendelers-norm en dringende \
                    redenen. Een verlaging, verlagingen en Verlaging. Dringende redenen!";
        for q in ["cliente werk", "norm", "\"dringende redenen\" verlaging", "kostendeler zorg", "de"] {
            let terms = query_terms(q);
            for max in [40, 80, 500] {
                assert_eq!(
                    snippet_of_marks(text, &marks_of(text, &terms), max),
                    snippet(text, &terms, max),
                    "{q}"
                );
            }
        }
        // A form the index did not match is not highlighted, however close.
        let marks = [Marks::Forms(["werk".to_string()].into_iter().collect())];
        assert_eq!(marked(&snippet_of_marks("werk Werk werkte", &marks, 100)), "[werk] Werk werkte");
    }

    #[test]
    fn zero_budget_is_empty() {
        let s = snippet("boete boete boete", &query_terms("boete"), 0);
        assert!(s.text.chars().count() <= 2);
    }
}
