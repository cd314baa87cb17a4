//! The anonymisation review: before a case is shown to colleagues, every finding that is still
//! in its text must be resolved. Replaced findings are gone from the text; a finding that stays
//! must be kept explicitly, with the reviewer's reason. The review records who, when, the counts
//! per kind and how each was resolved, and is stored with the session (later its precedent).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{scan, Finding, Kind};

/// A finding the reviewer chose to keep, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Kept {
    pub kind: Kind,
    /// The text of the finding as it stands in the case.
    pub text: String,
    pub reason: String,
}

/// What the reviewer says: what they kept, and how many of each kind they replaced in the editor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    #[serde(default)]
    pub kept: Vec<Kept>,
    #[serde(default)]
    pub replaced: BTreeMap<Kind, u32>,
}

/// The stored review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub reviewer: String,
    pub at_ms: i64,
    /// Findings per kind that were replaced (as the editor reports them).
    pub replaced: BTreeMap<Kind, u32>,
    /// Findings per kind still in the text, each kept with a reason.
    pub kept_counts: BTreeMap<Kind, u32>,
    pub kept: Vec<Kept>,
}

/// Why a review cannot be accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ReviewProblem {
    /// A finding in `field` is neither replaced nor kept with a reason.
    Unresolved { field: String, finding: Finding },
    /// A BSN or IBAN can never be kept.
    CannotKeep { kind: Kind },
    /// A kept item without a reason.
    ReasonMissing { kind: Kind, text: String },
}

impl ReviewProblem {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unresolved { .. } => "unresolved",
            Self::CannotKeep { .. } => "cannot_keep",
            Self::ReasonMissing { .. } => "reason_missing",
        }
    }
}

/// Longest reason accepted for keeping a finding.
pub const MAX_REASON: usize = 500;

/// Checks that every finding in `fields` (name, text) is resolved by `input`, and returns the
/// review to store — or every problem at once.
pub fn review(
    fields: &[(&str, &str)],
    input: &ReviewInput,
    reviewer: &str,
    at_ms: i64,
) -> Result<Review, Vec<ReviewProblem>> {
    let mut problems = Vec::new();
    for kept in &input.kept {
        if !kept.kind.can_be_kept() {
            problems.push(ReviewProblem::CannotKeep { kind: kept.kind });
        }
        let reason = kept.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            problems.push(ReviewProblem::ReasonMissing { kind: kept.kind, text: kept.text.clone() });
        }
    }
    let mut kept_counts = BTreeMap::new();
    for (field, text) in fields {
        for finding in scan(text) {
            let is_kept =
                input.kept.iter().any(|k| k.kind == finding.kind && k.text.trim() == finding.text.trim());
            if is_kept && finding.kind.can_be_kept() {
                *kept_counts.entry(finding.kind).or_insert(0) += 1;
            } else {
                problems.push(ReviewProblem::Unresolved { field: (*field).to_owned(), finding });
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Review {
        reviewer: reviewer.to_owned(),
        at_ms,
        replaced: input.replaced.clone(),
        kept_counts,
        kept: input.kept.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "Mevrouw Jansen belde op 06-12345678 over haar aanvraag.";

    #[test]
    fn a_clean_text_needs_no_review() {
        let r = review(
            &[("case_text", "Cliënt miste een afspraak (artikel 18 lid 2).")],
            &ReviewInput::default(),
            "M",
            1,
        )
        .unwrap();
        assert!(r.kept.is_empty() && r.kept_counts.is_empty());
    }

    #[test]
    fn every_unresolved_finding_is_reported_with_its_field() {
        let problems = review(&[("case_text", CASE)], &ReviewInput::default(), "M", 1).unwrap_err();
        let kinds: Vec<Kind> = problems
            .iter()
            .map(|p| match p {
                ReviewProblem::Unresolved { field, finding } => {
                    assert_eq!(field, "case_text");
                    finding.kind
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(kinds.contains(&Kind::Name) && kinds.contains(&Kind::Phone), "{kinds:?}");
    }

    #[test]
    fn kept_findings_need_a_reason_and_are_counted() {
        let findings = scan(CASE);
        let kept: Vec<Kept> = findings
            .iter()
            .map(|f| Kept { kind: f.kind, text: f.text.clone(), reason: "fictief voorbeeld".into() })
            .collect();
        let mut replaced = BTreeMap::new();
        replaced.insert(Kind::Address, 2);
        let r = review(
            &[("case_text", CASE)],
            &ReviewInput { kept: kept.clone(), replaced },
            "Gespreksleider",
            7,
        )
        .unwrap();
        assert_eq!(r.kept_counts.values().sum::<u32>() as usize, findings.len());
        assert_eq!(r.replaced.get(&Kind::Address), Some(&2));
        assert_eq!((r.reviewer.as_str(), r.at_ms), ("Gespreksleider", 7));

        let mut no_reason = kept;
        no_reason[0].reason = "  ".into();
        let problems =
            review(&[("case_text", CASE)], &ReviewInput { kept: no_reason, ..Default::default() }, "M", 1)
                .unwrap_err();
        assert!(problems.iter().any(|p| p.code() == "reason_missing"));
    }

    #[test]
    fn findings_say_whether_they_can_be_kept() {
        let findings = scan("Mevrouw Jansen, BSN 111222333, rekening NL91 ABNA 0417 1643 00.");
        let keepable: Vec<(Kind, bool)> = findings.iter().map(|f| (f.kind, f.keepable)).collect();
        assert_eq!(keepable, [(Kind::Name, true), (Kind::Bsn, false), (Kind::Iban, false)]);
        let json = serde_json::to_value(&findings[1]).unwrap();
        assert_eq!(json["keepable"], false);
    }

    #[test]
    fn a_bsn_can_never_be_kept() {
        let input = ReviewInput {
            kept: vec![Kept { kind: Kind::Bsn, text: "111222333".into(), reason: "nodig".into() }],
            ..Default::default()
        };
        let problems = review(&[("case_text", "BSN 111222333")], &input, "M", 1).unwrap_err();
        assert!(problems.iter().any(|p| p.code() == "cannot_keep"));
        assert!(problems.iter().any(|p| p.code() == "unresolved"));
    }
}
