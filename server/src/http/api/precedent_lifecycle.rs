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

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{ApiError, ErrorBody};
use crate::app::AppState;
use crate::archive::lifecycle::{new_precedent, organisation_of_session, write_of};
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::anonymisation::{self, Review, ReviewInput};
use crate::domain::precedent::{
    self, AdoptionRule, AdoptionStep, AnonymisationReview, Approval, ApprovalError, CalendarDate, CitationId,
    DraftContext, LifecycleError, Precedent, RecordProblem, RelatedPrecedent, Relation,
};
use crate::http::auth::{AuthContext, CurrentUser};
use crate::http::authz::{self, EditablePrecedent, Moderator, ReadablePrecedent, Rule, SessionAccess};
use crate::http::routes::Route;
use crate::http::Call;
use crate::i18n::{self, Lang};
use crate::store::{
    Adoption, ChangeOutcome, DraftOutcome, Expected, NewSessionLink, PrecedentChange, PrecedentRow,
    PrecedentStatus, PrecedentWrite, SessionLink, StoredApproval, VersionKind, VersionNote,
};
use crate::{audit, guard};

/// Who a lifecycle step is recorded as: the role, never a name.
const BY: &str = "gespreksleider";
/// Longest note on a link, in characters.
const MAX_NOTE: usize = 1000;

/// A precedent as these routes answer it: status, version, kept versions (without their
/// records) and links.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct PrecedentView {
    id: i64,
    citation_id: Option<String>,
    /// `draft`, `awaiting_approval` (a draft a colleague is to approve), `adopted` or `withdrawn`.
    status: String,
    approval: ApprovalView,
    withdrawn: bool,
    version: i64,
    session_id: Option<String>,
    title: String,
    updated_at: i64,
    /// The precedent record (docs/archive.md); without `evaluation` outside its team.
    #[schema(value_type = crate::domain::precedent::Precedent)]
    record: Value,
    versions: Vec<VersionSummary>,
    /// Sessions that follow, deviate from or refine it.
    linked_sessions: Vec<LinkView>,
    /// The links of the session it was drafted from.
    session_links: Vec<LinkView>,
}

/// A draft's approval under the four-eyes rule, with names and local times: `{}` when never
/// asked (or adopted since).
#[derive(Default, Serialize, utoipa::ToSchema)]
pub(crate) struct ApprovalView {
    /// `awaiting` or `sent_back`.
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    requested_by: Option<String>,
    /// `YYYY-MM-DD HH:MM`, Amsterdam time.
    #[serde(skip_serializing_if = "Option::is_none")]
    requested_at: Option<String>,
    /// Who sent it back.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
}

/// A kept version, without its record.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct VersionSummary {
    version: i64,
    kind: String,
    changed_by: String,
    reason: Option<String>,
    created_at: i64,
}

/// A link between a session and a precedent.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LinkView {
    session_id: String,
    session_title: String,
    precedent_id: i64,
    citation_id: Option<String>,
    precedent_title: String,
    precedent_status: String,
    /// `follows`, `deviates_from` or `refines`.
    kind: String,
    note: Option<String>,
    created_at: i64,
}

impl From<SessionLink> for LinkView {
    fn from(l: SessionLink) -> Self {
        LinkView {
            session_id: l.session_id,
            session_title: l.session_title,
            precedent_id: l.precedent_id,
            citation_id: l.citation_id,
            precedent_title: l.precedent_title,
            precedent_status: l.precedent_status,
            kind: l.kind,
            note: l.note,
            created_at: l.created_at,
        }
    }
}

fn links(rows: Vec<SessionLink>) -> Vec<LinkView> {
    rows.into_iter().map(LinkView::from).collect()
}

/// One kept version of a precedent, with its record.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct VersionView {
    precedent_id: i64,
    citation_id: Option<String>,
    version: i64,
    kind: String,
    changed_by: String,
    reason: Option<String>,
    created_at: i64,
    /// Whether it is the precedent's current version.
    current: bool,
    #[schema(value_type = crate::domain::precedent::Precedent)]
    record: Value,
}

