//! The case queue's API: `GET/POST /api/v1/teams/{id}/queue` (the queue; propose a case through
//! the anonymisation review, as for a session), `POST …/queue/{proposal}/interest` ("wil ik
//! bespreken", per person), `…/withdraw` (the proposer) and `…/pick` (a moderator: the case
//! becomes a prepared session, planned at a local time).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::team_of;
use crate::app::AppState;
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::anonymisation::{self, ReviewInput};
use crate::domain::local_time::minute_of;
use crate::domain::practice::{self, order_queue, ProposalStatus, QueueError, QueueItem};
use crate::domain::session::{self, MAX_CASE_TEXT};
use crate::http::api::{unresolved, ApiError};
use crate::http::auth::CurrentUser;
use crate::http::PageLang;
use crate::i18n::Lang;
use crate::live::errors::LiveFailure;
use crate::live::to_new_event;
use crate::store::{NewProposal, NewSession as NewSessionRow, Proposal, SessionStatus, Team};
use crate::{guard, secrets};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/teams/{id}/queue", get(list).post(propose))
        .route("/api/v1/teams/{id}/queue/{proposal}/interest", post(interest))
        .route("/api/v1/teams/{id}/queue/{proposal}/withdraw", post(withdraw))
        .route("/api/v1/teams/{id}/queue/{proposal}/pick", post(pick))
}

type Body<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

pub(super) fn bad_json(e: axum::extract::rejection::JsonRejection, lang: Lang) -> ApiError {
    ApiError::bad_json(e, lang)
}

/// The team, or 404 for someone outside it.
pub(super) async fn team(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    lang: Lang,
) -> Result<Team, ApiError> {
    team_of(state, user, id)
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_team", lang))
}

pub(super) fn queue_error(e: QueueError, lang: Lang) -> ApiError {
    match e {
        QueueError::Field(e) => ApiError::failure(LiveFailure::Refused(e), lang),
        QueueError::NotProposer | QueueError::MayNotPick => {
            ApiError::new(StatusCode::FORBIDDEN, e.code(), lang)
        }
        QueueError::NotOpen => ApiError::new(StatusCode::CONFLICT, e.code(), lang),
        QueueError::QueueFull { max } | QueueError::TooManyOfYours { max } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), lang)
                .with_vars(&[("max", max.to_string())])
        }
    }
}

/// The team's queue in the order it is shown, and its prepared sessions.
pub(super) async fn queue_json(
    state: &AppState,
    team_id: i64,
    user: &CurrentUser,
) -> Result<Value, crate::store::StoreError> {
    let rows = state.store.queue(team_id, user.user.id).await?;
    let mut order: Vec<QueueItem> = rows
        .iter()
        .map(|r| QueueItem { id: r.id, interest: r.interest as usize, created_at_ms: r.created_at })
        .collect();
    order_queue(&mut order);
    let queue: Vec<Value> = order
        .iter()
        .filter_map(|item| rows.iter().find(|r| r.id == item.id))
        .map(|r| {
            json!({
                "id": r.id, "title": r.title, "summary": r.summary, "method": r.method_key,
                "variant": r.method_variant, "proposer": r.proposer_name, "interest": r.interest,
                "marked": r.marked, "mine": r.proposer_id == user.user.id,
                "proposed_on": crate::domain::local_time::date_of(r.created_at).to_string(),
            })
        })
        .collect();
    let prepared: Vec<Value> = state
        .store
        .prepared_sessions(team_id)
        .await?
        .into_iter()
        .map(|p| {
            json!({
                "proposal_id": p.proposal_id, "session_id": p.session_id, "title": p.title,
                "method": p.method_key, "planned_at": p.planned_at,
                "planned_local": p.planned_at.map(minute_of), "status": p.session_status,
            })
        })
        .collect();
    Ok(json!({ "queue": queue, "prepared": prepared }))
}

