//! The lifecycle of a precedent: drafting from a session, lifecycle changes checked against
//! what the caller read, citation numbers given inside the write transaction, every adopted
//! version kept, and links between sessions and precedents. The statements that write a
//! precedent inside a transaction are in `precedent_writes.rs`.

use async_trait::async_trait;
use serde::Serialize;
use serde_json::Value;

use super::backend::{Backend, SqlStore};
use super::model::{NewPrecedent, PrecedentIndex, PrecedentRow, PrecedentStatus};
use super::query::row_where;
use super::sql::PRECEDENT_COLUMNS;
use super::{Result, StoreError};
use crate::domain::precedent::Approval;
use crate::guard::Screened;

/// What a lifecycle step writes into a precedent's row (and its search rows).
#[derive(Clone, Debug)]
pub struct PrecedentWrite {
    pub status: PrecedentStatus,
    pub version: i64,
    /// Set once, on adoption; a stored citation id is never replaced.
    pub citation_id: Option<String>,
    pub title: String,
    pub decided_on: Option<String>,
    pub method_key: Option<String>,
    pub record: Value,
    pub index: PrecedentIndex,
    /// The version to keep in the history (adoption, correction).
    pub keep_version: Option<VersionNote>,
}

/// A lifecycle step ([`PrecedentLifecycle::change_precedent`]): which precedent, as the caller
/// decided on it, what to write, and when.
#[derive(Clone, Copy)]
pub struct PrecedentChange<'a> {
    pub id: i64,
    pub expected: &'a Expected,
    pub write: &'a Screened<PrecedentWrite>,
    pub now_ms: i64,
}

/// Makes the adopted row from the citation number the store took; an `Err` (the number does
/// not fit, the record is refused) ends the adoption with nothing written.
pub type MakeAdopted = dyn Fn(i64) -> std::result::Result<Screened<PrecedentWrite>, String> + Send + Sync;

/// An adoption ([`PrecedentLifecycle::adopt_precedent`]): which precedent, as the caller
/// decided on it, the year of its citation number, how to make the row, and when.
#[derive(Clone, Copy)]
pub struct Adoption<'a> {
    pub id: i64,
    pub expected: &'a Expected,
    pub year: i64,
    pub make: &'a MakeAdopted,
    pub now_ms: i64,
}

/// Who made a kept version, and why.
#[derive(Clone, Debug)]
pub struct VersionNote {
    pub kind: VersionKind,
    pub changed_by: String,
    pub reason: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    Adopted,
    Corrected,
}

impl VersionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Adopted => "adopted",
            Self::Corrected => "corrected",
        }
    }
}

/// The state the caller decided on; a change meanwhile makes the step `Stale`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub status: PrecedentStatus,
    pub version: i64,
    pub updated_at: i64,
}

