//! BSN (burgerservicenummer): nine digits passing the 11-proef.
//!
//! A BSN may be written as one run (`123456782`), in the official grouping
//! (`1234.56.782`) or in groups separated by single spaces, dots or dashes.
//! Eight-digit numbers are old numbers that get a leading zero; because an
//! eight-digit run is also a common case or phone fragment, it is reported
//! only when "BSN" (or a synonym) precedes it closely. Digits that are part
//! of a longer number, an IBAN, an amount or a word are never reported.

use super::digits::{digit_chains, Chain};
use super::finding::Span;
use super::kind::Kind;

/// The 11-proef on a BSN written with or without separators (spaces, dots,
/// dashes). Eight digits get a leading zero; `000000000` is not a BSN.
pub fn is_valid_bsn(digits: &str) -> bool {
    let mut d = [0u32; 9];
    let mut n = 0usize;
    for c in digits.chars() {
        match c {
            '0'..='9' => {
                if n == 9 {
                    return false;
                }
                d[n] = c as u32 - '0' as u32;
                n += 1;
            }
            ' ' | '.' | '-' | '\u{a0}' => {}
            _ => return false,
        }
    }
    match n {
        9 => {}
        8 => {
            d.copy_within(0..8, 1);
            d[0] = 0;
        }
        _ => return false,
    }
    if d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = (0..8).map(|i| (9 - i as i64) * d[i] as i64).sum::<i64>() - d[8] as i64;
    sum.rem_euclid(11) == 0
}

/// Words that announce a BSN; an eight-digit candidate needs one of them
/// within a few words before it.
const CONTEXT_WORDS: [&str; 5] =
    ["bsn", "burgerservicenummer", "sofinummer", "sofi-nummer", "persoonsnummer"];

fn has_bsn_context(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..start].to_lowercase();
    CONTEXT_WORDS.iter().any(|w| before.contains(w))
}

/// Finds BSN candidates that pass the 11-proef.
pub(crate) fn find(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for chain in digit_chains(text) {
        for (start, end) in candidates(&chain) {
            let digits = &text[start..end];
            let count = digits.bytes().filter(u8::is_ascii_digit).count();
            if count == 8 && !has_bsn_context(text, start) {
                continue;
            }
            if is_valid_bsn(digits) {
                out.push(Span::new(Kind::Bsn, start, end));
            }
        }
    }
    out
}

/// The parts of a chain of digit groups that may be a BSN: the whole chain
/// when it has BSN shape, otherwise single 8/9-digit groups that are set off
/// from their neighbours by spaces (not by dots or dashes, which would make
/// them part of one formatted number).
fn candidates(chain: &Chain) -> Vec<(usize, usize)> {
    if !chain.clean_left || !chain.clean_right {
        return Vec::new();
    }
    let groups = &chain.groups;
    let total: usize = groups.iter().map(|g| g.len()).sum();
    let same_sep = chain.seps.windows(2).all(|w| w[0] == w[1]);
    let grouped_shape = groups.len() == 1
        || (groups.len() <= 4 && same_sep && groups.iter().all(|g| (2..=4).contains(&g.len())));
    if (total == 9 || total == 8) && grouped_shape {
        return vec![(groups[0].start, groups[groups.len() - 1].end)];
    }
    let mut out = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if !(g.len() == 9 || g.len() == 8) {
            continue;
        }
        let left_ok = i == 0 || chain.seps[i - 1].is_whitespace();
        let right_ok = i + 1 == groups.len() || chain.seps[i].is_whitespace();
        if left_ok && right_ok {
            out.push((g.start, g.end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes a valid BSN from an 8-digit stem by choosing the check digit;
    /// returns None when no check digit works (remainder 10).
    pub(crate) fn make_bsn(stem: u32) -> Option<String> {
        let s = format!("{stem:08}");
        let sum: u32 = s.bytes().enumerate().map(|(i, b)| (9 - i as u32) * u32::from(b - b'0')).sum();
        let check = sum % 11;
        (check < 10).then(|| format!("{s}{check}"))
    }

    #[test]
    fn eleven_proef_positive_and_negative() {
        for stem in [10_000_000u32, 12_345_678, 55_555_555, 98_765_432] {
            if let Some(bsn) = make_bsn(stem) {
                assert!(is_valid_bsn(&bsn), "{bsn}");
                let last = bsn.as_bytes()[8] - b'0';
                let wrong = format!("{}{}", &bsn[..8], (last + 1) % 10);
                assert!(!is_valid_bsn(&wrong), "{wrong}");
            }
        }
        assert!(is_valid_bsn("111222333"));
        assert!(!is_valid_bsn("111222334"));
        assert!(!is_valid_bsn("000000000"));
        assert!(!is_valid_bsn("00000000"));
        assert!(!is_valid_bsn("12345"));
        assert!(!is_valid_bsn("1112223330"));
        assert!(!is_valid_bsn("11122233a"));
    }

    #[test]
    fn separators_and_leading_zero() {
        assert!(is_valid_bsn("1112.22.333"));
        assert!(is_valid_bsn("111 222 333"));
        // 8 digits: padded with a leading zero.
        let bsn = (1..10_000).filter_map(|s| make_bsn(s * 7919)).find(|b| b.starts_with('0')).unwrap();
        assert!(is_valid_bsn(&bsn[1..]));
    }

    #[test]
    fn finds_valid_numbers_only_in_clean_positions() {
        let bsn = make_bsn(12_345_678).unwrap();
        let text = format!("BSN {bsn}, zaak 123456789 en 9{bsn} en {}.", &bsn[..4]);
        let found = find(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], bsn);
    }

    #[test]
    fn eight_digits_need_context() {
        let bsn = (1..10_000).filter_map(|s| make_bsn(s * 7919)).find(|b| b.starts_with('0')).unwrap();
        let short = &bsn[1..];
        assert_eq!(find(&format!("BSN: {short}")).len(), 1);
        assert!(find(&format!("dossier {short}")).is_empty());
    }
}
