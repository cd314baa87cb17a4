//! IBAN (ISO 13616): country code, two check digits and a country-specific
//! BBAN, validated with mod-97. Dutch IBANs must also have the Dutch shape
//! (4-letter bank code + 10 digits). Written as one run or in groups of four.

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

fn expected_length(country: &[u8]) -> Option<usize> {
    LENGTHS.iter().find(|(cc, _)| cc.as_bytes().eq_ignore_ascii_case(country)).map(|&(_, len)| len)
}

/// Validates an IBAN written with or without spaces (any case): known
/// country and length, alphanumeric, Dutch shape for `NL`, mod 97 == 1.
pub fn is_valid_iban(s: &str) -> bool {
    let compact: Vec<u8> = s.bytes().filter(|b| *b != b' ').map(|b| b.to_ascii_uppercase()).collect();
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

/// Finds IBANs: a country code at a word start, then exactly the country's
/// number of characters, optionally with a single space after every group
/// of four, then a word end.
pub(crate) fn find(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let starts_word = i == 0 || !is_word_byte(bytes[i - 1]);
        if starts_word
            && bytes[i].is_ascii_alphabetic()
            && bytes[i + 1].is_ascii_alphabetic()
            && bytes[i + 2].is_ascii_digit()
            && bytes[i + 3].is_ascii_digit()
        {
            if let Some(end) = match_at(bytes, i) {
                out.push(Span::new(Kind::Iban, i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b == b'_'
}

fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    let country = [bytes[start].to_ascii_uppercase(), bytes[start + 1].to_ascii_uppercase()];
    let len = expected_length(&country)?;
    let mut compact = Vec::with_capacity(len);
    let mut i = start;
    while compact.len() < len {
        let b = *bytes.get(i)?;
        if b == b' ' && compact.len() % 4 == 0 && !compact.is_empty() {
            // A single space between groups of four.
            if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
                return None;
            }
            i += 1;
            continue;
        }
        if !b.is_ascii_alphanumeric() {
            return None;
        }
        compact.push(b.to_ascii_uppercase());
        i += 1;
    }
    if bytes.get(i).is_some_and(|&b| is_word_byte(b)) {
        return None;
    }
    is_valid_compact(&compact).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid IBAN for a country and BBAN by computing the check digits.
    pub(crate) fn make_iban(country: &str, bban: &str) -> String {
        let probe = format!("{country}00{bban}");
        let rem = mod97(probe.as_bytes());
        let check = 98 - rem;
        format!("{country}{check:02}{bban}")
    }

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
        // Glued to a word, or one character too many: not an IBAN.
        assert!(find(&format!("x{nl}")).is_empty());
        assert!(find(&format!("{nl}7")).is_empty());
    }
}
