//! Which candidate wins where candidates overlap: the one with the strongest
//! signal. This is the one place that decides between kinds.
//!
//! A checksum plus a fixed structure (IBAN) beats everything. A BSN right
//! after "BSN" is what its writer says it is. A number written as a phone
//! number (`+31 (0)20 123 4567`, `020-1234567`, `06 1234 5678`) is a phone
//! number even when nine of its digits pass the 11-proef: about one in
//! eleven digit strings does. A bare nine-digit number passing the 11-proef
//! beats an e-mail address around it (`123456782@example.nl` is refused) and
//! a ten-digit run that merely starts with `0`. The fuzzier kinds follow.

use std::collections::BTreeMap;

use super::finding::Span;
use super::kind::Kind;

/// How strongly a candidate's evidence supports its kind; higher wins.
pub(crate) fn strength(span: &Span) -> u8 {
    match (span.kind, span.strong) {
        (Kind::Iban, _) => 100,
        (Kind::Bsn, true) => 90,
        (Kind::Phone, true) => 80,
        (Kind::Bsn, false) => 70,
        (Kind::Email, _) => 65,
        (Kind::Phone, false) => 60,
        (Kind::Plate, _) => 50,
        (Kind::Postcode, _) => 45,
        (Kind::Dob, _) => 40,
        (Kind::Address, _) => 30,
        (Kind::Name, _) => 10,
    }
}

/// Whether a candidate stands even where it overlaps a numeric look-alike
/// (an amount, a law reference, a non-birth date): e-mail addresses, IBANs
/// and BSNs right after "BSN".
pub(crate) fn overrides_look_alikes(span: &Span) -> bool {
    matches!(span.kind, Kind::Email | Kind::Iban) || (span.kind == Kind::Bsn && span.strong)
}

/// Keeps the strongest of overlapping candidates (the longer, then the
/// earlier, among equals) and returns the survivors sorted by start.
pub(crate) fn resolve(mut candidates: Vec<Span>) -> Vec<Span> {
    candidates.sort_by_key(|c| (std::cmp::Reverse(strength(c)), c.start, std::cmp::Reverse(c.end)));
    let mut kept: BTreeMap<usize, Span> = BTreeMap::new();
    for c in candidates {
        let clash_before = kept.range(..c.end).next_back().is_some_and(|(_, k)| k.overlaps(c.start, c.end));
        if !clash_before {
            kept.insert(c.start, c);
        }
    }
    kept.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_form_beats_a_bare_bsn_but_not_a_cued_one() {
        let phone = Span::new(Kind::Phone, 0, 18).strong(true);
        let bsn = Span::new(Kind::Bsn, 7, 18);
        assert_eq!(resolve(vec![bsn, phone]), vec![phone]);
        let cued = bsn.strong(true);
        assert_eq!(resolve(vec![phone, cued]), vec![cued]);
        let weak_phone = Span::new(Kind::Phone, 0, 11);
        let bsn = Span::new(Kind::Bsn, 2, 11);
        assert_eq!(resolve(vec![weak_phone, bsn]), vec![bsn]);
    }

    #[test]
    fn every_kind_has_a_place_and_iban_leads() {
        let mut order: Vec<u8> = Kind::ALL.iter().map(|&k| strength(&Span::new(k, 0, 1))).collect();
        order.sort_unstable();
        order.dedup();
        assert_eq!(order.len(), Kind::ALL.len());
        assert_eq!(strength(&Span::new(Kind::Iban, 0, 1)), 100);
        let bsn_in_email = resolve(vec![Span::new(Kind::Email, 0, 20), Span::new(Kind::Bsn, 0, 9)]);
        assert_eq!(bsn_in_email[0].kind, Kind::Bsn);
    }
}
