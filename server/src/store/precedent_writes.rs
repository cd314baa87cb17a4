//! What a write of a precedent does inside its transaction: the upsert of a row and its search
//! rows; the start of a lifecycle step (the row locked and checked against what the caller
//! read); the step itself (with its kept version).

use sqlx::Transaction;

use super::backend::{Backend, SqlStore};
use super::lifecycle::{Expected, PrecedentWrite};
use super::model::{NewPrecedent, PrecedentIndex};
use super::sql::*;
use super::statement::Arg;
use super::{PrecedentRow, Result, StoreError};

/// What `lock_precedent` reads: status, version, updated_at, organisation.
type LockedPrecedent = (String, i64, i64, i64);

/// Whether the locked row is still as the caller read it.
fn is_expected(found: &LockedPrecedent, expected: &Expected) -> bool {
    found.0 == expected.status.as_str() && found.1 == expected.version && found.2 == expected.updated_at
}

impl<DB: Backend> SqlStore<DB> {
    /// Upserts one precedent and rewrites its search rows, inside the caller's transaction.
    pub(super) async fn upsert_precedent_in_tx(
        conn: &mut DB::Connection,
        new: &NewPrecedent,
    ) -> Result<PrecedentRow> {
        let sql = format!("{UPSERT_PRECEDENT} RETURNING {PRECEDENT_COLUMNS}");
        let raw: PrecedentRow = DB::fetch_one(
            &mut *conn,
            &sql,
            &[
                new.organisation_id.into(),
                new.team_id.into(),
                (&new.session_id).into(),
                (&new.import_ref).into(),
                new.status.as_str().into(),
                (&new.title).into(),
                (&new.decided_on).into(),
                (&new.method_key).into(),
                Arg::Json(&new.record),
                new.now_ms.into(),
            ],
        )
        .await?;
        Self::write_precedent_index(&mut *conn, raw.id, &new.title, &new.index).await?;
        Ok(raw)
    }

    /// Rewrites a precedent's search rows (texts, law keys, themes, tags, values), inside
    /// the caller's transaction.
    async fn write_precedent_index(
        conn: &mut DB::Connection,
        id: i64,
        title: &str,
        index: &PrecedentIndex,
    ) -> Result<()> {
        DB::execute(&mut *conn, UPSERT_PRECEDENT_TEXT, &[id.into(), title.into(), (&index.body).into()])
            .await?;
        DB::execute(&mut *conn, DELETE_PRECEDENT_LAWS, &[id.into()]).await?;
        DB::execute(&mut *conn, DELETE_PRECEDENT_LABELS, &[id.into()]).await?;
        for key in index.unique_law_keys() {
            DB::execute(&mut *conn, INSERT_PRECEDENT_LAW, &[id.into(), key.into()]).await?;
        }
        for (kind, label) in index.labels() {
            DB::execute(&mut *conn, INSERT_PRECEDENT_LABEL, &[id.into(), kind.into(), label.into()]).await?;
        }
        Ok(())
    }

    /// Begins a lifecycle step: a write transaction with precedent `id` locked, if it is still
    /// as the caller read it (`None`: it changed meanwhile). `NotFound` when there is no such
    /// precedent.
    pub(super) async fn begin_step(
        &self,
        id: i64,
        expected: &Expected,
    ) -> Result<Option<(Transaction<'static, DB>, LockedPrecedent)>> {
        let mut tx = self.begin_write().await?;
        let Some(found) = Self::lock_precedent(&mut tx, id).await? else {
            return Err(StoreError::NotFound(format!("precedent {id}")));
        };
        Ok(is_expected(&found, expected).then_some((tx, found)))
    }

    /// Locks a precedent's row for this transaction and reads what `Expected` compares,
    /// with its organisation.
    async fn lock_precedent(conn: &mut DB::Connection, id: i64) -> Result<Option<LockedPrecedent>> {
        DB::fetch_optional(&mut *conn, DB::LOCK_PRECEDENT, &[id.into()]).await
    }

    /// Writes a lifecycle step into a locked precedent row, its search rows and, when asked,
    /// its version history.
    pub(super) async fn write_precedent_change(
        conn: &mut DB::Connection,
        id: i64,
        write: &PrecedentWrite,
        now_ms: i64,
    ) -> Result<PrecedentRow> {
        let sql = format!(
            "UPDATE precedents SET status = $2, version = $3, citation_id = COALESCE(citation_id, $4), \
             title = $5, decided_on = $6, method_key = $7, record = $8, \
             updated_at = CASE WHEN $9 > updated_at THEN $9 ELSE updated_at + 1 END \
             WHERE id = $1 RETURNING {PRECEDENT_COLUMNS}"
        );
        let raw: PrecedentRow = DB::fetch_one(
            &mut *conn,
            &sql,
            &[
                id.into(),
                write.status.as_str().into(),
                write.version.into(),
                (&write.citation_id).into(),
                (&write.title).into(),
                (&write.decided_on).into(),
                (&write.method_key).into(),
                Arg::Json(&write.record),
                now_ms.into(),
            ],
        )
        .await?;
        Self::write_precedent_index(&mut *conn, id, &write.title, &write.index).await?;
        if let Some(note) = &write.keep_version {
            DB::execute(&mut *conn, "INSERT INTO precedent_versions (precedent_id, version, kind, record, changed_by, reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)", &[id.into(), write.version.into(), note.kind.as_str().into(), Arg::Json(&write.record), (&note.changed_by).into(), (&note.reason).into(), now_ms.into()])
            .await?;
        }
        Ok(raw)
    }
}
