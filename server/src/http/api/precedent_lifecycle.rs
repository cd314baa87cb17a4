//! From session to precedent, over JSON: drafting from a concluded session, editing the draft,
//! adoption (citation id `MB:<ORG>:<year>:<n>`), corrections (new versions, visible history),
//! withdrawal, and links between sessions and precedents. The rules are the domain's
//! (`precedent::draft`, `precedent::lifecycle`); the moderator check is `session_moderator`.
//!
//! - `POST /api/v1/sessions/{id}/precedent` drafts (409 when not concluded, or when the session
//!   has a precedent already: then with that one in `details.precedent`);
//!   `GET /api/v1/sessions/{id}/precedent` reads it.
//! - `GET /api/v1/precedents/{id}`, `GET /api/v1/precedents/by-citation/{citation}`.
//! - `PUT /api/v1/precedents/{id}` (a draft; 409 once adopted), `POST …/adopt`,
//!   `POST …/corrections` `{record, reason}`, `POST …/withdraw` `{reason}`,
//!   `GET …/versions/{n}`.
//! - `POST /api/v1/sessions/{id}/links` `{precedent_id, kind, note}`, `GET /api/v1/sessions/{id}/links`.
//!
//! A precedent that was never adopted is readable only by the session's moderator; adopted
//! ones (withdrawn later or not) by anyone who may reach the API.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::session_moderator::{not_moderator, session_moderator, session_participant, Moderator};
use super::ApiError;
use crate::app::AppState;
use crate::archive::lifecycle::{new_precedent, organisation_of_session, write_of};
use crate::domain::anonymisation::{self, Review, ReviewInput};
use crate::domain::precedent::{
    self, AnonymisationReview, CalendarDate, CitationId, DraftContext, LifecycleError, Precedent,
    RecordProblem, RelatedPrecedent, Relation,
};
use crate::http::auth::{AuthContext, CurrentUser};
use crate::http::authz;
use crate::http::PageLang;
use crate::i18n::{self, Lang};
use crate::live::now_ms;
use crate::store::{
    ChangeOutcome, DraftOutcome, Expected, NewSessionLink, PrecedentRow, PrecedentStatus, VersionKind,
    VersionNote,
};
use crate::{audit, guard};

/// Who a lifecycle step is recorded as: the role, never a name.
const BY: &str = "gespreksleider";
/// Longest note on a link, in characters.
const MAX_NOTE: usize = 1000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/sessions/{id}/precedent", post(draft).get(session_precedent))
        .route("/api/v1/sessions/{id}/links", post(link).get(session_links))
        .route("/api/v1/precedents/by-citation/{citation}", get(by_citation))
        .route("/api/v1/precedents/{id}", get(read).put(edit))
        .route("/api/v1/precedents/{id}/adopt", post(adopt))
        .route("/api/v1/precedents/{id}/corrections", post(correct))
        .route("/api/v1/precedents/{id}/withdraw", post(withdraw))
        .route("/api/v1/precedents/{id}/versions/{n}", get(version))
}

fn today() -> CalendarDate {
    crate::domain::local_time::date_of(now_ms())
}

// ---- drafting ---------------------------------------------------------------------------

async fn draft(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(session_id): Path<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let m = session_moderator(&state, &auth, &headers, &session_id, lang).await?;
    let store = &state.store;
    if let Some(existing) =
        store.precedent_of_session(&session_id).await.map_err(|e| ApiError::store(e, lang))?
    {
        return Err(exists(&state, existing, lang).await?);
    }
    if !precedent::can_draft(&m.state) {
        return Err(ApiError::new(StatusCode::CONFLICT, "session_not_concluded", lang));
    }
    let now = now_ms();
    let org = organisation_of_session(store, &m.session, &state.config.org_code, now)
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let team = match m.session.team_id {
        Some(id) => {
            store.team(id).await.map_err(|e| ApiError::store(e, lang))?.map(|t| t.name).unwrap_or_default()
        }
        None => String::new(),
    };
    let related = store
        .links_of_session(&session_id)
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .into_iter()
        .filter_map(|l| {
            Some(RelatedPrecedent { relation: relation(&l.kind)?, citation: l.citation_id?.parse().ok()? })
        })
        .collect();
    let ctx =
        DraftContext { organisation: org.code.clone(), team, drafted_on: today(), by: BY.into(), related };
    let record = precedent::draft(&m.state, &ctx)
        .map_err(|_| ApiError::new(StatusCode::CONFLICT, "session_not_concluded", lang))?;
    guard::check(&record).map_err(|r| ApiError::privacy(r, lang))?;
    let new = new_precedent(&record, org.id, m.session.team_id, &session_id, now);
    match store.create_session_precedent(&new).await.map_err(|e| ApiError::store(e, lang))? {
        DraftOutcome::Created(row) => Ok((StatusCode::CREATED, Json(view(&state, row, lang).await?))),
        DraftOutcome::Exists(row) => Err(exists(&state, row, lang).await?),
    }
}

