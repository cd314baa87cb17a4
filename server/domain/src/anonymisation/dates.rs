//! Calendar dates in the common Dutch forms: `12 maart 1985`, `12-03-1985`,
//! `12/03/1985`, `12.03.1985`, `1985-03-12`, and `12-03-85` (two-digit year).
//! Whether a date is a date of birth is decided in `dob.rs`; every other
//! date is protected from being read as a phone number or BSN.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::boundary::char_at;

/// A date found in the text, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateMatch {
    pub start: usize,
    pub end: usize,
    /// The year as written: four digits, or two digits when `short_year`.
    pub year: u16,
    pub short_year: bool,
}

const MONTHS: &str = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|febr|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec";

static TEXTUAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)([0-9]{{1,2}})(?:e|ste|de)?[ \u{{a0}}]+(?:{MONTHS})\.?[ \u{{a0}}]+([0-9]{{4}})"
    ))
    .expect("date regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4}|[0-9]{2})").expect("date regex")
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{4})-([0-9]{2})-([0-9]{2})").expect("date regex"));

fn num(caps: &Captures<'_>, i: usize) -> u16 {
    caps[i].parse().unwrap_or(0)
}

/// No digit (or digit after a separator) glued to either side.
fn isolated(text: &str, start: usize, end: usize) -> bool {
    let mut before = text[..start].chars().rev();
    let left_ok = match before.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('-' | '/' | '.' | ',') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    };
    let mut after = text[end..].chars();
    let right_ok = match after.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('-' | '/' | '.' | ',' | ':') => !after.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    };
    left_ok && right_ok
}

fn plausible(day: u16, month: u16, year: u16, short_year: bool) -> bool {
    (1..=31).contains(&day) && (1..=12).contains(&month) && (short_year || (1900..=2099).contains(&year))
}

/// All dates in `text`, sorted by start.
pub(crate) fn find(text: &str) -> Vec<DateMatch> {
    let mut out = Vec::new();
    for caps in TEXTUAL.captures_iter(text) {
        let m = caps.get(0).expect("whole match");
        let (day, year) = (num(&caps, 1), num(&caps, 2));
        let month_word_ends = !char_at(text, m.end()).is_some_and(char::is_alphanumeric);
        if isolated(text, m.start(), m.end()) && month_word_ends && plausible(day, 1, year, false) {
            out.push(DateMatch { start: m.start(), end: m.end(), year, short_year: false });
        }
    }
    for caps in NUMERIC.captures_iter(text) {
        let m = caps.get(0).expect("whole match");
        if caps[2] != caps[4] || !isolated(text, m.start(), m.end()) {
            continue;
        }
        let short_year = caps[5].len() == 2;
        let (day, month, year) = (num(&caps, 1), num(&caps, 3), num(&caps, 5));
        if plausible(day, month, year, short_year) {
            out.push(DateMatch { start: m.start(), end: m.end(), year, short_year });
        }
    }
    for caps in ISO.captures_iter(text) {
        let m = caps.get(0).expect("whole match");
        let (year, month, day) = (num(&caps, 1), num(&caps, 2), num(&caps, 3));
        if isolated(text, m.start(), m.end()) && plausible(day, month, year, false) {
            out.push(DateMatch { start: m.start(), end: m.end(), year, short_year: false });
        }
    }
    out.sort_by_key(|d| d.start);
    out.dedup_by(|b, a| b.start < a.end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|d| &text[d.start..d.end]).collect()
    }

    #[test]
    fn all_common_forms() {
        assert_eq!(
            found("op 12 maart 1985, 1 jan. 2024, 3e mei 2001, 12-03-1985, 12/03/1985, 12.3.1985, 1985-03-12 en 1-2-85."),
            ["12 maart 1985", "1 jan. 2024", "3e mei 2001", "12-03-1985", "12/03/1985", "12.3.1985", "1985-03-12", "1-2-85"]
        );
    }

    #[test]
    fn not_dates() {
        assert!(
            found("in maart 1985, 2023, 12-03, 32-01-2000, 12-13-2000, 12-03/1985, 1234.56.782").is_empty()
        );
        assert!(found("artikel 12 lid 3, 06-12-34-56-78").is_empty());
    }
}
