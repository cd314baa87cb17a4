//! Who moderates and who brings the case at each meeting: a fair rotation among the team's
//! members, computed (never stored) from the meetings, the members, their absences and the
//! swaps people made. The same inputs always give the same answer.
//!
//! The rule, meeting by meeting in series order:
//! - among the members present, the moderator (one whose role may moderate) and the case
//!   bringer (anyone else) are the pair with the fewest turns so far between them (moderating
//!   counted for the moderator, bringing for the bringer); ties go to the pair with the person
//!   furthest behind the most turns of their duty, then whose moderator moderated longest ago
//!   (never: first), then whose bringer brought longest ago, then to the lowest ids. Choosing the two together lets
//!   someone who fell behind on both (back from an absence) catch up on both;
//! - a swap for that meeting and duty hands the duty to the colleague named, when they are a
//!   member present who may take it (otherwise the swap is void and the rule above stands);
//! - someone who joins starts at the lowest count of those already in the rotation, so a
//!   newcomer neither waits a year nor takes every turn at once; someone who left takes none.
//!
//! Counting what was actually done (swaps included) makes the rotation make up for a swap or an
//! absence by itself: whoever gave a turn away is first in line again.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::precedent::CalendarDate;

/// A member of the team, as far as the rotation is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user: i64,
    /// Whether their role may moderate (see `access::may_moderate`).
    pub may_moderate: bool,
    /// First meeting date they take part in.
    pub joined: CalendarDate,
    /// First meeting date they no longer take part in.
    pub left: Option<CalendarDate>,
}

impl Member {
    fn member_on(&self, date: CalendarDate) -> bool {
        self.joined <= date && self.left.is_none_or(|l| date < l)
    }
}

/// A duty at a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Moderator,
    CaseBringer,
}

impl Duty {
    pub const ALL: [Duty; 2] = [Duty::Moderator, Duty::CaseBringer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moderator => "moderator",
            Self::CaseBringer => "case_bringer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "moderator" => Some(Self::Moderator),
            "case_bringer" => Some(Self::CaseBringer),
            _ => None,
        }
    }
}

/// Someone hands a duty at one meeting to a colleague.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swap {
    pub date: CalendarDate,
    pub duty: Duty,
    /// Who had the duty when the swap was made.
    pub from: i64,
    /// Who takes it.
    pub to: i64,
}

/// Who does what at one meeting. `None`: nobody present may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub date: CalendarDate,
    pub moderator: Option<i64>,
    pub case_bringer: Option<i64>,
    /// The swap that decided the moderator, if any.
    pub moderator_swap: Option<Swap>,
    pub case_bringer_swap: Option<Swap>,
}

impl Assignment {
    pub fn holder(&self, duty: Duty) -> Option<i64> {
        match duty {
            Duty::Moderator => self.moderator,
            Duty::CaseBringer => self.case_bringer,
        }
    }
}

/// What the rotation needs to know.
#[derive(Clone, Debug, Default)]
pub struct RotationInput {
    pub members: Vec<Member>,
    /// (user, meeting date) pairs of announced absences.
    pub absences: BTreeSet<(i64, CalendarDate)>,
    pub swaps: Vec<Swap>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    count: u32,
    last: Option<CalendarDate>,
}

