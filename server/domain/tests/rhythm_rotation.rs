//! The rotation: fair over a year, skipping absences, following people joining and leaving,
//! honouring swaps, deterministic.

use std::collections::BTreeMap;

use beraad_domain::precedent::CalendarDate;
use beraad_domain::rhythm::reminder;
use beraad_domain::rhythm::schedule::instant_ms;
use beraad_domain::rhythm::{
    check_swap, rotate, Assignment, ClockTime, Duty, Member, Recurrence, RotationInput, Schedule, Slot, Swap,
    SwapError, Weekday,
};

fn d(s: &str) -> CalendarDate {
    s.parse().unwrap()
}

/// Tuesday evenings, 19:30 for 90 minutes, from `first`.
fn tuesday_evenings(first: &str) -> Slot {
    Slot {
        recurrence: Recurrence::Weekly,
        weekday: Weekday::Tuesday,
        month_week: None,
        start: "19:30".parse().unwrap(),
        minutes: 90,
        first_date: d(first),
    }
}

fn weekly_dates(first: &str, until: &str) -> Vec<CalendarDate> {
    tuesday_evenings(first).series_dates(d(until)).unwrap()
}

fn member(user: i64, may_moderate: bool) -> Member {
    Member { user, may_moderate, joined: d("2000-01-01"), left: None }
}

fn counts(assignments: &[Assignment], duty: Duty) -> BTreeMap<i64, u32> {
    let mut c = BTreeMap::new();
    for a in assignments {
        if let Some(u) = a.holder(duty) {
            *c.entry(u).or_insert(0) += 1;
        }
    }
    c
}

fn spread(c: &BTreeMap<i64, u32>, among: &[i64]) -> u32 {
    let v: Vec<u32> = among.iter().map(|u| c.get(u).copied().unwrap_or(0)).collect();
    v.iter().max().unwrap() - v.iter().min().unwrap()
}

#[test]
fn over_a_year_every_always_present_member_takes_turns_within_one() {
    let dates = weekly_dates("2026-01-01", "2026-12-31");
    assert_eq!(dates.len(), 52);
    // Three who may moderate, three who may not; then teams of other sizes.
    for (n, moderators) in [(6, 3), (4, 1), (5, 5), (8, 2), (7, 4)] {
        let members: Vec<Member> = (1..=n).map(|u| member(u, u <= moderators)).collect();
        let input = RotationInput { members, ..Default::default() };
        let a = rotate(&dates, &input);
        assert!(a.iter().all(|a| a.moderator.is_some() && a.case_bringer.is_some()));
        assert!(a.iter().all(|a| a.moderator != a.case_bringer), "nobody moderates their own case");
        let all: Vec<i64> = (1..=n).collect();
        let mods: Vec<i64> = (1..=moderators).collect();
        let m = counts(&a, Duty::Moderator);
        assert!(spread(&m, &mods) <= 1, "moderators {n}/{moderators}: {m:?}");
        assert!(m.keys().all(|u| *u <= moderators), "only those who may moderate moderate: {m:?}");
        let c = counts(&a, Duty::CaseBringer);
        assert!(spread(&c, &all) <= 1 || moderators == 1, "case bringers {n}/{moderators}: {c:?}");
        // With one moderator, they never bring a case; the others share evenly.
        let others: Vec<i64> = (moderators + 1..=n).collect();
        assert!(others.is_empty() || spread(&c, &others) <= 1, "case bringers {n}/{moderators}: {c:?}");
    }
}