async fn exists(state: &AppState, row: PrecedentRow, lang: Lang) -> Result<ApiError, ApiError> {
    let view = view(state, row, lang).await?;
    Ok(ApiError::new(StatusCode::CONFLICT, "precedent_exists", lang)
        .with_details(json!({ "precedent": view })))
}

async fn session_precedent(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(session_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    // Who reaches the session first: whether it has a precedent is its members' business.
    session_participant(&state, &auth, &headers, &session_id, lang).await?;
    let row = state
        .store
        .precedent_of_session(&session_id)
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent", lang))?;
    readable(&state, &auth, &headers, &row, lang).await?;
    Ok(Json(view(&state, row, lang).await?))
}

fn relation(kind: &str) -> Option<Relation> {
    serde_json::from_value(Value::String(kind.to_owned())).ok()
}

// ---- reading ----------------------------------------------------------------------------

/// The precedent with its status, version, kept versions (without their records) and links:
/// `linked_sessions` are sessions that follow, deviate from or refine it; `session_links` are
/// the links of the session it was drafted from.
async fn view(state: &AppState, row: PrecedentRow, lang: Lang) -> Result<Value, ApiError> {
    let store = &state.store;
    let versions = store.precedent_versions(row.id).await.map_err(|e| ApiError::store(e, lang))?;
    let linked_sessions = store.links_of_precedent(row.id).await.map_err(|e| ApiError::store(e, lang))?;
    let session_links = match &row.session_id {
        Some(id) => store.links_of_session(id).await.map_err(|e| ApiError::store(e, lang))?,
        None => Vec::new(),
    };
    let versions: Vec<Value> = versions
        .iter()
        .map(|v| {
            json!({ "version": v.version, "kind": v.kind, "changed_by": v.changed_by, "reason": v.reason,
                    "created_at": v.created_at })
        })
        .collect();
    Ok(json!({
        "id": row.id,
        "citation_id": row.citation_id,
        "status": row.status.as_str(),
        "withdrawn": row.status == PrecedentStatus::Withdrawn,
        "version": row.version,
        "session_id": row.session_id,
        "title": row.title,
        "updated_at": row.updated_at,
        "record": row.record,
        "versions": versions,
        "linked_sessions": linked_sessions,
        "session_links": session_links,
    }))
}

/// A precedent that was never adopted (a draft, or a draft withdrawn) only for its session's
/// moderator; adopted ones, withdrawn later or not, for readers of the organisation's archive
/// and for those who reach its session (`authz::precedent_access`).
async fn readable(
    state: &AppState,
    auth: &AuthContext,
    headers: &HeaderMap,
    row: &PrecedentRow,
    lang: Lang,
) -> Result<(), ApiError> {
    match authz::precedent_access(state, auth, headers, row, lang).await? {
        None => Ok(()),
        Some(_) if row.citation_id.is_some() => Ok(()),
        Some(access) => session_moderator(state, auth, headers, &access.session.id, lang).await.map(|_| ()),
    }
}

async fn load(state: &AppState, id: &str, lang: Lang) -> Result<PrecedentRow, ApiError> {
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent", lang);
    let id: i64 = id.parse().map_err(|_| missing())?;
    state.store.precedent(id).await.map_err(|e| ApiError::store(e, lang))?.ok_or_else(missing)
}

async fn read(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let row = load(&state, &id, lang).await?;
    readable(&state, &auth, &headers, &row, lang).await?;
    Ok(Json(view(&state, row, lang).await?))
}

async fn by_citation(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    user: CurrentUser,
    Path(citation): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let citation: CitationId =
        citation.parse().map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_citation", lang))?;
    let row = state
        .store
        .precedent_by_citation(&citation.to_string())
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent", lang))?;
    // Another organisation's precedent, or one the archive setting hides: as if it did not exist.
    if !authz::may_read_precedent(&state, &user, &row).await.map_err(|e| ApiError::store(e, lang))? {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent", lang));
    }
    Ok(Json(view(&state, row, lang).await?))
}

async fn version(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path((id, n)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let row = load(&state, &id, lang).await?;
    readable(&state, &auth, &headers, &row, lang).await?;
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_version", lang);
    let n: i64 = n.parse().map_err(|_| missing())?;
    let v = state
        .store
        .precedent_version(row.id, n)
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(missing)?;
    Ok(Json(json!({
        "precedent_id": v.precedent_id, "citation_id": row.citation_id, "version": v.version, "kind": v.kind,
        "changed_by": v.changed_by, "reason": v.reason, "created_at": v.created_at,
        "current": v.version == row.version, "record": v.record,
    })))
}

// ---- changing ---------------------------------------------------------------------------

/// The precedent, its record and proof that the caller moderates its session.
async fn for_change(
    state: &AppState,
    auth: &AuthContext,
    headers: &HeaderMap,
    id: &str,
    lang: Lang,
) -> Result<(PrecedentRow, Precedent, Moderator), ApiError> {
    let row = load(state, id, lang).await?;
    // Imported precedents have no session, so no moderator: they change by re-import.
    let session = row.session_id.clone().ok_or_else(|| not_moderator(lang))?;
    let m = session_moderator(state, auth, headers, &session, lang).await?;
    let record: Precedent = serde_json::from_value(row.record.clone()).map_err(|e| {
        tracing::error!(precedent = row.id, error = %e, "stored precedent record does not parse");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", lang)
    })?;
    Ok((row, record, m))
}

/// Parses a JSON body after refusing any BSN or IBAN in it (nothing is stored then).
fn body_json<T: serde::de::DeserializeOwned>(body: &Bytes, lang: Lang) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(if body.is_empty() { b"{}" } else { body })
        .map_err(|e| bad_request(&e, lang))?;
    guard::check_json("", &value).map_err(|r| ApiError::privacy(r, lang))?;
    serde_json::from_value(value).map_err(|e| bad_request(&e, lang))
}

fn bad_request(e: &serde_json::Error, lang: Lang) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", lang)
        .with_details(json!({ "detail": e.to_string() }))
}

