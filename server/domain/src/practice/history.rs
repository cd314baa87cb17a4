//! The figures of a team's history page for one calendar year (local dates in Amsterdam):
//! meetings held per month with their attendance, methods used, themes of the team's adopted
//! precedents, and the share of actions done on time.

use std::collections::BTreeMap;

use serde::Serialize;

use super::action::{on_time, ActionStatus};
use crate::precedent::CalendarDate;

/// One session of the team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionFact {
    /// The local date it was held (or created, if never started).
    pub on: CalendarDate,
    /// Ended (held to the end).
    pub held: bool,
    pub method_key: String,
    /// People who took part (moderator included, observers not).
    pub attendance: u32,
}

/// One action of the team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionFact {
    pub due: CalendarDate,
    pub status: ActionStatus,
    pub settled_on: Option<CalendarDate>,
}

/// Everything the figures are made from.
#[derive(Clone, Debug, Default)]
pub struct HistoryInput {
    pub sessions: Vec<SessionFact>,
    /// The local adoption dates of the team's adopted precedents.
    pub adopted_on: Vec<CalendarDate>,
    /// Theme labels of the team's precedents adopted in the year (one entry per precedent and theme).
    pub themes: Vec<String>,
    pub actions: Vec<ActionFact>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCount {
    /// 1..=12.
    pub month: u8,
    pub held: u32,
    /// Total attendance of the meetings held that month.
    pub attendance: u32,
    pub adopted: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedCount {
    pub name: String,
    pub count: u32,
}

/// The year's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct History {
    pub year: u16,
    pub months: Vec<MonthCount>,
    pub held: u32,
    /// Sessions started or prepared in the year that were not held to the end.
    pub not_held: u32,
    /// Mean attendance of the meetings held, rounded to one decimal (×10 to stay an integer).
    pub mean_attendance_tenths: u32,
    pub methods: Vec<NamedCount>,
    pub themes: Vec<NamedCount>,
    pub adopted: u32,
    /// Actions due in the year up to `today`, dropped ones left out.
    pub actions_due: u32,
    pub actions_done_on_time: u32,
    pub actions_done_late: u32,
    /// Still open after their date.
    pub actions_overdue: u32,
    pub actions_dropped: u32,
    /// `actions_done_on_time` of `actions_due`, in whole percent; `None` when nothing was due.
    pub on_time_percent: Option<u32>,
}

/// The figures of `year`, as far as `today`.
pub fn history(year: u16, today: CalendarDate, input: &HistoryInput) -> History {
    let mut months: Vec<MonthCount> =
        (1..=12).map(|month| MonthCount { month, held: 0, attendance: 0, adopted: 0 }).collect();
    let mut methods: BTreeMap<&str, u32> = BTreeMap::new();
    let (mut held, mut not_held, mut attendance) = (0u32, 0u32, 0u32);
    for s in input.sessions.iter().filter(|s| s.on.year() == year) {
        if s.held {
            held += 1;
            attendance += s.attendance;
            let m = &mut months[usize::from(s.on.month()) - 1];
            m.held += 1;
            m.attendance += s.attendance;
            *methods.entry(s.method_key.as_str()).or_default() += 1;
        } else {
            not_held += 1;
        }
    }
    let mut adopted = 0;
    for on in input.adopted_on.iter().filter(|d| d.year() == year) {
        adopted += 1;
        months[usize::from(on.month()) - 1].adopted += 1;
    }
    let mut themes: BTreeMap<&str, u32> = BTreeMap::new();
    for t in &input.themes {
        *themes.entry(t.as_str()).or_default() += 1;
    }
    let (mut due, mut on_time_n, mut late, mut overdue, mut dropped) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for a in input.actions.iter().filter(|a| a.due.year() == year && a.due <= today) {
        match a.status {
            ActionStatus::Dropped => dropped += 1,
            ActionStatus::Open => {
                due += 1;
                overdue += u32::from(a.due < today);
            }
            ActionStatus::Done => {
                due += 1;
                if on_time(a.status, a.due, a.settled_on) == Some(true) {
                    on_time_n += 1;
                } else {
                    late += 1;
                }
            }
        }
    }
    History {
        year,
        months,
        held,
        not_held,
        mean_attendance_tenths: (attendance * 10 + held / 2).checked_div(held).unwrap_or(0),
        methods: sorted(methods),
        themes: sorted(themes),
        adopted,
        actions_due: due,
        actions_done_on_time: on_time_n,
        actions_done_late: late,
        actions_overdue: overdue,
        actions_dropped: dropped,
        on_time_percent: (due > 0).then(|| (on_time_n * 100 + due / 2) / due),
    }
}

/// Most first, then by name.
fn sorted(counts: BTreeMap<&str, u32>) -> Vec<NamedCount> {
    let mut v: Vec<NamedCount> =
        counts.into_iter().map(|(name, count)| NamedCount { name: name.to_owned(), count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CalendarDate {
        s.parse().unwrap()
    }

    fn session(on: &str, held: bool, method: &str, attendance: u32) -> SessionFact {
        SessionFact { on: d(on), held, method_key: method.into(), attendance }
    }

    #[test]
    fn a_year_of_meetings_methods_and_actions() {
        let input = HistoryInput {
            sessions: vec![
                session("2026-01-08", true, "dilemma", 6),
                session("2026-01-22", true, "balint", 5),
                session("2026-02-05", true, "dilemma", 4),
                session("2026-02-19", false, "dilemma", 1),
                session("2025-12-18", true, "dilemma", 7),
            ],
            adopted_on: vec![d("2026-01-09"), d("2025-11-01")],
            themes: vec!["schulden".into(), "zorg".into(), "schulden".into()],
            actions: vec![
                ActionFact {
                    due: d("2026-01-15"),
                    status: ActionStatus::Done,
                    settled_on: Some(d("2026-01-14")),
                },
                ActionFact {
                    due: d("2026-01-15"),
                    status: ActionStatus::Done,
                    settled_on: Some(d("2026-01-20")),
                },
                ActionFact { due: d("2026-02-01"), status: ActionStatus::Open, settled_on: None },
                ActionFact {
                    due: d("2026-02-01"),
                    status: ActionStatus::Dropped,
                    settled_on: Some(d("2026-01-30")),
                },
                // Not yet due: not counted.
                ActionFact { due: d("2026-03-01"), status: ActionStatus::Open, settled_on: None },
            ],
        };
        let h = history(2026, d("2026-02-20"), &input);
        assert_eq!(h.held, 3);
        assert_eq!(h.not_held, 1);
        assert_eq!(h.months[0].held, 2);
        assert_eq!(h.months[0].attendance, 11);
        assert_eq!(h.months[1].held, 1);
        assert_eq!(h.months[0].adopted, 1);
        assert_eq!(h.adopted, 1);
        assert_eq!(h.mean_attendance_tenths, 50);
        assert_eq!(h.methods[0], NamedCount { name: "dilemma".into(), count: 2 });
        assert_eq!(h.themes[0], NamedCount { name: "schulden".into(), count: 2 });
        assert_eq!((h.actions_due, h.actions_done_on_time, h.actions_done_late), (3, 1, 1));
        assert_eq!((h.actions_overdue, h.actions_dropped), (1, 1));
        assert_eq!(h.on_time_percent, Some(33));
    }

    #[test]
    fn an_empty_year_has_no_share() {
        let h = history(2026, d("2026-06-01"), &HistoryInput::default());
        assert_eq!(h.months.len(), 12);
        assert_eq!(h.on_time_percent, None);
        assert_eq!(h.mean_attendance_tenths, 0);
    }
}
