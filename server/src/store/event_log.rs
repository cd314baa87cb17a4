//! Live sessions and their append-only event log, with the secrets that open a session (a
//! participant's token, an invite code) and the anonymisation review stored with it.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::backend::{Backend, SqlStore};
use super::model::{Append, AppendOutcome, NewEvent, NewSession, SessionRow, SessionStatus, StoredEvent};
use super::rows::{EventRaw, SessionRaw};
use super::sql::*;
use super::{Result, StoreError};
use crate::guard::Screened;

#[async_trait]
pub trait EventLog: Send + Sync {
    /// Creates a session together with its first events (seq 1, 2, …), in one transaction.
    async fn create_session(&self, new: &Screened<NewSession>) -> Result<SessionRow>;
    async fn session(&self, id: &str) -> Result<Option<SessionRow>>;
    /// The anonymisation review stored with a session, if any.
    async fn anonymisation_review(&self, session_id: &str) -> Result<Option<Value>>;
    async fn sessions_of_team(&self, team_id: i64) -> Result<Vec<SessionRow>>;

    /// Appends events to a session's log in one transaction, gap-free after
    /// `expected_last_seq`. A client id seen before answers with the original sequence number
    /// and appends nothing; a different last sequence number answers `Conflict`.
    async fn append_events(&self, append: &Append) -> Result<AppendOutcome>;

    /// The events after `after_seq`, in order, at most `limit`.
    async fn events_since(&self, session_id: &str, after_seq: i64, limit: i64) -> Result<Vec<StoredEvent>>;

    /// Stores the hash of a participant's secret token for one session.
    async fn create_session_token(
        &self,
        session_id: &str,
        token_hash: &str,
        participant_id: &str,
        now_ms: i64,
    ) -> Result<()>;
    /// The participant a token belongs to, if it is valid for this session.
    async fn participant_for_token(&self, session_id: &str, token_hash: &str) -> Result<Option<String>>;
    /// Stores the hash of a new invite code for a session. Of the earlier codes still valid, the
    /// newest `keep_earlier` stay valid (another device's link); the rest stop working
    /// (`0`: rotation, every earlier code stops working).
    async fn create_invite(
        &self,
        session_id: &str,
        code_hash: &str,
        expires_at_ms: i64,
        now_ms: i64,
        keep_earlier: i64,
    ) -> Result<()>;
    /// The session an invite code opens, if it is still valid at `now_ms`.
    async fn session_for_invite(&self, code_hash: &str, now_ms: i64) -> Result<Option<String>>;
}

