//! What a write of a precedent does inside its transaction: the upsert of a row and its search
//! rows; the start of a lifecycle step (the row locked and checked against what the caller
//! read); the step itself (with its kept version).

use serde_json::Value;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Transaction, Type};

use super::backend::{Backend, SqlStore};
use super::lifecycle::{Expected, PrecedentWrite};
use super::model::{NewPrecedent, PrecedentIndex};
use super::sql::*;
use super::{PrecedentRow, Result, StoreError};

/// What `lock_precedent` reads: status, version, updated_at, organisation.
type LockedPrecedent = (String, i64, i64, i64);

/// Whether the locked row is still as the caller read it.
fn is_expected(found: &LockedPrecedent, expected: &Expected) -> bool {
    found.0 == expected.status.as_str() && found.1 == expected.version && found.2 == expected.updated_at
}

impl<DB: Backend> SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> String: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'a> Option<i64>: Encode<'a, DB>,
    for<'a> Option<String>: Encode<'a, DB>,
    for<'a> Option<&'a str>: Encode<'a, DB>,
    for<'a> Json<&'a Value>: Encode<'a, DB> + Type<DB>,
    for<'a> Json<Value>: Decode<'a, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    /// Upserts one precedent and rewrites its search rows, inside the caller's transaction.
    pub(super) async fn upsert_precedent_in_tx(
        conn: &mut DB::Connection,
        new: &NewPrecedent,
    ) -> Result<PrecedentRow> {
        let sql = format!("{UPSERT_PRECEDENT} RETURNING {PRECEDENT_COLUMNS}");
        let raw: PrecedentRow = sqlx::query_as(&sql)
            .bind(new.organisation_id)
            .bind(new.team_id)
            .bind(&new.session_id)
            .bind(&new.import_ref)
            .bind(new.status.as_str())
            .bind(&new.title)
            .bind(&new.decided_on)
            .bind(&new.method_key)
            .bind(Json(&new.record))
            .bind(new.now_ms)
            .fetch_one(&mut *conn)
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
        sqlx::query(UPSERT_PRECEDENT_TEXT).bind(id).bind(title).bind(&index.body).execute(&mut *conn).await?;
        sqlx::query(DELETE_PRECEDENT_LAWS).bind(id).execute(&mut *conn).await?;
        sqlx::query(DELETE_PRECEDENT_LABELS).bind(id).execute(&mut *conn).await?;
        for key in index.unique_law_keys() {
            sqlx::query(INSERT_PRECEDENT_LAW).bind(id).bind(key).execute(&mut *conn).await?;
        }
        for (kind, label) in index.labels() {
            sqlx::query(INSERT_PRECEDENT_LABEL).bind(id).bind(kind).bind(label).execute(&mut *conn).await?;
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
        Ok(sqlx::query_as(DB::LOCK_PRECEDENT).bind(id).fetch_optional(&mut *conn).await?)
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
        let raw: PrecedentRow = sqlx::query_as(&sql)
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
        Self::write_precedent_index(&mut *conn, id, &write.title, &write.index).await?;
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
}
