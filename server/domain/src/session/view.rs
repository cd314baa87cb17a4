//! What a client may see: the snapshot types. Built by `visibility`; nothing here carries an
//! author's identity unless the rules allow it.

use serde::Serialize;

use super::{
    ActionItem, ClientId, Conclusion, Content, ContributionId, Moderation, ParticipantId, Phase, Role,
    RoundStatus,
};
use crate::method::{Family, Localized, Output, Round};

/// One viewer's snapshot of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionView {
    /// The last event included; a reconnecting client resumes after it.
    pub seq: u64,
    pub title: String,
    pub case_text: String,
    pub method: MethodSummary,
    pub auto_advance: bool,
    #[serde(flatten)]
    pub phase: Phase,
    pub current_round: Option<usize>,
    /// The deadline every client counts down to (unix ms).
    pub deadline_ms: Option<i64>,
    pub rounds: Vec<RoundView>,
    /// Present people, ordered by display name (never by join order or pseudonym).
    pub participants: Vec<ParticipantView>,
    pub you: YouView,
    /// What the viewer may see, by round; within a round in order of writing, except in rounds
    /// that were hidden, which are in an order that tells nothing about who or when.
    pub contributions: Vec<ContributionView>,
    /// "4 of 7 submitted" while the current round is hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    /// Whose turn it is in a round-robin round.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn: Option<TurnView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<Conclusion>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub previous_actions: Vec<ActionItem>,
    /// What became of the previous actions so far (look-back step), by index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub look_back: Vec<super::LookBackEntry>,
    /// The moral question, once the presenter or moderator has written it (dilemma step 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moral_question: Option<String>,
}

/// The method without its rounds (those are in [`SessionView::rounds`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MethodSummary {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub name: Localized,
    pub description: Localized,
    pub family: Family,
    pub output: Output,
}

/// A round's definition with its live status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoundView {
    pub index: usize,
    #[serde(flatten)]
    pub definition: Round,
    pub status: RoundStatus,
    /// For hidden rounds: whether the contributions have been revealed.
    pub revealed: bool,
    /// Votes per proposal in a selection round (each voter's latest vote, among visible votes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tally: Vec<TallyEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TallyEntry {
    pub target: ContributionId,
    pub votes: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParticipantView {
    pub id: ParticipantId,
    pub display_name: String,
    pub role: Role,
}

/// The viewer themself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YouView {
    pub id: ParticipantId,
    pub display_name: String,
    pub role: Role,
    /// Your pseudonym in pseudonymous rounds; only you receive it.
    pub pseudonym_no: Option<u32>,
    /// Whether you may write in the current round now.
    pub may_contribute: bool,
    /// If not, the error code `decide` would give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<&'static str>,
    /// In a questions round: whether you answer (you are the case presenter and may speak).
    pub may_answer: bool,
}

/// Who wrote a contribution, as far as this viewer may know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthorView {
    /// The viewer wrote it.
    You,
    /// Named rounds.
    Named { id: ParticipantId, display_name: String },
    /// Pseudonymous rounds: "deelnemer {no}" / "participant {no}".
    Pseudonym { no: u32 },
    /// The moderator's scribe notes in a pseudonymous round (the role is known anyway).
    Moderator,
    /// The presenter's answers in a pseudonymous round (only the presenter answers).
    Presenter,
}

/// A contribution as one viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContributionView {
    pub id: ContributionId,
    pub round_index: usize,
    pub author: AuthorView,
    /// What was written (as last edited). Left out when the moderator hid it, except to its
    /// author and the moderator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    /// The moderator's mark and its reason, for everyone who sees the contribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<Moderation>,
    /// The author changed it after writing ("bewerkt").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
    /// Only to the author: they may edit or withdraw it now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub editable: bool,
    /// Only in rounds that were never hidden: when it was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<i64>,
    /// Only to the author, to match local drafts with acknowledgements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<ClientId>,
    /// Only to the author: this replaced their earlier submission ("aangepast").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revised: bool,
}

/// How many of those expected have submitted in a hidden round, and who (never what).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub round_index: usize,
    pub submitted: usize,
    pub eligible: usize,
    pub submitted_by: Vec<ParticipantId>,
}

/// Whose turn it is in a round-robin round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TurnView {
    pub round_index: usize,
    pub holder: AuthorView,
    /// How many are still waiting for a turn, the holder included.
    pub waiting: usize,
}
