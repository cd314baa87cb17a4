//! Private iCalendar feeds: a team's meetings, or one person's meetings across their teams,
//! with who moderates and who brings the case, and the title of the case picked for a meeting.
//! No case content: titles, the names, a link.
//! Times are UTC (`DTSTART:…Z`), which every calendar program shows in its own zone; UIDs are
//! the team and the meeting's series date, so a moved meeting updates in place and a skipped
//! one is sent as cancelled.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::plan::{PlannedMeeting, TeamPlan};
use crate::domain::rhythm::{Duty, OccurrenceState};
use crate::i18n::{text, Lang};

/// How far back and ahead a feed reaches.
pub const PAST_DAYS: i64 = 60;
pub const AHEAD_DAYS: i64 = 366;

/// A team's meetings as they go into a feed, with its plan (names, picked cases).
pub struct FeedTeam<'a> {
    pub team_id: i64,
    pub team_name: &'a str,
    pub plan: &'a TeamPlan,
    pub meetings: Vec<PlannedMeeting>,
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

fn t(lang: Lang, key: &str) -> &'static str {
    text(lang, key).unwrap_or("")
}

/// The stable UID of a team's meeting.
pub fn uid(team_id: i64, date: impl std::fmt::Display) -> String {
    format!("beraad-team{team_id}-{date}@beraad")
}

/// The feed: `calendar_name` and each team's meetings; `only_for` limits a person's feed to
/// nothing (all meetings of their teams are theirs) but marks their own duty in the title.
pub fn feed(
    calendar_name: &str,
    teams: &[FeedTeam<'_>],
    me: Option<i64>,
    team_url: &dyn Fn(i64) -> String,
    lang: Lang,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(calendar_name);
    for team in teams {
        for m in &team.meetings {
            let o = &m.occurrence;
            let mut summary = format!("{}: {}", t(lang, "rhythm.feed.meeting"), team.team_name);
            let mut lines = Vec::new();
            if let Some(a) = &m.assignment {
                for duty in Duty::ALL {
                    let who = a.holder(duty).map(|u| team.plan.name_of(u)).filter(|n| !n.is_empty());
                    let label = t(lang, &format!("rhythm.duty.{}", duty.as_str()));
                    lines.push(format!(
                        "{label}: {}",
                        who.unwrap_or_else(|| t(lang, "rhythm.nobody").to_owned())
                    ));
                    if me.is_some() && a.holder(duty) == me {
                        summary =
                            format!("{summary} ({})", t(lang, &format!("rhythm.feed.you_{}", duty.as_str())));
                    }
                }
            }
            if let Some(case) = team.plan.case_of(o.date) {
                let label = if case.is_ready() { "rhythm.case_ready" } else { "rhythm.case_held" };
                lines.push(format!("{}: {}", t(lang, label), case.title));
            }
            lines.push(team_url(team.team_id));
            let mut event = Event::new();
            event
                .uid(&uid(team.team_id, o.date))
                .summary(&summary)
                .description(&lines.join("\n"))
                .starts(utc(o.start_ms))
                .ends(utc(o.end_ms))
                .url(&team_url(team.team_id));
            if o.state == OccurrenceState::Skipped {
                event.status(EventStatus::Cancelled);
            } else {
                event.status(EventStatus::Confirmed);
            }
            calendar.push(event.done());
        }
    }
    calendar.done().to_string()
}
