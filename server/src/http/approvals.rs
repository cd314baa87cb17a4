//! Four-eyes adoption, the second reader's side (`domain::precedent::approval`):
//! `GET /goedkeuren` lists the organisation's drafts awaiting approval; `GET /goedkeuren/{id}`
//! shows one in full with the two choices; `POST /goedkeuren/{id}` approves (the precedent is
//! adopted, with its citation id) or sends it back with a reason. Needs `ApprovePrecedent`
//! (moderators and admins, the route table); the author never approves their own (the domain
//! rule). Audited. Answers a decision with a redirect and a flash message.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::value::{Serde, Value};
use serde::Deserialize;
use serde_json::json;

use super::api::precedent_lifecycle::{adopt_row, approval_error, AdoptedBy};
use super::auth::{pages, Allowed, ApprovePrecedent, CurrentUser};
use super::flash::{self, Flash};
use super::AppError;
use crate::app::AppState;
use crate::audit::{action, result};
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::precedent::{self, Approval, Precedent, Reader};
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::i18n::Lang;
use crate::live::errors::LiveFailure;
use crate::store::{Expected, PrecedentRow, PrecedentStatus, StoredApproval};

/// Four-eyes adoption: the second reader (the organisation and the author are checked by the
/// handler and the domain rule).
pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/goedkeuren", SignedIn(Action::ApprovePrecedent), list),
        Route::get("/goedkeuren/{id}", SignedIn(Action::ApprovePrecedent), show),
        Route::post("/goedkeuren/{id}", SignedIn(Action::ApprovePrecedent), decide),
    ]
}

async fn name_of(state: &AppState, id: i64) -> String {
    state.store.user(id).await.ok().flatten().map(|u| u.display_name).unwrap_or_default()
}

async fn list(
    reader: Allowed<ApprovePrecedent>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&reader.state, reader.lang, &reader.user);
    let mut rows = Vec::new();
    for (row, stored) in state.store.awaiting_approval(user.user.organisation_id).await? {
        let Approval::Awaiting { requested_by, requested_at_ms } = stored.approval else { continue };
        rows.push(json!({
            "id": row.id,
            "title": row.title,
            "requested_by": name_of(state, requested_by).await,
            "requested_at": crate::domain::local_time::minute_of(requested_at_ms),
            "own": requested_by == user.user.id,
        }));
    }
    let (notice, clear) = flash::take(&headers);
    let notice = notice.map(|f| f.for_page(lang));
    let ctx = minijinja::context! { drafts => Value::from(Serde(&rows)), notice => notice };
    Ok(flash::cleared(pages::render(state, lang, StatusCode::OK, "approvals.html", Some(user), ctx), clear))
}

