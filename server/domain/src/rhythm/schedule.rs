//! A team's meeting schedule: a recurring slot (weekly, fortnightly or monthly on a weekday, at a
//! local start time, for a length), with skipped dates and one-off moves, in Europe/Amsterdam.
//!
//! The recurrence is an RFC 5545 rule computed by the `rrule` crate on a *floating* calendar
//! (its UTC zone used as "no zone": it yields local dates and wall-clock times); each local
//! date and time is then placed in Europe/Amsterdam by jiff, the zone crate of
//! [`crate::local_time`]. So a 19:30 meeting stays 19:30 local across both daylight-saving
//! changes, and one time-zone database decides (jiff's bundled one), not two.
//!
//! A meeting is known by its *series date*: the date the rule gives it, kept when the meeting
//! is moved, so the rotation, absences, swaps and calendar UIDs stay attached to it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, TimeZone};
use jiff::civil;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::local_time::ZONE_NAME;
use crate::precedent::CalendarDate;

/// Shortest and longest meeting, in minutes.
pub const MIN_MINUTES: u16 = 15;
pub const MAX_MINUTES: u16 = 480;
/// Skipped dates and moves a team may keep (see docs/security.md).
pub const MAX_SKIPS: usize = 200;
pub const MAX_MOVES: usize = 200;
/// A move stays within this many days of its series date.
pub const MAX_MOVE_DAYS: i32 = 31;
/// Occurrences computed for one question at most (weekly: about 38 years).
pub const MAX_OCCURRENCES: u16 = 2000;

/// How often the slot recurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    Weekly,
    /// Every other week, counted from the week of the first date.
    Fortnightly,
    /// Once a month, on the `month_week`'th weekday of the month.
    Monthly,
}

/// Which weekday of the month a monthly slot takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MonthWeek {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl MonthWeek {
    fn nth(self) -> i16 {
        match self {
            Self::First => 1,
            Self::Second => 2,
            Self::Third => 3,
            Self::Fourth => 4,
            Self::Last => -1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    fn chrono(self) -> chrono::Weekday {
        match self {
            Self::Monday => chrono::Weekday::Mon,
            Self::Tuesday => chrono::Weekday::Tue,
            Self::Wednesday => chrono::Weekday::Wed,
            Self::Thursday => chrono::Weekday::Thu,
            Self::Friday => chrono::Weekday::Fri,
            Self::Saturday => chrono::Weekday::Sat,
            Self::Sunday => chrono::Weekday::Sun,
        }
    }
}

/// A wall-clock time, `HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    hour: u8,
    minute: u8,
}

impl ClockTime {
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60).then_some(ClockTime { hour, minute })
    }

    pub fn hour(self) -> u8 {
        self.hour
    }

    pub fn minute(self) -> u8 {
        self.minute
    }
}

impl FromStr for ClockTime {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::BadTime(s.chars().take(16).collect());
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let hour = h.parse().map_err(|_| bad())?;
        let minute = m.parse().map_err(|_| bad())?;
        ClockTime::new(hour, minute).ok_or_else(bad)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The recurring slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    pub recurrence: Recurrence,
    pub weekday: Weekday,
    /// Monthly slots only (required there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month_week: Option<MonthWeek>,
    pub start: ClockTime,
    pub minutes: u16,
    /// The series starts on the first matching day on or after this date.
    pub first_date: CalendarDate,
}

/// A one-off move of one meeting to another local date and time (same length).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Move {
    /// The series date of the meeting moved.
    pub date: CalendarDate,
    pub to_date: CalendarDate,
    pub to_start: ClockTime,
}

/// A slot with its exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub slot: Slot,
    pub skips: BTreeSet<CalendarDate>,
    pub moves: BTreeMap<CalendarDate, Move>,
}

/// What became of one date of the series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceState {
    Planned,
    Moved,
    Skipped,
}

