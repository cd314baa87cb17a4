//! Detection of identifying data in case texts (see shared/domain/ANONYMISATION.md).
//!
//! [`scan`] finds every kind of identifier; [`hard_identifiers`] finds only
//! the BSNs and IBANs that make a text unacceptable anywhere. Both are pure
//! functions of the text. Offsets in [`Finding`] count chars (code points).
//!
//! Each detector proposes byte spans; numeric look-alikes (law references,
//! amounts, ages, durations, percentages, times, non-birth dates) veto the
//! structured candidates they overlap; overlapping candidates are resolved
//! by the strength of their signal (`signal.rs`: checksummed kinds first,
//! a number in phone form before a bare BSN, names last); the survivors
//! are converted to char offsets in one pass and labelled.

mod address;
mod boundary;
mod bsn;
mod dates;
mod digits;
mod dob;
mod email;
mod finding;
mod iban;
mod kind;
mod labels;
mod lexicon;
mod name;
mod normalise;
mod offsets;
mod phone;
mod plate;
mod postcode;
mod protected;
mod replace;
mod review;
mod roles;
mod signal;
mod street;
mod tokens;

pub use bsn::is_valid_bsn;
pub use finding::Finding;
pub use iban::{is_valid_iban, with_check_digits as iban_with_check_digits};
pub use kind::{Kind, UnknownKind};
pub use labels::suggest_labels;
pub use plate::is_plate;
pub use replace::{apply_replacements, try_apply_replacements, ReplacementError};
pub use review::{review, Kept, Review, ReviewInput, ReviewProblem, MAX_REASON};

use finding::Span;
use normalise::Normalised;
use signal::resolve;

/// All identifiers in `text`, sorted by start, non-overlapping, each with a
/// suggested replacement label.
pub fn scan(text: &str) -> Vec<Finding> {
    let words = tokens::tokenize(text);
    let names = name::find(text, &words);
    let dates = dates::find(text);
    let (dobs, other_dates) = dob::classify(text, &dates, &names);
    let view = Normalised::new(text);
    let mut protected = look_alikes(text, &view);
    protected.extend(other_dates);

    let mut candidates = structured(text, &view);
    candidates.extend(plate::find(text));
    candidates.extend(postcode::find(text));
    candidates.extend(address::find(text, &words));
    let mut candidates = veto(candidates, protected);
    candidates.extend(dobs);
    candidates.extend(names);
    to_findings(text, resolve(candidates))
}

/// Only the hard identifiers (BSN, IBAN): a text containing one is refused.
/// E-mail addresses, phone numbers, dates and the other numeric look-alikes
/// (amounts, law references) are still recognised, so that an IBAN or BSN is
/// never reported inside them.
///
/// Only a BSN or IBAN candidate can end as a hard finding: the look-alikes veto
/// candidates and [`resolve`] picks among them, neither makes one. So a text in
/// which neither detector finds a candidate (nearly every contribution) is
/// answered without running the others.
pub fn hard_identifiers(text: &str) -> Vec<Finding> {
    let view = Normalised::new(text);
    if iban::find(&view.text).is_empty() && bsn::find(&view.text).is_empty() {
        return Vec::new();
    }
    hard_identifiers_in(text, &view)
}

/// [`hard_identifiers`] with every detector run.
fn hard_identifiers_in(text: &str, view: &Normalised) -> Vec<Finding> {
    let mut protected = look_alikes(text, view);
    let dates = dates::find(&view.text).into_iter().map(|d| view.to_original(text, d.start, d.end));
    protected.extend(dates);
    let candidates = veto(structured(text, view), protected);
    let hard: Vec<Span> = resolve(candidates).into_iter().filter(|s| s.kind.is_hard()).collect();
    to_findings(text, hard)
}

