//! IBAN (ISO 13616): country code, two check digits and a country-specific
//! BBAN, validated with mod-97. Dutch IBANs must also have the Dutch shape
//! (4-letter bank code + 10 digits).
//!
//! Found in the normalised view (see `normalise.rs`): written as one run, in
//! groups split by any short run of separators (spaces, dashes, dots,
//! slashes), in any case, and glued to letters (`xNL91ABNA0417164300y`).

use std::sync::LazyLock;

use super::finding::Span;
use super::kind::Kind;

/// IBAN lengths per country (SWIFT IBAN registry).
#[rustfmt::skip]
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16),
    ("BG", 22), ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22),
    ("CY", 28), ("CZ", 24), ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20),
    ("EG", 29), ("ES", 24), ("FI", 18), ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22),
    ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27), ("GT", 28), ("HN", 28), ("HR", 21),
    ("HU", 28), ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27), ("JO", 30),
    ("KW", 30), ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20),
    ("LV", 21), ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20),
    ("MR", 27), ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23),
    ("PK", 24), ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22),
    ("RU", 33), ("SA", 24), ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24),
    ("SM", 27), ("SO", 23), ("ST", 25), ("SV", 28), ("TL", 23), ("TN", 24), ("TR", 26),
    ("UA", 29), ("VA", 22), ("VG", 24), ("XK", 20), ("YE", 30),
];

/// `LENGTHS` as a 26×26 table, so a lookup is one index.
static LENGTH_TABLE: LazyLock<[u8; 676]> = LazyLock::new(|| {
    let mut table = [0u8; 676];
    for (cc, len) in LENGTHS {
        let b = cc.as_bytes();
        table[usize::from(b[0] - b'A') * 26 + usize::from(b[1] - b'A')] = *len as u8;
    }
    table
});

fn expected_length(country: &[u8]) -> Option<usize> {
    let (a, b) = (country[0].to_ascii_uppercase(), country[1].to_ascii_uppercase());
    if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
        return None;
    }
    let len = LENGTH_TABLE[usize::from(a - b'A') * 26 + usize::from(b - b'A')];
    (len > 0).then_some(usize::from(len))
}

/// Validates an IBAN written with or without separators (any case, any
/// non-alphanumeric characters between the characters): known country and
/// length, Dutch shape for `NL`, mod 97 == 1.
pub fn is_valid_iban(s: &str) -> bool {
    let mut compact = Vec::with_capacity(34);
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            compact.push(c.to_ascii_uppercase() as u8);
        } else if c.is_alphanumeric() {
            return false;
        }
    }
    is_valid_compact(&compact)
}

