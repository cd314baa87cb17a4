//! What the schedule pages and the JSON API do, once: each operation checks the team boundary,
//! the rule of the operation (planning needs `PlanTeamRhythm`; absences and swaps are one's own
//! unless one may plan), asks the domain, and stores. Both front ends turn a [`RhythmError`]
//! into their own answer.

use axum::http::StatusCode;
use serde::Serialize;

use crate::app::AppState;
use crate::audit::{self, action};
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::local_time::minute_of;
use crate::domain::precedent::CalendarDate;
use crate::domain::rhythm::schedule::{add_days, MAX_MOVES, MAX_SKIPS};
use crate::domain::rhythm::{check_swap, Duty, Move, OccurrenceState, Schedule, ScheduleError, Slot};
use crate::http::auth::CurrentUser;
use crate::http::practice::viewer::TeamScope;
use crate::i18n::{text, Lang};
use crate::rhythm::{PlannedMeeting, TeamPlan};
use crate::store::{ScheduleChange, StoreError, SwapRow, Team, TeamEdit};

/// Absences one person may have recorded in one team, and swaps one team may keep.
pub const MAX_ABSENCES: usize = 200;
pub const MAX_SWAPS: usize = 500;
/// Meetings one listing shows at most, and how far ahead it may look.
pub const MAX_LISTED: usize = 100;
pub const MAX_AHEAD_DAYS: i64 = 400;

/// A refusal: the status and the code (`rhythm.error.<code>` in the locale files).
#[derive(Debug)]
pub struct RhythmError {
    pub status: StatusCode,
    pub code: &'static str,
}

impl RhythmError {
    pub fn new(status: StatusCode, code: &'static str) -> Self {
        RhythmError { status, code }
    }

    /// The refusal as the JSON API answers it.
    pub fn into_api(self) -> crate::http::api::ApiError {
        let (status, code) = (self.status, self.code);
        crate::http::api::ApiError::said(status, code, move |lang| RhythmError { status, code }.message(lang))
    }

    pub fn message(&self, lang: Lang) -> String {
        text(lang, &format!("rhythm.error.{}", self.code))
            .or_else(|| text(lang, &format!("api.error.{}", self.code)))
            .unwrap_or(self.code)
            .to_owned()
    }
}

impl From<RhythmError> for crate::http::api::ApiError {
    fn from(e: RhythmError) -> Self {
        e.into_api()
    }
}

impl From<StoreError> for RhythmError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store error in team rhythm");
        match e {
            StoreError::Unavailable { .. } => RhythmError::new(StatusCode::SERVICE_UNAVAILABLE, "not_saved"),
            _ => RhythmError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<ScheduleError> for RhythmError {
    fn from(e: ScheduleError) -> Self {
        RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code())
    }
}

fn bad(code: &'static str) -> RhythmError {
    RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
}

fn forbidden() -> RhythmError {
    RhythmError::new(StatusCode::FORBIDDEN, "forbidden")
}

pub fn parse_date(s: &str) -> Result<CalendarDate, RhythmError> {
    s.trim().parse().map_err(|_| bad("bad_date"))
}

fn may_plan(user: &CurrentUser) -> bool {
    user.may(Action::PlanTeamRhythm)
}