/// E-mail, IBAN, BSN and phone candidates: the kinds whose digits compete.
/// Found in the normalised view (full-width digits, zero-width characters,
/// no-break spaces), returned in offsets of the original text.
fn structured(text: &str, view: &Normalised) -> Vec<Span> {
    let t = &*view.text;
    let mut out = email::find(t);
    out.extend(iban::find(t));
    out.extend(bsn::find(t));
    out.extend(phone::find(t));
    for span in &mut out {
        (span.start, span.end) = view.to_original(text, span.start, span.end);
    }
    out
}

/// Amounts, law references, ages and the other numeric look-alikes, found in
/// the normalised view, in offsets of the original text.
fn look_alikes(text: &str, view: &Normalised) -> Vec<(usize, usize)> {
    let mut out = protected::find(&view.text);
    for span in &mut out {
        *span = view.to_original(text, span.0, span.1);
    }
    out
}

/// Drops BSN, phone, postcode, plate and address candidates that overlap a
/// protected span (an amount, a law reference, an age, a non-birth date...),
/// unless their signal overrides look-alikes (`signal.rs`).
fn veto(candidates: Vec<Span>, mut protected: Vec<(usize, usize)>) -> Vec<Span> {
    protected.sort_unstable();
    // Running maximum of ends, so one binary search answers "any overlap?".
    let mut max_end = Vec::with_capacity(protected.len());
    let mut m = 0;
    for &(_, e) in &protected {
        m = m.max(e);
        max_end.push(m);
    }
    candidates
        .into_iter()
        .filter(|c| {
            if signal::overrides_look_alikes(c) {
                return true;
            }
            // Protected spans starting before the candidate's end.
            let n = protected.partition_point(|&(s, _)| s < c.end);
            n == 0 || max_end[n - 1] <= c.start
        })
        .collect()
}

/// Converts sorted, non-overlapping byte spans to findings with labels.
fn to_findings(text: &str, spans: Vec<Span>) -> Vec<Finding> {
    let bytes: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    let chars = offsets::bytes_to_chars(text, &bytes);
    let labels = labels::labels_for(text, &spans);
    spans
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (s, suggestion))| Finding {
            kind: s.kind,
            start: chars[2 * i],
            end: chars[2 * i + 1],
            text: text[s.start..s.end].to_owned(),
            suggestion,
            keepable: s.kind.can_be_kept(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts around the hard identifiers: numbers that look like them, numbers inside other
    /// identifiers, and the fictitious BSN and IBAN written in the ways the detectors read.
    fn corpus() -> Vec<String> {
        let bsn = "111222333";
        let iban = "NL91ABNA0417164300";
        let pieces = [
            "De klant weigert werk vanwege mantelzorg voor haar moeder.",
            "Artikel 18 lid 2 Participatiewet, boete van € 1.250,00 per maand.",
            "Bel 06-12345678 of mail naar j.jansen@gemeente.example",
            "Zaaknummer 2024-123456782 en dossier 12.345.678",
            "Geboren op 12-03-1985, 41 jaar, postcode 1234 AB",
            "bsn 11122233",
            "rekening NL91 ABNA 0417 1643 00 voor de huur",
            "１１１２２２３３３ in volle breedte",
            "111\u{200B}222\u{200B}333 met onzichtbare tekens",
        ];
        let mut texts: Vec<String> = pieces.iter().map(|p| p.to_string()).collect();
        for (i, p) in pieces.iter().enumerate() {
            texts.push(format!("{p} BSN {bsn}."));
            texts.push(format!("{p} IBAN {iban}"));
            texts.push(format!("{} {p}", pieces[(i + 1) % pieces.len()]));
        }
        texts
    }

    #[test]
    fn the_shortcut_answers_as_every_detector_would() {
        let texts = corpus();
        let mut with_findings = 0;
        for text in &texts {
            let full = hard_identifiers_in(text, &Normalised::new(text));
            with_findings += usize::from(!full.is_empty());
            assert_eq!(hard_identifiers(text), full, "{text}");
        }
        // Both ways are exercised: texts that hold a hard identifier and texts that do not.
        assert!(with_findings > 10 && with_findings < texts.len() - 5, "{with_findings} of {}", texts.len());
    }
}
