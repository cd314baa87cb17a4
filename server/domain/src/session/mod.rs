//! Live sessions: commands, events, the state fold and what each viewer may see.
//!
//! Data flows one way: a client's [`Command`] goes to [`decide`] with the current
//! [`SessionState`]; the resulting [`EventBody`]s are numbered with [`SessionState::stamp`],
//! appended in one transaction, applied with [`SessionState::apply`], and fanned out per viewer
//! with [`visible_event_for`]. A (re)connecting client gets [`view_for`]. Sessions created to
//! advance by themselves get [`due_transitions`] when [`next_wake_ms`] has come.
//!
//! Everything here is pure: time, ids and the secret seed come in as arguments.

mod auto_advance;
mod command;
mod content;
mod decide;
mod eligibility;
mod error;
mod event;
mod ids;
mod look_back;
mod moderation;
mod revise;
mod role;
mod scramble;
mod state;
mod turns;
mod view;
mod visibility;
mod visible_event;

pub use auto_advance::{due_transitions, next_wake_ms};
pub use command::{Command, NewSession, Unrevealed};
pub(crate) use content::required as required_text;
pub use content::{ActionItem, Conclusion, Content, MAX_ACTIONS, MAX_FIELD, MAX_QUESTION, MAX_TEXT, MAX_WHO};
pub use decide::{
    create, decide, MAX_CASE_TEXT, MAX_CONTRIBUTIONS_PER_ROUND, MAX_CONTRIBUTIONS_PER_SESSION,
    MAX_DISPLAY_NAME, MAX_EXTENSION_MS, MAX_PEOPLE, MAX_TIMEBOX_MS, MAX_TITLE,
};
pub use error::CommandError;
pub use event::{stamp, Event, EventBody, Handover, PresenterChange, PseudonymAssignment, WithdrawalReason};
pub use ids::{ClientId, ContributionId, ParticipantId};
pub use look_back::{with_look_back, LookBackEntry, LookBackOutcome, LOOK_BACK_ROUND_KEY};
pub use moderation::{Moderation, ModerationAction, ModerationKind, MAX_REASON};
pub use role::Role;
pub use state::{
    Ack, Contribution, FoldError, Membership, Participant, Phase, RoundState, RoundStatus, SessionState,
};
pub use view::{
    AuthorView, ContributionView, MethodSummary, ParticipantView, Progress, RoundView, SessionView,
    TallyEntry, TurnView, YouView,
};
pub use visibility::{typing_indicator_for, view_for};
pub use visible_event::{catch_up, visible_event_for, VisibleBody, VisibleEvent};
