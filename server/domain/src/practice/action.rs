//! The follow-up of agreed actions. A session's conclusion agrees actions (what, who, by when);
//! each becomes one of the team's actions: open until its owner (or a moderator) marks it done,
//! or drops it with a reason — in person or in the next session's look-back. An open action
//! whose date has passed is overdue, by the local date in Europe/Amsterdam.

use serde::{Deserialize, Serialize};

use crate::precedent::CalendarDate;
use crate::session::{CommandError, LookBackOutcome};

/// Longest reason for dropping an action, in characters.
pub const MAX_DROP_REASON: usize = 500;
/// Most actions one list answers with (open actions of a team, a session's actions).
pub const MAX_ACTIONS_LISTED: usize = 200;

/// Where an action stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => Self::Open,
            "done" => Self::Done,
            "dropped" => Self::Dropped,
            _ => return None,
        })
    }
}

/// What someone asks to do with an open action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Settle {
    Done,
    Dropped { reason: String },
}

impl Settle {
    /// The settling a look-back outcome stands for (`None`: still open, nothing changes).
    pub fn from_look_back(outcome: LookBackOutcome, note: &str) -> Option<Self> {
        match outcome {
            LookBackOutcome::Done => Some(Self::Done),
            LookBackOutcome::Dropped => Some(Self::Dropped { reason: note.to_owned() }),
            LookBackOutcome::StillOpen => None,
        }
    }
}

/// An action after settling: its new status, the local date it was settled on, and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettledAction {
    pub status: ActionStatus,
    pub settled_on: CalendarDate,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("this action was settled already")]
    AlreadySettled,
    #[error("only the action's owner or a moderator can settle it")]
    NotOwner,
    #[error("{0}")]
    Field(CommandError),
}

impl ActionError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadySettled => "action_settled",
            Self::NotOwner => "not_action_owner",
            Self::Field(e) => e.code(),
        }
    }
}

/// Settles an action that is `current`, asked by its owner (`is_owner`) or someone whose role
/// may settle anyone's actions (`role_may_settle`), on the local date `today`. Dropping needs a
/// reason. Settled actions stay settled.
pub fn settle(
    current: ActionStatus,
    is_owner: bool,
    role_may_settle: bool,
    request: Settle,
    today: CalendarDate,
) -> Result<SettledAction, ActionError> {
    if !is_owner && !role_may_settle {
        return Err(ActionError::NotOwner);
    }
    if current != ActionStatus::Open {
        return Err(ActionError::AlreadySettled);
    }
    Ok(match request {
        Settle::Done => SettledAction { status: ActionStatus::Done, settled_on: today, reason: None },
        Settle::Dropped { reason } => {
            let reason = crate::session::required_text("reason", reason, MAX_DROP_REASON)
                .map_err(ActionError::Field)?;
            SettledAction { status: ActionStatus::Dropped, settled_on: today, reason: Some(reason) }
        }
    })
}

/// An open action is overdue from the local day after its date on.
pub fn is_overdue(status: ActionStatus, due: CalendarDate, today: CalendarDate) -> bool {
    status == ActionStatus::Open && today > due
}

/// Whether an action was done on time: done on or before its date. `None` for open and
/// dropped actions (they do not count in the share).
pub fn on_time(status: ActionStatus, due: CalendarDate, settled_on: Option<CalendarDate>) -> Option<bool> {
    match (status, settled_on) {
        (ActionStatus::Done, Some(on)) => Some(on <= due),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::date_of;

    fn d(s: &str) -> CalendarDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_owner_or_a_moderator_settles_an_open_action_once() {
        let today = d("2026-03-02");
        let done = settle(ActionStatus::Open, true, false, Settle::Done, today).unwrap();
        assert_eq!(done, SettledAction { status: ActionStatus::Done, settled_on: today, reason: None });
        assert!(settle(ActionStatus::Open, false, true, Settle::Done, today).is_ok(), "a moderator");
        assert_eq!(
            settle(ActionStatus::Open, false, false, Settle::Done, today).unwrap_err(),
            ActionError::NotOwner
        );
        for settled in [ActionStatus::Done, ActionStatus::Dropped] {
            let e = settle(settled, true, true, Settle::Done, today).unwrap_err();
            assert_eq!(e.code(), "action_settled");
        }
    }

    #[test]
    fn dropping_needs_a_reason_within_limits() {
        let today = d("2026-03-02");
        let drop = |reason: &str| Settle::Dropped { reason: reason.into() };
        let ok = settle(ActionStatus::Open, true, false, drop(" Niet meer nodig "), today).unwrap();
        assert_eq!(ok.status, ActionStatus::Dropped);
        assert_eq!(ok.reason.as_deref(), Some("Niet meer nodig"));
        assert_eq!(
            settle(ActionStatus::Open, true, false, drop("  "), today).unwrap_err().code(),
            "empty_field"
        );
        let long = "x".repeat(MAX_DROP_REASON + 1);
        assert_eq!(
            settle(ActionStatus::Open, true, false, drop(&long), today).unwrap_err().code(),
            "field_too_long"
        );
    }

    #[test]
    fn overdue_counts_in_local_dates_in_amsterdam() {
        let due = d("2026-01-14");
        // 2026-01-14 22:30 UTC is 23:30 on the 14th in Amsterdam: not yet overdue.
        assert!(!is_overdue(ActionStatus::Open, due, date_of(1_768_429_800_000)));
        // 2026-01-14 23:30 UTC is 00:30 on the 15th in Amsterdam: overdue, though still the 14th in UTC.
        assert!(is_overdue(ActionStatus::Open, due, date_of(1_768_433_400_000)));
        // Summer time: 2026-07-14 22:30 UTC is 00:30 on the 15th.
        assert!(is_overdue(ActionStatus::Open, d("2026-07-14"), date_of(1_784_068_200_000)));
        // Settled actions are never overdue.
        assert!(!is_overdue(ActionStatus::Done, due, d("2026-02-01")));
        assert!(!is_overdue(ActionStatus::Dropped, due, d("2026-02-01")));
    }

    #[test]
    fn on_time_means_done_on_or_before_the_date() {
        let due = d("2026-03-10");
        assert_eq!(on_time(ActionStatus::Done, due, Some(d("2026-03-10"))), Some(true));
        assert_eq!(on_time(ActionStatus::Done, due, Some(d("2026-03-11"))), Some(false));
        assert_eq!(on_time(ActionStatus::Dropped, due, Some(d("2026-03-01"))), None);
        assert_eq!(on_time(ActionStatus::Open, due, None), None);
    }

    #[test]
    fn look_back_outcomes_settle_or_leave_open() {
        assert_eq!(Settle::from_look_back(LookBackOutcome::Done, ""), Some(Settle::Done));
        assert_eq!(
            Settle::from_look_back(LookBackOutcome::Dropped, "te duur"),
            Some(Settle::Dropped { reason: "te duur".into() })
        );
        assert_eq!(Settle::from_look_back(LookBackOutcome::StillOpen, ""), None);
    }
}
