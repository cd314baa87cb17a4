//! A detected identifier, as the server receives it.

use serde::{Deserialize, Serialize};

use super::kind::Kind;

/// One detected identifier. Offsets count Unicode code points (chars) of the
/// scanned text, `end` exclusive, like the offsets in the shared samples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The matched text, exactly as it occurs.
    pub text: String,
    /// Suggested court-practice replacement label, e.g. `[cliënt]` or `[geboortedatum] 1985`.
    pub suggestion: String,
    /// Whether the review may keep it with a reason ([`Kind::can_be_kept`]); false for a BSN or
    /// IBAN, which can only be replaced. The editor reads this rather than knowing the kinds.
    #[serde(default = "keepable_default")]
    pub keepable: bool,
}

fn keepable_default() -> bool {
    true
}

/// A candidate span in byte offsets, used inside the scanner before the
/// conversion to char offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The detector saw its kind's strongest signal (a BSN right after "BSN",
    /// a number written in phone form); see `signal.rs`.
    pub strong: bool,
}

impl Span {
    pub(crate) fn new(kind: Kind, start: usize, end: usize) -> Self {
        debug_assert!(start < end, "empty span {start}..{end}");
        Span { kind, start, end, strong: false }
    }

    pub(crate) fn strong(mut self, strong: bool) -> Self {
        self.strong = strong;
        self
    }

    pub(crate) fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}