/// One date of the series, placed in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The series date: the meeting's identity.
    pub date: CalendarDate,
    /// Where it takes place (differs from `date` when moved).
    pub local_date: CalendarDate,
    pub local_start: ClockTime,
    pub start_ms: i64,
    pub end_ms: i64,
    pub state: OccurrenceState,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("time {0:?} is not HH:MM")]
    BadTime(String),
    #[error("a meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes")]
    BadLength,
    #[error("a monthly slot needs the week of the month")]
    MonthWeekMissing,
    #[error("only a monthly slot has a week of the month")]
    MonthWeekUnexpected,
    #[error("there is no meeting on {0}")]
    NotAMeetingDate(CalendarDate),
    #[error("a move stays within {MAX_MOVE_DAYS} days of its date")]
    MoveTooFar,
    #[error("too many skipped dates or moves")]
    TooMany,
    #[error("the recurrence cannot be computed: {0}")]
    Recurrence(String),
}

impl ScheduleError {
    /// A stable code for the API and the UI's message key.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadTime(_) => "bad_time",
            Self::BadLength => "bad_length",
            Self::MonthWeekMissing => "month_week_missing",
            Self::MonthWeekUnexpected => "month_week_unexpected",
            Self::NotAMeetingDate(_) => "not_a_meeting_date",
            Self::MoveTooFar => "move_too_far",
            Self::TooMany => "too_many_changes",
            Self::Recurrence(_) => "bad_recurrence",
        }
    }
}

impl Slot {
    /// Checks the slot's own rules.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if !(MIN_MINUTES..=MAX_MINUTES).contains(&self.minutes) {
            return Err(ScheduleError::BadLength);
        }
        match (self.recurrence, self.month_week) {
            (Recurrence::Monthly, None) => Err(ScheduleError::MonthWeekMissing),
            (Recurrence::Weekly | Recurrence::Fortnightly, Some(_)) => {
                Err(ScheduleError::MonthWeekUnexpected)
            }
            _ => Ok(()),
        }
    }

    /// The series dates from the first one up to and including `until`, at most
    /// [`MAX_OCCURRENCES`].
    pub fn series_dates(&self, until: CalendarDate) -> Result<Vec<CalendarDate>, ScheduleError> {
        self.validate()?;
        if until < self.first_date {
            return Ok(Vec::new());
        }
        let bad = |e: String| ScheduleError::Recurrence(e);
        let floating = |d: CalendarDate, h: u32, m: u32| {
            rrule::Tz::UTC
                .with_ymd_and_hms(i32::from(d.year()), u32::from(d.month()), u32::from(d.day()), h, m, 0)
                .single()
                .ok_or_else(|| bad(format!("no such date {d}")))
        };
        let start = floating(self.first_date, u32::from(self.start.hour), u32::from(self.start.minute))?;
        let end = floating(until, 23, 59)?;
        let (freq, interval, day) = match self.recurrence {
            Recurrence::Weekly => {
                (rrule::Frequency::Weekly, 1, rrule::NWeekday::Every(self.weekday.chrono()))
            }
            Recurrence::Fortnightly => {
                (rrule::Frequency::Weekly, 2, rrule::NWeekday::Every(self.weekday.chrono()))
            }
            Recurrence::Monthly => {
                let nth = self.month_week.ok_or(ScheduleError::MonthWeekMissing)?.nth();
                (rrule::Frequency::Monthly, 1, rrule::NWeekday::Nth(nth, self.weekday.chrono()))
            }
        };
        let set = rrule::RRule::new(freq)
            .interval(interval)
            .week_start(chrono::Weekday::Mon)
            .by_weekday(vec![day])
            .until(end)
            .build(start)
            .map_err(|e| bad(e.to_string()))?;
        let result = set.all(MAX_OCCURRENCES);
        result
            .dates
            .iter()
            .map(|d| {
                CalendarDate::new(d.year() as u16, d.month() as u8, d.day() as u8)
                    .ok_or_else(|| bad(format!("date out of range {d}")))
            })
            .collect()
    }
}

impl Schedule {
    pub fn new(slot: Slot) -> Self {
        Schedule { slot, skips: BTreeSet::new(), moves: BTreeMap::new() }
    }

    /// Whether the slot has a meeting on `date` (a series date).
    pub fn is_series_date(&self, date: CalendarDate) -> Result<bool, ScheduleError> {
        Ok(self.slot.series_dates(date)?.last() == Some(&date))
    }

    /// Checks a skip before it is added.
    pub fn check_skip(&self, date: CalendarDate) -> Result<(), ScheduleError> {
        if self.skips.len() >= MAX_SKIPS && !self.skips.contains(&date) {
            return Err(ScheduleError::TooMany);
        }
        if !self.is_series_date(date)? {
            return Err(ScheduleError::NotAMeetingDate(date));
        }
        Ok(())
    }

