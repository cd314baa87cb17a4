//! One round of a method: what kind of contribution it asks for, from whom, and who sees what.

use serde::{Deserialize, Serialize};

use super::Localized;

/// The round primitives of METHODS.md ("Round primitives"), plus `dialogue` for the free
/// conversation that several methods name as a step (dilemma 8, Socratic 9, analysis rounds).
///
/// The kind decides which contents a round accepts (see `session::content`). Whether a round is
/// written in silence is the round's [`Reveal`]; whether people take turns is its [`Order`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// The case presenter (or, for an introduction, the moderator) tells; others read.
    Narrative,
    /// Participants ask, only the presenter answers. No advice, judgement or interpretation.
    Questions,
    /// Everyone writes alone; nothing is visible to others until the round is revealed.
    SilentWrite,
    /// Contributions in a fixed order, one at a time.
    RoundRobin,
    /// Free conversation: everyone may write at any time.
    Dialogue,
    /// Structured rows: stakeholder, perspective, value, norm.
    Matrix,
    /// Options (A, B, alternatives), each with its moral damage.
    Options,
    /// Pick an option, with the value that supports it, the value it harms, damage limitation and needs.
    Choice,
    /// Propose candidates (cases, examples) and vote for one.
    Selection,
    /// Conclusion with reasoning and dissent; actions with owner and due date.
    Conclusion,
    /// How did the session go, what to change.
    Evaluation,
    /// The previous session's actions: were they carried out?
    LookBack,
}

/// Who may contribute in a round.
///
/// The moderator is content-neutral but keeps the record ("flip-over"): besides rounds that are
/// [`Contributors::ModeratorOnly`], the moderator may write as scribe in any round that is not
/// written in silence, and is never counted among those expected to submit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Contributors {
    Everyone,
    AllButPresenter,
    PresenterOnly,
    ModeratorOnly,
}

/// What the case presenter sees of a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresenterView {
    /// Sees everything and may contribute where the contributors rule allows.
    #[default]
    All,
    /// Sees everything, may not contribute (gossip method, advice rounds).
    ListenOnly,
    /// Sees nothing of the round's contributions until the round ends, may not contribute.
    Absent,
}

/// Whether peers see who wrote a contribution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Anonymity {
    #[default]
    Named,
    /// Peers see a per-session pseudonym ("deelnemer 3"), never the name.
    Pseudonymous,
}

/// When contributions become visible to others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reveal {
    /// Visible as soon as they are written.
    #[default]
    Immediate,
    /// Hidden until the moderator reveals the round (or moves on to the next round).
    OnModerator,
    /// Hidden until everyone expected has submitted, or the moderator reveals earlier.
    WhenAllSubmitted,
}

/// In what order people contribute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Anyone allowed may write at any time.
    #[default]
    Free,
    /// Each expected contributor gets one turn, one at a time; a turn can be passed.
    RoundRobin,
}

/// One round of a method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Round {
    /// Stable within the method: `[a-z][a-z0-9_]*`.
    pub key: String,
    pub kind: RoundKind,
    pub title: Localized,
    /// What the round asks of people.
    pub prompt: Localized,
    /// A ground rule shown with the round, e.g. "Alleen vragen, geen adviezen".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Localized>,
    /// Suggested duration; it becomes the round's time box when it opens.
    pub minutes: u32,
    pub contributors: Contributors,
    #[serde(default)]
    pub presenter_view: PresenterView,
    #[serde(default)]
    pub anonymity: Anonymity,
    #[serde(default)]
    pub reveal: Reveal,
    #[serde(default)]
    pub order: Order,
    /// In a hidden round: each person's judgement counts once. A new submission replaces the
    /// earlier one until the reveal ("aangepast"); after the reveal a second one is refused.
    /// `false` (the default) allows several contributions per person, as in a round where
    /// everyone writes down questions. Ignored in rounds that are visible at once.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub one_each: bool,
}

impl Round {
    /// Contributions are hidden from others until the round is revealed.
    pub fn is_hidden(&self) -> bool {
        self.reveal != Reveal::Immediate
    }

    /// Expected contributors take turns.
    pub fn takes_turns(&self) -> bool {
        self.order == Order::RoundRobin
    }

    /// Each person's contribution replaces their earlier one until the reveal.
    pub fn counts_once(&self) -> bool {
        self.one_each && self.is_hidden()
    }

    pub fn is_pseudonymous(&self) -> bool {
        self.anonymity == Anonymity::Pseudonymous
    }
}