#[async_trait]
impl<DB: Backend> EventLog for SqlStore<DB>
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
    async fn create_session(&self, new: &Screened<NewSession>) -> Result<SessionRow> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "INSERT INTO sessions (id, team_id, title, method_key, status, created_by, last_seq, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $7) RETURNING {SESSION_COLUMNS}"
        );
        let raw: SessionRaw = sqlx::query_as(&sql)
            .bind(&new.id)
            .bind(new.team_id)
            .bind(&new.title)
            .bind(&new.method_key)
            .bind(new.status.as_str())
            .bind(new.created_by)
            .bind(new.now_ms)
            .bind(new.events.len() as i64)
            .fetch_one(&mut *tx)
            .await?;
        for (i, event) in new.events.iter().enumerate() {
            Self::insert_event(&mut tx, &new.id, 1 + i as i64, None, event, new.now_ms).await?;
        }
        if let Some(review) = &new.review {
            sqlx::query(
                "INSERT INTO anonymisation_reviews (session_id, review, created_at) VALUES ($1, $2, $3)",
            )
            .bind(&new.id)
            .bind(Json(review))
            .bind(new.now_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        raw.try_into()
    }

    async fn session(&self, id: &str) -> Result<Option<SessionRow>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1");
        let raw: Option<SessionRaw> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
        raw.map(TryInto::try_into).transpose()
    }

    async fn anonymisation_review(&self, session_id: &str) -> Result<Option<Value>> {
        let row: Option<Json<Value>> =
            sqlx::query_scalar("SELECT review FROM anonymisation_reviews WHERE session_id = $1")
                .bind(session_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    async fn sessions_of_team(&self, team_id: i64) -> Result<Vec<SessionRow>> {
        let sql =
            format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE team_id = $1 ORDER BY created_at DESC");
        let raws: Vec<SessionRaw> = sqlx::query_as(&sql).bind(team_id).fetch_all(&self.pool).await?;
        raws.into_iter().map(TryInto::try_into).collect()
    }

    async fn append_events(&self, append: &Append) -> Result<AppendOutcome> {
        DB::append(&self.pool, &self.appends, append).await
    }

    async fn events_since(&self, session_id: &str, after_seq: i64, limit: i64) -> Result<Vec<StoredEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM session_events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        );
        let raws: Vec<EventRaw> =
            sqlx::query_as(&sql).bind(session_id).bind(after_seq).bind(limit).fetch_all(&self.pool).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn create_session_token(
        &self,
        session_id: &str,
        token_hash: &str,
        participant_id: &str,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(INSERT_SESSION_TOKEN)
            .bind(token_hash)
            .bind(session_id)
            .bind(participant_id)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn participant_for_token(&self, session_id: &str, token_hash: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(SELECT_TOKEN_PARTICIPANT)
            .bind(token_hash)
            .bind(session_id)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn create_invite(
        &self,
        session_id: &str,
        code_hash: &str,
        expires_at_ms: i64,
        now_ms: i64,
        keep_earlier: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if keep_earlier <= 0 {
            Self::revoke_invites(&mut *tx, session_id, now_ms).await?;
        } else {
            sqlx::query(REVOKE_INVITES_BUT_NEWEST)
                .bind(now_ms)
                .bind(session_id)
                .bind(keep_earlier)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(INSERT_INVITE)
            .bind(code_hash)
            .bind(session_id)
            .bind(now_ms)
            .bind(expires_at_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_for_invite(&self, code_hash: &str, now_ms: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(SELECT_INVITE_SESSION)
            .bind(code_hash)
            .bind(now_ms)
            .fetch_optional(&self.pool)
            .await?)
    }
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
    /// The append rule, inside a transaction that holds the write lock (SQLite: `BEGIN
    /// IMMEDIATE`; PostgreSQL: `LOCK_SESSION` locks the session row): every writer of this
    /// session, in any server process, queues on that lock, so the duplicate check and the
    /// sequence numbers below cannot race. Writes nothing unless it answers `Appended`.
    pub(super) async fn append_in_tx(conn: &mut DB::Connection, append: &Append) -> Result<AppendOutcome> {
        let last_seq: Option<i64> =
            sqlx::query_scalar(DB::LOCK_SESSION).bind(&append.session_id).fetch_optional(&mut *conn).await?;
        let Some(last_seq) = last_seq else {
            return Err(StoreError::NotFound(format!("session {}", append.session_id)));
        };
        if let Some(client_id) = &append.client_id {
            let seq: Option<i64> =
                sqlx::query_scalar("SELECT seq FROM session_events WHERE session_id = $1 AND client_id = $2")
                    .bind(&append.session_id)
                    .bind(client_id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if let Some(seq) = seq {
                return Ok(AppendOutcome::Duplicate { seq });
            }
        }
        if last_seq != append.expected_last_seq {
            return Ok(AppendOutcome::Conflict { last_seq });
        }
        if append.events.is_empty() {
            return Ok(AppendOutcome::Appended { first_seq: last_seq + 1, last_seq });
        }
        for (i, event) in append.events.iter().enumerate() {
            let client_id = if i == 0 { append.client_id.as_deref() } else { None };
            let seq = last_seq + 1 + i as i64;
            Self::insert_event(&mut *conn, &append.session_id, seq, client_id, event, append.now_ms).await?;
        }
        for participant in &append.revoke_access_of {
            sqlx::query(REVOKE_PARTICIPANT_TOKENS)
                .bind(append.now_ms)
                .bind(&append.session_id)
                .bind(participant)
                .execute(&mut *conn)
                .await?;
        }
        if !append.revoke_access_of.is_empty() {
            Self::revoke_invites(&mut *conn, &append.session_id, append.now_ms).await?;
        }
        let new_last = last_seq + append.events.len() as i64;
        sqlx::query(
            "UPDATE sessions SET last_seq = $1, updated_at = $2, status = COALESCE($3, status) WHERE id = $4",
        )
        .bind(new_last)
        .bind(append.now_ms)
        .bind(append.status.map(SessionStatus::as_str))
        .bind(&append.session_id)
        .execute(&mut *conn)
        .await?;
        Ok(AppendOutcome::Appended { first_seq: last_seq + 1, last_seq: new_last })
    }

    async fn revoke_invites(conn: &mut DB::Connection, session_id: &str, now_ms: i64) -> Result<()> {
        sqlx::query(REVOKE_INVITES).bind(now_ms).bind(session_id).execute(&mut *conn).await?;
        Ok(())
    }

    async fn insert_event(
        conn: &mut DB::Connection,
        session_id: &str,
        seq: i64,
        client_id: Option<&str>,
        event: &NewEvent,
        now_ms: i64,
    ) -> Result<()> {
        sqlx::query(INSERT_EVENT)
            .bind(session_id)
            .bind(seq)
            .bind(client_id)
            .bind(&event.actor)
            .bind(&event.kind)
            .bind(Json(&event.payload))
            .bind(now_ms)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
