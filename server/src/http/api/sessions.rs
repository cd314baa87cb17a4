//! Creating a live session and joining one by its invite code. Both hand out a secret token;
//! the websocket's `hello` presents it.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::ApiError;
use crate::app::AppState;
use crate::domain::anonymisation::{self, ReviewInput, ReviewProblem};
use crate::domain::session::{self, Command, NewSession, ParticipantId, Role};
use crate::http::PageLang;
use crate::i18n::Lang;
use crate::live::{now_ms, to_new_event};
use crate::store::NewSession as NewSessionRow;
use crate::{guard, secrets};

/// How long an invite code is valid.
const INVITE_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/sessions", post(create)).route("/api/v1/sessions/{id}/join", post(join))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateSession {
    method: String,
    #[serde(default)]
    variant: Option<String>,
    title: String,
    #[serde(default)]
    case_text: String,
    #[serde(default)]
    auto_advance: bool,
    moderator_name: String,
    /// How the moderator resolved the anonymisation findings in title and case.
    #[serde(default)]
    review: ReviewInput,
}

#[derive(Serialize)]
struct Created {
    session_id: String,
    participant_id: String,
    token: String,
    invite_code: String,
}

async fn create(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    body: Result<Json<CreateSession>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Json(req) = body.map_err(|e| bad_json(e, lang))?;
    guard::check_text("title", &req.title).map_err(|r| ApiError::privacy(r, lang))?;
    guard::check_text("case_text", &req.case_text).map_err(|r| ApiError::privacy(r, lang))?;
    guard::check_text("moderator_name", &req.moderator_name).map_err(|r| ApiError::privacy(r, lang))?;
    // Nothing identifying is shown to colleagues: every finding replaced, or kept with a reason.
    let review = anonymisation::review(
        &[("title", &req.title), ("case_text", &req.case_text)],
        &req.review,
        &req.moderator_name,
        now_ms(),
    )
    .map_err(|problems| unresolved(&problems, lang))?;
    let method = super::methods::resolve(&state.store, &req.method, req.variant.as_deref())
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_method", lang))?;
    let moderator = new_participant_id();
    let bodies = session::create(NewSession {
        method,
        title: req.title,
        case_text: req.case_text,
        auto_advance: req.auto_advance,
        moderator: moderator.clone(),
        moderator_name: req.moderator_name,
        seed: secrets::random_u64(),
        previous_actions: Vec::new(),
    })
    .map_err(|e| ApiError::failure(crate::live::errors::LiveFailure::Refused(e), lang))?;
    let now = now_ms();
    let session_id = uuid::Uuid::now_v7().to_string();
    let events = session::stamp(1, bodies, Some(&moderator), now);
    let (title, method_key) = match &events[0].body {
        session::EventBody::SessionCreated { title, method, .. } => (title.clone(), method.key.clone()),
        _ => unreachable!("create starts with session_created"),
    };
    let row = NewSessionRow {
        id: session_id.clone(),
        team_id: None,
        title,
        method_key,
        status: "lobby".into(),
        created_by: None,
        events: events.iter().map(to_new_event).collect(),
        review: Some(serde_json::to_value(&review).expect("reviews serialise")),
        now_ms: now,
    };
    let store = &state.store;
    store.create_session(&row).await.map_err(|e| ApiError::store(e, lang))?;
    let token = secrets::new_token();
    store
        .create_session_token(&session_id, &secrets::hash(&token), moderator.as_str(), now)
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let invite_code = secrets::new_token();
    store
        .create_invite(&session_id, &secrets::hash(&invite_code), now + INVITE_TTL_MS, now)
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    Ok((StatusCode::CREATED, Json(Created { session_id, participant_id: moderator.0, token, invite_code })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinSession {
    invite_code: String,
    display_name: String,
    #[serde(default = "participant")]
    role: Role,
}

fn participant() -> Role {
    Role::Participant
}

#[derive(Serialize)]
struct Joined {
    participant_id: String,
    token: String,
    seq: u64,
}

async fn join(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    Path(session_id): Path<String>,
    body: Result<Json<JoinSession>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Joined>), ApiError> {
    let Json(req) = body.map_err(|e| bad_json(e, lang))?;
    guard::check_text("display_name", &req.display_name).map_err(|r| ApiError::privacy(r, lang))?;
    let now = now_ms();
    let opens = state
        .store
        .session_for_invite(&secrets::hash(&req.invite_code), now)
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    // A wrong code and a wrong session look the same: nothing to learn by guessing.
    if opens.as_deref() != Some(session_id.as_str()) {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no_such_session", lang));
    }
    let participant = new_participant_id();
    let command = Command::Join { display_name: req.display_name, role: req.role };
    let result = state
        .live
        .command(&session_id, participant.clone(), "join".into(), command)
        .await
        .map_err(|e| ApiError::live(e, lang))?;
    let committed = result.map_err(|f| ApiError::failure(f, lang))?;
    let token = secrets::new_token();
    state
        .store
        .create_session_token(&session_id, &secrets::hash(&token), participant.as_str(), now)
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    Ok((StatusCode::CREATED, Json(Joined { participant_id: participant.0, token, seq: committed.seq })))
}

fn new_participant_id() -> ParticipantId {
    ParticipantId(format!("g-{}", uuid::Uuid::new_v4().simple()))
}

pub(super) fn unresolved(problems: &[ReviewProblem], lang: Lang) -> ApiError {
    let details: Vec<_> = problems
        .iter()
        .map(|p| match p {
            ReviewProblem::Unresolved { field, finding } => serde_json::json!({
                "code": p.code(), "field": field, "kind": finding.kind, "start": finding.start, "end": finding.end,
                "text": finding.text, "suggestion": finding.suggestion,
            }),
            ReviewProblem::CannotKeep { kind } => serde_json::json!({ "code": p.code(), "kind": kind }),
            ReviewProblem::ReasonMissing { kind, text } => {
                serde_json::json!({ "code": p.code(), "kind": kind, "text": text })
            }
        })
        .collect();
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unresolved_findings", lang)
        .with_details(serde_json::json!(details))
}

fn bad_json(e: axum::extract::rejection::JsonRejection, lang: Lang) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", lang)
        .with_details(serde_json::json!({ "detail": e.body_text() }))
}
