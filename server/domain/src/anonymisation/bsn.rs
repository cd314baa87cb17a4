//! BSN (burgerservicenummer): nine digits passing the 11-proef.
//!
//! Found in the normalised view (see `normalise.rs`), so full-width digits,
//! zero-width characters and no-break spaces change nothing. A BSN may be
//! written as one run (`123456782`), in the official grouping
//! (`1234.56.782`), or in up to five groups joined by any short separator
//! run (`123 456 782`, `123/456/782`, `123-456-782`, `123_456_782`). Letters,
//! `_` or `@` glued to it do not hide it (`BSN123456782`, `x123456782y`).
//!
//! Within a longer chain of digit groups a BSN must be set apart by a soft
//! separator (a space, bracket, quote) on both sides: `2024-123456782` is a
//! case number, `06 123456782 en` holds a BSN. After a cue word ("BSN",
//! "burgerservicenummer", ...) every group boundary counts, and so do
//! eight-digit numbers (old numbers that get a leading zero), which are
//! otherwise too often the tail of a mobile or file number.

use super::digits::{digit_chains, Chain};
use super::finding::Span;
use super::kind::Kind;

/// The 11-proef on a BSN written with or without separators (any
/// non-alphanumeric characters between the digits). Eight digits get a
/// leading zero; `000000000` is not a BSN.
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
            c if !c.is_alphanumeric() => {}
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

/// Words that announce a BSN.
const CUE_WORDS: [&str; 6] =
    ["bsn", "burgerservicenummer", "burgerservice nummer", "sofinummer", "sofi-nummer", "persoonsnummer"];

/// True when a cue word stands within 40 bytes before `start`.
pub(crate) fn has_cue(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..start].to_ascii_lowercase();
    CUE_WORDS.iter().any(|w| before.contains(w))
}

/// True when a cue word stands right before `start` (only separators, or
/// " is", between them): "BSN: 123", "bsn123", "het BSN is 123".
pub(crate) fn has_cue_right_before(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(32);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..start].to_ascii_lowercase();
    let before = before.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    let before = before.strip_suffix(" is").unwrap_or(before);
    CUE_WORDS.iter().any(|w| before.ends_with(w))
}

/// Most groups a written BSN is split into.
const MAX_GROUPS: usize = 5;

/// Finds BSN candidates that pass the 11-proef. A candidate after a cue word
/// is marked strong.
pub(crate) fn find(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for chain in digit_chains(text) {
        let cue = has_cue_right_before(text, chain.groups[0].start);
        let mut last_end = 0;
        for (first, last) in candidates(&chain, cue) {
            let start = chain.groups[first].start;
            let end = chain.groups[last].end;
            if start < last_end {
                continue;
            }
            let count: usize = chain.groups[first..=last].iter().map(|g| g.len()).sum();
            if count == 8 && !has_cue(text, start) {
                continue;
            }
            if is_valid_bsn(&text[start..end]) {
                let strong = has_cue_right_before(text, start);
                out.push(Span::new(Kind::Bsn, start, end).strong(strong));
                last_end = end;
            }
        }
    }
    out
}

/// The runs of groups `first..=last` of a chain that may be a BSN: eight or
/// nine digits in at most five groups of at most five digits (or one group),
/// cut out of the chain at its ends or at soft separators (at any separator
/// after a cue word).
fn candidates(chain: &Chain, cue: bool) -> Vec<(usize, usize)> {
    let groups = &chain.groups;
    let cut_before = |i: usize| i == 0 || cue || chain.soft[i - 1];
    let cut_after = |j: usize| j + 1 == groups.len() || cue || chain.soft[j];
    let mut out = Vec::new();
    for first in 0..groups.len() {
        if !cut_before(first) {
            continue;
        }
        let mut total = 0;
        let mut from_here: [Option<(usize, usize)>; 2] = [None, None];
        for last in first..groups.len().min(first + MAX_GROUPS) {
            let len = groups[last].len();
            total += len;
            if total > 9 || (last > first && (len > 5 || groups[first].len() > 5)) {
                break;
            }
            if total >= 8 && cut_after(last) {
                from_here[total - 8] = Some((first, last));
            }
        }
        // Nine digits before eight.
        out.extend(from_here.into_iter().rev().flatten());
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
