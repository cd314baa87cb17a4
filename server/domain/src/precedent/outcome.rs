//! The kind of outcome a deliberation reached, and a precedent's status.

use serde::{Deserialize, Serialize};

/// What the deliberation decided, as a facet for search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OutcomeType {
    MaatwerkGranted,
    MaatwerkRefused,
    SanctionWaived,
    SanctionReduced,
    /// The session weighed without deciding (e.g. a Socratic dialogue).
    NoDecision,
    Other,
}

impl OutcomeType {
    pub const ALL: &'static [OutcomeType] = &[
        OutcomeType::MaatwerkGranted,
        OutcomeType::MaatwerkRefused,
        OutcomeType::SanctionWaived,
        OutcomeType::SanctionReduced,
        OutcomeType::NoDecision,
        OutcomeType::Other,
    ];

    /// The Dutch label shown in facets.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeType::MaatwerkGranted => "maatwerk toegekend",
            OutcomeType::MaatwerkRefused => "maatwerk afgewezen",
            OutcomeType::SanctionWaived => "afgezien van maatregel",
            OutcomeType::SanctionReduced => "maatregel verlaagd",
            OutcomeType::NoDecision => "geen besluit",
            OutcomeType::Other => "anders",
        }
    }
}

/// Where a precedent is in its life. Only adopted precedents are citable and searchable by
/// others; a withdrawn one stays resolvable by its citation id, marked as withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Adopted,
    Withdrawn,
}

impl Status {
    /// The allowed transitions: draft → adopted, draft → withdrawn, adopted → withdrawn.
    pub fn can_become(self, next: Status) -> bool {
        matches!(
            (self, next),
            (Status::Draft, Status::Adopted)
                | (Status::Draft, Status::Withdrawn)
                | (Status::Adopted, Status::Withdrawn)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_serde_names() {
        assert_eq!(serde_json::to_string(&OutcomeType::SanctionWaived).unwrap(), "\"sanction_waived\"");
        assert_eq!(serde_json::from_str::<OutcomeType>("\"no_decision\"").unwrap(), OutcomeType::NoDecision);
        assert!(serde_json::from_str::<OutcomeType>("\"granted\"").is_err());
        let labels: std::collections::HashSet<_> = OutcomeType::ALL.iter().map(|o| o.label()).collect();
        assert_eq!(labels.len(), OutcomeType::ALL.len());
    }

    #[test]
    fn status_transitions() {
        use Status::*;
        assert!(Draft.can_become(Adopted));
        assert!(Adopted.can_become(Withdrawn));
        assert!(Draft.can_become(Withdrawn));
        assert!(!Adopted.can_become(Draft));
        assert!(!Withdrawn.can_become(Adopted));
        assert!(!Withdrawn.can_become(Draft));
        assert!(!Adopted.can_become(Adopted));
    }
}