#[test]
fn absent_people_are_skipped_and_catch_up_afterwards() {
    let dates = weekly_dates("2026-01-01", "2026-12-31");
    let members: Vec<Member> = (1..=4).map(|u| member(u, true)).collect();
    let mut input = RotationInput { members, ..Default::default() };
    // Member 2 is away for the whole of March.
    for date in dates.iter().filter(|d| d.month() == 3) {
        input.absences.insert((2, *date));
    }
    let a = rotate(&dates, &input);
    for x in a.iter().filter(|a| a.date.month() == 3) {
        assert_ne!(x.moderator, Some(2));
        assert_ne!(x.case_bringer, Some(2));
    }
    for duty in Duty::ALL {
        let c = counts(&a, duty);
        // Those always present stay within one of each other.
        assert!(spread(&c, &[1, 3, 4]) <= 1, "{duty:?} {c:?}");
        // The one who was away made up for most of the five meetings missed (each meeting
        // gives two duties, so a whole catch-up is not always possible) and is never ahead.
        let others = [c[&1], c[&3], c[&4]];
        assert!(c[&2] <= *others.iter().max().unwrap(), "{duty:?} {c:?}");
        assert!(c[&2] + 2 >= *others.iter().min().unwrap(), "{duty:?} {c:?}");
    }
}

#[test]
fn nobody_present_who_may_moderate_leaves_the_duty_open() {
    let dates = weekly_dates("2026-01-01", "2026-01-31");
    let mut input = RotationInput { members: vec![member(1, true), member(2, false)], ..Default::default() };
    input.absences.insert((1, dates[0]));
    let a = rotate(&dates, &input);
    assert_eq!(a[0].moderator, None);
    assert_eq!(a[0].case_bringer, Some(2));
}

#[test]
fn joiners_start_at_the_lowest_count_and_leavers_take_no_more_turns() {
    let dates = weekly_dates("2026-01-01", "2026-12-31");
    let mut members: Vec<Member> = (1..=3).map(|u| member(u, true)).collect();
    members.push(Member { user: 4, may_moderate: true, joined: d("2026-07-01"), left: None });
    members[0].left = Some(d("2026-10-01"));
    let input = RotationInput { members, ..Default::default() };
    let a = rotate(&dates, &input);
    assert!(a
        .iter()
        .filter(|a| a.date < d("2026-07-01"))
        .all(|a| a.moderator != Some(4) && a.case_bringer != Some(4)));
    assert!(a
        .iter()
        .filter(|a| a.date >= d("2026-10-01"))
        .all(|a| a.moderator != Some(1) && a.case_bringer != Some(1)));
    // The joiner takes turns like the rest from July on: within one of the others over that time.
    let second_half: Vec<Assignment> =
        a.iter().filter(|a| a.date >= d("2026-07-01") && a.date < d("2026-10-01")).copied().collect();
    let m = counts(&second_half, Duty::Moderator);
    assert!(m.values().max().unwrap() - m.values().min().unwrap() <= 1, "{m:?}");
    assert_eq!(m.len(), 4, "everyone moderated in that quarter: {m:?}");
    // The joiner does not take every turn at once: never three meetings in a row as moderator.
    let firsts: Vec<Option<i64>> = second_half.iter().take(3).map(|a| a.moderator).collect();
    assert!(firsts.iter().filter(|m| **m == Some(4)).count() <= 1, "{firsts:?}");
}

#[test]
fn a_swap_hands_the_duty_over_and_the_rotation_makes_up_for_it() {
    let dates = weekly_dates("2026-01-01", "2026-06-30");
    let members: Vec<Member> = (1..=4).map(|u| member(u, true)).collect();
    let mut input = RotationInput { members, ..Default::default() };
    let before = rotate(&dates, &input);
    let date = dates[5];
    let holder = before[5].moderator.unwrap();
    let colleague =
        (1..=4).find(|u| Some(*u) != before[5].moderator && Some(*u) != before[5].case_bringer).unwrap();
    let swap = check_swap(&before, &input, date, Duty::Moderator, colleague).unwrap();
    assert_eq!(swap, Swap { date, duty: Duty::Moderator, from: holder, to: colleague });
    input.swaps.push(swap);
    let after = rotate(&dates, &input);
    assert_eq!(after[5].moderator, Some(colleague));
    assert_eq!(after[5].moderator_swap, Some(swap));
    assert_eq!(&after[..5], &before[..5], "earlier meetings do not change");
    // The one who gave the turn away is first in line again.
    let next = after[6..].iter().position(|a| a.moderator == Some(holder)).unwrap();
    let next_before = before[6..].iter().position(|a| a.moderator == Some(holder)).unwrap();
    assert!(next < next_before, "{next} < {next_before}");
    let m = counts(&after, Duty::Moderator);
    assert!(spread(&m, &[1, 2, 3, 4]) <= 1, "{m:?}");
}

