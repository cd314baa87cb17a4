//! A team's schedule: recurrence across both daylight-saving changes, fortnightly and monthly
//! slots, skipped dates and one-off moves.

use beraad_domain::local_time::minute_of;
use beraad_domain::precedent::CalendarDate;
use beraad_domain::rhythm::schedule::{instant_ms, DAY_MS, MAX_MOVE_DAYS};
use beraad_domain::rhythm::{
    ClockTime, MonthWeek, Move, OccurrenceState, Recurrence, Schedule, ScheduleError, Slot, Weekday,
};

fn d(s: &str) -> CalendarDate {
    s.parse().unwrap()
}

fn t(s: &str) -> ClockTime {
    s.parse().unwrap()
}

fn slot(recurrence: Recurrence, weekday: Weekday, first: &str) -> Slot {
    Slot { recurrence, weekday, month_week: None, start: t("19:30"), minutes: 90, first_date: d(first) }
}

fn local_starts(s: &Schedule, until: &str) -> Vec<String> {
    s.occurrences_until(d(until))
        .unwrap()
        .iter()
        .filter(|o| o.state != OccurrenceState::Skipped)
        .map(|o| minute_of(o.start_ms))
        .collect()
}

#[test]
fn a_weekly_1930_meeting_stays_1930_local_across_the_spring_change() {
    // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST.
    let s = Schedule::new(slot(Recurrence::Weekly, Weekday::Tuesday, "2026-03-10"));
    let occ = s.occurrences_until(d("2026-04-07")).unwrap();
    let starts: Vec<String> = occ.iter().map(|o| minute_of(o.start_ms)).collect();
    assert_eq!(
        starts,
        ["2026-03-10 19:30", "2026-03-17 19:30", "2026-03-24 19:30", "2026-03-31 19:30", "2026-04-07 19:30"]
    );
    // In UTC the meeting moves an hour earlier: 18:30Z in winter, 17:30Z in summer.
    assert_eq!(occ[2].start_ms, 1_774_377_000_000); // 2026-03-24T18:30:00Z
    assert_eq!(occ[3].start_ms, 1_774_978_200_000); // 2026-03-31T17:30:00Z
    assert_eq!(occ[3].start_ms - occ[2].start_ms, 7 * DAY_MS - 3_600_000);
    assert_eq!(occ[0].end_ms - occ[0].start_ms, 90 * 60_000);
}

#[test]
fn a_weekly_1930_meeting_stays_1930_local_across_the_autumn_change() {
    // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET.
    let s = Schedule::new(slot(Recurrence::Weekly, Weekday::Thursday, "2026-10-15"));
    let occ = s.occurrences_until(d("2026-11-05")).unwrap();
    let starts: Vec<String> = occ.iter().map(|o| minute_of(o.start_ms)).collect();
    assert_eq!(starts, ["2026-10-15 19:30", "2026-10-22 19:30", "2026-10-29 19:30", "2026-11-05 19:30"]);
    assert_eq!(occ[2].start_ms - occ[1].start_ms, 7 * DAY_MS + 3_600_000);
}

#[test]
fn a_meeting_in_the_hours_the_clock_skips_or_repeats_is_placed_as_rfc_5545_says() {
    // 02:30 on 2026-03-29 does not exist: read as 03:30 CEST (the wall clock after the change).
    assert_eq!(minute_of(instant_ms(d("2026-03-29"), t("02:30"))), "2026-03-29 03:30");
    // 02:30 on 2026-10-25 exists twice: the first (CEST, 00:30Z).
    assert_eq!(instant_ms(d("2026-10-25"), t("02:30")), 1_792_888_200_000);
}

#[test]
fn the_series_starts_on_the_first_matching_day_on_or_after_the_first_date() {
    // 2026-01-01 is a Thursday; the first Monday is the 5th.
    let s = Schedule::new(slot(Recurrence::Weekly, Weekday::Monday, "2026-01-01"));
    let dates: Vec<String> =
        s.slot.series_dates(d("2026-01-19")).unwrap().iter().map(|d| d.to_string()).collect();
    assert_eq!(dates, ["2026-01-05", "2026-01-12", "2026-01-19"]);
    assert!(s.slot.series_dates(d("2025-12-31")).unwrap().is_empty());
}

#[test]
fn fortnightly_counts_from_the_first_week() {
    let s = Schedule::new(slot(Recurrence::Fortnightly, Weekday::Wednesday, "2026-03-18"));
    assert_eq!(
        local_starts(&s, "2026-04-30"),
        ["2026-03-18 19:30", "2026-04-01 19:30", "2026-04-15 19:30", "2026-04-29 19:30"]
    );
}