/// The assignment of every meeting in `dates` (series dates of meetings held, ascending; skipped
/// ones left out).
pub fn rotate(dates: &[CalendarDate], input: &RotationInput) -> Vec<Assignment> {
    let swaps: BTreeMap<(CalendarDate, Duty), Swap> =
        input.swaps.iter().map(|s| ((s.date, s.duty), *s)).collect();
    let mut members = input.members.clone();
    members.sort_by_key(|m| m.user);
    members.dedup_by_key(|m| m.user);
    let mut tallies: [BTreeMap<i64, Tally>; 2] = [BTreeMap::new(), BTreeMap::new()];
    let mut out = Vec::with_capacity(dates.len());
    for &date in dates {
        let current: Vec<&Member> = members.iter().filter(|m| m.member_on(date)).collect();
        // Newcomers join each tally at its lowest count among those still in the rotation.
        for (i, duty) in Duty::ALL.iter().enumerate() {
            let eligible = |m: &&&Member| *duty == Duty::CaseBringer || m.may_moderate;
            let floor = current
                .iter()
                .filter(eligible)
                .filter_map(|m| tallies[i].get(&m.user).map(|t| t.count))
                .min()
                .unwrap_or(0);
            for m in current.iter().filter(eligible) {
                tallies[i].entry(m.user).or_insert(Tally { count: floor, last: None });
            }
        }
        let present: Vec<&Member> =
            current.into_iter().filter(|m| !input.absences.contains(&(m.user, date))).collect();
        let swapped = |duty: Duty, except: Option<i64>| {
            swaps.get(&(date, duty)).copied().filter(|swap| {
                Some(swap.to) != except
                    && present
                        .iter()
                        .any(|m| m.user == swap.to && (duty == Duty::CaseBringer || m.may_moderate))
            })
        };
        let key = |duty: Duty, user: i64| {
            let t = tallies[duty as usize].get(&user).copied().unwrap_or_default();
            (t.count, t.last)
        };
        let moderator_swap = swapped(Duty::Moderator, None);
        // A swap may name the moderator as case bringer; it then gives way.
        let case_swap = swapped(Duty::CaseBringer, moderator_swap.map(|s| s.to));
        let moderators: Vec<i64> = match moderator_swap {
            Some(swap) => vec![swap.to],
            None => present.iter().filter(|m| m.may_moderate).map(|m| m.user).collect(),
        };
        let bringers: Vec<i64> = match case_swap {
            Some(swap) => vec![swap.to],
            None => present.iter().map(|m| m.user).collect(),
        };
        // The pair with the fewest turns between them; then the one with the person furthest
        // behind on their duty; then whose moderator, then whose bringer waited longest; then
        // the lowest ids.
        let most = |duty: Duty, users: &[i64]| users.iter().map(|&u| key(duty, u).0).max().unwrap_or(0);
        let (most_m, most_b) = (most(Duty::Moderator, &moderators), most(Duty::CaseBringer, &bringers));
        let pair = moderators
            .iter()
            .flat_map(|&m| bringers.iter().filter(move |&&b| b != m).map(move |&b| (m, b)))
            .min_by_key(|&(m, b)| {
                let (mc, ml) = key(Duty::Moderator, m);
                let (bc, bl) = key(Duty::CaseBringer, b);
                let behind = (most_m - mc).max(most_b - bc);
                (mc + bc, std::cmp::Reverse(behind), ml, bl, m, b)
            });
        let (moderator, case_bringer) = match pair {
            Some((m, b)) => (Some(m), Some(b)),
            // One person present (or none who may moderate): one duty, or none, is filled.
            None => {
                let m = moderators.iter().copied().min_by_key(|&m| (key(Duty::Moderator, m), m));
                let b = bringers
                    .iter()
                    .copied()
                    .filter(|&b| Some(b) != m)
                    .min_by_key(|&b| (key(Duty::CaseBringer, b), b));
                (m, b)
            }
        };
        let moderator_swap = moderator_swap.filter(|s| Some(s.to) == moderator);
        let case_bringer_swap = case_swap.filter(|s| Some(s.to) == case_bringer);
        for (i, who) in [moderator, case_bringer].into_iter().enumerate() {
            if let Some(user) = who {
                let t = tallies[i].entry(user).or_default();
                t.count += 1;
                t.last = Some(date);
            }
        }
        out.push(Assignment { date, moderator, case_bringer, moderator_swap, case_bringer_swap });
    }
    out
}

/// Why a swap is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SwapError {
    #[error("there is no meeting on that date")]
    NoSuchMeeting,
    #[error("the colleague is not in the team on that date, or is absent")]
    ColleagueUnavailable,
    #[error("the colleague's role may not moderate")]
    MayNotModerate,
    #[error("the colleague already has the other duty at that meeting")]
    HasOtherDuty,
    #[error("that is the person who has the duty already")]
    SamePerson,
}

impl SwapError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoSuchMeeting => "no_such_meeting",
            Self::ColleagueUnavailable => "colleague_unavailable",
            Self::MayNotModerate => "may_not_moderate",
            Self::HasOtherDuty => "has_other_duty",
            Self::SamePerson => "same_person",
        }
    }
}

/// Checks that `to` may take `duty` at the meeting of `date` given the current `assignments`,
/// and returns the swap to store (with whoever has the duty now as `from`).
pub fn check_swap(
    assignments: &[Assignment],
    input: &RotationInput,
    date: CalendarDate,
    duty: Duty,
    to: i64,
) -> Result<Swap, SwapError> {
    let a = assignments.iter().find(|a| a.date == date).ok_or(SwapError::NoSuchMeeting)?;
    let member = input
        .members
        .iter()
        .find(|m| m.user == to && m.member_on(date) && !input.absences.contains(&(to, date)))
        .ok_or(SwapError::ColleagueUnavailable)?;
    if duty == Duty::Moderator && !member.may_moderate {
        return Err(SwapError::MayNotModerate);
    }
    let other = match duty {
        Duty::Moderator => a.case_bringer,
        Duty::CaseBringer => a.moderator,
    };
    if other == Some(to) {
        return Err(SwapError::HasOtherDuty);
    }
    let from = a.holder(duty);
    if from == Some(to) {
        return Err(SwapError::SamePerson);
    }
    Ok(Swap { date, duty, from: from.unwrap_or(0), to })
}
