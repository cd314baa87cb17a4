//! Picking a case for one meeting of the team's schedule (docs/team-practice.md, "Pick"). The
//! meeting is named by its series date: it must lie ahead (at most `MAX_PLAN_AHEAD_DAYS`), not
//! be skipped and have no case yet. The prepared session is planned at the meeting's start and
//! led by the meeting's moderator; the case's proposer brings it, so when the rotation gave that
//! duty to someone else it is handed to the proposer (a swap the team sees, as any other).

use axum::http::StatusCode;

use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::practice::MAX_PLAN_AHEAD_DAYS;
use crate::domain::precedent::CalendarDate;
use crate::domain::rhythm::schedule::DAY_MS;
use crate::domain::rhythm::{check_swap, Duty};
use crate::http::api::ApiError;
use crate::http::rhythm::ops::{self, RhythmError};
use crate::rhythm::TeamPlan;
use crate::store::{StoreError, Team};

/// The meeting a case is picked for.
pub(super) struct ForMeeting {
    pub date: CalendarDate,
    pub start_ms: i64,
    /// Who moderates the meeting (id and name), to lead the prepared session.
    pub moderator: Option<(i64, String)>,
    /// Whether the case-bringer duty goes to the proposer.
    pub hand_over: bool,
}

fn refuse(status: StatusCode, code: &'static str) -> ApiError {
    RhythmError::new(status, code).into_api()
}

/// The meeting of series date `date` of `team`, if a case of `proposer` may be picked for it.
pub(super) async fn meeting_for(
    state: &AppState,
    team: &Team,
    date: &str,
    proposer: i64,
) -> Result<ForMeeting, ApiError> {
    let date = ops::parse_date(date).map_err(|e| e.into_api())?;
    let plan = TeamPlan::load(state.store.as_ref(), team.id).await.map_err(ApiError::store)?;
    if plan.schedule.is_none() {
        return Err(refuse(StatusCode::CONFLICT, "no_schedule"));
    }
    let now = now_ms();
    let meetings = plan
        .meetings(now, now + MAX_PLAN_AHEAD_DAYS * DAY_MS, false)
        .map_err(|e| RhythmError::from(e).into_api())?;
    let meeting = meetings
        .iter()
        .find(|m| m.occurrence.date == date)
        .ok_or_else(|| refuse(StatusCode::UNPROCESSABLE_ENTITY, "meeting_not_ahead"))?;
    if plan.case_of(date).is_some() {
        return Err(refuse(StatusCode::CONFLICT, "meeting_taken"));
    }
    let assignment = meeting.assignment;
    let hand_over = assignment.and_then(|a| a.case_bringer) != Some(proposer);
    if hand_over {
        let (_, assignments) = plan.rotation_until(date).map_err(|e| RhythmError::from(e).into_api())?;
        check_swap(&assignments, &plan.input, date, Duty::CaseBringer, proposer)
            .map_err(|e| refuse(StatusCode::UNPROCESSABLE_ENTITY, e.code()))?;
    }
    Ok(ForMeeting {
        date,
        start_ms: meeting.occurrence.start_ms,
        moderator: assignment.and_then(|a| a.moderator).map(|id| (id, plan.name_of(id))),
        hand_over,
    })
}

/// How many upcoming meetings the queue offers to pick a case for.
pub(super) const OFFERED: usize = 12;

/// The team's upcoming meetings (skipped ones left out, at most `MAX_PLAN_AHEAD_DAYS` ahead),
/// with who does what and their case, as the pages and the API show them.
pub(super) async fn upcoming(state: &AppState, team_id: i64) -> Result<Vec<ops::MeetingView>, StoreError> {
    let plan = TeamPlan::load(state.store.as_ref(), team_id).await?;
    let now = now_ms();
    // A schedule that cannot be computed has been refused when set; nothing to offer then.
    let list = plan.meetings(now, now + MAX_PLAN_AHEAD_DAYS * DAY_MS, false).unwrap_or_default();
    Ok(list.iter().take(ops::MAX_LISTED).map(|m| ops::meeting_view(&plan, m)).collect())
}