impl Expected {
    pub fn of(row: &PrecedentRow) -> Self {
        Expected { status: row.status.clone(), version: row.version, updated_at: row.updated_at }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChangeOutcome {
    Changed(Box<PrecedentRow>),
    /// Someone changed the precedent after the caller read it; nothing was written.
    Stale,
    /// The step was refused inside the transaction; nothing was written.
    Refused(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum DraftOutcome {
    Created(PrecedentRow),
    /// The session has a precedent already; nothing was written.
    Exists(PrecedentRow),
}

/// One kept version of a precedent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecedentVersion {
    pub precedent_id: i64,
    pub version: i64,
    pub kind: String,
    pub record: Value,
    pub changed_by: String,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct VersionRaw {
    precedent_id: i64,
    version: i64,
    kind: String,
    record: sqlx::types::Json<Value>,
    changed_by: String,
    reason: Option<String>,
    created_at: i64,
}

impl From<VersionRaw> for PrecedentVersion {
    fn from(r: VersionRaw) -> Self {
        PrecedentVersion {
            precedent_id: r.precedent_id,
            version: r.version,
            kind: r.kind,
            record: r.record.0,
            changed_by: r.changed_by,
            reason: r.reason,
            created_at: r.created_at,
        }
    }
}

/// A session follows, deviates from or refines a precedent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SessionLink {
    pub session_id: String,
    pub session_title: String,
    pub precedent_id: i64,
    pub citation_id: Option<String>,
    pub precedent_title: String,
    pub precedent_status: String,
    /// `follows`, `deviates_from` or `refines`.
    pub kind: String,
    pub note: Option<String>,
    pub created_at: i64,
}

/// A draft's place under the four-eyes rule (`domain::precedent::Approval`), as stored next to
/// it, with what adoption needs later.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredApproval {
    pub precedent_id: i64,
    pub approval: Approval,
    /// The draft's `updated_at` when approval was asked: approval adopts exactly that.
    pub draft_updated_at: i64,
    /// The anonymisation review the author gave when asking, if any.
    pub review: Option<Value>,
}

#[derive(sqlx::FromRow)]
struct ApprovalRaw {
    precedent_id: i64,
    state: String,
    requested_by: i64,
    requested_at: i64,
    draft_updated_at: i64,
    review: Option<String>,
    decided_by: Option<i64>,
    reason: Option<String>,
    decided_at: Option<i64>,
}

impl TryFrom<ApprovalRaw> for StoredApproval {
    type Error = StoreError;

    fn try_from(r: ApprovalRaw) -> Result<Self> {
        let approval = match r.state.as_str() {
            "awaiting" => {
                Approval::Awaiting { requested_by: r.requested_by, requested_at_ms: r.requested_at }
            }
            "sent_back" => Approval::SentBack {
                requested_by: r.requested_by,
                by: r.decided_by.unwrap_or_default(),
                reason: r.reason.unwrap_or_default(),
                at_ms: r.decided_at.unwrap_or_default(),
            },
            other => return Err(StoreError::Corrupt(format!("approval state {other:?}"))),
        };
        let review = r.review.as_deref().and_then(|t| serde_json::from_str(t).ok());
        Ok(StoredApproval {
            precedent_id: r.precedent_id,
            approval,
            draft_updated_at: r.draft_updated_at,
            review,
        })
    }
}

const APPROVAL_COLUMNS: &str =
    "precedent_id, state, requested_by, requested_at, draft_updated_at, review, decided_by, reason, decided_at";

#[derive(Clone, Debug)]
pub struct NewSessionLink {
    pub session_id: String,
    pub precedent_id: i64,
    pub kind: String,
    pub note: Option<String>,
    pub now_ms: i64,
}

const VERSION_COLUMNS: &str =
    "precedent_id, CAST(version AS BIGINT) AS version, kind, record, changed_by, reason, created_at";

const LINK_SELECT: &str = "SELECT l.session_id, s.title AS session_title, l.precedent_id, \
     p.citation_id, p.title AS precedent_title, p.status AS precedent_status, l.kind, l.note, l.created_at \
     FROM session_precedent_links l JOIN sessions s ON s.id = l.session_id JOIN precedents p ON p.id = l.precedent_id";

#[async_trait]
pub trait PrecedentLifecycle: Send + Sync {
    /// Stores the draft precedent of a session, unless the session has one already (then
    /// returns that one and writes nothing). One precedent per session, also under races.
    async fn create_session_precedent(&self, new: &Screened<NewPrecedent>) -> Result<DraftOutcome>;
    async fn precedent_of_session(&self, session_id: &str) -> Result<Option<PrecedentRow>>;
    async fn precedent_by_citation(&self, citation_id: &str) -> Result<Option<PrecedentRow>>;
    /// Writes a lifecycle step (edit, correction, withdrawal) and its search rows in one
    /// transaction, if the precedent is still as expected; otherwise `Stale`.
    async fn change_precedent(&self, change: &PrecedentChange<'_>) -> Result<ChangeOutcome>;
    /// Adopts: inside one write transaction, takes the next citation number of the
    /// precedent's organisation and the adoption's year, asks its `make` for the row to write
    /// with it, writes it and keeps the version. Two adoptions never get the same number.
    async fn adopt_precedent(&self, adoption: &Adoption<'_>) -> Result<ChangeOutcome>;
    /// The draft's place under the four-eyes rule, if approval was ever asked.
    async fn approval(&self, precedent_id: i64) -> Result<Option<StoredApproval>>;
    /// Writes the draft's approval state (awaiting, or sent back), if the precedent is still as
    /// `expected`; false (nothing written) when it changed meanwhile. Adoption removes it
    /// ([`PrecedentLifecycle::adopt_precedent`]).
    async fn set_approval(&self, expected: &Expected, approval: &Screened<StoredApproval>) -> Result<bool>;
    /// The organisation's drafts awaiting approval, oldest request first.
    async fn awaiting_approval(&self, organisation_id: i64) -> Result<Vec<(PrecedentRow, StoredApproval)>>;
    /// Every kept version, oldest first.
    async fn precedent_versions(&self, precedent_id: i64) -> Result<Vec<PrecedentVersion>>;
    async fn precedent_version(&self, precedent_id: i64, version: i64) -> Result<Option<PrecedentVersion>>;
    /// Links a session to a precedent (again: replaces kind and note).
    async fn link_session(&self, link: &Screened<NewSessionLink>) -> Result<()>;
    async fn links_of_session(&self, session_id: &str) -> Result<Vec<SessionLink>>;
    async fn links_of_precedent(&self, precedent_id: i64) -> Result<Vec<SessionLink>>;
}

#[async_trait]
impl<DB: Backend> PrecedentLifecycle for SqlStore<DB> {
    async fn create_session_precedent(&self, new: &Screened<NewPrecedent>) -> Result<DraftOutcome> {
        let session_id = new.session_id.as_deref().ok_or_else(|| StoreError::NotFound("session".into()))?;
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE session_id = $1");
        let existing: Option<PrecedentRow> = DB::fetch_optional(&mut *tx, &sql, &[session_id.into()]).await?;
        if let Some(raw) = existing {
            return Ok(DraftOutcome::Exists(raw));
        }
        match Self::upsert_precedent_in_tx(&mut tx, new).await {
            Ok(raw) => {
                tx.commit().await?;
                self.archive_written();
                Ok(DraftOutcome::Created(raw))
            }
            // Another request drafted it first (the unique session index).
            Err(StoreError::AlreadyExists(_)) => {
                drop(tx);
                Ok(DraftOutcome::Exists(DB::fetch_one(&self.pool, &sql, &[session_id.into()]).await?))
            }
            Err(e) => Err(e),
        }
    }

    async fn precedent_of_session(&self, session_id: &str) -> Result<Option<PrecedentRow>> {
        row_where(&self.pool, (PRECEDENT_COLUMNS, "precedents", "session_id"), session_id.into()).await
    }

    async fn precedent_by_citation(&self, citation_id: &str) -> Result<Option<PrecedentRow>> {
        row_where(&self.pool, (PRECEDENT_COLUMNS, "precedents", "citation_id"), citation_id.into()).await
    }

    async fn change_precedent(&self, change: &PrecedentChange<'_>) -> Result<ChangeOutcome> {
        let PrecedentChange { id, expected, write, now_ms } = *change;
        let Some((mut tx, _)) = self.begin_step(id, expected).await? else {
            return Ok(ChangeOutcome::Stale);
        };
        let raw = Self::write_precedent_change(&mut tx, id, write, now_ms).await?;
        tx.commit().await?;
        self.archive_written();
        Ok(ChangeOutcome::Changed(Box::new(raw)))
    }

    async fn adopt_precedent(&self, adoption: &Adoption<'_>) -> Result<ChangeOutcome> {
        let Adoption { id, expected, year, make, now_ms } = *adoption;
        let Some((mut tx, found)) = self.begin_step(id, expected).await? else {
            return Ok(ChangeOutcome::Stale);
        };
        // The next number of the organisation and year; the counter row stays locked until
        // commit, so a concurrent adoption waits and takes the one after.
        let sql = "INSERT INTO citation_counters (organisation_id, year, last_number) VALUES ($1, $2, 1) \
             ON CONFLICT (organisation_id, year) DO UPDATE SET last_number = citation_counters.last_number + 1 \
             RETURNING last_number";
        let number: i64 = DB::scalar(&mut *tx, sql, &[found.3.into(), year.into()]).await?;
        let write = match make(number) {
            Ok(write) => write,
            Err(reason) => return Ok(ChangeOutcome::Refused(reason)),
        };
        let raw = Self::write_precedent_change(&mut tx, id, &write, now_ms).await?;
        // Adopted: no longer awaiting anyone's approval.
        let sql = "DELETE FROM precedent_approvals WHERE precedent_id = $1";
        DB::execute(&mut *tx, sql, &[id.into()]).await?;
        tx.commit().await?;
        self.archive_written();
        Ok(ChangeOutcome::Changed(Box::new(raw)))
    }

    async fn approval(&self, precedent_id: i64) -> Result<Option<StoredApproval>> {
        let raw: Option<ApprovalRaw> = row_where(
            &self.pool,
            (APPROVAL_COLUMNS, "precedent_approvals", "precedent_id"),
            precedent_id.into(),
        )
        .await?;
        raw.map(TryInto::try_into).transpose()
    }

    async fn set_approval(&self, expected: &Expected, a: &Screened<StoredApproval>) -> Result<bool> {
        let Some((mut tx, _)) = self.begin_step(a.precedent_id, expected).await? else {
            return Ok(false);
        };
        let (state, requested_by, requested_at, decided_by, reason, decided_at) = match &a.approval {
            Approval::None => {
                let sql = "DELETE FROM precedent_approvals WHERE precedent_id = $1";
                DB::execute(&mut *tx, sql, &[a.precedent_id.into()]).await?;
                tx.commit().await?;
                return Ok(true);
            }
            Approval::Awaiting { requested_by, requested_at_ms } => {
                ("awaiting", *requested_by, *requested_at_ms, None, None, None)
            }
            Approval::SentBack { requested_by, by, reason, at_ms } => {
                ("sent_back", *requested_by, 0, Some(*by), Some(reason.clone()), Some(*at_ms))
            }
        };
        let review = a.review.as_ref().map(Value::to_string);
        // Sent back keeps when it was asked.
        let sql = "INSERT INTO precedent_approvals (precedent_id, state, requested_by, requested_at, draft_updated_at, \
             review, decided_by, reason, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (precedent_id) DO UPDATE SET state = excluded.state, requested_by = excluded.requested_by, \
             requested_at = CASE WHEN excluded.state = 'sent_back' THEN precedent_approvals.requested_at \
             ELSE excluded.requested_at END, draft_updated_at = excluded.draft_updated_at, \
             review = excluded.review, decided_by = excluded.decided_by, reason = excluded.reason, \
             decided_at = excluded.decided_at";
        DB::execute(
            &mut *tx,
            sql,
            &[
                a.precedent_id.into(),
                state.into(),
                requested_by.into(),
                requested_at.into(),
                a.draft_updated_at.into(),
                review.into(),
                decided_by.into(),
                reason.into(),
                decided_at.into(),
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn awaiting_approval(&self, organisation_id: i64) -> Result<Vec<(PrecedentRow, StoredApproval)>> {
        let columns: String =
            APPROVAL_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {columns} FROM precedent_approvals a JOIN precedents p ON p.id = a.precedent_id \
             WHERE a.state = 'awaiting' AND p.organisation_id = $1 AND p.status = 'draft' ORDER BY a.requested_at, a.precedent_id"
        );
        let raws: Vec<ApprovalRaw> = DB::fetch_all(&self.pool, &sql, &[organisation_id.into()]).await?;
        let mut out = Vec::with_capacity(raws.len());
        for raw in raws {
            let approval: StoredApproval = raw.try_into()?;
            let row: Option<PrecedentRow> =
                row_where(&self.pool, (PRECEDENT_COLUMNS, "precedents", "id"), approval.precedent_id.into())
                    .await?;
            if let Some(row) = row {
                out.push((row, approval));
            }
        }
        Ok(out)
    }

    async fn precedent_versions(&self, precedent_id: i64) -> Result<Vec<PrecedentVersion>> {
        let sql = format!(
            "SELECT {} FROM precedent_versions WHERE precedent_id = $1 ORDER BY version",
            VERSION_COLUMNS
        );
        let raws: Vec<VersionRaw> = DB::fetch_all(&self.pool, &sql, &[precedent_id.into()]).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn precedent_version(&self, precedent_id: i64, version: i64) -> Result<Option<PrecedentVersion>> {
        let sql = format!(
            "SELECT {} FROM precedent_versions WHERE precedent_id = $1 AND version = $2",
            VERSION_COLUMNS
        );
        let raw: Option<VersionRaw> =
            DB::fetch_optional(&self.pool, &sql, &[precedent_id.into(), version.into()]).await?;
        Ok(raw.map(Into::into))
    }

    async fn link_session(&self, link: &Screened<NewSessionLink>) -> Result<()> {
        let sql = "INSERT INTO session_precedent_links (session_id, precedent_id, kind, note, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, precedent_id) \
             DO UPDATE SET kind = excluded.kind, note = excluded.note, created_at = excluded.created_at";
        DB::execute(
            &self.pool,
            sql,
            &[
                (&link.session_id).into(),
                link.precedent_id.into(),
                (&link.kind).into(),
                (&link.note).into(),
                link.now_ms.into(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn links_of_session(&self, session_id: &str) -> Result<Vec<SessionLink>> {
        let sql = format!("{} WHERE l.session_id = $1 ORDER BY l.created_at, l.precedent_id", LINK_SELECT);
        DB::fetch_all(&self.pool, &sql, &[session_id.into()]).await
    }

    async fn links_of_precedent(&self, precedent_id: i64) -> Result<Vec<SessionLink>> {
        let sql = format!("{} WHERE l.precedent_id = $1 ORDER BY l.created_at, l.session_id", LINK_SELECT);
        DB::fetch_all(&self.pool, &sql, &[precedent_id.into()]).await
    }
}