fn is_valid_compact(iban: &[u8]) -> bool {
    if iban.len() < 5 || !iban.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if !iban[..2].iter().all(u8::is_ascii_uppercase) || !iban[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if expected_length(&iban[..2]) != Some(iban.len()) {
        return false;
    }
    if &iban[..2] == b"NL"
        && !(iban[4..8].iter().all(u8::is_ascii_uppercase) && iban[8..].iter().all(u8::is_ascii_digit))
    {
        return false;
    }
    mod97(iban) == 1
}

/// The ISO 7064 mod-97 of an IBAN: the first four characters moved to the
/// end, letters as 10..35, computed digit by digit.
fn mod97(iban: &[u8]) -> u32 {
    iban[4..].iter().chain(&iban[..4]).fold(0u32, |acc, &b| {
        if b.is_ascii_digit() {
            (acc * 10 + u32::from(b - b'0')) % 97
        } else {
            (acc * 100 + u32::from(b - b'A') + 10) % 97
        }
    })
}

/// A valid IBAN for a country and BBAN, its check digits computed (fictitious numbers for
/// tests, benchmarks and figures).
pub fn with_check_digits(country: &str, bban: &str) -> String {
    let check = 98 - mod97(format!("{country}00{bban}").as_bytes());
    format!("{country}{check:02}{bban}")
}

/// Longest separator run (in chars) between two parts of one IBAN.
const MAX_SEPARATOR: usize = 3;

/// Longest run of letters inside the BBAN: bank codes have four (NL, GB); a
/// longer run is a word of the surrounding text.
const MAX_LETTER_RUN: usize = 4;

/// Finds IBANs: a known country code directly followed by two check digits
/// (or, in upper case, after one space or dash: `NL 91`), then exactly the
/// country's number of letters and digits, each part split from the next by
/// at most three separator characters (no line break), then no further digit
/// glued on.
pub(crate) fn find(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut d = 2;
    // Only where a run of digits starts can check digits start: try the two
    // letters right before it (`NL91`), or before a space or dash (`NL 91`).
    while d < bytes.len() {
        if !bytes[d].is_ascii_digit() || bytes[d - 1].is_ascii_digit() {
            d += 1;
            continue;
        }
        let starts = [Some(d - 2), d.checked_sub(3).filter(|_| matches!(bytes[d - 1], b' ' | b'-'))];
        let found = starts.into_iter().flatten().find_map(|i| {
            let letters = bytes[i].is_ascii_alphabetic() && bytes[i + 1].is_ascii_alphabetic();
            let clear = out.last().is_none_or(|s: &Span| s.end <= i);
            (letters && clear).then(|| match_at(text, i).map(|end| (i, end))).flatten()
        });
        match found {
            Some((start, end)) => {
                out.push(Span::new(Kind::Iban, start, end));
                d = end.max(d + 1);
            }
            None => d += 1,
        }
    }
    out
}

fn match_at(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let len = expected_length(&bytes[start..start + 2])?;
    let mut i = start + 2;
    if !bytes[i].is_ascii_digit() {
        // `NL 91 ...`: only in capitals, one space or dash.
        let upper = bytes[start].is_ascii_uppercase() && bytes[start + 1].is_ascii_uppercase();
        if !(upper && matches!(bytes[i], b' ' | b'-') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            return None;
        }
        i += 1;
    }
    if !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut compact = Vec::with_capacity(len);
    compact.extend([bytes[start].to_ascii_uppercase(), bytes[start + 1].to_ascii_uppercase()]);
    let mut letters = 0;
    while compact.len() < len {
        let b = *bytes.get(i)?;
        if b.is_ascii_alphanumeric() {
            letters = if b.is_ascii_alphabetic() { letters + 1 } else { 0 };
            if letters > MAX_LETTER_RUN {
                return None;
            }
            compact.push(b.to_ascii_uppercase());
            i += 1;
            continue;
        }
        // A separator run, then more of the IBAN.
        letters = 0;
        let mut j = i;
        let mut n = 0;
        for c in text[i..].chars() {
            if n > MAX_SEPARATOR || c.is_alphanumeric() || matches!(c, '\n' | '\r') {
                break;
            }
            n += 1;
            j += c.len_utf8();
        }
        if n > MAX_SEPARATOR || !bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
            return None;
        }
        i = j;
    }
    if bytes.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    is_valid_compact(&compact).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::with_check_digits as make_iban;

    #[test]
    fn mod97_positive_and_negative() {
        let nl = make_iban("NL", "ABNA0123456789");
        assert!(is_valid_iban(&nl), "{nl}");
        assert!(is_valid_iban(&nl.to_lowercase()));
        let mut broken = nl.clone().into_bytes();
        broken[17] = if broken[17] == b'9' { b'0' } else { broken[17] + 1 };
        assert!(!is_valid_iban(std::str::from_utf8(&broken).unwrap()));
        // Wrong length, unknown country, non-Dutch shape under NL.
        assert!(!is_valid_iban(&nl[..17]));
        assert!(!is_valid_iban(&make_iban("QQ", "ABNA0123456789")));
        assert!(!is_valid_iban(&make_iban("NL", "1234012345678A")));
    }

    #[test]
    fn country_table() {
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no duplicates");
        assert_eq!(expected_length(b"nl"), Some(18));
        assert_eq!(expected_length(b"DE"), Some(22));
        assert_eq!(expected_length(b"QQ"), None);
        assert_eq!(expected_length(b"1A"), None);
    }

    #[test]
    fn foreign_ibans() {
        let de = make_iban("DE", "370400440532013000");
        let be = make_iban("BE", "539007547034");
        let tr = make_iban("TR", "0006100519786457841326");
        for iban in [&de, &be, &tr] {
            assert!(is_valid_iban(iban), "{iban}");
        }
        let text = format!("rekening {de} en {be}.");
        assert_eq!(find(&text).len(), 2);
    }

    #[test]
    fn grouped_and_compact_forms() {
        let nl = make_iban("NL", "RABO0123456789");
        let grouped: String =
            nl.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ");
        for form in [&nl, &grouped] {
            let text = format!("Betaal naar {form}, graag.");
            let found = find(&text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(&text[found[0].start..found[0].end], form.as_str());
        }
        // Glued to letters: still an IBAN; one digit too many: not an IBAN.
        assert_eq!(find(&format!("x{nl}y")).len(), 1);
        assert!(find(&format!("{nl}7")).is_empty());
        for sep in ["-", ".", " - ", "/"] {
            let text = format!("iban {}", grouped.replace(' ', sep));
            assert_eq!(find(&text).len(), 1, "{text}");
        }
        // A word of the sentence is never read into an IBAN.
        assert!(find("Hij is 12 keer gebeld over de aanvraag van 2023 en 2024 door ons.").is_empty());
    }
}