#[test]
fn bad_swaps_are_refused() {
    let dates = weekly_dates("2026-01-01", "2026-03-31");
    let mut input = RotationInput {
        members: vec![member(1, true), member(2, true), member(3, false)],
        ..Default::default()
    };
    input.members.push(Member { user: 9, may_moderate: true, joined: d("2027-01-01"), left: None });
    let a = rotate(&dates, &input);
    let date = dates[0];
    input.absences.insert((2, dates[1]));
    assert_eq!(check_swap(&a, &input, d("2026-01-02"), Duty::Moderator, 2), Err(SwapError::NoSuchMeeting));
    assert_eq!(check_swap(&a, &input, date, Duty::Moderator, 3), Err(SwapError::MayNotModerate));
    assert_eq!(check_swap(&a, &input, date, Duty::Moderator, 9), Err(SwapError::ColleagueUnavailable));
    assert_eq!(check_swap(&a, &input, dates[1], Duty::CaseBringer, 2), Err(SwapError::ColleagueUnavailable));
    let bringer = a[0].case_bringer.unwrap();
    assert_eq!(check_swap(&a, &input, date, Duty::Moderator, bringer), Err(SwapError::HasOtherDuty));
    let moderator = a[0].moderator.unwrap();
    assert_eq!(check_swap(&a, &input, date, Duty::Moderator, moderator), Err(SwapError::SamePerson));
}

#[test]
fn the_same_inputs_give_the_same_rotation() {
    let dates = weekly_dates("2026-01-01", "2026-12-31");
    let members: Vec<Member> = [7, 3, 11, 5].iter().map(|u| member(*u, *u != 11)).collect();
    let mut input = RotationInput { members, ..Default::default() };
    input.absences.insert((3, dates[4]));
    let a = rotate(&dates, &input);
    input.members.reverse();
    assert_eq!(rotate(&dates, &input), a, "member order does not matter");
}

#[test]
fn reminders_are_due_the_configured_days_before_for_each_duty() {
    let mut s = Schedule::new(tuesday_evenings("2026-12-01"));
    s.skips.insert(d("2026-12-15"));
    let input = RotationInput { members: vec![member(1, true), member(2, true)], ..Default::default() };
    let occ = s.occurrences_until(d("2026-12-31")).unwrap();
    let held: Vec<CalendarDate> = occ
        .iter()
        .filter(|o| o.state != beraad_domain::rhythm::OccurrenceState::Skipped)
        .map(|o| o.date)
        .collect();
    let a = rotate(&held, &input);
    let at = |date: &str, time: &str| instant_ms(d(date), time.parse::<ClockTime>().unwrap());
    // Two days before the meeting of the 8th: both of its people, nothing else.
    let due = reminder::due(&occ, &a, at("2026-12-06", "08:00"), 2);
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|r| r.date == d("2026-12-08")));
    assert_eq!(due.iter().map(|r| r.duty).collect::<Vec<_>>(), [Duty::Moderator, Duty::CaseBringer]);
    // Three days before: not yet.
    assert!(reminder::due(&occ, &a, at("2026-12-05", "23:59"), 2).is_empty());
    // A skipped meeting gets none; a meeting that started gets none.
    assert!(reminder::due(&occ, &a, at("2026-12-14", "08:00"), 1).is_empty());
    assert!(reminder::due(&occ, &a, at("2026-12-08", "19:31"), 2).iter().all(|r| r.date != d("2026-12-08")));
}
