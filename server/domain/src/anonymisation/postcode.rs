//! Dutch postcodes: four digits (first 1-9), an optional space, two capital
//! letters; SA, SD and SS are never issued.

use std::sync::LazyLock;

use regex::Regex;

use super::boundary::is_isolated;
use super::finding::Span;
use super::kind::Kind;

static POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[1-9][0-9]{3}[ \u{a0}]?[A-Z]{2}").expect("postcode regex"));

pub(crate) fn find(text: &str) -> Vec<Span> {
    POSTCODE
        .find_iter(text)
        .filter(|m| is_isolated(text, m.start(), m.end()))
        .filter(|m| !matches!(&m.as_str()[m.len() - 2..], "SA" | "SD" | "SS"))
        .filter(|m| !glued_to_number(text, m.start()))
        .map(|m| Span::new(Kind::Postcode, m.start(), m.end()))
        .collect()
}

/// `1.234 AB` or `12-1234 AB`: the digits continue a number on the left.
fn glued_to_number(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    matches!(before.next(), Some('.' | ',' | '-' | '/')) && before.next().is_some_and(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn finds_both_forms() {
        assert_eq!(found("6811 KG Arnhem, 5211AA Den Bosch"), ["6811 KG", "5211AA"]);
    }

    #[test]
    fn rejects_invalid_postcodes() {
        assert!(found("1234 SA, 1234 SD, 1234 SS").is_empty());
        assert!(found("0123 AB, 1234 ab, 12345 AB, 1234 ABC, x1234 AB").is_empty());
        assert!(found("€ 1.234 AB").is_empty());
    }
}