/// An edited draft, with the anonymisation scan of its text fields as advice.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct EditedView {
    #[serde(flatten)]
    view: PrecedentView,
    anonymisation_findings: Vec<FieldFinding>,
}

/// A finding in one text field of a record.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct FieldFinding {
    field: String,
    #[schema(value_type = String)]
    kind: anonymisation::Kind,
    text: String,
    start: usize,
    end: usize,
    suggestion: String,
}

/// A session's links to precedents.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Links {
    links: Vec<LinkView>,
}

/// The contract of these routes (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    draft,
    session_precedent,
    link,
    session_links,
    by_citation,
    read,
    edit,
    adopt,
    correct,
    withdraw,
    version
))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/api/v1/sessions/{id}/precedent", Rule::Session, draft),
        Route::get("/api/v1/sessions/{id}/precedent", Rule::Session, session_precedent),
        Route::post("/api/v1/sessions/{id}/links", Rule::Session, link),
        Route::get("/api/v1/sessions/{id}/links", Rule::Session, session_links),
        Route::get(
            "/api/v1/precedents/by-citation/{citation}",
            Rule::SignedIn(Action::ReadArchive),
            by_citation,
        ),
        Route::get("/api/v1/precedents/{id}", Rule::Precedent, read),
        Route::put("/api/v1/precedents/{id}", Rule::Precedent, edit),
        Route::post("/api/v1/precedents/{id}/adopt", Rule::Precedent, adopt),
        Route::post("/api/v1/precedents/{id}/corrections", Rule::Precedent, correct),
        Route::post("/api/v1/precedents/{id}/withdraw", Rule::Precedent, withdraw),
        Route::get("/api/v1/precedents/{id}/versions/{n}", Rule::Precedent, version),
    ]
}

fn today() -> CalendarDate {
    crate::domain::local_time::date_of(now_ms())
}

// ---- drafting ---------------------------------------------------------------------------

#[utoipa::path(post, path = "/api/v1/sessions/{id}/precedent", tag = "precedents", params(("id" = String, Path)), responses((status = 201, body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn draft(
    Call { state, .. }: Call,
    m: Moderator,
) -> Result<(StatusCode, Json<PrecedentView>), ApiError> {
    let session_id = m.session.header.id.clone();
    let store = &state.store;
    if let Some(existing) = store.precedent_of_session(&session_id).await.map_err(ApiError::store)? {
        return Err(exists(&state, existing).await?);
    }
    if !precedent::can_draft(&m.state) {
        return Err(ApiError::new(StatusCode::CONFLICT, "session_not_concluded"));
    }
    let now = now_ms();
    let org = organisation_of_session(store, &m.session, &state.config.org_code, now)
        .await
        .map_err(ApiError::store)?;
    let team = match m.session.header.team_id {
        Some(id) => store.team(id).await.map_err(ApiError::store)?.map(|t| t.name).unwrap_or_default(),
        None => String::new(),
    };
    let related = store
        .links_of_session(&session_id)
        .await
        .map_err(ApiError::store)?
        .into_iter()
        .filter_map(|l| {
            Some(RelatedPrecedent { relation: relation(&l.kind)?, citation: l.citation_id?.parse().ok()? })
        })
        .collect();
    let ctx =
        DraftContext { organisation: org.code.clone(), team, drafted_on: today(), by: BY.into(), related };
    let record = precedent::draft(&m.state, &ctx)
        .map_err(|_| ApiError::new(StatusCode::CONFLICT, "session_not_concluded"))?;
    let new = new_precedent(&record, org.id, m.session.header.team_id, &session_id, now);
    let new = guard::screen(new).map_err(ApiError::privacy)?;
    match store.create_session_precedent(&new).await.map_err(ApiError::store)? {
        DraftOutcome::Created(row) => Ok((StatusCode::CREATED, Json(view(&state, row).await?))),
        DraftOutcome::Exists(row) => Err(exists(&state, row).await?),
    }
}

