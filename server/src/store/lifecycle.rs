//! Store side of the precedent lifecycle: drafting from a session, lifecycle changes checked
//! against what the caller read, citation numbers given inside the write transaction, every
//! adopted version kept, and links between sessions and precedents.
//!
//! The methods are written once, for both backends, as macros expanded inside `sql_store!`:
//! `lifecycle_methods!` in the `Store` impl, `lifecycle_helpers!` next to it. Each backend
//! module defines `LOCK_PRECEDENT` (PostgreSQL: `FOR UPDATE`).

use serde::Serialize;

use super::model::{PrecedentIndex, PrecedentRow, PrecedentStatus};

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
    pub record: serde_json::Value,
    pub index: PrecedentIndex,
    /// The version to keep in the history (adoption, correction).
    pub keep_version: Option<VersionNote>,
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
    pub record: serde_json::Value,
    pub changed_by: String,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct VersionRaw {
    precedent_id: i64,
    version: i64,
    kind: String,
    record: sqlx::types::Json<serde_json::Value>,
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

#[derive(Clone, Debug)]
pub struct NewSessionLink {
    pub session_id: String,
    pub precedent_id: i64,
    pub kind: String,
    pub note: Option<String>,
    pub now_ms: i64,
}

pub(super) const VERSION_COLUMNS: &str =
    "precedent_id, CAST(version AS BIGINT) AS version, kind, record, changed_by, reason, created_at";

pub(super) const LINK_SELECT: &str = "SELECT l.session_id, s.title AS session_title, l.precedent_id, \
     p.citation_id, p.title AS precedent_title, p.status AS precedent_status, l.kind, l.note, l.created_at \
     FROM session_precedent_links l JOIN sessions s ON s.id = l.session_id JOIN precedents p ON p.id = l.precedent_id";

/// Module-level helpers for [`lifecycle_methods`], inside `sql_store!`.
macro_rules! lifecycle_helpers {
    ($db:ty) => {
        /// Locks a precedent's row for this transaction and reads what `Expected` compares,
        /// with its organisation.
        async fn lock_precedent(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Option<(String, i64, i64, i64)>> {
            Ok(sqlx::query_as(LOCK_PRECEDENT).bind(id).fetch_optional(&mut *conn).await?)
        }

        fn is_expected(found: &(String, i64, i64, i64), expected: &$crate::store::Expected) -> bool {
            found.0 == expected.status.as_str() && found.1 == expected.version && found.2 == expected.updated_at
        }

        /// Writes a lifecycle step into a locked precedent row, its search rows and, when asked,
        /// its version history.
        async fn write_precedent_change(
            conn: &mut <$db as sqlx::Database>::Connection,
            id: i64,
            write: &$crate::store::PrecedentWrite,
            now_ms: i64,
        ) -> Result<PrecedentRaw> {
            let sql = format!(
                "UPDATE precedents SET status = $2, version = $3, citation_id = COALESCE(citation_id, $4), \
                 title = $5, decided_on = $6, method_key = $7, record = $8, \
                 updated_at = CASE WHEN $9 > updated_at THEN $9 ELSE updated_at + 1 END \
                 WHERE id = $1 RETURNING {PRECEDENT_COLUMNS}"
            );
            let raw: PrecedentRaw = sqlx::query_as(&sql)
                .bind(id)
                .bind(write.status.as_str())
                .bind(write.version)
                .bind(&write.citation_id)
                .bind(&write.title)
                .bind(&write.decided_on)
                .bind(&write.method_key)
                .bind(Json(&write.record))
                .bind(now_ms)
                .fetch_one(&mut *conn)
                .await?;
            write_precedent_index(&mut *conn, id, &write.title, &write.index).await?;
            if let Some(note) = &write.keep_version {
                sqlx::query(
                    "INSERT INTO precedent_versions (precedent_id, version, kind, record, changed_by, reason, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(write.version)
                .bind(note.kind.as_str())
                .bind(Json(&write.record))
                .bind(&note.changed_by)
                .bind(&note.reason)
                .bind(now_ms)
                .execute(&mut *conn)
                .await?;
            }
            Ok(raw)
        }
    };
}
pub(super) use lifecycle_helpers;

/// The lifecycle methods of `Store` as inherent methods of `$store` (named `lc_*`); the
/// `Store` impl in `sql_store!` delegates to them (`async_trait` does not see into macros).
macro_rules! lifecycle_methods {
    ($store:ty) => {
        impl $store {
        pub(super) async fn lc_create_session_precedent(
            &self,
            new: &NewPrecedent,
        ) -> Result<$crate::store::DraftOutcome> {
            use $crate::store::DraftOutcome;
            let session_id = new.session_id.as_deref().ok_or_else(|| StoreError::NotFound("session".into()))?;
            let mut tx = self.begin_write().await?;
            let sql = format!("SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE session_id = $1");
            let existing: Option<PrecedentRaw> =
                sqlx::query_as(&sql).bind(session_id).fetch_optional(&mut *tx).await?;
            if let Some(raw) = existing {
                return Ok(DraftOutcome::Exists(raw.try_into()?));
            }
            match upsert_precedent_in_tx(&mut tx, new).await {
                Ok(raw) => {
                    tx.commit().await?;
                    Ok(DraftOutcome::Created(raw.try_into()?))
                }
                // Another request drafted it first (the unique session index).
                Err(StoreError::AlreadyExists(_)) => {
                    drop(tx);
                    let raw: PrecedentRaw = sqlx::query_as(&sql).bind(session_id).fetch_one(&self.pool).await?;
                    Ok(DraftOutcome::Exists(raw.try_into()?))
                }
                Err(e) => Err(e),
            }
        }

        pub(super) async fn lc_precedent_of_session(&self, session_id: &str) -> Result<Option<PrecedentRow>> {
            let sql = format!("SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE session_id = $1");
            let raw: Option<PrecedentRaw> = sqlx::query_as(&sql).bind(session_id).fetch_optional(&self.pool).await?;
            raw.map(TryInto::try_into).transpose()
        }

        pub(super) async fn lc_precedent_by_citation(&self, citation_id: &str) -> Result<Option<PrecedentRow>> {
            let sql = format!("SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE citation_id = $1");
            let raw: Option<PrecedentRaw> =
                sqlx::query_as(&sql).bind(citation_id).fetch_optional(&self.pool).await?;
            raw.map(TryInto::try_into).transpose()
        }

        pub(super) async fn lc_change_precedent(
            &self,
            id: i64,
            expected: &$crate::store::Expected,
            write: &$crate::store::PrecedentWrite,
            now_ms: i64,
        ) -> Result<$crate::store::ChangeOutcome> {
            use $crate::store::ChangeOutcome;
            let mut tx = self.begin_write().await?;
            let Some(found) = lock_precedent(&mut tx, id).await? else {
                return Err(StoreError::NotFound(format!("precedent {id}")));
            };
            if !is_expected(&found, expected) {
                return Ok(ChangeOutcome::Stale);
            }
            let raw = write_precedent_change(&mut tx, id, write, now_ms).await?;
            tx.commit().await?;
            Ok(ChangeOutcome::Changed(Box::new(raw.try_into()?)))
        }

        pub(super) async fn lc_adopt_precedent(
            &self,
            id: i64,
            expected: &$crate::store::Expected,
            year: i64,
            make: &(dyn Fn(i64) -> std::result::Result<$crate::store::PrecedentWrite, String> + Send + Sync),
            now_ms: i64,
        ) -> Result<$crate::store::ChangeOutcome> {
            use $crate::store::ChangeOutcome;
            let mut tx = self.begin_write().await?;
            let Some(found) = lock_precedent(&mut tx, id).await? else {
                return Err(StoreError::NotFound(format!("precedent {id}")));
            };
            if !is_expected(&found, expected) {
                return Ok(ChangeOutcome::Stale);
            }
            // The next number of the organisation and year; the counter row stays locked until
            // commit, so a concurrent adoption waits and takes the one after.
            let number: i64 = sqlx::query_scalar(
                "INSERT INTO citation_counters (organisation_id, year, last_number) VALUES ($1, $2, 1) \
                 ON CONFLICT (organisation_id, year) DO UPDATE SET last_number = citation_counters.last_number + 1 \
                 RETURNING last_number",
            )
            .bind(found.3)
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let write = match make(number) {
                Ok(write) => write,
                Err(reason) => return Ok(ChangeOutcome::Refused(reason)),
            };
            let raw = write_precedent_change(&mut tx, id, &write, now_ms).await?;
            tx.commit().await?;
            Ok(ChangeOutcome::Changed(Box::new(raw.try_into()?)))
        }

        pub(super) async fn lc_precedent_versions(&self, precedent_id: i64) -> Result<Vec<$crate::store::PrecedentVersion>> {
            let sql = format!(
                "SELECT {} FROM precedent_versions WHERE precedent_id = $1 ORDER BY version",
                super::lifecycle::VERSION_COLUMNS
            );
            let raws: Vec<super::lifecycle::VersionRaw> =
                sqlx::query_as(&sql).bind(precedent_id).fetch_all(&self.pool).await?;
            Ok(raws.into_iter().map(Into::into).collect())
        }

        pub(super) async fn lc_precedent_version(
            &self,
            precedent_id: i64,
            version: i64,
        ) -> Result<Option<$crate::store::PrecedentVersion>> {
            let sql = format!(
                "SELECT {} FROM precedent_versions WHERE precedent_id = $1 AND version = $2",
                super::lifecycle::VERSION_COLUMNS
            );
            let raw: Option<super::lifecycle::VersionRaw> =
                sqlx::query_as(&sql).bind(precedent_id).bind(version).fetch_optional(&self.pool).await?;
            Ok(raw.map(Into::into))
        }

        pub(super) async fn lc_link_session(&self, link: &$crate::store::NewSessionLink) -> Result<()> {
            sqlx::query(
                "INSERT INTO session_precedent_links (session_id, precedent_id, kind, note, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, precedent_id) \
                 DO UPDATE SET kind = excluded.kind, note = excluded.note, created_at = excluded.created_at",
            )
            .bind(&link.session_id)
            .bind(link.precedent_id)
            .bind(&link.kind)
            .bind(&link.note)
            .bind(link.now_ms)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(super) async fn lc_links_of_session(&self, session_id: &str) -> Result<Vec<$crate::store::SessionLink>> {
            let sql = format!(
                "{} WHERE l.session_id = $1 ORDER BY l.created_at, l.precedent_id",
                super::lifecycle::LINK_SELECT
            );
            Ok(sqlx::query_as(&sql).bind(session_id).fetch_all(&self.pool).await?)
        }

        pub(super) async fn lc_links_of_precedent(&self, precedent_id: i64) -> Result<Vec<$crate::store::SessionLink>> {
            let sql = format!(
                "{} WHERE l.precedent_id = $1 ORDER BY l.created_at, l.session_id",
                super::lifecycle::LINK_SELECT
            );
            Ok(sqlx::query_as(&sql).bind(precedent_id).fetch_all(&self.pool).await?)
        }

        pub(super) async fn lc_team(&self, id: i64) -> Result<Option<Team>> {
            let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1");
            let raw: Option<TeamRaw> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
            Ok(raw.map(Into::into))
        }

        pub(super) async fn lc_organisation(&self, id: i64) -> Result<Option<Organisation>> {
            let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = $1");
            let raw: Option<OrganisationRaw> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
            Ok(raw.map(Into::into))
        }
        }
    };
}
pub(super) use lifecycle_methods;