async fn list(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let team = team(&state, &user, id, lang).await?;
    Ok(Json(queue_json(&state, team.id, &user).await.map_err(|e| ApiError::store(e, lang))?))
}

#[derive(Deserialize)]
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

async fn propose(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: Body<Propose>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let team = team(&state, &user, id, lang).await?;
    let Json(req) = body.map_err(|e| bad_json(e, lang))?;
    for (field, text) in [("title", &req.title), ("summary", &req.summary), ("case_text", &req.case_text)] {
        guard::check_text(field, text).map_err(|r| ApiError::privacy(r, lang))?;
    }
    if req.case_text.chars().count() > MAX_CASE_TEXT {
        let e = session::CommandError::FieldTooLong {
            field: "case_text".into(),
            max: MAX_CASE_TEXT,
            len: req.case_text.chars().count(),
        };
        return Err(ApiError::failure(LiveFailure::Refused(e), lang));
    }
    let (open_team, open_mine) = state
        .store
        .open_proposal_counts(team.id, user.user.id)
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let (title, summary) =
        practice::check_proposal(req.title, req.summary, open_team as usize, open_mine as usize)
            .map_err(|e| queue_error(e, lang))?;
    let case_text = req.case_text.trim().to_owned();
    // Nothing identifying reaches colleagues: every finding replaced, or kept with a reason.
    let review = anonymisation::review(
        &[("title", &title), ("summary", &summary), ("case_text", &case_text)],
        &req.review,
        &user.user.display_name,
        now_ms(),
    )
    .map_err(|problems| unresolved(&problems, lang))?;
    let method = crate::http::api::methods::resolve(&state.store, &req.method, req.variant.as_deref())
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_method", lang))?;
    let proposal = state
        .store
        .create_proposal(&NewProposal {
            team_id: team.id,
            proposer_id: user.user.id,
            title,
            summary,
            case_text,
            method_key: method.key.clone(),
            method_variant: method.variant.clone(),
            review: serde_json::to_value(&review).expect("reviews serialise"),
            now_ms: now_ms(),
        })
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    Ok((StatusCode::CREATED, Json(json!({ "id": proposal.id, "status": proposal.status }))))
}

