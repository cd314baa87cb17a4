//! Which reminders are due: for every meeting still to come whose local date is at most
//! `days_before` calendar days away, one per person with a duty there. Sending each at most
//! once is the server's part (a claimed row per reminder).

use serde::Serialize;

use super::rotation::{Assignment, Duty};
use super::schedule::{add_days, Occurrence, OccurrenceState};
use crate::local_time::date_of;
use crate::precedent::CalendarDate;

/// Most days ahead a reminder may be sent.
pub const MAX_DAYS_BEFORE: u32 = 30;

/// One reminder to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// The meeting's series date.
    pub date: CalendarDate,
    pub duty: Duty,
    pub user: i64,
    pub start_ms: i64,
}

/// The reminders due at `now_ms` for `meetings` and their `assignments` (matched by date).
pub fn due(
    meetings: &[Occurrence],
    assignments: &[Assignment],
    now_ms: i64,
    days_before: u32,
) -> Vec<Reminder> {
    let today = date_of(now_ms);
    let days = days_before.min(MAX_DAYS_BEFORE) as i32;
    let mut out = Vec::new();
    for m in meetings {
        if m.state == OccurrenceState::Skipped
            || m.start_ms <= now_ms
            || add_days(m.local_date, -days) > today
        {
            continue;
        }
        let Some(a) = assignments.iter().find(|a| a.date == m.date) else { continue };
        for duty in Duty::ALL {
            if let Some(user) = a.holder(duty) {
                out.push(Reminder { date: m.date, duty, user, start_ms: m.start_ms });
            }
        }
    }
    out
}