async fn exists(state: &AppState, row: PrecedentRow) -> Result<ApiError, ApiError> {
    let view = view(state, row).await?;
    Ok(ApiError::new(StatusCode::CONFLICT, "precedent_exists").with_details(json!({ "precedent": view })))
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}/precedent", tag = "precedents", params(("id" = String, Path)), responses((status = 200, body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn session_precedent(
    Call { state, auth }: Call,
    headers: HeaderMap,
    // Who reaches the session first: whether it has a precedent is its members' business.
    access: SessionAccess,
) -> Result<Json<PrecedentView>, ApiError> {
    let row = state
        .store
        .precedent_of_session(&access.session.header.id)
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent"))?;
    let p = authz::readable(&state, &auth, &headers, row).await?;
    Ok(Json(for_reader(view(&state, p.row).await?, p.team)))
}

fn relation(kind: &str) -> Option<Relation> {
    serde_json::from_value(Value::String(kind.to_owned())).ok()
}

// ---- reading ----------------------------------------------------------------------------

/// The precedent with its status, version, kept versions (without their records) and links:
/// `linked_sessions` are sessions that follow, deviate from or refine it; `session_links` are
/// the links of the session it was drafted from.
async fn view(state: &AppState, row: PrecedentRow) -> Result<PrecedentView, ApiError> {
    let store = &state.store;
    let versions = store.precedent_versions(row.id).await.map_err(ApiError::store)?;
    let linked_sessions = store.links_of_precedent(row.id).await.map_err(ApiError::store)?;
    let session_links = match &row.session_id {
        Some(id) => store.links_of_session(id).await.map_err(ApiError::store)?,
        None => Vec::new(),
    };
    let versions = versions
        .into_iter()
        .map(|v| VersionSummary {
            version: v.version,
            kind: v.kind,
            changed_by: v.changed_by,
            reason: v.reason,
            created_at: v.created_at,
        })
        .collect();
    let approval = approval_view(state, &row).await?;
    let awaiting = approval.state == Some("awaiting");
    Ok(PrecedentView {
        id: row.id,
        citation_id: row.citation_id,
        status: if awaiting { "awaiting_approval".into() } else { row.status.as_str().into() },
        approval,
        withdrawn: row.status == PrecedentStatus::Withdrawn,
        version: row.version,
        session_id: row.session_id,
        title: row.title,
        updated_at: row.updated_at,
        record: row.record,
        versions,
        linked_sessions: links(linked_sessions),
        session_links: links(session_links),
    })
}

/// A draft's approval under the four-eyes rule (see [`ApprovalView`]).
async fn approval_view(state: &AppState, row: &PrecedentRow) -> Result<ApprovalView, ApiError> {
    if row.status != PrecedentStatus::Draft {
        return Ok(ApprovalView::default());
    }
    let Some(stored) = state.store.approval(row.id).await.map_err(ApiError::store)? else {
        return Ok(ApprovalView::default());
    };
    let name = |id: i64| async move {
        state.store.user(id).await.ok().flatten().map(|u| u.display_name).unwrap_or_default()
    };
    let minute = crate::domain::local_time::minute_of;
    Ok(match stored.approval {
        Approval::None => ApprovalView::default(),
        Approval::Awaiting { requested_by, requested_at_ms } => ApprovalView {
            state: Some("awaiting"),
            requested_by: Some(name(requested_by).await),
            requested_at: Some(minute(requested_at_ms)),
            ..ApprovalView::default()
        },
        Approval::SentBack { requested_by, by, reason, at_ms } => ApprovalView {
            state: Some("sent_back"),
            requested_by: Some(name(requested_by).await),
            by: Some(name(by).await),
            reason: Some(reason),
            at: Some(minute(at_ms)),
            ..ApprovalView::default()
        },
    })
}

#[utoipa::path(get, path = "/api/v1/precedents/{id}", tag = "precedents", params(("id" = i64, Path)), responses((status = 200, body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn read(Call { state, .. }: Call, p: ReadablePrecedent) -> Result<Json<PrecedentView>, ApiError> {
    Ok(Json(for_reader(view(&state, p.row).await?, p.team)))
}

/// What a reader outside the precedent's team gets: the citable precedent without the team's
/// evaluation of its own session.
fn for_reader(mut view: PrecedentView, team: bool) -> PrecedentView {
    if !team {
        strip_evaluation(&mut view.record);
    }
    view
}

