//! Phone numbers: Dutch national numbers (ten digits starting with 0, the
//! area code optionally in parentheses), Dutch international numbers (`+31`
//! or `0031`, an optional `(0)`, nine digits) and other international
//! numbers (`+` or `00` with a foreign country code, 10-15 digits), with
//! spaces, dashes, dots or slashes between digit groups.

use super::boundary::char_at;
use super::finding::Span;
use super::kind::Kind;

/// Characters allowed between digit groups.
fn is_phone_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '-' | '.' | '/' | '(' | ')')
}

/// A digit and the byte offset just after it.
#[derive(Clone, Copy)]
struct Digit {
    value: u8,
    end: usize,
    /// True when this digit starts a new group (a separator precedes it).
    group_start: bool,
    /// True when this digit is inside parentheses.
    in_parens: bool,
}

/// Reads digits from `start` for as long as they are separated by short
/// separator runs (at most three characters, one bracket of each kind).
fn read_digits(text: &str, start: usize, max: usize) -> Vec<Digit> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    let mut depth = 0i32;
    let mut pending_sep = false;
    while i < bytes.len() && out.len() < max {
        let b = bytes[i];
        if b.is_ascii_digit() {
            out.push(Digit { value: b - b'0', end: i + 1, group_start: pending_sep, in_parens: depth > 0 });
            pending_sep = false;
            i += 1;
            continue;
        }
        // A separator run.
        let mut j = i;
        let mut n = 0;
        while let Some(c) = char_at(text, j) {
            if !is_phone_separator(c) || n == 3 {
                break;
            }
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            j += c.len_utf8();
            n += 1;
        }
        if n == 0 || n == 3 && char_at(text, j).is_some_and(is_phone_separator) {
            break;
        }
        if !(0..=1).contains(&depth) || !bytes.get(j).is_some_and(u8::is_ascii_digit) {
            break;
        }
        pending_sep = true;
        i = j;
    }
    out
}

/// The number ends cleanly after `digits[n - 1]`: the next digit, if any,
/// starts a new group after a plain space, and no letter is glued on.
fn ends_cleanly(text: &str, digits: &[Digit], n: usize) -> bool {
    let end = digits[n - 1].end;
    if char_at(text, end).is_some_and(|c| c.is_alphanumeric()) {
        return false;
    }
    match digits.get(n) {
        None => {
            let mut after = text[end..].chars();
            !(matches!(after.next(), Some('-' | '.' | '/' | ','))
                && after.next().is_some_and(|c| c.is_ascii_digit()))
        }
        Some(next) => next.group_start && text[end..].starts_with(' ') && !next.in_parens,
    }
}

/// Tries to read a phone number starting at byte `start`; returns its end.
fn match_at(text: &str, start: usize) -> Option<usize> {
    let first = char_at(text, start)?;
    let digits_from = if first == '+' { start + 1 } else { start };
    let digits = read_digits(text, digits_from, 17);
    let values: Vec<u8> = digits.iter().map(|d| d.value).collect();
    let international = first == '+' || values.starts_with(&[0, 0]);
    if international {
        let skip = if first == '+' { 0 } else { 2 };
        if first == '+' && text[start + 1..].starts_with(|c: char| !c.is_ascii_digit()) {
            return None;
        }
        if values.len() > skip + 1 && values[skip..].starts_with(&[3, 1]) {
            // Dutch: 31, optional trunk 0 (usually written "(0)"), nine digits.
            let mut national = skip + 2;
            if values.get(national) == Some(&0) {
                national += 1;
            }
            if values.get(national) == Some(&0) {
                return None;
            }
            let n = national + 9;
            return (digits.len() >= n && ends_cleanly(text, &digits, n)).then(|| digits[n - 1].end);
        }
        if values.get(skip) == Some(&0) {
            return None;
        }
        // Foreign: take whole groups up to 15 digits (E.164), at least 10.
        let mut n = digits.len().min(skip + 15);
        while n > skip && digits.get(n).is_some_and(|d| !d.group_start) {
            n -= 1;
        }
        let count = n - skip;
        return ((10..=15).contains(&count) && ends_cleanly(text, &digits, n)).then(|| digits[n - 1].end);
    }
    // National: ten digits starting with 0, second digit 1-9.
    if values.first() != Some(&0) || values.get(1).is_none_or(|&d| d == 0) || digits.len() < 10 {
        return None;
    }
    ends_cleanly(text, &digits, 10).then(|| digits[9].end)
}

pub(crate) fn find(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let candidate = match b {
            b'+' => bytes.get(i + 1).is_some_and(u8::is_ascii_digit),
            b'0' => clean_start(text, i),
            b'(' => bytes.get(i + 1) == Some(&b'0') && clean_start(text, i) && paren_area_code(bytes, i),
            _ => false,
        };
        if candidate {
            if let Some(end) = match_at(text, i) {
                out.push(Span::new(Kind::Phone, i, end).strong(in_phone_form(&text[i..end])));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Written the way phone numbers are: with a country code (`+31`, `0031`),
/// an area code in parentheses, or an area code of two to four digits set
/// apart (`020-1234567`, `06 1234 5678`). A bare run of ten digits, or a
/// lone `0` before nine digits, is a weaker signal than a BSN's 11-proef.
fn in_phone_form(number: &str) -> bool {
    if number.starts_with(['+', '(']) || number.starts_with("00") {
        return true;
    }
    let area = number.bytes().take_while(u8::is_ascii_digit).count();
    (2..=4).contains(&area) && area < number.len()
}

/// Nothing glued on the left: no letter or digit, no `+`, no digit+separator.
fn clean_start(text: &str, i: usize) -> bool {
    let mut before = text[..i].chars().rev();
    match before.next() {
        None => true,
        Some(c) if c.is_alphanumeric() || matches!(c, '+' | '€' | '@' | '_') => false,
        Some('-' | '.' | '/' | ',') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// `(020)` / `(0575)`: an area code of 2-4 digits closed by `)`.
fn paren_area_code(bytes: &[u8], open: usize) -> bool {
    let digits = bytes[open + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
    (2..=4).contains(&digits) && bytes.get(open + 1 + digits) == Some(&b')')
}

#[cfg(test)]
mod tests {
    use super::find;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn dutch_forms() {
        let cases = [
            "06-24681357",
            "06 24681357",
            "06 2468 1357",
            "06 24 68 13 57",
            "0612345678",
            "010 765 4321",
            "020-1234567",
            "(020) 123 45 67",
            "+31 10 765 4321",
            "+31 (0)6 1234 5678",
            "+31612345678",
            "0031 6 13572468",
            "0031 (0)20 123 4567",
            "06 - 12 34 56 78",
            "06.12.34.56.78",
        ];
        for phone in cases {
            assert_eq!(found(&format!("Bel {phone}.")), [phone], "{phone}");
        }
    }

    #[test]
    fn foreign_numbers() {
        assert_eq!(found("Belgisch nummer +32 470 12 34 56, dank"), ["+32 470 12 34 56"]);
        assert_eq!(found("Turkije: +90 532 123 45 67"), ["+90 532 123 45 67"]);
        assert_eq!(found("Marokko 00212 6 12 34 56 78"), ["00212 6 12 34 56 78"]);
    }

    #[test]
    fn not_phones() {
        for text in [
            "nummer 061234567",        // nine digits
            "nummer 06123456789",      // eleven digits
            "zaak 1234567890",         // no leading zero
            "code 0012",               // too short
            "IBAN NL13INGB0612345678", // glued to letters
            "+31 6 1234",              // too short
            "bedrag 0,50 per dag",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