fn require_plan(user: &CurrentUser) -> Result<(), RhythmError> {
    if may_plan(user) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

async fn plan_of(state: &AppState, team: &Team) -> Result<TeamPlan, RhythmError> {
    Ok(TeamPlan::load(state.store.as_ref(), team.id).await?)
}

fn schedule_of(plan: &TeamPlan) -> Result<&Schedule, RhythmError> {
    plan.schedule.as_ref().ok_or_else(|| RhythmError::new(StatusCode::CONFLICT, "no_schedule"))
}

// --- the schedule -------------------------------------------------------------------------------

pub async fn set_slot(s: &TeamScope, slot: Slot) -> Result<(), RhythmError> {
    let TeamScope { state, user, team, .. } = s;
    require_plan(user)?;
    slot.validate()?;
    // The series must be computable a year past its start.
    slot.series_dates(add_days(slot.first_date, 400))?;
    let value = serde_json::to_value(&slot).map_err(|_| bad("bad_input"))?;
    state
        .store
        .set_team_schedule(TeamEdit { team_id: team.id, by: user.user.id, now_ms: now_ms() }, &value)
        .await?;
    audit(s, action::SCHEDULE_SET, format!("team:{}", team.id)).await;
    Ok(())
}

/// Stores a skip or a move after the schedule's own check, within the team's `max` of that kind.
async fn put_change(
    s: &TeamScope,
    change: ScheduleChange,
    check: impl FnOnce(&Schedule) -> Result<(), ScheduleError>,
) -> Result<(), RhythmError> {
    let TeamScope { state, user, team, .. } = s;
    require_plan(user)?;
    let plan = plan_of(state, team).await?;
    check(schedule_of(&plan)?)?;
    let (max, audited) = if change.kind == "skip" {
        (MAX_SKIPS, action::MEETING_SKIPPED)
    } else {
        (MAX_MOVES, action::MEETING_MOVED)
    };
    if !state
        .store
        .put_schedule_change(TeamEdit { team_id: team.id, by: user.user.id, now_ms: now_ms() }, &change, max)
        .await?
    {
        return Err(bad("too_many_changes"));
    }
    audit(s, audited, meeting_target(team, &change.date)).await;
    Ok(())
}

pub async fn skip(s: &TeamScope, date: CalendarDate) -> Result<(), RhythmError> {
    let change =
        ScheduleChange { date: date.to_string(), kind: "skip".into(), to_date: None, to_start: None };
    put_change(s, change, |schedule| schedule.check_skip(date)).await
}

pub async fn move_meeting(s: &TeamScope, m: Move) -> Result<(), RhythmError> {
    let change = ScheduleChange {
        date: m.date.to_string(),
        kind: "move".into(),
        to_date: Some(m.to_date.to_string()),
        to_start: Some(m.to_start.to_string()),
    };
    put_change(s, change, |schedule| schedule.check_move(&m)).await
}

pub async fn remove_change(s: &TeamScope, date: CalendarDate) -> Result<(), RhythmError> {
    let TeamScope { state, user, team, .. } = s;
    require_plan(user)?;
    if !state.store.delete_schedule_change(team.id, &date.to_string()).await? {
        return Err(RhythmError::new(StatusCode::NOT_FOUND, "no_such_meeting"));
    }
    audit(s, action::SCHEDULE_CHANGE_REMOVED, meeting_target(team, &date.to_string())).await;
    Ok(())
}

/// A team's schedule: `{team_id, slot: null}` without one.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub team_id: i64,
    /// The weekly or monthly slot (docs/rhythm.md).
    pub slot: Option<Slot>,
    /// Dates of the series that are skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skips: Option<Vec<CalendarDate>>,
    /// Meetings moved to another day or time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moves: Option<Vec<Move>>,
    /// `Europe/Amsterdam`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<&'static str>,
}

/// The schedule.
pub async fn schedule_view(state: &AppState, team: &Team) -> Result<ScheduleView, RhythmError> {
    let plan = plan_of(state, team).await?;
    let Some(s) = &plan.schedule else {
        return Ok(ScheduleView { team_id: team.id, slot: None, skips: None, moves: None, zone: None });
    };
    Ok(ScheduleView {
        team_id: team.id,
        slot: Some(s.slot.clone()),
        skips: Some(s.skips.iter().copied().collect()),
        moves: Some(s.moves.values().cloned().collect()),
        zone: Some(crate::domain::local_time::ZONE_NAME),
    })
}

// --- meetings and the rotation ------------------------------------------------------------------

#[derive(Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// One meeting as the API and the pages show it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub date: CalendarDate,
    pub local_date: CalendarDate,
    /// Local (Europe/Amsterdam) start, `YYYY-MM-DD HH:MM`.
    pub start: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub state: OccurrenceState,
    pub moderator: Option<Person>,
    pub case_bringer: Option<Person>,
    /// For a swapped duty: whom the taker took it over from.
    pub moderator_swapped_from: Option<Person>,
    pub case_bringer_swapped_from: Option<Person>,
    pub absent: Vec<Person>,
    /// The case picked for this meeting: its title and prepared session (never its content).
    pub case: Option<MeetingCaseView>,
}

/// A meeting's picked case as the team sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingCaseView {
    pub title: String,
    pub session_id: Option<String>,
    pub proposer: Person,
    /// Prepared and not yet held (its session has not ended).
    pub ready: bool,
}

