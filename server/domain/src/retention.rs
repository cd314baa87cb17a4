//! Retention (AVG): how long a closed session's content (case text, contributions) is kept,
//! per organisation. Adopted precedents are anonymised and stay; everything else a session
//! holds is removed once its organisation's period has passed since it closed.

use serde_json::Value;

/// The period when an organisation has not set one.
pub const DEFAULT_DAYS: u32 = 90;
/// The shortest period: the moderator needs some days after a session to draft, anonymise and
/// adopt its precedent.
pub const MIN_DAYS: u32 = 7;
/// The longest period (ten years).
pub const MAX_DAYS: u32 = 3650;
/// The key of the period in an organisation's settings (JSON).
pub const SETTING: &str = "retention_days";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Why a typed period was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("not a whole number of days")]
    NotANumber,
    #[error("outside {MIN_DAYS}..={MAX_DAYS} days")]
    OutOfRange,
}

/// A period typed by an admin, in days.
pub fn parse_days(input: &str) -> Result<u32, PeriodError> {
    let days: u32 = input.trim().parse().map_err(|_| PeriodError::NotANumber)?;
    if !(MIN_DAYS..=MAX_DAYS).contains(&days) {
        return Err(PeriodError::OutOfRange);
    }
    Ok(days)
}

/// The period an organisation's settings name, or the default (a stored value out of bounds
/// is brought within them).
pub fn days_of(settings: &Value) -> u32 {
    settings
        .get(SETTING)
        .and_then(Value::as_u64)
        .map(|d| d.clamp(MIN_DAYS as u64, MAX_DAYS as u64) as u32)
        .unwrap_or(DEFAULT_DAYS)
}

/// Sessions that closed before this instant have expired at `now_ms`.
pub fn closed_before(now_ms: i64, days: u32) -> i64 {
    now_ms - days as i64 * DAY_MS
}

/// The counts of one removal, as the audit log records them (never content).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Removed {
    /// Sessions whose content was removed.
    pub sessions: u64,
    /// Events whose payload was redacted (seq and kind stay).
    pub events: u64,
    /// Draft precedents of those sessions that were never adopted.
    pub drafts: u64,
}

impl Removed {
    /// The audit target: `organisation:<id> sessions=… events=… drafts=…`.
    pub fn audit_target(&self, organisation_id: i64) -> String {
        format!(
            "organisation:{organisation_id} sessions={} events={} drafts={}",
            self.sessions, self.events, self.drafts
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_periods_are_bounded() {
        assert_eq!(parse_days(" 90 "), Ok(90));
        assert_eq!(parse_days("7"), Ok(MIN_DAYS));
        assert_eq!(parse_days("3650"), Ok(MAX_DAYS));
        assert_eq!(parse_days("6"), Err(PeriodError::OutOfRange));
        assert_eq!(parse_days("3651"), Err(PeriodError::OutOfRange));
        assert_eq!(parse_days("-1"), Err(PeriodError::NotANumber));
        assert_eq!(parse_days("negentig"), Err(PeriodError::NotANumber));
        assert_eq!(parse_days(""), Err(PeriodError::NotANumber));
    }

    #[test]
    fn settings_give_the_period_or_the_default() {
        assert_eq!(days_of(&json!({})), DEFAULT_DAYS);
        assert_eq!(days_of(&json!({ "retention_days": 30 })), 30);
        assert_eq!(days_of(&json!({ "retention_days": 1 })), MIN_DAYS);
        assert_eq!(days_of(&json!({ "retention_days": "30" })), DEFAULT_DAYS);
    }

    #[test]
    fn the_cutoff_is_the_period_before_now() {
        assert_eq!(closed_before(10 * DAY_MS, 7), 3 * DAY_MS);
    }
}