/// The proposal `proposal` of team `team_id`, or 404.
async fn proposal_in(
    state: &AppState,
    team_id: i64,
    proposal: i64,
    lang: Lang,
) -> Result<Proposal, ApiError> {
    state
        .store
        .proposal(proposal)
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .filter(|p| p.team_id == team_id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_proposal", lang))
}

fn status_of(p: &Proposal) -> ProposalStatus {
    ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Withdrawn)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Interest {
    on: bool,
}

async fn interest(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path((id, proposal)): Path<(i64, i64)>,
    body: Body<Interest>,
) -> Result<Json<Value>, ApiError> {
    let team = team(&state, &user, id, lang).await?;
    let Json(req) = body.map_err(|e| bad_json(e, lang))?;
    let p = proposal_in(&state, team.id, proposal, lang).await?;
    let changed = state
        .store
        .set_interest(p.id, user.user.id, req.on, now_ms())
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    if !changed {
        return Err(queue_error(QueueError::NotOpen, lang));
    }
    let row = state.store.queue(team.id, user.user.id).await.map_err(|e| ApiError::store(e, lang))?;
    let interest = row.iter().find(|r| r.id == p.id).map_or(0, |r| r.interest);
    Ok(Json(json!({ "id": p.id, "marked": req.on, "interest": interest })))
}

async fn withdraw(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path((id, proposal)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let team = team(&state, &user, id, lang).await?;
    let p = proposal_in(&state, team.id, proposal, lang).await?;
    practice::may_withdraw(status_of(&p), p.proposer_id, user.user.id).map_err(|e| queue_error(e, lang))?;
    if !state.store.withdraw_proposal(p.id, now_ms()).await.map_err(|e| ApiError::store(e, lang))? {
        return Err(queue_error(QueueError::NotOpen, lang));
    }
    Ok(Json(json!({ "id": p.id, "status": "withdrawn" })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pick {
    /// Local date and time in Amsterdam, `YYYY-MM-DDTHH:MM`.
    planned_at: String,
    /// Another method than the proposer suggested.
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    variant: Option<String>,
}

async fn pick(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path((id, proposal)): Path<(i64, i64)>,
    body: Body<Pick>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let team = team(&state, &user, id, lang).await?;
    let Json(req) = body.map_err(|e| bad_json(e, lang))?;
    let p = proposal_in(&state, team.id, proposal, lang).await?;
    practice::may_pick(status_of(&p), user.may(Action::LeadTeamPractice))
        .map_err(|e| queue_error(e, lang))?;
    let planned_at = practice::parse_planned(&req.planned_at, now_ms())
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), lang))?;
    let (key, variant) = match &req.method {
        Some(key) => (key.clone(), req.variant.clone()),
        None => (p.method_key.clone(), p.method_variant.clone()),
    };
    let method = crate::http::api::methods::resolve(&state.store, &key, variant.as_deref())
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_method", lang))?;
    if !state.store.claim_proposal(p.id, now_ms()).await.map_err(|e| ApiError::store(e, lang))? {
        return Err(queue_error(QueueError::NotOpen, lang));
    }
    match prepare_session(&state, &team, &user, &p, method, lang).await {
        Ok(session_id) => {
            state
                .store
                .link_prepared_session(p.id, &session_id, planned_at, now_ms())
                .await
                .map_err(|e| ApiError::store(e, lang))?;
            let planned_local = minute_of(planned_at);
            Ok((
                StatusCode::CREATED,
                Json(
                    json!({ "session_id": session_id, "planned_at": planned_at, "planned_local": planned_local }),
                ),
            ))
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

/// Creates the picked case's session, in the lobby, moderated by the picker, looking back on
/// the team's open actions; its case and review are the proposal's.
async fn prepare_session(
    state: &AppState,
    team: &Team,
    user: &CurrentUser,
    p: &Proposal,
    method: crate::domain::method::Method,
    lang: Lang,
) -> Result<String, ApiError> {
    let (previous_actions, action_ids) =
        super::sync::look_back_for(state, team.id).await.map_err(|e| ApiError::store(e, lang))?;
    let moderator = crate::http::authz::participant_of_user(user.user.id);
    let bodies = session::create(session::NewSession {
        method,
        title: p.title.clone(),
        case_text: p.case_text.clone(),
        auto_advance: false,
        moderator: moderator.clone(),
        moderator_name: user.user.display_name.clone(),
        seed: secrets::random_u64(),
        previous_actions,
    })
    .map_err(|e| ApiError::failure(LiveFailure::Refused(e), lang))?;
    let now = now_ms();
    let session_id = uuid::Uuid::now_v7().to_string();
    let events = session::stamp(1, bodies, Some(&moderator), now);
    let method_key = match &events[0].body {
        session::EventBody::SessionCreated { method, .. } => method.key.clone(),
        _ => unreachable!("create starts with session_created"),
    };
    let row = NewSessionRow {
        id: session_id.clone(),
        team_id: Some(team.id),
        title: p.title.clone(),
        method_key,
        status: SessionStatus::Lobby,
        created_by: Some(user.user.id),
        events: events.iter().map(to_new_event).collect(),
        review: Some(p.review.clone()),
        now_ms: now,
    };
    let row = crate::guard::screen(row).map_err(|r| ApiError::privacy(r, lang))?;
    state.store.create_session(&row).await.map_err(|e| ApiError::store(e, lang))?;
    if !action_ids.is_empty() {
        state
            .store
            .set_look_back_items(&session_id, &action_ids)
            .await
            .map_err(|e| ApiError::store(e, lang))?;
    }
    Ok(session_id)
}
