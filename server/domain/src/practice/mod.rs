//! A team's practice between sessions: the case queue (cases proposed ahead of time, marked
//! "wil ik bespreken", picked by a moderator into a prepared session), the follow-up of agreed
//! actions (open, done, dropped; overdue by the local date in Europe/Amsterdam), and the
//! figures of the team's history page. Pure: times and dates come in as arguments.

pub mod action;
pub mod follow_up;
pub mod history;
pub mod planned;
pub mod queue;

pub use action::{
    is_overdue, on_time, settle, ActionError, ActionStatus, Settle, SettledAction, MAX_ACTIONS_LISTED,
    MAX_DROP_REASON,
};
pub use follow_up::{owner_of, read_session, SessionReading};
pub use history::{history, ActionFact, History, HistoryInput, MonthCount, NamedCount, SessionFact};
pub use planned::{parse_planned, PlannedError, MAX_PLAN_AHEAD_DAYS};
pub use queue::{
    check_proposal, may_pick, may_withdraw, order_queue, ProposalStatus, QueueError, QueueItem,
    MAX_OPEN_PER_PROPOSER, MAX_OPEN_PROPOSALS, MAX_SUMMARY,
};
