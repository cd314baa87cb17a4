//! Snippets: best window, highlight ranges in chars, multibyte text, safe rendering.

use beraad_domain::text::{query_terms, snippet, Snippet, ELLIPSIS};

fn marked(s: &Snippet) -> String {
    s.segments().into_iter().map(|(seg, hl)| if hl { format!("<{seg}>") } else { seg.to_string() }).collect()
}

fn highlighted(s: &Snippet) -> Vec<String> {
    let chars: Vec<char> = s.text.chars().collect();
    s.highlights.iter().map(|&(a, b)| chars[a..b].iter().collect()).collect()
}

#[test]
fn multibyte_offsets_are_chars() {
    let s = snippet(
        "Één cliënte weigerde; zij vond het té zwaar — „echt”.",
        &query_terms("weigeren cliente"),
        200,
    );
    assert_eq!(highlighted(&s), ["cliënte", "weigerde"]);
    assert_eq!(s.highlights[0], (4, 11));
    assert_eq!(marked(&s), "Één <cliënte> <weigerde>; zij vond het té zwaar — „echt”.");
}

#[test]
fn phrases_highlight_every_word_of_the_occurrence_only() {
    let s = snippet(
        "Redenen genoeg. Er zijn dringende redenen, maar geen dringende zaken.",
        &query_terms("\"dringende redenen\""),
        200,
    );
    assert_eq!(highlighted(&s), ["dringende", "redenen"]);
    assert_eq!(s.highlights[0].0, "Redenen genoeg. Er zijn ".chars().count());
}

#[test]
fn long_text_is_cut_around_the_best_match() {
    let before = "Inleiding zonder treffers met wat woorden erin. ".repeat(8);
    let after = " Slot van het verhaal met nog meer woorden.".repeat(8);
    let text = format!("{before}De kostendelersnorm werd bij de cliënte toegepast.{after}");
    let s = snippet(&text, &query_terms("kostendeler cliënte"), 80);
    assert!(s.text.chars().count() <= 80, "{} chars", s.text.chars().count());
    assert!(s.text.starts_with(ELLIPSIS) && s.text.ends_with(ELLIPSIS), "{}", s.text);
    assert_eq!(highlighted(&s), ["kostendelersnorm", "cliënte"]);
    // Cut at word boundaries: the text between the ellipses starts and ends with whole words.
    let inner: String = s.text.chars().skip(1).take(s.text.chars().count() - 2).collect();
    for w in inner.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        assert!(w.is_empty() || text.contains(w), "{w}");
    }
    assert!(text.split_whitespace().any(|w| inner.starts_with(w)), "{inner}");
}

#[test]
fn highlights_are_sorted_disjoint_and_in_range() {
    let text = "boete boete verlaging ".repeat(30);
    let s = snippet(&text, &query_terms("boete verlaging"), 50);
    let n = s.text.chars().count();
    assert!(n <= 50);
    assert!(!s.highlights.is_empty());
    for w in s.highlights.windows(2) {
        assert!(w[0].1 <= w[1].0);
    }
    assert!(s.highlights.iter().all(|&(a, b)| a < b && b <= n));
}

#[test]
fn segments_cover_the_text_so_escaping_each_is_safe() {
    let s = snippet("<script>boete</script> & boete", &query_terms("boete"), 100);
    let joined: String = s.segments().iter().map(|(seg, _)| *seg).collect();
    assert_eq!(joined, s.text);
    assert_eq!(highlighted(&s), ["boete", "boete"]);
    assert_eq!(marked(&s), "<script><boete></script> & <boete>");
}

#[test]
fn emoji_and_combining_marks() {
    let s = snippet("👍 clie\u{0308}nte 👍 boete", &query_terms("cliente boete"), 100);
    assert_eq!(highlighted(&s), ["clie\u{0308}nte", "boete"]);
    assert_eq!(s.highlights[0], (2, 10));
}
