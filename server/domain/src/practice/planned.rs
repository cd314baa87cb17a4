//! When a prepared session is planned: a local date and time in Europe/Amsterdam as a form
//! sends it (`2026-03-12T14:00`), turned into an instant. A time that does not exist (the hour
//! skipped when summer time starts) is refused; an hour that occurs twice (when it ends) means
//! the first.

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};

use crate::local_time::ZONE_NAME;

/// Furthest ahead a session may be planned.
pub const MAX_PLAN_AHEAD_DAYS: i64 = 400;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlannedError {
    #[error("not a date and time (YYYY-MM-DDTHH:MM)")]
    Invalid,
    #[error("this time does not exist in Amsterdam (the clocks skip it)")]
    Skipped,
    #[error("this time has passed")]
    InPast,
    #[error("this time lies more than {MAX_PLAN_AHEAD_DAYS} days ahead")]
    TooFar,
}

impl PlannedError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid => "planned_invalid",
            Self::Skipped => "planned_skipped",
            Self::InPast => "planned_in_past",
            Self::TooFar => "planned_too_far",
        }
    }
}

/// The instant (unix ms) of local time `text`, which must lie after `now_ms` and at most
/// [`MAX_PLAN_AHEAD_DAYS`] ahead.
pub fn parse_planned(text: &str, now_ms: i64) -> Result<i64, PlannedError> {
    let text = text.trim();
    if text.len() > 19 {
        return Err(PlannedError::Invalid);
    }
    let dt: DateTime = text.parse().map_err(|_| PlannedError::Invalid)?;
    let zone = TimeZone::get(ZONE_NAME).map_err(|_| PlannedError::Invalid)?;
    let ambiguous = zone.to_ambiguous_timestamp(dt);
    if matches!(ambiguous.offset(), AmbiguousOffset::Gap { .. }) {
        return Err(PlannedError::Skipped);
    }
    let at = ambiguous.earlier().map_err(|_| PlannedError::Invalid)?.as_millisecond();
    if at <= now_ms {
        return Err(PlannedError::InPast);
    }
    if at - now_ms > MAX_PLAN_AHEAD_DAYS * 24 * 60 * 60 * 1000 {
        return Err(PlannedError::TooFar);
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local_time::minute_of;

    const NOW: i64 = 1_767_225_600_000; // 2026-01-01 00:00 UTC

    #[test]
    fn local_times_in_winter_and_summer() {
        let winter = parse_planned("2026-01-15T14:00", NOW).unwrap();
        assert_eq!(winter, 1_768_482_000_000, "13:00 UTC");
        assert_eq!(minute_of(winter), "2026-01-15 14:00");
        let summer = parse_planned("2026-07-15T14:00", NOW).unwrap();
        assert_eq!(minute_of(summer), "2026-07-15 14:00");
        assert_eq!(summer % 3_600_000, 0);
    }

    #[test]
    fn daylight_saving_gaps_are_refused_and_folds_take_the_first() {
        assert_eq!(parse_planned("2026-03-29T02:30", NOW), Err(PlannedError::Skipped));
        let fold = parse_planned("2026-10-25T02:30", NOW).unwrap();
        // The first 02:30 is still summer time (00:30 UTC).
        assert_eq!(fold, 1_792_888_200_000);
    }

    #[test]
    fn bad_past_and_far_times_are_refused() {
        assert_eq!(parse_planned("morgen", NOW), Err(PlannedError::Invalid));
        assert_eq!(parse_planned("2026-02-30T10:00", NOW), Err(PlannedError::Invalid));
        assert_eq!(parse_planned("2025-12-31T10:00", NOW), Err(PlannedError::InPast));
        assert_eq!(parse_planned("2028-01-01T10:00", NOW), Err(PlannedError::TooFar));
    }
}
