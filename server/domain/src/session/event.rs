//! Events: every change to a session, in a gap-free per-session sequence.

use serde::{Deserialize, Serialize};

use super::{ClientId, Conclusion, Content, ContributionId, Moderation, ParticipantId, Role};
use crate::method::Method;

/// One change to a session. `seq` starts at 1 and has no gaps; the store appends events in one
/// transaction with a unique (session, seq) constraint, which also makes two server processes
/// safe: the one that loses the race reloads and decides again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    /// Unix milliseconds, from the server's clock.
    pub at_ms: i64,
    /// Who caused it; `None` for automatic transitions.
    pub actor: Option<ParticipantId>,
    pub body: EventBody,
}

/// A pseudonym number given to a participant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PseudonymAssignment {
    pub participant: ParticipantId,
    pub no: u32,
}

/// `participant` becomes the case presenter; a former presenter becomes a participant. Told to
/// every viewer as it is stored ([`super::VisibleBody::PresenterSet`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenterChange {
    pub participant: ParticipantId,
}

/// The moderation passes from one participant to another. Told to every viewer as it is stored
/// ([`super::VisibleBody::ModerationHanded`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub from: ParticipantId,
    pub to: ParticipantId,
}

/// What happened. Serialised with a snake_case `type` tag (a variant holding a struct, such as
/// [`PresenterChange`], is written inline: `{"type": "presenter_set", "participant": …}`). New variants may be added; existing
/// ones keep their shape so stored history stays readable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    SessionCreated {
        method: Method,
        title: String,
        case_text: String,
        auto_advance: bool,
        moderator: ParticipantId,
        /// Secret; see [`super::NewSession::seed`].
        seed: u64,
        #[serde(default)]
        previous_actions: Vec<super::ActionItem>,
    },
    /// A first join, or a rejoin after leaving (same pseudonym, same role).
    ParticipantJoined {
        participant: ParticipantId,
        display_name: String,
        role: Role,
        /// Given at once when joining after the start; for people in the lobby it is given by
        /// `SessionStarted`. Observers have none.
        pseudonym_no: Option<u32>,
    },
    ParticipantLeft {
        participant: ParticipantId,
    },
    ParticipantRemoved {
        participant: ParticipantId,
    },
    PresenterSet(PresenterChange),
    ModerationHanded(Handover),
    /// Pseudonyms for everyone in the lobby, shuffled with the seed so they do not follow the
    /// (publicly visible) join order.
    SessionStarted {
        pseudonyms: Vec<PseudonymAssignment>,
    },
    /// Round `index` becomes current (for the first time, or again after going back).
    RoundOpened {
        index: usize,
        deadline_ms: Option<i64>,
    },
    /// The current round `index` is left (by next, previous, reopen of another, or the end).
    RoundClosed {
        index: usize,
    },
    RoundRevealed {
        index: usize,
    },
    TimeboxSet {
        deadline_ms: Option<i64>,
    },
    /// A held or skipped round becomes current again.
    RoundReopened {
        index: usize,
        deadline_ms: Option<i64>,
    },
    /// Round `index` will not be held (if it was current, it is no longer).
    RoundSkipped {
        index: usize,
    },
    ContributionAdded {
        /// `ContributionId::derive(seed, seq)` of this very event.
        contribution_id: ContributionId,
        client_id: ClientId,
        round_index: usize,
        author: ParticipantId,
        content: Content,
    },
    /// `participant` passed (or was passed over for) their turn in a round-robin round.
    TurnPassed {
        round_index: usize,
        participant: ParticipantId,
    },
    ConclusionRecorded {
        conclusion: Conclusion,
    },
    /// Contributions that no longer count: in a hidden, unrevealed round replaced by their
    /// author's newer one, written by someone since removed, or discarded by the moderator on
    /// moving on (never revealed); or, in any open round, taken back by their author.
    ContributionsWithdrawn {
        round_index: usize,
        contributions: Vec<ContributionId>,
        reason: WithdrawalReason,
    },
    /// The author replaced the content of their contribution (same type) while its round was
    /// open. Visible to exactly those who may see the contribution.
    ContributionEdited {
        contribution_id: ContributionId,
        round_index: usize,
        content: Content,
    },
    /// The moderator marked or hid a contribution (with the reason), or cleared the mark
    /// (`moderation: null`).
    ContributionModerated {
        contribution_id: ContributionId,
        round_index: usize,
        moderation: Option<Moderation>,
    },
    /// The moral question of the session (dilemma step 3), replacing an earlier one.
    MoralQuestionSet {
        text: String,
    },
    /// `participant` now has `role` (presenter, participant or observer). When someone becomes
    /// presenter, a former presenter becomes a participant. `pseudonym_no` is given when
    /// an observer becomes a writer after the start.
    RoleChanged {
        participant: ParticipantId,
        role: Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pseudonym_no: Option<u32>,
    },
    /// What became of previous action `index` (see `look_back.rs`); replaces an earlier record.
    LookBackRecorded {
        index: usize,
        outcome: super::LookBackOutcome,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// After the last round: time to record the conclusion and end.
    ConcludingStarted,
    SessionEnded,
}

