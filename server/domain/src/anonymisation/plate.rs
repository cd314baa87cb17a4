//! Dutch licence plates (kentekens) in sidecodes 1-14. With dashes they are
//! recognised anywhere; written without dashes, or in lower case, only right
//! after the word "kenteken".

use std::sync::LazyLock;

use regex::Regex;

use super::boundary::{ahead, back, is_isolated};
use super::finding::Span;
use super::kind::Kind;

/// Sidecodes 1-14: `X` a letter, `9` a digit.
const SIDECODES: [&str; 14] = [
    "XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9", "9-XXX-99",
    "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9",
];

static DASHED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}").expect("plate regex"));
static COMPACT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)[A-Z0-9]{6}").expect("plate regex"));
static KENTEKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)kenteken").expect("plate regex"));

/// The sidecode shape of `s` (`X` for letters, `9` for digits, `-` kept).
fn shape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => '9',
            '-' => '-',
            _ => 'X',
        })
        .collect()
}

/// True when `s` (with dashes) has one of the fourteen sidecode shapes.
pub fn is_plate(s: &str) -> bool {
    s.is_ascii() && SIDECODES.contains(&shape(s).as_str())
}

/// True when `s` without dashes matches a sidecode with its dashes removed.
fn is_compact_plate(s: &str) -> bool {
    let sh = shape(s);
    s.is_ascii() && SIDECODES.iter().any(|code| code.replace('-', "") == sh)
}

fn after_kenteken(text: &str, start: usize) -> bool {
    let from = back(text, start, 24);
    text[from..start].to_lowercase().contains("kenteken")
}

pub(crate) fn find(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for m in DASHED.find_iter(text) {
        if !is_isolated(text, m.start(), m.end()) || text[m.end()..].starts_with("-") {
            continue;
        }
        let s = m.as_str();
        let upper = s.bytes().all(|b| !b.is_ascii_lowercase());
        if is_plate(s) && (upper || after_kenteken(text, m.start())) {
            out.push(Span::new(Kind::Plate, m.start(), m.end()));
        }
    }
    // Compact plates only shortly after "kenteken".
    for k in KENTEKEN.find_iter(text) {
        let window_end = ahead(text, k.end(), 24);
        for m in COMPACT.find_iter(&text[k.end()..window_end]) {
            let (start, end) = (k.end() + m.start(), k.end() + m.end());
            if is_isolated(text, start, end) && is_compact_plate(m.as_str()) {
                out.push(Span::new(Kind::Plate, start, end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut spans = find(text);
        spans.sort_by_key(|s| s.start);
        spans.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn every_sidecode() {
        let examples = [
            "AB-12-34", "12-34-AB", "12-AB-34", "AB-12-CD", "AB-CD-12", "12-AB-CD", "74-KLM-2", "1-KBB-32",
            "GB-123-X", "X-123-GB", "KBB-12-X", "X-12-KBB", "1-KB-123", "123-KB-1",
        ];
        for (code, plate) in SIDECODES.iter().zip(examples) {
            assert_eq!(shape(plate), *code);
            assert_eq!(found(&format!("auto {plate}.")), [plate], "{plate}");
        }
    }

    #[test]
    fn compact_and_lower_case_need_kenteken() {
        assert_eq!(found("kenteken 74KLM2"), ["74KLM2"]);
        assert_eq!(found("Kenteken: gb-123-x"), ["gb-123-x"]);
        assert!(found("code 74KLM2 en gb-123-x").is_empty());
    }

    #[test]
    fn not_plates() {
        assert!(found("12-03-1985, 2024-01-05, COVID-19, art-18-2, 1-2-3").is_empty());
        assert!(found("AB-12-34-5").is_empty());
    }
}