pub fn meeting_view(plan: &TeamPlan, m: &PlannedMeeting) -> MeetingView {
    let person = |id: i64| Person { id, name: plan.name_of(id) };
    let o = &m.occurrence;
    let a = m.assignment.as_ref();
    MeetingView {
        date: o.date,
        local_date: o.local_date,
        start: minute_of(o.start_ms),
        start_ms: o.start_ms,
        end_ms: o.end_ms,
        state: o.state,
        moderator: a.and_then(|a| a.moderator).map(person),
        case_bringer: a.and_then(|a| a.case_bringer).map(person),
        moderator_swapped_from: a.and_then(|a| a.moderator_swap).map(|s| person(s.from)),
        case_bringer_swapped_from: a.and_then(|a| a.case_bringer_swap).map(|s| person(s.from)),
        absent: plan.input.absences.iter().filter(|(_, d)| *d == o.date).map(|(u, _)| person(*u)).collect(),
        case: plan.case_of(o.date).map(|c| MeetingCaseView {
            title: c.title.clone(),
            session_id: c.session_id.clone(),
            proposer: person(c.proposer_id),
            ready: c.is_ready(),
        }),
    }
}

/// The meetings from `from_ms` on, `days` ahead (skipped ones included), at most `MAX_LISTED`.
pub async fn meetings(
    state: &AppState,
    team: &Team,
    from_ms: i64,
    days: i64,
) -> Result<(TeamPlan, Vec<MeetingView>), RhythmError> {
    let plan = plan_of(state, team).await?;
    let days = days.clamp(1, MAX_AHEAD_DAYS);
    let list = plan.meetings(from_ms, from_ms + days * crate::domain::rhythm::schedule::DAY_MS, true)?;
    let views = list.iter().take(MAX_LISTED).map(|m| meeting_view(&plan, m)).collect();
    Ok((plan, views))
}