fn lifecycle_error(e: LifecycleError, lang: Lang) -> ApiError {
    let status = match &e {
        LifecycleError::NotADraft(_)
        | LifecycleError::CannotBecome { .. }
        | LifecycleError::NotAdopted(_) => StatusCode::CONFLICT,
        LifecycleError::ReasonRequired | LifecycleError::ReasonTooLong | LifecycleError::Invalid(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let error = ApiError::new(status, e.code(), lang);
    match e {
        LifecycleError::Invalid(problems) => error.with_details(json!(problems_json(&problems, lang))),
        _ => error,
    }
}

/// Each problem with its field, code and a message in the caller's language.
fn problems_json(problems: &[RecordProblem], lang: Lang) -> Vec<Value> {
    problems
        .iter()
        .map(|p| {
            let template = i18n::text(lang, &format!("api.record.{}", p.code())).unwrap_or("{field}");
            let max = match p {
                RecordProblem::TooLong { max, .. } | RecordProblem::TooManyItems { max, .. } => {
                    max.to_string()
                }
                _ => String::new(),
            };
            let message = template.replace("{field}", p.field()).replace("{max}", &max);
            json!({ "field": p.field(), "code": p.code(), "message": message })
        })
        .collect()
}

fn changed(outcome: ChangeOutcome, lang: Lang) -> Result<PrecedentRow, ApiError> {
    match outcome {
        ChangeOutcome::Changed(row) => Ok(*row),
        ChangeOutcome::Stale => Err(ApiError::new(StatusCode::CONFLICT, "precedent_changed", lang)),
        ChangeOutcome::Refused(reason) => {
            tracing::error!(%reason, "precedent change refused in the store");
            Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", lang))
        }
    }
}

/// The anonymisation scan of every text field of a record, as advice while editing.
fn findings(p: &Precedent) -> Vec<Value> {
    let _timer = crate::metrics::scan_timer();
    precedent::text_fields(p)
        .into_iter()
        .flat_map(|(field, text)| {
            anonymisation::scan(text).into_iter().map(move |f| {
                json!({ "field": field, "kind": f.kind, "text": f.text, "start": f.start, "end": f.end,
                        "suggestion": f.suggestion })
            })
        })
        .collect()
}

/// The anonymisation review of every text field: every finding replaced or kept with a
/// reason (by default as kept when the session's case was reviewed), recorded in the record.
async fn reviewed(
    state: &AppState,
    p: &mut Precedent,
    session_id: &str,
    input: Option<ReviewInput>,
    lang: Lang,
) -> Result<(), ApiError> {
    let input = match input {
        Some(input) => input,
        None => {
            let stored =
                state.store.anonymisation_review(session_id).await.map_err(|e| ApiError::store(e, lang))?;
            let kept = stored
                .and_then(|v| serde_json::from_value::<Review>(v).ok())
                .map(|r| r.kept)
                .unwrap_or_default();
            ReviewInput { kept, ..Default::default() }
        }
    };
    let fields = precedent::text_fields(p);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(f, t)| (f.as_str(), *t)).collect();
    let review = anonymisation::review(&fields, &input, BY, now_ms())
        .map_err(|problems| super::sessions::unresolved(&problems, lang))?;
    let kept: u32 = review.kept_counts.values().sum();
    let replaced: u32 = review.replaced.values().sum();
    p.anonymisation_review = Some(AnonymisationReview {
        reviewer: BY.into(),
        reviewed_on: today(),
        findings: kept + replaced,
        resolution: format!("{replaced} vervangen, {kept} bewust behouden met reden"),
    });
    Ok(())
}

async fn edit(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (row, stored, _) = for_change(&state, &auth, &headers, &id, lang).await?;
    let edited: Precedent = body_json(&body, lang)?;
    let next = precedent::edit_draft(&stored, edited).map_err(|e| lifecycle_error(e, lang))?;
    let outcome = state
        .store
        .change_precedent(row.id, &Expected::of(&row), &write_of(&next, None), now_ms())
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let row = changed(outcome, lang)?;
    let mut out = view(&state, row, lang).await?;
    out["anonymisation_findings"] = json!(findings(&next));
    Ok(Json(out))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AdoptBody {
    #[serde(default)]
    review: Option<ReviewInput>,
}

async fn adopt(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (row, mut record, m) = for_change(&state, &auth, &headers, &id, lang).await?;
    let req: AdoptBody = body_json(&body, lang)?;
    precedent::check_adoptable(&record).map_err(|e| lifecycle_error(e, lang))?;
    guard::check(&record).map_err(|r| ApiError::privacy(r, lang))?;
    reviewed(&state, &mut record, &m.session.id, req.review, lang).await?;
    let on = today();
    let year = precedent::citation_year(&record, on);
    let org = record.organisation.clone().unwrap_or_else(|| state.config.org_code.clone());
    let make = move |n: i64| {
        let number = u32::try_from(n).map_err(|_| format!("citation number {n} out of range"))?;
        let citation = CitationId::new(&org, year, number).map_err(|e| e.to_string())?;
        let adopted = precedent::adopt(&record, citation, on, BY).map_err(|e| e.to_string())?;
        let note = VersionNote { kind: VersionKind::Adopted, changed_by: BY.into(), reason: None };
        Ok(write_of(&adopted, Some(note)))
    };
    let outcome = state
        .store
        .adopt_precedent(row.id, &Expected::of(&row), i64::from(year), &make, now_ms())
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let row = changed(outcome, lang)?;
    audit_step(&state, &auth, &m, audit::action::PRECEDENT_ADOPTED, row.id).await;
    Ok(Json(view(&state, row, lang).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrectionBody {
    record: Precedent,
    reason: String,
    #[serde(default)]
    review: Option<ReviewInput>,
}

async fn correct(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (row, stored, m) = for_change(&state, &auth, &headers, &id, lang).await?;
    let req: CorrectionBody = body_json(&body, lang)?;
    let mut next =
        precedent::correct(&stored, req.record, &req.reason).map_err(|e| lifecycle_error(e, lang))?;
    reviewed(&state, &mut next, &m.session.id, req.review, lang).await?;
    let note = VersionNote {
        kind: VersionKind::Corrected,
        changed_by: BY.into(),
        reason: Some(req.reason.trim().into()),
    };
    let outcome = state
        .store
        .change_precedent(row.id, &Expected::of(&row), &write_of(&next, Some(note)), now_ms())
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let row = changed(outcome, lang)?;
    audit_step(&state, &auth, &m, audit::action::PRECEDENT_CORRECTED, row.id).await;
    Ok((StatusCode::CREATED, Json(view(&state, row, lang).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawBody {
    reason: String,
}

async fn withdraw(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (row, stored, m) = for_change(&state, &auth, &headers, &id, lang).await?;
    let req: WithdrawBody = body_json(&body, lang)?;
    let next =
        precedent::withdraw(&stored, today(), BY, &req.reason).map_err(|e| lifecycle_error(e, lang))?;
    let outcome = state
        .store
        .change_precedent(row.id, &Expected::of(&row), &write_of(&next, None), now_ms())
        .await
        .map_err(|e| ApiError::store(e, lang))?;
    let row = changed(outcome, lang)?;
    audit_step(&state, &auth, &m, audit::action::PRECEDENT_WITHDRAWN, row.id).await;
    Ok(Json(view(&state, row, lang).await?))
}

/// Records an adoption, correction or withdrawal in the audit log (ids only, never content).
async fn audit_step(state: &AppState, auth: &AuthContext, m: &Moderator, action: &'static str, id: i64) {
    let entry = audit::Entry {
        actor: authz::actor_of(&m.participant),
        action,
        target: format!("precedent:{id}"),
        result: audit::result::OK,
        client: auth.client.clone(),
    };
    if let Err(e) = audit::record(state.store.as_ref(), entry).await {
        tracing::error!(error = %e, "cannot write the audit log");
    }
}

// ---- links ------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkBody {
    precedent_id: i64,
    kind: String,
    #[serde(default)]
    note: Option<String>,
}

async fn link(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(session_id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    session_moderator(&state, &auth, &headers, &session_id, lang).await?;
    let req: LinkBody = body_json(&body, lang)?;
    let kind = relation(&req.kind)
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_link_kind", lang))?;
    let note = req.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "note_too_long", lang));
    }
    let row = state
        .store
        .precedent(req.precedent_id)
        .await
        .map_err(|e| ApiError::store(e, lang))?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent", lang))?;
    if row.session_id.as_deref() == Some(session_id.as_str()) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot_link_own", lang));
    }
    if row.status != PrecedentStatus::Adopted {
        return Err(ApiError::new(StatusCode::CONFLICT, "link_needs_adopted", lang));
    }
    let kind =
        serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let new =
        NewSessionLink { session_id: session_id.clone(), precedent_id: row.id, kind, note, now_ms: now_ms() };
    state.store.link_session(&new).await.map_err(|e| ApiError::store(e, lang))?;
    let links = state.store.links_of_session(&session_id).await.map_err(|e| ApiError::store(e, lang))?;
    Ok((StatusCode::CREATED, Json(json!({ "links": links }))))
}

async fn session_links(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    headers: HeaderMap,
    Path(session_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    session_participant(&state, &auth, &headers, &session_id, lang).await?;
    let links = state.store.links_of_session(&session_id).await.map_err(|e| ApiError::store(e, lang))?;
    Ok(Json(json!({ "links": links })))
}
