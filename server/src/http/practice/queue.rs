//! The case queue's API: `GET/POST /api/v1/teams/{id}/queue` (the queue; propose a case through
//! the anonymisation review, as for a session), `POST …/queue/{proposal}/interest` ("wil ik
//! bespreken", per person), `…/withdraw` (the proposer) and `…/pick` (a moderator: the case
//! becomes the prepared session of a scheduled meeting, or without a schedule of a local time).
//! Each change is audited by the team and the proposal's id, never its content.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::viewer::TeamScope;
use crate::app::AppState;
use crate::audit::action;
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::anonymisation::{self, ReviewInput};
use crate::domain::local_time::minute_of;
use crate::domain::practice::{self, order_queue, ProposalStatus, QueueError, QueueItem};
use crate::domain::rhythm::Duty;
use crate::domain::session::{self, MAX_CASE_TEXT};
use crate::http::api::{unresolved, ApiError, ErrorBody};
use crate::http::auth::CurrentUser;
use crate::http::authz::Rule::SignedIn;
use crate::http::rhythm::call::{TeamCall, TeamJson};
use crate::http::rhythm::ops::{self, RhythmError};
use crate::http::routes::Route;
use crate::live::errors::LiveFailure;
use crate::live::to_new_event;
use crate::store::{
    NewProposal, NewSession as NewSessionRow, Preparation, Proposal, ProposedCase, Reservation,
    SessionStatus, Team,
};
use crate::{guard, secrets};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/teams/{id}/queue", SignedIn(Action::JoinSession), list),
        Route::post("/api/v1/teams/{id}/queue", SignedIn(Action::ProposeCase), propose),
        Route::post("/api/v1/teams/{id}/queue/{proposal}/interest", SignedIn(Action::ProposeCase), interest),
        Route::post("/api/v1/teams/{id}/queue/{proposal}/withdraw", SignedIn(Action::ProposeCase), withdraw),
        Route::post("/api/v1/teams/{id}/queue/{proposal}/pick", SignedIn(Action::LeadTeamPractice), pick),
    ]
}

/// A proposal's id and status after a change.
#[derive(Serialize, utoipa::ToSchema)]
struct ProposalState {
    id: i64,
    /// `open`, `withdrawn`, …
    status: String,
}

/// The caller's mark on a proposal and its count.
#[derive(Serialize, utoipa::ToSchema)]
struct Marked {
    id: i64,
    marked: bool,
    interest: i64,
}

/// The prepared session a picked case became.
#[derive(Serialize, utoipa::ToSchema)]
struct Picked {
    session_id: String,
    /// The scheduled meeting's series date, when picked for one.
    meeting: Option<String>,
    /// Milliseconds since the epoch.
    planned_at: i64,
    /// `YYYY-MM-DD HH:MM`, Amsterdam time.
    planned_local: String,
}

/// The team's queue, its prepared sessions and the upcoming meetings without a case.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct QueueView {
    /// Open proposals in the order shown.
    pub queue: Vec<ProposalView>,
    pub prepared: Vec<PreparedView>,
    /// Upcoming meetings without a case (each with its date, local start, duties).
    pub meetings: Vec<crate::http::rhythm::ops::MeetingView>,
}

/// An open proposal as the viewer sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ProposalView {
    id: i64,
    title: String,
    summary: String,
    method: String,
    variant: Option<String>,
    proposer: String,
    interest: i64,
    /// Whether the viewer wants to discuss it.
    marked: bool,
    mine: bool,
    /// `YYYY-MM-DD`
    proposed_on: String,
}

/// A prepared session, with the meeting it belongs to at that meeting's current time.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct PreparedView {
    proposal_id: i64,
    session_id: String,
    title: String,
    method: String,
    planned_at: Option<i64>,
    planned_local: Option<String>,
    #[schema(value_type = Option<String>)]
    meeting: Option<crate::domain::precedent::CalendarDate>,
    status: String,
}

/// The contract of these routes (`practice/mod.rs` gathers it).
#[derive(utoipa::OpenApi)]
#[openapi(paths(list, propose, interest, withdraw, pick))]
pub(crate) struct Doc;

pub(super) fn queue_error(e: QueueError) -> ApiError {
    match e {
        QueueError::Field(e) => ApiError::failure(LiveFailure::Refused(e)),
        QueueError::NotProposer | QueueError::MayNotPick => ApiError::new(StatusCode::FORBIDDEN, e.code()),
        QueueError::NotOpen => ApiError::new(StatusCode::CONFLICT, e.code()),
        QueueError::QueueFull { max } | QueueError::TooManyOfYours { max } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code()).with_vars(&[("max", max.to_string())])
        }
    }
}