impl EventBody {
    /// The serde tag, e.g. for a store column or a log line.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::SessionCreated { .. } => "session_created",
            Self::ParticipantJoined { .. } => "participant_joined",
            Self::ParticipantLeft { .. } => "participant_left",
            Self::ParticipantRemoved { .. } => "participant_removed",
            Self::PresenterSet(_) => "presenter_set",
            Self::ModerationHanded(_) => "moderation_handed",
            Self::SessionStarted { .. } => "session_started",
            Self::RoundOpened { .. } => "round_opened",
            Self::RoundClosed { .. } => "round_closed",
            Self::RoundRevealed { .. } => "round_revealed",
            Self::TimeboxSet { .. } => "timebox_set",
            Self::RoundReopened { .. } => "round_reopened",
            Self::RoundSkipped { .. } => "round_skipped",
            Self::ContributionAdded { .. } => "contribution_added",
            Self::TurnPassed { .. } => "turn_passed",
            Self::ConclusionRecorded { .. } => "conclusion_recorded",
            Self::ContributionsWithdrawn { .. } => "contributions_withdrawn",
            Self::ContributionEdited { .. } => "contribution_edited",
            Self::ContributionModerated { .. } => "contribution_moderated",
            Self::MoralQuestionSet { .. } => "moral_question_set",
            Self::RoleChanged { .. } => "role_changed",
            Self::LookBackRecorded { .. } => "look_back_recorded",
            Self::ConcludingStarted => "concluding_started",
            Self::SessionEnded => "session_ended",
        }
    }

    /// The client id of a contribution, for the store's unique constraint.
    pub fn client_id(&self) -> Option<&ClientId> {
        match self {
            Self::ContributionAdded { client_id, .. } => Some(client_id),
            _ => None,
        }
    }
}

/// Why contributions were withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalReason {
    /// The author submitted again in a round where each person's judgement counts once.
    Replaced,
    /// The author was removed before the round was revealed.
    AuthorRemoved,
    /// The moderator moved on and chose to discard the round's hidden contributions.
    RoundDiscarded,
    /// The author took it back while the round was open.
    ByAuthor,
}

/// Wraps bodies into events numbered from `first_seq` on, all at `at_ms` by `actor`.
pub fn stamp(
    first_seq: u64,
    bodies: Vec<EventBody>,
    actor: Option<&ParticipantId>,
    at_ms: i64,
) -> Vec<Event> {
    bodies
        .into_iter()
        .zip(first_seq..)
        .map(|(body, seq)| Event { seq, at_ms, actor: actor.cloned(), body })
        .collect()
}
