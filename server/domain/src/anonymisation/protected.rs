//! Spans that look numeric but are never identifiers: law references,
//! amounts, percentages, ages, durations and other quantities, clock times
//! and dates that are not dates of birth. A structured candidate (BSN,
//! phone, postcode, plate, address) that overlaps one of them is dropped.

use std::sync::LazyLock;

use regex::Regex;

static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // artikel 18 lid 2, art. 18a, artikelen 3 en 4, art. 7:658 lid 1 sub b
        r"(?i)(?:artikel(?:en)?|art\.?)[ \u{a0}]*[0-9]+[a-z]?(?:[:.][0-9]+[a-z]?)*(?:[ \u{a0}]*(?:,|en|t/m|tot en met|-)[ \u{a0}]*[0-9]+[a-z]?)*(?:,?[ \u{a0}]*(?:lid|leden)[ \u{a0}]*[0-9]+(?:[ \u{a0}]*(?:,|en|t/m)[ \u{a0}]*[0-9]+)*)?(?:,?[ \u{a0}]*(?:sub|onder(?:deel)?)[ \u{a0}]*[a-z0-9]+)?",
        r"(?i)(?:lid|leden|hoofdstuk|paragraaf|§|afdeling|titel|bijlage)[ \u{a0}]*[0-9]+[a-z]?(?:\.[0-9]+)*",
        // € 1.234,56  € 50,-  EUR 300
        r"(?:€|EUR|eur)[ \u{a0}]?-?[0-9][0-9.]*(?:,(?:[0-9]{1,2}|-{1,2}))?",
        r"(?i)[0-9][0-9.]*(?:,[0-9]{1,2})?[ \u{a0}]?(?:euro|eur)",
        // 20 procent, 12,5%
        r"(?i)[0-9]+(?:[.,][0-9]+)?[ \u{a0}]?(?:%|procent)",
        // ages, durations and other quantities
        r"(?i)[0-9]+(?:[.,][0-9]+)?[ \u{a0}]?-?[ \u{a0}]?(?:jaar|jaren|jarige|jr|maand|maanden|mnd|week|weken|dag|dagen|uur|uren|minuten|min|kwartaal|kwartalen|keer|kinderen|personen|(?-i:kg|km|cm|m2))",
        // 10:30, 9.15 uur
        r"(?i)[0-2]?[0-9][:.][0-5][0-9](?:[ \u{a0}]?uur)?",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("protected regex"))
    .collect()
});

/// Spans of non-identifying numeric expressions, as byte ranges (unsorted).
pub(crate) fn find(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for re in PATTERNS.iter() {
        for m in re.find_iter(text) {
            if left_clean(text, m.start()) && right_clean(text, m.end()) {
                out.push((m.start(), m.end()));
            }
        }
    }
    out
}

fn left_clean(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('.' | ',' | '-' | '/' | ':') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

fn right_clean(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    match after.next() {
        None => true,
        Some(c) if c.is_ascii_digit() => false,
        Some('.' | ',' | '-' | '/' | ':') => !after.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut spans = find(text);
        spans.sort();
        spans.iter().map(|&(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn protects_the_must_not_flag_classes() {
        assert_eq!(found("artikel 18 lid 2"), ["artikel 18 lid 2", "lid 2"]);
        assert_eq!(found("art. 18a"), ["art. 18a"]);
        assert_eq!(found("€ 1.234,56"), ["€ 1.234,56"]);
        assert_eq!(found("44 jaar"), ["44 jaar"]);
        assert_eq!(found("20 procent"), ["20 procent"]);
        assert_eq!(found("om 10:30 uur"), ["10:30 uur"]);
    }

    #[test]
    fn leaves_identifiers_alone() {
        assert!(found("1234.56.782").is_empty());
        assert!(found("06-12345678").is_empty());
        assert!(found("12.03.1985").is_empty());
    }
}