/// The team's queue in the order it is shown, its prepared sessions (with the meeting each
/// belongs to, at that meeting's current time), and the upcoming meetings without a case.
pub(super) async fn queue_json(
    state: &AppState,
    team_id: i64,
    user: &CurrentUser,
) -> Result<QueueView, crate::store::StoreError> {
    let rows = state.store.queue(team_id, user.user.id).await?;
    let mut order: Vec<QueueItem> = rows
        .iter()
        .map(|r| QueueItem { id: r.id, interest: r.interest as usize, created_at_ms: r.created_at })
        .collect();
    order_queue(&mut order);
    let queue = order
        .iter()
        .filter_map(|item| rows.iter().find(|r| r.id == item.id))
        .map(|r| ProposalView {
            id: r.id,
            title: r.title.clone(),
            summary: r.summary.clone(),
            method: r.method_key.clone(),
            variant: r.method_variant.clone(),
            proposer: r.proposer_name.clone(),
            interest: r.interest,
            marked: r.marked,
            mine: r.proposer_id == user.user.id,
            proposed_on: crate::domain::local_time::date_of(r.created_at).to_string(),
        })
        .collect();
    let upcoming = super::meeting::upcoming(state, team_id).await?;
    let prepared = state
        .store
        .prepared_sessions(team_id)
        .await?
        .into_iter()
        .map(|p| {
            let meeting = upcoming.iter().find(|m| {
                m.case.as_ref().and_then(|c| c.session_id.as_deref()) == Some(p.session_id.as_str())
            });
            PreparedView {
                proposal_id: p.proposal_id,
                session_id: p.session_id,
                title: p.title,
                method: p.method_key,
                planned_at: meeting.map_or(p.planned_at, |m| Some(m.start_ms)),
                planned_local: meeting.map(|m| m.start.clone()).or(p.planned_at.map(minute_of)),
                meeting: meeting.map(|m| m.date),
                status: p.session_status,
            }
        })
        .collect();
    let meetings = upcoming.into_iter().filter(|m| m.case.is_none()).take(super::meeting::OFFERED).collect();
    Ok(QueueView { queue, prepared, meetings })
}