#[test]
fn monthly_on_the_nth_or_last_weekday() {
    let mut sl = slot(Recurrence::Monthly, Weekday::Thursday, "2026-01-01");
    sl.month_week = Some(MonthWeek::Second);
    let s = Schedule::new(sl.clone());
    assert_eq!(
        local_starts(&s, "2026-04-30"),
        ["2026-01-08 19:30", "2026-02-12 19:30", "2026-03-12 19:30", "2026-04-09 19:30"]
    );
    sl.month_week = Some(MonthWeek::Last);
    let s = Schedule::new(sl);
    assert_eq!(local_starts(&s, "2026-03-31"), ["2026-01-29 19:30", "2026-02-26 19:30", "2026-03-26 19:30"]);
}

#[test]
fn skipped_dates_are_left_out_and_moves_take_the_meeting_elsewhere() {
    let mut s = Schedule::new(slot(Recurrence::Weekly, Weekday::Monday, "2026-12-14"));
    s.check_skip(d("2026-12-28")).unwrap();
    s.skips.insert(d("2026-12-28"));
    let m = Move { date: d("2026-12-21"), to_date: d("2026-12-22"), to_start: t("10:00") };
    s.check_move(&m).unwrap();
    s.moves.insert(m.date, m);
    let occ = s.occurrences_until(d("2027-01-04")).unwrap();
    let states: Vec<_> = occ.iter().map(|o| (o.date.to_string(), o.state, minute_of(o.start_ms))).collect();
    assert_eq!(
        states,
        [
            ("2026-12-14".into(), OccurrenceState::Planned, "2026-12-14 19:30".into()),
            ("2026-12-21".into(), OccurrenceState::Moved, "2026-12-22 10:00".into()),
            ("2026-12-28".into(), OccurrenceState::Skipped, "2026-12-28 19:30".into()),
            ("2027-01-04".into(), OccurrenceState::Planned, "2027-01-04 19:30".into()),
        ]
    );
    // The next meetings: no skipped one, moved ones at their new time.
    let from = instant_ms(d("2026-12-15"), t("00:00"));
    let next: Vec<String> = s.next_meetings(from, 3).unwrap().iter().map(|o| minute_of(o.start_ms)).collect();
    assert_eq!(next, ["2026-12-22 10:00", "2027-01-04 19:30", "2027-01-11 19:30"]);
}

#[test]
fn a_move_before_another_meeting_is_ordered_by_its_new_time() {
    let mut s = Schedule::new(slot(Recurrence::Weekly, Weekday::Monday, "2026-12-14"));
    let m = Move { date: d("2026-12-21"), to_date: d("2026-12-11"), to_start: t("09:00") };
    s.moves.insert(m.date, m);
    let from = instant_ms(d("2026-12-01"), t("00:00"));
    let next: Vec<String> = s.next_meetings(from, 2).unwrap().iter().map(|o| o.date.to_string()).collect();
    assert_eq!(next, ["2026-12-21", "2026-12-14"]);
}

#[test]
fn bad_skips_moves_and_slots_are_refused() {
    let s = Schedule::new(slot(Recurrence::Weekly, Weekday::Monday, "2026-12-14"));
    assert_eq!(s.check_skip(d("2026-12-15")), Err(ScheduleError::NotAMeetingDate(d("2026-12-15"))));
    let far = Move { date: d("2026-12-21"), to_date: d("2027-02-21"), to_start: t("10:00") };
    assert_eq!(s.check_move(&far), Err(ScheduleError::MoveTooFar));
    let near = Move { date: d("2026-12-21"), to_date: d("2027-01-21"), to_start: t("10:00") };
    assert_eq!(MAX_MOVE_DAYS, 31);
    assert!(s.check_move(&near).is_ok());
    let mut bad = slot(Recurrence::Monthly, Weekday::Monday, "2026-12-14");
    assert_eq!(bad.validate(), Err(ScheduleError::MonthWeekMissing));
    bad.month_week = Some(MonthWeek::First);
    bad.minutes = 5;
    assert_eq!(bad.validate(), Err(ScheduleError::BadLength));
    assert!("25:00".parse::<ClockTime>().is_err());
    assert!("7:5".parse::<ClockTime>().is_err());
    assert_eq!("7:05".parse::<ClockTime>().unwrap().to_string(), "07:05");
}

#[test]
fn a_slot_reads_and_writes_as_json() {
    let json = r#"{"recurrence":"monthly","weekday":"tuesday","month_week":"last","start":"09:15","minutes":120,"first_date":"2026-01-01"}"#;
    let s: Slot = serde_json::from_str(json).unwrap();
    assert_eq!(s.start, t("09:15"));
    assert_eq!(serde_json::to_string(&s).unwrap(), json);
    assert!(serde_json::from_str::<Slot>(&json.replace("09:15", "9.15")).is_err());
}
