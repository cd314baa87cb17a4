//! Calendar dates as written in records and imports: `YYYY-MM-DD`.

use std::fmt;
use std::str::FromStr;

use serde_with::{DeserializeFromStr, SerializeDisplay};

/// A valid Gregorian calendar date (years 1000–9999), serialised as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, SerializeDisplay, DeserializeFromStr)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("datum {0:?} heeft niet de vorm JJJJ-MM-DD")]
    Format(String),
    #[error("datum {0:?} bestaat niet")]
    NotACalendarDate(String),
}

impl CalendarDate {
    /// A date from its parts, if it exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(CalendarDate { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for CalendarDate {
    type Err = DateError;

    /// Exactly `YYYY-MM-DD` with ASCII digits.
    fn from_str(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format(s.to_string()));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().expect("digits");
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        CalendarDate::new(y, m as u8, d as u8).ok_or_else(|| DateError::NotACalendarDate(s.to_string()))
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let d: CalendarDate = "2026-01-01".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2026, 1, 1));
        assert_eq!(d.to_string(), "2026-01-01");
    }

    #[test]
    fn leap_years() {
        assert!("2024-02-29".parse::<CalendarDate>().is_ok());
        assert!("2000-02-29".parse::<CalendarDate>().is_ok());
        assert_eq!(
            "2025-02-29".parse::<CalendarDate>(),
            Err(DateError::NotACalendarDate("2025-02-29".into()))
        );
        assert!("1900-02-29".parse::<CalendarDate>().is_err());
    }

    #[test]
    fn refuses_bad_shapes_and_dates() {
        for s in ["2025-4-22", "22-04-2025", "2025/04/22", "2025-04-22T00:00", "", "２０２５-04-22"] {
            assert_eq!(s.parse::<CalendarDate>(), Err(DateError::Format(s.into())), "{s}");
        }
        for s in ["2025-13-01", "2025-00-10", "2025-04-31", "2025-04-00", "0999-01-01"] {
            assert!(matches!(s.parse::<CalendarDate>(), Err(DateError::NotACalendarDate(_))), "{s}");
        }
    }

    #[test]
    fn serde_round_trip() {
        let d: CalendarDate = serde_json::from_str("\"2025-09-15\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2025-09-15\"");
        assert!(serde_json::from_str::<CalendarDate>("\"2025-09-31\"").is_err());
    }
}
