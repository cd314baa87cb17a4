//! A team's rhythm: when it meets ([`schedule`]), who moderates and who brings the case
//! ([`rotation`]), and which reminders are due ([`reminder`]). Pure: the server stores the
//! slot, exceptions, absences and swaps, and asks this module for the rest.

pub mod reminder;
pub mod rotation;
pub mod schedule;

pub use reminder::Reminder;
pub use rotation::{check_swap, rotate, Assignment, Duty, Member, RotationInput, Swap, SwapError};
pub use schedule::{
    ClockTime, MonthWeek, Move, Occurrence, OccurrenceState, Recurrence, Schedule, ScheduleError, Slot,
    Weekday,
};