    /// Checks a move before it is added.
    pub fn check_move(&self, m: &Move) -> Result<(), ScheduleError> {
        if self.moves.len() >= MAX_MOVES && !self.moves.contains_key(&m.date) {
            return Err(ScheduleError::TooMany);
        }
        if !self.is_series_date(m.date)? {
            return Err(ScheduleError::NotAMeetingDate(m.date));
        }
        let days = civil_date(m.to_date).since(civil_date(m.date)).map(|s| s.get_days()).unwrap_or(i32::MAX);
        if days.abs() > MAX_MOVE_DAYS {
            return Err(ScheduleError::MoveTooFar);
        }
        Ok(())
    }

    /// Every series date up to `until` with what became of it (skipped ones included), in
    /// series order.
    pub fn occurrences_until(&self, until: CalendarDate) -> Result<Vec<Occurrence>, ScheduleError> {
        let dates = self.slot.series_dates(until)?;
        let length = i64::from(self.slot.minutes) * 60_000;
        Ok(dates
            .into_iter()
            .map(|date| {
                let (local_date, local_start, state) =
                    match (self.skips.contains(&date), self.moves.get(&date)) {
                        (true, _) => (date, self.slot.start, OccurrenceState::Skipped),
                        (false, Some(m)) => (m.to_date, m.to_start, OccurrenceState::Moved),
                        (false, None) => (date, self.slot.start, OccurrenceState::Planned),
                    };
                let start_ms = instant_ms(local_date, local_start);
                Occurrence { date, local_date, local_start, start_ms, end_ms: start_ms + length, state }
            })
            .collect())
    }

    /// The meetings (not skipped) that start in `[from_ms, to_ms)`, by start time.
    pub fn meetings_between(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Occurrence>, ScheduleError> {
        // Moves reach MAX_MOVE_DAYS beyond the window's last local date.
        let until = add_days(crate::local_time::date_of(to_ms), MAX_MOVE_DAYS);
        let mut meetings: Vec<Occurrence> = self
            .occurrences_until(until)?
            .into_iter()
            .filter(|o| o.state != OccurrenceState::Skipped && o.start_ms >= from_ms && o.start_ms < to_ms)
            .collect();
        meetings.sort_by_key(|o| (o.start_ms, o.date));
        Ok(meetings)
    }

    /// The next `n` meetings starting at or after `from_ms` (looking at most a year ahead).
    pub fn next_meetings(&self, from_ms: i64, n: usize) -> Result<Vec<Occurrence>, ScheduleError> {
        let mut meetings = self.meetings_between(from_ms, from_ms + 366 * DAY_MS)?;
        meetings.truncate(n);
        Ok(meetings)
    }
}

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn civil_date(d: CalendarDate) -> civil::Date {
    civil::date(d.year() as i16, d.month() as i8, d.day() as i8)
}

fn from_civil(d: civil::Date) -> CalendarDate {
    CalendarDate::new(d.year() as u16, d.month() as u8, d.day() as u8).expect("jiff gives valid dates")
}

/// `date` plus `days` (negative: minus), on the calendar.
pub fn add_days(date: CalendarDate, days: i32) -> CalendarDate {
    civil_date(date).checked_add(jiff::Span::new().days(days)).map(from_civil).unwrap_or(date)
}

/// The instant of a local date and wall-clock time in Europe/Amsterdam. A time that does not
/// exist (the hour skipped in spring) is read as the same wall-clock reading after the change;
/// one that exists twice (the hour repeated in autumn) as the first, as RFC 5545 says.
pub fn instant_ms(date: CalendarDate, time: ClockTime) -> i64 {
    static ZONE: std::sync::LazyLock<jiff::tz::TimeZone> = std::sync::LazyLock::new(|| {
        jiff::tz::TimeZone::get(ZONE_NAME).expect("the bundled time-zone database has Europe/Amsterdam")
    });
    let dt = civil_date(date).at(time.hour as i8, time.minute as i8, 0, 0);
    // `compatible`: the RFC 5545 reading of gaps and folds; it only fails out of jiff's range.
    ZONE.to_ambiguous_timestamp(dt).compatible().map(|t| t.as_millisecond()).unwrap_or(0)
}
