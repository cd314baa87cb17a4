//! Detection of identifying data in case texts (see shared/domain/ANONYMISATION.md).
//!
//! [`scan`] finds every kind of identifier; [`hard_identifiers`] finds only
//! the BSNs and IBANs that make a text unacceptable anywhere. Both are pure
//! functions of the text. Offsets in [`Finding`] count chars (code points).
//!
//! Each detector proposes byte spans; numeric look-alikes (law references,
//! amounts, ages, durations, percentages, times, non-birth dates) veto the
//! structured candidates they overlap; overlapping candidates are resolved
//! by kind priority (checksummed kinds first, names last); the survivors
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
mod offsets;
mod phone;
mod plate;
mod postcode;
mod protected;
mod replace;
mod review;
mod roles;
mod street;
mod tokens;

pub use bsn::is_valid_bsn;
pub use finding::Finding;
pub use iban::is_valid_iban;
pub use kind::{Kind, UnknownKind};
pub use labels::suggest_labels;
pub use plate::is_plate;
pub use replace::{apply_replacements, try_apply_replacements, ReplacementError};
pub use review::{review, Kept, Review, ReviewInput, ReviewProblem, MAX_REASON};

use finding::Span;

/// All identifiers in `text`, sorted by start, non-overlapping, each with a
/// suggested replacement label.
pub fn scan(text: &str) -> Vec<Finding> {
    let words = tokens::tokenize(text);
    let names = name::find(text, &words);
    let dates = dates::find(text);
    let (dobs, other_dates) = dob::classify(text, &dates, &names);
    let mut protected = protected::find(text);
    protected.extend(other_dates);

    let mut candidates = structured(text);
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
pub fn hard_identifiers(text: &str) -> Vec<Finding> {
    let mut protected = protected::find(text);
    protected.extend(dates::find(text).iter().map(|d| (d.start, d.end)));
    let candidates = veto(structured(text), protected);
    let hard: Vec<Span> = resolve(candidates).into_iter().filter(|s| s.kind.is_hard()).collect();
    to_findings(text, hard)
}

/// E-mail, IBAN, BSN and phone candidates: the kinds whose digits compete.
fn structured(text: &str) -> Vec<Span> {
    let mut out = email::find(text);
    out.extend(iban::find(text));
    out.extend(bsn::find(text));
    out.extend(phone::find(text));
    out
}

/// Drops BSN, phone, postcode, plate and address candidates that overlap a
/// protected span (an amount, a law reference, an age, a non-birth date...).
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
            if matches!(c.kind, Kind::Email | Kind::Iban) {
                return true;
            }
            // Protected spans starting before the candidate's end.
            let n = protected.partition_point(|&(s, _)| s < c.end);
            n == 0 || max_end[n - 1] <= c.start
        })
        .collect()
}

/// Keeps the highest-priority candidate of overlapping ones (longer first
/// within a kind) and returns them sorted by start.
fn resolve(mut candidates: Vec<Span>) -> Vec<Span> {
    candidates.sort_by_key(|c| (c.kind.priority(), c.start, std::cmp::Reverse(c.end)));
    let mut kept: std::collections::BTreeMap<usize, Span> = std::collections::BTreeMap::new();
    for c in candidates {
        let clash_before = kept.range(..c.end).next_back().is_some_and(|(_, k)| k.overlaps(c.start, c.end));
        if !clash_before {
            kept.insert(c.start, c);
        }
    }
    kept.into_values().collect()
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
        })
        .collect()
}