#[utoipa::path(get, path = "/api/v1/teams/{id}/queue", tag = "practice", params(("id" = i64, Path)), responses((status = 200, body = QueueView), (status = "default", description = "An error", body = ErrorBody)))]
async fn list(c: TeamCall) -> Result<Json<QueueView>, ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    Ok(Json(queue_json(state, team.id, user).await.map_err(ApiError::store)?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Propose {
    title: String,
    summary: String,
    #[serde(default)]
    case_text: String,
    method: String,
    #[serde(default)]
    variant: Option<String>,
    /// How the proposer resolved the anonymisation findings in title, summary and case.
    #[serde(default)]
    review: ReviewInput,
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/queue", tag = "practice", params(("id" = i64, Path)), request_body = Propose, responses((status = 201, body = ProposalState), (status = "default", description = "An error", body = ErrorBody)))]
async fn propose(TeamJson(c, req): TeamJson<Propose>) -> Result<(StatusCode, Json<ProposalState>), ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    for (field, text) in [("title", &req.title), ("summary", &req.summary), ("case_text", &req.case_text)] {
        guard::check_text(field, text).map_err(ApiError::privacy)?;
    }
    if req.case_text.chars().count() > MAX_CASE_TEXT {
        let e = session::CommandError::FieldTooLong {
            field: "case_text".into(),
            max: MAX_CASE_TEXT,
            len: req.case_text.chars().count(),
        };
        return Err(ApiError::failure(LiveFailure::Refused(e)));
    }
    let (open_team, open_mine) =
        state.store.open_proposal_counts(team.id, user.user.id).await.map_err(ApiError::store)?;
    let (title, summary) =
        practice::check_proposal(req.title, req.summary, open_team as usize, open_mine as usize)
            .map_err(queue_error)?;
    let case_text = req.case_text.trim().to_owned();
    // Nothing identifying reaches colleagues: every finding replaced, or kept with a reason.
    let review = anonymisation::review(
        &[("title", &title), ("summary", &summary), ("case_text", &case_text)],
        &req.review,
        &user.user.display_name,
        now_ms(),
    )
    .map_err(|problems| unresolved(&problems))?;
    let method = crate::http::api::methods::resolve(&state.store, &req.method, req.variant.as_deref())
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_method"))?;
    let case = ProposedCase {
        title,
        summary,
        case_text,
        method_key: method.key.clone(),
        method_variant: method.variant.clone(),
        review: serde_json::to_value(&review).expect("reviews serialise"),
    };
    let new =
        guard::screen(NewProposal { team_id: team.id, proposer_id: user.user.id, case, now_ms: now_ms() })
            .map_err(ApiError::privacy)?;
    let proposal = state.store.create_proposal(&new).await.map_err(ApiError::store)?;
    ops::audit(&c, action::CASE_PROPOSED, proposal_target(team, proposal.id)).await;
    Ok((StatusCode::CREATED, Json(ProposalState { id: proposal.id, status: proposal.status })))
}

/// The proposal `proposal` of team `team_id`, or 404.
async fn proposal_in(state: &AppState, team_id: i64, proposal: i64) -> Result<Proposal, ApiError> {
    state
        .store
        .proposal(proposal)
        .await
        .map_err(ApiError::store)?
        .filter(|p| p.team_id == team_id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_proposal"))
}

/// How the audit log names a proposal: by the team and its id.
fn proposal_target(team: &Team, proposal: i64) -> String {
    format!("team:{} proposal:{proposal}", team.id)
}

fn status_of(p: &Proposal) -> ProposalStatus {
    ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Withdrawn)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Interest {
    on: bool,
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/queue/{proposal}/interest", tag = "practice", params(("id" = i64, Path), ("proposal" = i64, Path)), request_body = Interest, responses((status = 200, body = Marked), (status = "default", description = "An error", body = ErrorBody)))]
async fn interest(
    Path((_, proposal)): Path<(String, i64)>,
    TeamJson(c, req): TeamJson<Interest>,
) -> Result<Json<Marked>, ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    let p = proposal_in(state, team.id, proposal).await?;
    let changed =
        state.store.set_interest(p.id, user.user.id, req.on, now_ms()).await.map_err(ApiError::store)?;
    if !changed {
        return Err(queue_error(QueueError::NotOpen));
    }
    let target = format!("{} on={}", proposal_target(team, p.id), req.on);
    ops::audit(&c, action::CASE_INTEREST_SET, target).await;
    let row = state.store.queue(team.id, user.user.id).await.map_err(ApiError::store)?;
    let interest = row.iter().find(|r| r.id == p.id).map_or(0, |r| r.interest);
    Ok(Json(Marked { id: p.id, marked: req.on, interest }))
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/queue/{proposal}/withdraw", tag = "practice", params(("id" = i64, Path), ("proposal" = i64, Path)), responses((status = 200, body = ProposalState), (status = "default", description = "An error", body = ErrorBody)))]
async fn withdraw(
    c: TeamCall,
    Path((_, proposal)): Path<(i64, i64)>,
) -> Result<Json<ProposalState>, ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    let p = proposal_in(state, team.id, proposal).await?;
    practice::may_withdraw(status_of(&p), p.proposer_id, user.user.id).map_err(queue_error)?;
    if !state.store.withdraw_proposal(p.id, now_ms()).await.map_err(ApiError::store)? {
        return Err(queue_error(QueueError::NotOpen));
    }
    ops::audit(&c, action::CASE_WITHDRAWN, proposal_target(team, p.id)).await;
    Ok(Json(ProposalState { id: p.id, status: "withdrawn".into() }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Pick {
    /// The scheduled meeting, by its series date `YYYY-MM-DD`.
    #[serde(default)]
    meeting: Option<String>,
    /// Without a schedule: a local date and time in Amsterdam, `YYYY-MM-DDTHH:MM`.
    #[serde(default)]
    planned_at: Option<String>,
    /// Another method than the proposer suggested.
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    variant: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/teams/{id}/queue/{proposal}/pick", tag = "practice", params(("id" = i64, Path), ("proposal" = i64, Path)), request_body = Pick, responses((status = 201, body = Picked), (status = "default", description = "An error", body = ErrorBody)))]
async fn pick(
    Path((_, proposal)): Path<(String, i64)>,
    TeamJson(c, req): TeamJson<Pick>,
) -> Result<(StatusCode, Json<Picked>), ApiError> {
    let TeamScope { state, user, team, .. } = &c.0;
    let p = proposal_in(state, team.id, proposal).await?;
    practice::may_pick(status_of(&p), user.may(Action::LeadTeamPractice)).map_err(queue_error)?;
    let (meeting, planned_at) = match (&req.meeting, &req.planned_at) {
        (Some(date), None) => {
            let m = super::meeting::meeting_for(state, team, date, p.proposer_id).await?;
            let at = m.start_ms;
            (Some(m), at)
        }
        (None, Some(text)) => {
            let at = practice::parse_planned(text, now_ms())
                .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code()))?;
            (None, at)
        }
        _ => {
            return Err(RhythmError::new(StatusCode::UNPROCESSABLE_ENTITY, "pick_when").into_api());
        }
    };
    let (key, variant) = match &req.method {
        Some(key) => (key.clone(), req.variant.clone()),
        None => (p.case.method_key.clone(), p.case.method_variant.clone()),
    };
    let method = crate::http::api::methods::resolve(&state.store, &key, variant.as_deref())
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_method"))?;
    if !state.store.claim_proposal(p.id, now_ms()).await.map_err(ApiError::store)? {
        return Err(queue_error(QueueError::NotOpen));
    }
    match prepare(&c, &p, meeting.as_ref(), method).await {
        Ok(session_id) => {
            state
                .store
                .link_prepared_session(
                    &Preparation { proposal_id: p.id, session_id: &session_id, planned_at },
                    now_ms(),
                )
                .await
                .map_err(ApiError::store)?;
            let date = meeting.as_ref().map(|m| m.date.to_string());
            let target = match &date {
                Some(date) => format!("{} meeting:{date}", proposal_target(team, p.id)),
                None => proposal_target(team, p.id),
            };
            ops::audit(&c, action::CASE_PICKED, target).await;
            let planned_local = minute_of(planned_at);
            Ok((StatusCode::CREATED, Json(Picked { session_id, meeting: date, planned_at, planned_local })))
        }
        Err(e) => {
            // Back in the queue: nothing was prepared.
            if let Err(e) = state.store.release_proposal(p.id, now_ms()).await {
                tracing::error!(error = %e, "cannot give a proposal back to the queue");
            }
            Err(e)
        }
    }
}

/// Turns a claimed proposal into a prepared session: reserves the meeting (if one), hands its
/// case-bringer duty to the proposer when needed, and creates the session; a failure gives the
/// meeting back.
async fn prepare(
    c: &TeamScope,
    p: &Proposal,
    meeting: Option<&super::meeting::ForMeeting>,
    method: crate::domain::method::Method,
) -> Result<String, ApiError> {
    let (store, team) = (&c.state.store, &c.team);
    let picker = (c.user.user.id, c.user.user.display_name.clone());
    let Some(m) = meeting else { return prepare_session(c, p, method, picker).await };
    let date = m.date.to_string();
    let reservation = Reservation { team_id: team.id, date: &date, proposal_id: p.id };
    let reserved = store.reserve_meeting_case(&reservation, now_ms()).await.map_err(ApiError::store)?;
    if !reserved {
        return Err(RhythmError::new(StatusCode::CONFLICT, "meeting_taken").into_api());
    }
    let outcome = async {
        if m.hand_over {
            ops::swap(c, m.date, Duty::CaseBringer, p.proposer_id).await.map_err(|e| e.into_api())?;
        }
        prepare_session(c, p, method, m.moderator.clone().unwrap_or(picker)).await
    }
    .await;
    if outcome.is_err() {
        if let Err(e) = store.release_meeting_case(&reservation).await {
            tracing::error!(error = %e, "cannot give a meeting's reservation back");
        }
    }
    outcome
}

/// Creates the picked case's session, in the lobby, led by `moderator` (the meeting's, or the
/// picker), looking back on the team's open actions; its case and review are the proposal's.
async fn prepare_session(
    c: &TeamScope,
    p: &Proposal,
    method: crate::domain::method::Method,
    (moderator_id, moderator_name): (i64, String),
) -> Result<String, ApiError> {
    let TeamScope { state, user, team, .. } = c;
    let (previous_actions, action_ids) =
        super::sync::look_back_for(state, team.id).await.map_err(ApiError::store)?;
    let moderator = crate::http::authz::participant_of_user(moderator_id);
    let bodies = session::create(session::NewSession {
        method,
        title: p.case.title.clone(),
        case_text: p.case.case_text.clone(),
        auto_advance: false,
        moderator: moderator.clone(),
        moderator_name,
        seed: secrets::random_u64(),
        previous_actions,
    })
    .map_err(|e| ApiError::failure(LiveFailure::Refused(e)))?;
    let now = now_ms();
    let session_id = uuid::Uuid::now_v7().to_string();
    let events = session::stamp(1, bodies, Some(&moderator), now);
    let method_key = match &events[0].body {
        session::EventBody::SessionCreated { method, .. } => method.key.clone(),
        _ => unreachable!("create starts with session_created"),
    };
    let row = NewSessionRow {
        header: crate::store::SessionHeader {
            id: session_id.clone(),
            team_id: Some(team.id),
            title: p.case.title.clone(),
            method_key,
            status: SessionStatus::Lobby,
            created_by: Some(user.user.id),
        },
        events: events.iter().map(to_new_event).collect(),
        review: Some(p.case.review.clone()),
        now_ms: now,
    };
    let row = crate::guard::screen(row).map_err(ApiError::privacy)?;
    state.store.create_session(&row).await.map_err(ApiError::store)?;
    if !action_ids.is_empty() {
        state.store.set_look_back_items(&session_id, &action_ids).await.map_err(ApiError::store)?;
    }
    Ok(session_id)
}