/// The rotation's inputs as the team sees them: members, absences and swaps.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RotationView {
    pub team_id: i64,
    pub members: Vec<RotationMember>,
    pub absences: Vec<Absence>,
    pub swaps: Vec<SwapView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RotationMember {
    pub id: i64,
    pub name: String,
    pub may_moderate: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Absence {
    #[schema(value_type = String)]
    pub date: CalendarDate,
    pub user: Person,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SwapView {
    pub date: String,
    /// `moderator` or `case_bringer`.
    pub duty: String,
    /// Who had the duty when the swap was made.
    pub from: Option<Person>,
    pub to: Person,
    pub by: Person,
    /// `YYYY-MM-DD HH:MM`, Amsterdam time.
    pub at: String,
}

/// The rotation's inputs as the team sees them: absences and swaps.
pub async fn rotation_view(state: &AppState, team: &Team) -> Result<RotationView, RhythmError> {
    let plan = plan_of(state, team).await?;
    let person = |id: i64| Person { id, name: plan.name_of(id) };
    let absences = plan.input.absences.iter().map(|(u, d)| Absence { date: *d, user: person(*u) }).collect();
    let swaps = plan
        .swaps
        .iter()
        .map(|s| SwapView {
            date: s.date.clone(),
            duty: s.duty.clone(),
            from: s.from_user.map(person),
            to: person(s.to_user),
            by: person(s.created_by),
            at: minute_of(s.created_at),
        })
        .collect();
    let members = plan
        .input
        .members
        .iter()
        .map(|m| RotationMember { id: m.user, name: plan.name_of(m.user), may_moderate: m.may_moderate })
        .collect();
    Ok(RotationView { team_id: team.id, members, absences, swaps })
}

/// Marks `who` absent (or present again) on the meeting of `date`: oneself, or anyone for
/// someone who may plan.
pub async fn set_absence(
    s: &TeamScope,
    who: Option<i64>,
    date: CalendarDate,
    absent: bool,
) -> Result<(), RhythmError> {
    let TeamScope { state, user, team, .. } = s;
    let who = who.unwrap_or(user.user.id);
    if who != user.user.id && !may_plan(user) {
        return Err(RhythmError::new(StatusCode::FORBIDDEN, "not_yours"));
    }
    let plan = plan_of(state, team).await?;
    if !plan.is_member(who) {
        return Err(bad("colleague_unavailable"));
    }
    if !schedule_of(&plan)?.is_series_date(date)? {
        return Err(bad("not_a_meeting_date"));
    }
    if absent {
        if !state
            .store
            .add_absence(
                team.id,
                &crate::store::Absence { user_id: who, date: date.to_string() },
                MAX_ABSENCES,
                now_ms(),
            )
            .await?
        {
            return Err(bad("too_many_changes"));
        }
    } else {
        state.store.delete_absence(team.id, who, &date.to_string()).await?;
    }
    let target =
        format!("{} {} absent={absent}", meeting_target(team, &date.to_string()), audit::user_actor(who));
    audit(s, action::ABSENCE_SET, target).await;
    Ok(())
}

/// Hands `duty` at the meeting of `date` to colleague `to`: by whoever has it now, or by
/// someone who may plan.
pub async fn swap(s: &TeamScope, date: CalendarDate, duty: Duty, to: i64) -> Result<(), RhythmError> {
    let TeamScope { state, user, team, .. } = s;
    let plan = plan_of(state, team).await?;
    schedule_of(&plan)?;
    let (_, assignments) = plan.rotation_until(date)?;
    let current = assignments.iter().find(|a| a.date == date).and_then(|a| a.holder(duty));
    if current != Some(user.user.id) && !may_plan(user) {
        return Err(RhythmError::new(StatusCode::FORBIDDEN, "not_yours"));
    }
    let swap = check_swap(&assignments, &plan.input, date, duty, to)
        .map_err(|e| RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code()))?;
    let row = SwapRow {
        date: date.to_string(),
        duty: duty.as_str().into(),
        from_user: current,
        to_user: swap.to,
        created_by: user.user.id,
        created_at: now_ms(),
    };
    if !state.store.put_swap(team.id, &row, MAX_SWAPS).await? {
        return Err(bad("too_many_changes"));
    }
    let from = current.map_or_else(|| "nobody".to_owned(), audit::user_actor);
    let target = format!(
        "{} duty={} {from} -> {}",
        meeting_target(team, &row.date),
        row.duty,
        audit::user_actor(swap.to)
    );
    audit(s, action::DUTY_SWAPPED, target).await;
    Ok(())
}

// --- calendar feeds -----------------------------------------------------------------------------

/// The owner key of a team's feed and of a person's.
pub fn team_owner(team_id: i64) -> String {
    format!("team:{team_id}")
}

pub fn user_owner(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// Makes a new feed address for `owner` (the old one stops working) and returns it.
pub async fn renew_feed(state: &AppState, owner: &str) -> Result<String, RhythmError> {
    let token = crate::secrets::new_token();
    state.store.set_feed_token(owner, &crate::secrets::hash(&token), now_ms()).await?;
    Ok(state.config.base_url.join(&format!("agenda/{token}.ics")).map(|u| u.to_string()).unwrap_or_default())
}

/// Renews a team's feed: those who may plan.
pub async fn renew_team_feed(s: &TeamScope) -> Result<String, RhythmError> {
    let TeamScope { state, user, team, .. } = s;
    require_plan(user)?;
    let url = renew_feed(state, &team_owner(team.id)).await?;
    audit(s, action::FEED_RENEWED, format!("team:{}", team.id)).await;
    Ok(url)
}

// --- the audit log ------------------------------------------------------------------------------

/// How the audit log names a team's meeting: the team and the meeting's series date.
pub fn meeting_target(team: &Team, date: &str) -> String {
    format!("team:{} meeting:{date}", team.id)
}

/// Records what `user` did to a team's rhythm or practice (docs/rhythm.md, docs/team-practice.md).
/// The target names the team, meeting, proposal or action and people by id, never case content.
/// A failure is logged, not shown: the operation itself succeeded.
pub async fn audit(s: &TeamScope, action: &'static str, target: String) {
    let TeamScope { state, user, client, .. } = s;
    let entry = audit::Entry {
        actor: user.actor(),
        action,
        target,
        result: audit::result::OK,
        client: client.to_owned(),
    };
    if let Err(e) = audit::record(state.store.as_ref(), entry).await {
        tracing::error!(error = %e, "cannot write the audit log");
    }
}