fn strip_evaluation(record: &mut Value) {
    if let Some(record) = record.as_object_mut() {
        record.remove("evaluation");
    }
}

#[utoipa::path(get, path = "/api/v1/precedents/by-citation/{citation}", tag = "precedents", params(("citation" = String, Path)), responses((status = 200, body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn by_citation(
    Call { state, .. }: Call,
    user: CurrentUser,
    Path(citation): Path<String>,
) -> Result<Json<PrecedentView>, ApiError> {
    let citation: CitationId =
        citation.parse().map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid_citation"))?;
    let row = state
        .store
        .precedent_by_citation(&citation.to_string())
        .await
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent"))?;
    // Another organisation's precedent, or one the archive setting hides: as if it did not exist.
    if !authz::may_read_precedent(&state, &user.user, &row).await.map_err(ApiError::store)? {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no_such_precedent"));
    }
    let own = authz::team_ids(&state, user.user.id).await.map_err(ApiError::store)?;
    let team = row.team_id.is_some_and(|t| own.contains(&t));
    Ok(Json(for_reader(view(&state, row).await?, team)))
}

#[utoipa::path(get, path = "/api/v1/precedents/{id}/versions/{n}", tag = "precedents", params(("id" = i64, Path), ("n" = i64, Path)), responses((status = 200, body = VersionView), (status = "default", description = "An error", body = ErrorBody)))]
async fn version(
    Call { state, .. }: Call,
    ReadablePrecedent { row, team, .. }: ReadablePrecedent,
    Path((_, n)): Path<(String, String)>,
) -> Result<Json<VersionView>, ApiError> {
    let missing = || ApiError::new(StatusCode::NOT_FOUND, "no_such_version");
    let n: i64 = n.parse().map_err(|_| missing())?;
    let v = state.store.precedent_version(row.id, n).await.map_err(ApiError::store)?.ok_or_else(missing)?;
    let mut out = VersionView {
        precedent_id: v.precedent_id,
        citation_id: row.citation_id,
        version: v.version,
        kind: v.kind,
        changed_by: v.changed_by,
        reason: v.reason,
        created_at: v.created_at,
        current: v.version == row.version,
        record: v.record,
    };
    if !team {
        strip_evaluation(&mut out.record);
    }
    Ok(Json(out))
}

// ---- changing ---------------------------------------------------------------------------

/// Parses a JSON body: its counts first (`limits`, e.g. [`precedent::check_counts`]), then
/// any BSN or IBAN in it is refused (nothing is stored then), then its shape. A body that
/// does not fit the type gets no count check; the privacy check still comes before any error
/// that could quote the body.
fn body_json<T: serde::de::DeserializeOwned>(
    body: &Bytes,
    limits: impl FnOnce(&T) -> Result<(), LifecycleError>,
) -> Result<T, ApiError> {
    let value: Value =
        serde_json::from_slice(if body.is_empty() { b"{}" } else { body }).map_err(|e| bad_request(&e))?;
    let parsed = T::deserialize(&value);
    if let Ok(parsed) = &parsed {
        limits(parsed).map_err(lifecycle_error)?;
    }
    guard::check_json("", &value).map_err(ApiError::privacy)?;
    if parsed.is_err() {
        // A law reference that does not parse fails the whole record's shape: say which one,
        // by its field, so the editor shows it there.
        let refs = value.get("law_refs").or_else(|| value.get("record").and_then(|r| r.get("law_refs")));
        if let Some(Value::Array(items)) = refs {
            let problems = precedent::check_law_refs(items.iter().map(|v| v.as_str().unwrap_or("")));
            if !problems.is_empty() {
                return Err(lifecycle_error(LifecycleError::Invalid(problems)));
            }
        }
    }
    parsed.map_err(|e| bad_request(&e))
}

/// No counts to check.
fn no_limits<T>(_: &T) -> Result<(), LifecycleError> {
    Ok(())
}

fn bad_request(e: &serde_json::Error) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request").with_details(json!({ "detail": e.to_string() }))
}