/// The draft awaiting approval in the caller's organisation, with its record and approval;
/// `None` (404) for anything else, so nothing is told about other organisations' drafts.
async fn awaiting(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<Option<(PrecedentRow, Precedent, StoredApproval)>, AppError> {
    let Some(id) = id.parse::<i64>().ok() else { return Ok(None) };
    let Some(row) = state.store.precedent(id).await? else { return Ok(None) };
    if row.organisation_id != user.user.organisation_id || row.status != PrecedentStatus::Draft {
        return Ok(None);
    }
    let Some(stored) = state.store.approval(id).await? else { return Ok(None) };
    if !stored.approval.is_awaiting() {
        return Ok(None);
    }
    let Ok(record) = serde_json::from_value::<Precedent>(row.record.clone()) else { return Ok(None) };
    Ok(Some((row, record, stored)))
}

fn not_found(state: &AppState, lang: Lang, user: &CurrentUser) -> Response {
    pages::message(state, lang, StatusCode::NOT_FOUND, "approval.not_found", Some(user))
}

fn reader(user: &CurrentUser) -> Reader {
    Reader { user_id: user.user.id, role: user.role() }
}

async fn show(reader: Allowed<ApprovePrecedent>, Path(id): Path<String>) -> Result<Response, AppError> {
    let (state, lang, user) = (&reader.state, reader.lang, &reader.user);
    let Some((row, _, stored)) = awaiting(state, user, &id).await? else {
        return Ok(not_found(state, lang, user));
    };
    render_draft(state, lang, user, &row, &stored, StatusCode::OK, None, "").await
}

#[allow(clippy::too_many_arguments)]
async fn render_draft(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    row: &PrecedentRow,
    stored: &StoredApproval,
    status: StatusCode,
    error: Option<String>,
    reason: &str,
) -> Result<Response, AppError> {
    let Approval::Awaiting { requested_by, requested_at_ms } = stored.approval else {
        return Ok(not_found(state, lang, user));
    };
    let mut context = super::precedent_page::page_context(state, row, lang).await?;
    let refusal =
        precedent::check_approver(&stored.approval, reader(user)).err().map(|e| e.code().to_owned());
    context["approval"] = json!({
        "id": row.id,
        "requested_by": name_of(state, requested_by).await,
        "requested_at": crate::domain::local_time::minute_of(requested_at_ms),
        "refusal": refusal,
        "error": error,
        "reason": reason,
    });
    Ok(pages::render(state, lang, status, "precedent.html", Some(user), Value::from(Serde(&context))))
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    approver: Allowed<ApprovePrecedent>,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let (state, lang, user) = (&approver.state, approver.lang, &approver.user);
    let Some((row, record, stored)) = awaiting(state, user, &id).await? else {
        return Ok(not_found(state, lang, user));
    };
    let audit = |action: &'static str, outcome: &'static str| {
        approver.audit_as(action, format!("precedent:{}", row.id), outcome)
    };
    // The draft exactly as it was when approval was asked.
    let expected = Expected {
        status: PrecedentStatus::Draft,
        version: row.version,
        updated_at: stored.draft_updated_at,
    };
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    match f.decision.as_str() {
        "approve" => {
            if let Err(e) = precedent::approve(&record, &stored.approval, reader(user)) {
                audit(action::PRECEDENT_APPROVED, result::DENIED).await?;
                let message = approval_error(e).message(lang);
                return render_draft(
                    state,
                    lang,
                    user,
                    &row,
                    &stored,
                    StatusCode::FORBIDDEN,
                    Some(message),
                    "",
                )
                .await;
            }
            let Approval::Awaiting { requested_by, .. } = stored.approval else { unreachable!("awaiting") };
            let names = AdoptedBy {
                reviewer: name_of(state, requested_by).await,
                by: user.user.display_name.clone(),
            };
            let review = stored.review.clone().and_then(|v| serde_json::from_value(v).ok());
            let session = row.session_id.clone().unwrap_or_default();
            match adopt_row(state, &row, record, &session, review, &names, expected).await {
                Ok(adopted) => {
                    audit(action::PRECEDENT_APPROVED, result::OK).await?;
                    audit(action::PRECEDENT_ADOPTED, result::OK).await?;
                    let to = format!("/precedenten/{}", adopted.id);
                    Ok(flash::redirect(&to, Flash::key("approval.done.approved")))
                }
                Err(e) => {
                    render_draft(state, lang, user, &row, &stored, e.status, Some(e.message(lang)), "").await
                }
            }
        }
        "send_back" => match precedent::send_back(&stored.approval, reader(user), &f.reason, now_ms()) {
            Ok(back) => {
                let next = StoredApproval { approval: back, ..stored.clone() };
                let next = match crate::guard::screen(next) {
                    Ok(next) => next,
                    Err(refusal) => {
                        let message = crate::live::errors::message(&LiveFailure::Privacy(refusal), lang);
                        return render_draft(state, lang, user, &row, &stored, bad, Some(message), &f.reason)
                            .await;
                    }
                };
                if !state.store.set_approval(&expected, &next).await? {
                    return Ok(not_found(state, lang, user));
                }
                audit(action::PRECEDENT_SENT_BACK, result::OK).await?;
                Ok(flash::redirect("/goedkeuren", Flash::key("approval.done.sent_back")))
            }
            Err(e) => {
                let message = approval_error(e).message(lang);
                render_draft(state, lang, user, &row, &stored, bad, Some(message), &f.reason).await
            }
        },
        _ => Ok(Redirect::to(&format!("/goedkeuren/{}", row.id)).into_response()),
    }
}
