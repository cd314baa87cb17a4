//! A team's plan: its schedule, members, absences and swaps as stored, and the meetings with
//! their moderator and case bringer as the domain computes them.

use crate::domain::local_time::date_of;
use crate::domain::precedent::CalendarDate;
use crate::domain::rhythm::schedule::{add_days, MAX_MOVE_DAYS};
use crate::domain::rhythm::{
    rotate, Assignment, ClockTime, Duty, Member, Move, Occurrence, OccurrenceState, RotationInput, Schedule,
    ScheduleError, Slot, Swap,
};
use crate::store::{MeetingCase, MeetingCases, Rhythm, StoreError, SwapRow, TeamMember};

/// Everything stored about a team's rhythm.
#[derive(Clone, Debug)]
pub struct TeamPlan {
    pub team_id: i64,
    pub schedule: Option<Schedule>,
    pub members: Vec<TeamMember>,
    pub input: RotationInput,
    /// The swaps as stored (who made them, when), for the team to see.
    pub swaps: Vec<SwapRow>,
    /// The meetings with a picked case, from [`CASES_FROM_DAYS`] ago on.
    pub cases: Vec<MeetingCase>,
}

/// How far back the meetings' cases are read, in days (a feed looks back 60).
pub const CASES_FROM_DAYS: i32 = 62;
/// At most this many meetings with a case are read (weekly for 400 days ahead is 58).
pub const MAX_CASES: i64 = 500;

/// A meeting with who does what.
#[derive(Clone, Copy, Debug)]
pub struct PlannedMeeting {
    pub occurrence: Occurrence,
    /// `None` for a skipped meeting.
    pub assignment: Option<Assignment>,
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("team rhythm: {what}"))
}

fn parse_date(s: &str) -> Result<CalendarDate, StoreError> {
    s.parse().map_err(|_| corrupt(format!("date {s:?}")))
}

impl TeamPlan {
    /// Reads a team's plan (a team without a schedule has no meetings).
    pub async fn load<S: Rhythm + MeetingCases + ?Sized>(
        store: &S,
        team_id: i64,
    ) -> Result<TeamPlan, StoreError> {
        let schedule = match store.team_schedule(team_id).await? {
            None => None,
            Some(stored) => {
                let slot: Slot = serde_json::from_value(stored.slot).map_err(corrupt)?;
                let mut schedule = Schedule::new(slot);
                for change in store.schedule_changes(team_id).await? {
                    let date = parse_date(&change.date)?;
                    match (change.kind.as_str(), change.to_date, change.to_start) {
                        ("skip", _, _) => {
                            schedule.skips.insert(date);
                        }
                        ("move", Some(to_date), Some(to_start)) => {
                            let to_date = parse_date(&to_date)?;
                            let to_start: ClockTime = to_start.parse().map_err(corrupt)?;
                            schedule.moves.insert(date, Move { date, to_date, to_start });
                        }
                        (kind, _, _) => return Err(corrupt(format!("change {kind:?}"))),
                    }
                }
                Some(schedule)
            }
        };
        let members = store.team_members(team_id).await?;
        let mut input = RotationInput {
            members: members
                .iter()
                .map(|m| Member {
                    user: m.user_id,
                    may_moderate: crate::domain::access::may_moderate(m.role.access_role()),
                    joined: date_of(m.joined_at),
                    left: m.disabled_at.map(date_of),
                })
                .collect(),
            ..Default::default()
        };
        for a in store.absences(team_id).await? {
            input.absences.insert((a.user_id, parse_date(&a.date)?));
        }
        let swaps = store.swaps(team_id).await?;
        for s in &swaps {
            input.swaps.push(Swap {
                date: parse_date(&s.date)?,
                duty: Duty::parse(&s.duty).ok_or_else(|| corrupt(format!("duty {:?}", s.duty)))?,
                from: s.from_user.unwrap_or(0),
                to: s.to_user,
            });
        }
        let from = add_days(date_of(crate::clock::now_ms()), -CASES_FROM_DAYS);
        let cases = store.meeting_cases(team_id, &from.to_string(), MAX_CASES).await?;
        Ok(TeamPlan { team_id, schedule, members, input, swaps, cases })
    }

    /// Every series date up to `until` and the assignments of the meetings held.
    pub fn rotation_until(
        &self,
        until: CalendarDate,
    ) -> Result<(Vec<Occurrence>, Vec<Assignment>), ScheduleError> {
        let Some(schedule) = &self.schedule else { return Ok((Vec::new(), Vec::new())) };
        let occurrences = schedule.occurrences_until(until)?;
        let held: Vec<CalendarDate> =
            occurrences.iter().filter(|o| o.state != OccurrenceState::Skipped).map(|o| o.date).collect();
        let assignments = rotate(&held, &self.input);
        Ok((occurrences, assignments))
    }

    /// The meetings starting in `[from_ms, to_ms)` by start time, skipped ones included when
    /// `with_skipped` (placed at their planned time).
    pub fn meetings(
        &self,
        from_ms: i64,
        to_ms: i64,
        with_skipped: bool,
    ) -> Result<Vec<PlannedMeeting>, ScheduleError> {
        let until = add_days(date_of(to_ms), MAX_MOVE_DAYS);
        let (occurrences, assignments) = self.rotation_until(until)?;
        let mut out: Vec<PlannedMeeting> = occurrences
            .into_iter()
            .filter(|o| o.start_ms >= from_ms && o.start_ms < to_ms)
            .filter(|o| with_skipped || o.state != OccurrenceState::Skipped)
            .map(|o| PlannedMeeting {
                occurrence: o,
                assignment: assignments.iter().find(|a| a.date == o.date).copied(),
            })
            .collect();
        out.sort_by_key(|m| (m.occurrence.start_ms, m.occurrence.date));
        Ok(out)
    }

    /// A member's display name (empty for someone no longer in the team).
    pub fn name_of(&self, user: i64) -> String {
        self.members.iter().find(|m| m.user_id == user).map(|m| m.display_name.clone()).unwrap_or_default()
    }

    /// The case picked for the meeting of series date `date`, if one is.
    pub fn case_of(&self, date: CalendarDate) -> Option<&MeetingCase> {
        let date = date.to_string();
        self.cases.iter().find(|c| c.date == date)
    }

    pub fn is_member(&self, user: i64) -> bool {
        self.members.iter().any(|m| m.user_id == user)
    }
}