fn lifecycle_error(e: LifecycleError) -> ApiError {
    let status = match &e {
        LifecycleError::NotADraft(_)
        | LifecycleError::CannotBecome { .. }
        | LifecycleError::NotAdopted(_) => StatusCode::CONFLICT,
        LifecycleError::ReasonRequired
        | LifecycleError::ReasonTooLong
        | LifecycleError::Invalid(_)
        | LifecycleError::TooManyItems { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let error = ApiError::new(status, e.code());
    match e {
        LifecycleError::Invalid(problems) => {
            error.with_details_said(move |lang| json!(problems_json(&problems, lang)))
        }
        LifecycleError::TooManyItems { field, max, count } => error
            .with_vars(&[("field", field.clone()), ("max", max.to_string()), ("count", count.to_string())])
            .with_details(json!({ "field": field, "max": max, "count": count })),
        _ => error,
    }
}

/// Each problem with its field, code and a message in the caller's language.
fn problems_json(problems: &[RecordProblem], lang: Lang) -> Vec<Value> {
    problems
        .iter()
        .map(|p| {
            let template = i18n::text(lang, &format!("api.record.{}", p.code())).unwrap_or("{field}");
            let (max, count) = match p {
                RecordProblem::TooLong { max, .. } | RecordProblem::TooManyItems { max, .. } => {
                    (max.to_string(), String::new())
                }
                RecordProblem::MoreProblems { count } => {
                    (crate::domain::problems::MAX_PROBLEMS_REPORTED.to_string(), count.to_string())
                }
                _ => (String::new(), String::new()),
            };
            let mut message =
                template.replace("{field}", p.field()).replace("{max}", &max).replace("{count}", &count);
            if let RecordProblem::InvalidLawRef { error, .. } = p {
                if let Some(why) = i18n::text(lang, &format!("api.error.{error}")) {
                    message = format!("{message} {why}");
                }
            }
            json!({ "field": p.field(), "code": p.code(), "message": message })
        })
        .collect()
}

fn changed(outcome: ChangeOutcome) -> Result<PrecedentRow, ApiError> {
    match outcome {
        ChangeOutcome::Changed(row) => Ok(*row),
        ChangeOutcome::Stale => Err(ApiError::new(StatusCode::CONFLICT, "precedent_changed")),
        ChangeOutcome::Refused(reason) => {
            tracing::error!(%reason, "precedent change refused in the store");
            Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal"))
        }
    }
}

/// The anonymisation scan of every text field of a record, as advice while editing.
fn findings(p: &Precedent) -> Vec<FieldFinding> {
    let _timer = crate::metrics::scan_timer();
    precedent::text_fields(p)
        .into_iter()
        .flat_map(|(field, text)| {
            anonymisation::scan(text).into_iter().map(move |f| FieldFinding {
                field: field.to_string(),
                kind: f.kind,
                text: f.text,
                start: f.start,
                end: f.end,
                suggestion: f.suggestion,
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
    reviewer: &str,
) -> Result<(), ApiError> {
    let input = match input {
        Some(input) => guard::screen(input).map_err(ApiError::privacy)?.into_inner(),
        None => {
            let stored = state.store.anonymisation_review(session_id).await.map_err(ApiError::store)?;
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
        .map_err(|problems| super::sessions::unresolved(&problems))?;
    let kept: u32 = review.kept_counts.values().sum();
    let replaced: u32 = review.replaced.values().sum();
    p.anonymisation_review = Some(AnonymisationReview {
        // A person's name ("Gecontroleerd door"), the role where none is known.
        reviewer: if reviewer.trim().is_empty() { BY.into() } else { reviewer.to_owned() },
        reviewed_on: today(),
        findings: kept + replaced,
        resolution: format!("{replaced} vervangen, {kept} bewust behouden met reden"),
    });
    Ok(())
}

#[utoipa::path(put, path = "/api/v1/precedents/{id}", tag = "precedents", params(("id" = i64, Path)), request_body(content = serde_json::Value, description = "The edited precedent record (docs/archive.md)"), responses((status = 200, body = EditedView), (status = "default", description = "An error", body = ErrorBody)))]
async fn edit(
    Call { state, auth }: Call,
    target: EditablePrecedent,
    body: Bytes,
) -> Result<Json<EditedView>, ApiError> {
    // Not while a colleague reads it for approval: they approve what was asked.
    precedent::check_editable(&approval_of(&state, target.row.id).await?).map_err(approval_error)?;
    let stored = target.record.clone();
    let next = crate::cpu::run(move || {
        let edited: Precedent = body_json(&body, precedent::check_counts)?;
        precedent::edit_draft(&stored, edited).map_err(lifecycle_error)
    })
    .await?;
    let change = Step::Change(Box::new(write_of(&next, None)));
    let view = step(&state, &auth, &target, change, None).await?;
    let anonymisation_findings = crate::cpu::run(move || findings(&next)).await;
    Ok(Json(EditedView { view, anonymisation_findings }))
}

/// One change of a precedent, the same for every lifecycle step: written only if nobody
/// changed it since it was read (else 409 `precedent_changed`), recorded in the audit log when
/// `audited`, answered with the new view.
enum Step {
    Change(Box<PrecedentWrite>),
}

async fn step(
    state: &AppState,
    auth: &AuthContext,
    target: &EditablePrecedent,
    step: Step,
    audited: Option<&'static str>,
) -> Result<PrecedentView, ApiError> {
    let (row, store) = (&target.row, &state.store);
    let expected = Expected::of(row);
    let outcome = match step {
        Step::Change(write) => {
            let write = guard::screen(*write).map_err(ApiError::privacy)?;
            let change = PrecedentChange { id: row.id, expected: &expected, write: &write, now_ms: now_ms() };
            store.change_precedent(&change).await
        }
    };
    let row = changed(outcome.map_err(ApiError::store)?)?;
    if let Some(action) = audited {
        audit_step(state, auth, &target.moderator, action, row.id).await;
    }
    view(state, row).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct AdoptBody {
    #[serde(default)]
    review: Option<ReviewInput>,
}

#[utoipa::path(post, path = "/api/v1/precedents/{id}/adopt", tag = "precedents", params(("id" = i64, Path)), request_body = AdoptBody, responses((status = 200, body = PrecedentView), (status = 202, description = "Awaiting a second reader (four-eyes)", body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn adopt(
    Call { state, auth }: Call,
    target: EditablePrecedent,
    body: Bytes,
) -> Result<(StatusCode, Json<PrecedentView>), ApiError> {
    let req: AdoptBody = body_json(&body, no_limits)?;
    let row = &target.row;
    let rule = adoption_rule(&state, row.organisation_id).await.map_err(ApiError::store)?;
    let current = approval_of(&state, row.id).await?;
    let author = user_of_participant(&target.moderator.participant);
    let step = precedent::request_adoption(rule, &target.record, &current, author, now_ms())
        .map_err(approval_error)?;
    let mut record = target.record.clone();
    guard::check(&record).map_err(ApiError::privacy)?;
    match step {
        AdoptionStep::Adopt => {
            let name = moderator_name(&state, &target.moderator).await;
            let names = AdoptedBy { reviewer: name, by: BY.to_owned() };
            let adopted = adopt_row(
                &state,
                row,
                record,
                &target.moderator.session.header.id,
                req.review,
                &names,
                Expected::of(row),
            )
            .await?;
            audit_step(&state, &auth, &target.moderator, audit::action::PRECEDENT_ADOPTED, row.id).await;
            Ok((StatusCode::OK, Json(view(&state, adopted).await?)))
        }
        AdoptionStep::Await(approval) => {
            // The anonymisation review is checked now, so the colleague is not asked to approve
            // what could not be adopted.
            reviewed(&state, &mut record, &target.moderator.session.header.id, req.review.clone(), "")
                .await?;
            let stored = StoredApproval {
                precedent_id: row.id,
                approval,
                draft_updated_at: row.updated_at,
                review: req.review.as_ref().and_then(|r| serde_json::to_value(r).ok()),
            };
            let stored = guard::screen(stored).map_err(ApiError::privacy)?;
            let written =
                state.store.set_approval(&Expected::of(row), &stored).await.map_err(ApiError::store)?;
            if !written {
                return Err(ApiError::new(StatusCode::CONFLICT, "precedent_changed"));
            }
            audit_step(&state, &auth, &target.moderator, audit::action::PRECEDENT_APPROVAL_REQUESTED, row.id)
                .await;
            Ok((StatusCode::ACCEPTED, Json(view(&state, row.clone()).await?)))
        }
    }
}

/// Who an adoption names: the person who checked it ("Gecontroleerd door", a name) and who
/// adopted it (the status history).
pub(crate) struct AdoptedBy {
    pub reviewer: String,
    pub by: String,
}

/// Adopts a draft that may be adopted: the anonymisation review recorded, the next citation
/// number of its organisation and year, the version kept. `expected` is the draft as the caller
/// decided on it (else 409 `precedent_changed`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn adopt_row(
    state: &AppState,
    row: &PrecedentRow,
    mut record: Precedent,
    session_id: &str,
    review: Option<ReviewInput>,
    names: &AdoptedBy,
    expected: Expected,
) -> Result<PrecedentRow, ApiError> {
    precedent::check_adoptable(&record).map_err(lifecycle_error)?;
    guard::check(&record).map_err(ApiError::privacy)?;
    reviewed(state, &mut record, session_id, review, &names.reviewer).await?;
    let on = today();
    let year = precedent::citation_year(&record, on);
    let org = record.organisation.clone().unwrap_or_else(|| state.config.org_code.clone());
    let by = names.by.clone();
    let make = move |n: i64| {
        let number = u32::try_from(n).map_err(|_| format!("citation number {n} out of range"))?;
        let citation = CitationId::new(&org, year, number).map_err(|e| e.to_string())?;
        let adopted = precedent::adopt(&record, citation, on, &by).map_err(|e| e.to_string())?;
        let note = VersionNote { kind: VersionKind::Adopted, changed_by: by.clone(), reason: None };
        guard::screen(write_of(&adopted, Some(note))).map_err(|r| r.to_string())
    };
    let adoption =
        Adoption { id: row.id, expected: &expected, year: i64::from(year), make: &make, now_ms: now_ms() };
    let outcome = state.store.adopt_precedent(&adoption).await.map_err(ApiError::store)?;
    changed(outcome)
}

/// The organisation's adoption rule (its setting `four_eyes`).
pub(crate) async fn adoption_rule(
    state: &AppState,
    organisation_id: i64,
) -> Result<AdoptionRule, crate::store::StoreError> {
    let org = state.store.organisation(organisation_id).await?;
    let on = org.and_then(|o| o.settings.get("four_eyes").and_then(Value::as_bool)).unwrap_or(false);
    Ok(AdoptionRule::from_setting(on))
}

/// A draft's place under the four-eyes rule (`Approval::None` when never asked).
pub(crate) async fn approval_of(state: &AppState, id: i64) -> Result<Approval, ApiError> {
    Ok(state.store.approval(id).await.map_err(ApiError::store)?.map(|a| a.approval).unwrap_or(Approval::None))
}

/// The signed-in user behind a session participant (`u-<id>`), if any.
fn user_of_participant(p: &crate::domain::session::ParticipantId) -> Option<i64> {
    p.as_str().strip_prefix("u-").and_then(|id| id.parse().ok())
}

/// The moderator as a person, for "Gecontroleerd door": their account's name when signed in,
/// else their name in the session.
async fn moderator_name(state: &AppState, m: &Moderator) -> String {
    if let Some(id) = user_of_participant(&m.participant) {
        if let Ok(Some(user)) = state.store.user(id).await {
            return user.display_name;
        }
    }
    m.state.participant(&m.participant).map(|p| p.display_name.clone()).unwrap_or_else(|| BY.to_owned())
}

pub(crate) fn approval_error(e: ApprovalError) -> ApiError {
    match e {
        ApprovalError::Lifecycle(e) => lifecycle_error(e),
        ApprovalError::NotAnApprover | ApprovalError::OwnRequest => {
            ApiError::new(StatusCode::FORBIDDEN, e.code())
        }
        ApprovalError::AuthorUnknown => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code()),
        _ => ApiError::new(StatusCode::CONFLICT, e.code()),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct CorrectionBody {
    record: Precedent,
    reason: String,
    #[serde(default)]
    review: Option<ReviewInput>,
}

#[utoipa::path(post, path = "/api/v1/precedents/{id}/corrections", tag = "precedents", params(("id" = i64, Path)), request_body = CorrectionBody, responses((status = 201, body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn correct(
    Call { state, auth }: Call,
    target: EditablePrecedent,
    body: Bytes,
) -> Result<(StatusCode, Json<PrecedentView>), ApiError> {
    let stored = target.record.clone();
    let (mut next, reason, review) = crate::cpu::run(move || {
        let req: CorrectionBody = body_json(&body, |b: &CorrectionBody| precedent::check_counts(&b.record))?;
        let CorrectionBody { record, reason, review } = req;
        let next = precedent::correct(&stored, record, &reason).map_err(lifecycle_error)?;
        Ok::<_, ApiError>((next, reason, review))
    })
    .await?;
    let reviewer = moderator_name(&state, &target.moderator).await;
    reviewed(&state, &mut next, &target.moderator.session.header.id, review, &reviewer).await?;
    let note = VersionNote {
        kind: VersionKind::Corrected,
        changed_by: BY.into(),
        reason: Some(reason.trim().into()),
    };
    let change = Step::Change(Box::new(write_of(&next, Some(note))));
    let view = step(&state, &auth, &target, change, Some(audit::action::PRECEDENT_CORRECTED)).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct WithdrawBody {
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/precedents/{id}/withdraw", tag = "precedents", params(("id" = i64, Path)), request_body = WithdrawBody, responses((status = 200, body = PrecedentView), (status = "default", description = "An error", body = ErrorBody)))]
async fn withdraw(
    Call { state, auth }: Call,
    target: EditablePrecedent,
    body: Bytes,
) -> Result<Json<PrecedentView>, ApiError> {
    let req: WithdrawBody = body_json(&body, no_limits)?;
    let next = precedent::withdraw(&target.record, today(), BY, &req.reason).map_err(lifecycle_error)?;
    let change = Step::Change(Box::new(write_of(&next, None)));
    Ok(Json(step(&state, &auth, &target, change, Some(audit::action::PRECEDENT_WITHDRAWN)).await?))
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

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LinkBody {
    precedent_id: i64,
    kind: String,
    #[serde(default)]
    note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/sessions/{id}/links", tag = "precedents", params(("id" = String, Path)), request_body = LinkBody, responses((status = 201, body = Links), (status = "default", description = "An error", body = ErrorBody)))]
async fn link(
    Call { state, .. }: Call,
    access: SessionAccess,
    body: Bytes,
) -> Result<(StatusCode, Json<Links>), ApiError> {
    let session_id = access.session.header.id.clone();
    authz::moderator_of(&state, access.clone()).await?;
    let req: LinkBody = body_json(&body, no_limits)?;
    let kind = relation(&req.kind)
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_link_kind"))?;
    let note = req.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "note_too_long"));
    }
    // Another organisation's precedent, a draft, or a missing id: the same 404.
    let row = authz::linkable_precedent(&state, &access, req.precedent_id).await?;
    if row.session_id.as_deref() == Some(session_id.as_str()) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot_link_own"));
    }
    if row.status != PrecedentStatus::Adopted {
        return Err(ApiError::new(StatusCode::CONFLICT, "link_needs_adopted"));
    }
    let kind =
        serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let new =
        NewSessionLink { session_id: session_id.clone(), precedent_id: row.id, kind, note, now_ms: now_ms() };
    let new = guard::screen(new).map_err(ApiError::privacy)?;
    state.store.link_session(&new).await.map_err(ApiError::store)?;
    let rows = state.store.links_of_session(&session_id).await.map_err(ApiError::store)?;
    Ok((StatusCode::CREATED, Json(Links { links: links(rows) })))
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}/links", tag = "precedents", params(("id" = String, Path)), responses((status = 200, body = Links), (status = "default", description = "An error", body = ErrorBody)))]
async fn session_links(Call { state, .. }: Call, access: SessionAccess) -> Result<Json<Links>, ApiError> {
    let rows = state.store.links_of_session(&access.session.header.id).await.map_err(ApiError::store)?;
    Ok(Json(Links { links: links(rows) }))
}
