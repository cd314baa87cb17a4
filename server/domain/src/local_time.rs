//! Times as people read them: in Europe/Amsterdam, with daylight saving, from the time-zone
//! database built into the binary (no dependence on the machine's zone files or `TZ`).
//! Instants are stored as unix milliseconds (UTC); only display and calendar dates are local.

use std::sync::LazyLock;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::precedent::CalendarDate;

/// The zone Beraad's users live in.
pub const ZONE_NAME: &str = "Europe/Amsterdam";

static ZONE: LazyLock<TimeZone> =
    LazyLock::new(|| TimeZone::get(ZONE_NAME).expect("the bundled time-zone database has Europe/Amsterdam"));

fn zoned(ms: i64) -> jiff::civil::DateTime {
    let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    ZONE.to_datetime(at)
}

/// The local calendar date of an instant.
pub fn date_of(ms: i64) -> CalendarDate {
    let dt = zoned(ms);
    let year = u16::try_from(dt.year()).unwrap_or(1970).clamp(1000, 9999);
    CalendarDate::new(year, dt.month() as u8, dt.day() as u8).expect("jiff gives valid dates")
}

/// The local date and minute of an instant: `2026-12-06 22:03`.
pub fn minute_of(ms: i64) -> String {
    zoned(ms).strftime("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> CalendarDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_are_local_in_winter_and_summer() {
        // 2026-01-14 23:30 UTC is 00:30 on the 15th in Amsterdam (UTC+1).
        assert_eq!(date_of(1_768_433_400_000), date("2026-01-15"));
        assert_eq!(minute_of(1_768_433_400_000), "2026-01-15 00:30");
        // 2026-07-14 22:30 UTC is 00:30 on the 15th in Amsterdam (UTC+2).
        assert_eq!(date_of(1_784_068_200_000), date("2026-07-15"));
        assert_eq!(minute_of(1_784_068_200_000), "2026-07-15 00:30");
    }

    #[test]
    fn daylight_saving_changes_are_right() {
        // 2026-03-29 01:00 UTC: clocks go from 02:00 to 03:00 CEST.
        assert_eq!(minute_of(1_774_745_940_000), "2026-03-29 01:59");
        assert_eq!(minute_of(1_774_746_000_000), "2026-03-29 03:00");
        // 2026-10-25 01:00 UTC: clocks go from 03:00 CEST back to 02:00 CET.
        assert_eq!(minute_of(1_792_889_940_000), "2026-10-25 02:59");
        assert_eq!(minute_of(1_792_890_000_000), "2026-10-25 02:00");
    }

    #[test]
    fn the_epoch_and_leap_days() {
        assert_eq!(minute_of(0), "1970-01-01 01:00");
        assert_eq!(date_of(951_782_400_000), date("2000-02-29"));
    }
}
