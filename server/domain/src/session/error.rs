//! Why a command was refused. Each error has a stable code; the server localises by it.

use serde::Serialize;
use thiserror::Error;

use super::ContributionId;
use crate::method::{MethodError, RoundKind};

/// A refused command. Serialised with a `code` tag equal to [`CommandError::code`] plus the
/// variant's fields, so the server can localise with parameters.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CommandError {
    // --- who is asking
    #[error("you are not a participant of this session")]
    UnknownParticipant,
    #[error("you have left this session; join again first")]
    NotPresent,
    #[error("you were removed from this session")]
    Removed,
    #[error("only the moderator can do this")]
    NotModerator,
    #[error("you have already joined this session")]
    AlreadyJoined,
    #[error("nobody can join as moderator; the moderator hands moderation over")]
    CannotJoinAsModerator,
    #[error("this session already has a case presenter")]
    PresenterTaken,
    #[error("the session is full ({max} people at most)")]
    SessionFull { max: usize },
    #[error("invalid participant id")]
    InvalidParticipantId,
    #[error("the moderator cannot leave; hand moderation to someone else first")]
    ModeratorMustHandOver,
    #[error("that person is not a participant of this session")]
    UnknownTarget,

    // --- phase
    #[error("the session has ended")]
    SessionClosed,
    #[error("the session has not started yet")]
    NotStarted,
    #[error("the session has already started")]
    AlreadyStarted,
    #[error("no round is open")]
    NoOpenRound,
    #[error("this method needs at least {needed} participants; {present} are here")]
    TooFewParticipants { needed: u32, present: u32 },
    #[error("every round has been skipped")]
    NoRoundsLeft,
    #[error("there is no earlier round to go back to")]
    NoPreviousRound,
    #[error("round {index} does not exist")]
    UnknownRound { index: usize },
    #[error("round {index} cannot be reopened: it is open, or has not been held yet")]
    RoundNotReopenable { index: usize },
    #[error("round {index} cannot be skipped: it has already been held")]
    RoundNotSkippable { index: usize },
    #[error("this round is not hidden, so there is nothing to reveal")]
    NothingToReveal,
    #[error("this round has already been revealed")]
    AlreadyRevealed,
    #[error("the deadline lies in the past")]
    DeadlineInPast,
    #[error("the deadline lies too far ahead (at most {max_minutes} minutes)")]
    DeadlineTooFar { max_minutes: i64 },
    #[error("an extension must be between 1 second and {max_minutes} minutes")]
    InvalidExtension { max_minutes: i64 },
    #[error("a conclusion is recorded in a conclusion round or after the last round")]
    NotConclusionTime,
    #[error("this round's hidden contributions have not been revealed: reveal them or discard them first")]
    RoundNotRevealed,
    #[error("the moral question is written in the round where the options are written")]
    NotMoralQuestionRound,
    #[error("what became of last time's actions is recorded in the look-back round")]
    NotLookBackRound,
    #[error("last time's actions have no action number {index}")]
    UnknownLookBackAction { index: usize },

    // --- roles
    #[error("you already moderate this session")]
    CannotHandToSelf,
    #[error("moderation can only be handed to a present participant")]
    CannotModerate,
    #[error("only a present participant can become the case presenter")]
    CannotPresent,
    #[error("that person is already the case presenter")]
    AlreadyPresenter,
    #[error("the moderator cannot remove themselves")]
    CannotRemoveSelf,
    #[error("only the case presenter or the moderator writes the moral question")]
    NotPresenterOrModerator,
    #[error("a role is presenter, participant or observer; moderation is handed over")]
    CannotSetRole,
    #[error("that person already has this role")]
    SameRole,

    // --- contributing
    #[error("observers cannot contribute")]
    ObserverCannotContribute,
    #[error("in this round the case presenter only listens")]
    PresenterListenOnly,
    #[error("in this round the case presenter is absent")]
    PresenterAbsent,
    #[error("in this round everyone but the case presenter contributes")]
    PresenterExcluded,
    #[error("in this round only the case presenter contributes")]
    PresenterOnly,
    #[error("in this round only the moderator contributes")]
    ModeratorOnly,
    #[error("the moderator stays neutral and does not write in a silent round")]
    ModeratorNeutral,
    #[error("a {content} does not belong in a {kind:?} round")]
    WrongContentForRound { kind: RoundKind, content: &'static str },
    #[error("only the case presenter answers questions")]
    OnlyPresenterAnswers,
    #[error("that question does not exist in this round")]
    UnknownQuestion,
    #[error("that question has already been answered")]
    AlreadyAnswered,
    #[error("you can only vote for a proposal you can see in a selection round")]
    UnknownCandidate,
    #[error("it is not your turn")]
    NotYourTurn,
    #[error("this round has no turns to pass, or everyone has had their turn")]
    NoTurn,
    #[error("your judgement in this round has been revealed and can no longer be replaced")]
    AlreadySubmitted,
    #[error("that contribution does not exist, or you cannot see it")]
    UnknownContribution,
    #[error("only its author can change or withdraw a contribution")]
    NotAuthor,
    #[error("a contribution can only be changed while its round is open")]
    RoundNotOpen,
    #[error("an edit keeps the kind of contribution ({content})")]
    ContentTypeChanged { content: &'static str },
    #[error("nothing would change")]
    Unchanged,
    #[error("you have reached the limit of {max} contributions in this round")]
    ContributionLimit { max: usize },

    // --- content
    #[error("{field} must not be empty")]
    EmptyField { field: String },
    #[error("{field} is too long: {len} characters, at most {max}")]
    FieldTooLong { field: String, max: usize, len: usize },
    #[error("{field} contains control characters")]
    ControlCharacters { field: String },
    #[error("{field} must be a date written as YYYY-MM-DD (got `{value}`)")]
    InvalidDate { field: String, value: String },
    #[error("{field} has too many items (at most {max})")]
    TooManyItems { field: String, max: usize },
    #[error("the display name must be 1 to {max} characters without control characters")]
    InvalidDisplayName { max: usize },
    #[error("a client id must be 1 to 64 letters, digits, '-' or '_'")]
    InvalidClientId,
    #[error("this client id was used by someone else")]
    ClientIdTaken,
    #[error("the method is not valid: {}", first_error(.errors))]
    InvalidMethod { errors: Vec<MethodError> },

    // --- idempotency
    #[error("already applied as event {seq}")]
    AlreadyApplied { seq: u64, contribution_id: ContributionId },
}

fn first_error(errors: &[MethodError]) -> String {
    errors.first().map(ToString::to_string).unwrap_or_default()
}

impl CommandError {
    /// Stable, machine-readable code; equal to the serialised `code` tag.
    pub fn code(&self) -> &'static str {
        use CommandError::*;
        match self {
            UnknownParticipant => "unknown_participant",
            NotPresent => "not_present",
            Removed => "removed",
            NotModerator => "not_moderator",
            AlreadyJoined => "already_joined",
            CannotJoinAsModerator => "cannot_join_as_moderator",
            PresenterTaken => "presenter_taken",
            SessionFull { .. } => "session_full",
            InvalidParticipantId => "invalid_participant_id",
            ModeratorMustHandOver => "moderator_must_hand_over",
            UnknownTarget => "unknown_target",
            SessionClosed => "session_closed",
            NotStarted => "not_started",
            AlreadyStarted => "already_started",
            NoOpenRound => "no_open_round",
            TooFewParticipants { .. } => "too_few_participants",
            NoRoundsLeft => "no_rounds_left",
            NoPreviousRound => "no_previous_round",
            UnknownRound { .. } => "unknown_round",
            RoundNotReopenable { .. } => "round_not_reopenable",
            RoundNotSkippable { .. } => "round_not_skippable",
            NothingToReveal => "nothing_to_reveal",
            AlreadyRevealed => "already_revealed",
            DeadlineInPast => "deadline_in_past",
            DeadlineTooFar { .. } => "deadline_too_far",
            InvalidExtension { .. } => "invalid_extension",
            NotConclusionTime => "not_conclusion_time",
            RoundNotRevealed => "round_not_revealed",
            NotMoralQuestionRound => "not_moral_question_round",
            NotLookBackRound => "not_look_back_round",
            UnknownLookBackAction { .. } => "unknown_look_back_action",
            NotPresenterOrModerator => "not_presenter_or_moderator",
            CannotSetRole => "cannot_set_role",
            SameRole => "same_role",
            AlreadySubmitted => "already_submitted",
            CannotHandToSelf => "cannot_hand_to_self",
            CannotModerate => "cannot_moderate",
            CannotPresent => "cannot_present",
            AlreadyPresenter => "already_presenter",
            CannotRemoveSelf => "cannot_remove_self",
            ObserverCannotContribute => "observer_cannot_contribute",
            PresenterListenOnly => "presenter_listen_only",
            PresenterAbsent => "presenter_absent",
            PresenterExcluded => "presenter_excluded",
            PresenterOnly => "presenter_only",
            ModeratorOnly => "moderator_only",
            ModeratorNeutral => "moderator_neutral",
            WrongContentForRound { .. } => "wrong_content_for_round",
            OnlyPresenterAnswers => "only_presenter_answers",
            UnknownQuestion => "unknown_question",
            AlreadyAnswered => "already_answered",
            UnknownCandidate => "unknown_candidate",
            NotYourTurn => "not_your_turn",
            NoTurn => "no_turn",
            ContributionLimit { .. } => "contribution_limit",
            UnknownContribution => "unknown_contribution",
            NotAuthor => "not_author",
            RoundNotOpen => "round_not_open",
            ContentTypeChanged { .. } => "content_type_changed",
            Unchanged => "unchanged",
            EmptyField { .. } => "empty_field",
            FieldTooLong { .. } => "field_too_long",
            ControlCharacters { .. } => "control_characters",
            InvalidDate { .. } => "invalid_date",
            TooManyItems { .. } => "too_many_items",
            InvalidDisplayName { .. } => "invalid_display_name",
            InvalidClientId => "invalid_client_id",
            ClientIdTaken => "client_id_taken",
            InvalidMethod { .. } => "invalid_method",
            AlreadyApplied { .. } => "already_applied",
        }
    }
}
