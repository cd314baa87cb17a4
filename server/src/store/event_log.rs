//! Live sessions and their append-only event log, with the secrets that open a session (a
//! participant's token, an invite code) and the anonymisation review stored with it.

use async_trait::async_trait;
use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::backend::{Backend, SqlStore};
use super::model::{Append, AppendOutcome, NewSession, SessionRow, SessionStatus, StoredEvent};
use super::rows::{EventRaw, SessionRaw};
use super::sql::*;
use super::{Result, StoreError};
use crate::guard::Screened;

/// A participant's secret token for one session, as its hash.
#[derive(Clone, Copy, Debug)]
pub struct NewSessionToken<'a> {
    pub session_id: &'a str,
    pub token_hash: &'a str,
    pub participant_id: &'a str,
}

/// A new invite code for a session, as its hash. Of the earlier codes still valid, the newest
/// `keep_earlier` stay valid (another device's link); the rest stop working (`0`: rotation,
/// every earlier code stops working).
#[derive(Clone, Copy, Debug)]
pub struct NewInviteCode<'a> {
    pub session_id: &'a str,
    pub code_hash: &'a str,
    pub expires_at_ms: i64,
    pub keep_earlier: i64,
}

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
    async fn append_events(&self, append: Append) -> Result<AppendOutcome>;

    /// The events after `after_seq`, in order, at most `limit`.
    async fn events_since(&self, session_id: &str, after_seq: i64, limit: i64) -> Result<Vec<StoredEvent>>;

    /// The events after each `(session id, after seq)`, grouped by session and in seq order
    /// within each, at most `limit` in all: what the change feed's follower reads for every
    /// room a batch of notices concerns. The stores read it in one statement; this default, one
    /// [`EventLog::events_since`] per session, is for logs that have no such statement.
    async fn events_after_each(&self, after: &[(String, i64)], limit: i64) -> Result<Vec<StoredEvent>> {
        let mut read = Vec::new();
        for (session_id, after_seq) in after {
            let left = limit - read.len() as i64;
            if left <= 0 {
                break;
            }
            read.extend(self.events_since(session_id, *after_seq, left).await?);
        }
        Ok(read)
    }

    /// Stores the hash of a participant's secret token for one session.
    async fn create_session_token(&self, token: &NewSessionToken<'_>, now_ms: i64) -> Result<()>;
    /// The participant a token belongs to, if it is valid for this session.
    async fn participant_for_token(&self, session_id: &str, token_hash: &str) -> Result<Option<String>>;
    /// Stores a new invite code for a session (see [`NewInviteCode`]).
    async fn create_invite(&self, invite: &NewInviteCode<'_>, now_ms: i64) -> Result<()>;
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
    for<'a> Json<&'a RawValue>: Encode<'a, DB> + Type<DB>,
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
            .bind(&new.header.id)
            .bind(new.header.team_id)
            .bind(&new.header.title)
            .bind(&new.header.method_key)
            .bind(new.header.status.as_str())
            .bind(new.header.created_by)
            .bind(new.now_ms)
            .bind(new.events.len() as i64)
            .fetch_one(&mut *tx)
            .await?;
        for (i, event) in new.events.iter().enumerate() {
            sqlx::query(INSERT_EVENT)
                .bind(&new.header.id)
                .bind(1 + i as i64)
                .bind(None::<&str>)
                .bind(&event.actor)
                .bind(&event.kind)
                .bind(Json(&*event.payload))
                .bind(new.now_ms)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(review) = &new.review {
            sqlx::query(
                "INSERT INTO anonymisation_reviews (session_id, review, created_at) VALUES ($1, $2, $3)",
            )
            .bind(&new.header.id)
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

    async fn append_events(&self, append: Append) -> Result<AppendOutcome> {
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

    async fn events_after_each(&self, after: &[(String, i64)], limit: i64) -> Result<Vec<StoredEvent>> {
        if after.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: Vec<serde_json::Value> =
            after.iter().map(|(s, a)| serde_json::json!({ "s": s, "a": a })).collect();
        let wanted = serde_json::to_string(&wanted).expect("JSON serialises");
        let raws: Vec<EventRaw> =
            sqlx::query_as(DB::EVENTS_AFTER_EACH).bind(wanted).bind(limit).fetch_all(&self.pool).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn create_session_token(&self, token: &NewSessionToken<'_>, now_ms: i64) -> Result<()> {
        let NewSessionToken { session_id, token_hash, participant_id } = *token;
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

    async fn create_invite(&self, invite: &NewInviteCode<'_>, now_ms: i64) -> Result<()> {
        let NewInviteCode { session_id, code_hash, expires_at_ms, keep_earlier } = *invite;
        let mut tx = self.begin_write().await?;
        if keep_earlier <= 0 {
            sqlx::query(REVOKE_INVITES).bind(now_ms).bind(session_id).execute(&mut *tx).await?;
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

impl super::postgres::PostgresStore {
    /// The append rule, inside a transaction that holds the write lock (`LOCK_SESSION` locks
    /// the session row): every writer of this session, in any server
    /// process, queues on that lock, so the duplicate check and the sequence numbers below
    /// cannot race. Writes nothing unless it answers `Appended`. (SQLite runs the same rule
    /// for every append of a batch on its writer thread, `group_commit.rs`.)
    pub(super) async fn append_in_tx(
        conn: &mut sqlx::PgConnection,
        append: &Append,
    ) -> Result<AppendOutcome> {
        let last_seq: Option<i64> = sqlx::query_scalar(<sqlx::Postgres as Backend>::LOCK_SESSION)
            .bind(&append.session_id)
            .fetch_optional(&mut *conn)
            .await?;
        let earlier: Option<i64> = match (&append.client_id, last_seq) {
            (Some(client_id), Some(_)) => {
                sqlx::query_scalar(SELECT_CLIENT_SEQ)
                    .bind(&append.session_id)
                    .bind(client_id)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            _ => None,
        };
        let (first_seq, last_seq) = match decide(append, last_seq, earlier)? {
            Decision::Answer(outcome) => return Ok(outcome),
            Decision::Write { first_seq, last_seq } => (first_seq, last_seq),
        };
        for write in writes(append, first_seq) {
            let mut query = sqlx::query(write.sql);
            for param in write.params {
                query = match param {
                    Param::Int(v) => query.bind(v),
                    Param::Text(v) => query.bind(v),
                    Param::MaybeText(v) => query.bind(v),
                    Param::Json(v) => query.bind(Json(v)),
                };
            }
            query.execute(&mut *conn).await?;
        }
        Ok(AppendOutcome::Appended { first_seq, last_seq })
    }
}

/// The seq of the event a client id was stored on (`$1` session, `$2` client id).
pub(super) const SELECT_CLIENT_SEQ: &str =
    "SELECT seq FROM session_events WHERE session_id = $1 AND client_id = $2";
const UPDATE_SESSION_AFTER_APPEND: &str =
    "UPDATE sessions SET last_seq = $1, updated_at = $2, status = COALESCE($3, status) WHERE id = $4";

/// What the append rule makes of an append.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Decision {
    /// The answer, with nothing to write.
    Answer(AppendOutcome),
    /// Write the events as `first_seq..=last_seq` ([`writes`]).
    Write { first_seq: i64, last_seq: i64 },
}

/// The append rule, given what the store holds under the write lock: the session's last seq
/// (`None`: no such session) and the seq of an earlier event with the append's client id. One
/// place for both backends' append paths.
pub(super) fn decide(append: &Append, last_seq: Option<i64>, earlier: Option<i64>) -> Result<Decision> {
    let Some(last_seq) = last_seq else {
        return Err(StoreError::NotFound(format!("session {}", append.session_id)));
    };
    if let Some(seq) = earlier.filter(|_| append.client_id.is_some()) {
        return Ok(Decision::Answer(AppendOutcome::Duplicate { seq }));
    }
    if last_seq != append.expected_last_seq {
        return Ok(Decision::Answer(AppendOutcome::Conflict { last_seq }));
    }
    if append.events.is_empty() {
        return Ok(Decision::Answer(AppendOutcome::Appended { first_seq: last_seq + 1, last_seq }));
    }
    Ok(Decision::Write { first_seq: last_seq + 1, last_seq: last_seq + append.events.len() as i64 })
}

/// A value bound to one of [`Write`]'s parameters.
#[derive(Debug)]
pub(super) enum Param<'a> {
    Int(i64),
    Text(&'a str),
    MaybeText(Option<&'a str>),
    /// JSON text (an event's payload, serialised once).
    Json(&'a RawValue),
}

/// Equal values; JSON by its text (`RawValue` has no `PartialEq`).
impl PartialEq for Param<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Param::Int(a), Param::Int(b)) => a == b,
            (Param::Text(a), Param::Text(b)) => a == b,
            (Param::MaybeText(a), Param::MaybeText(b)) => a == b,
            (Param::Json(a), Param::Json(b)) => a.get() == b.get(),
            _ => false,
        }
    }
}

/// One statement of an append, its parameters `$1…` in order.
#[derive(Debug, PartialEq)]
pub(super) struct Write<'a> {
    pub sql: &'static str,
    pub params: Vec<Param<'a>>,
}

/// The statements that store an append decided as [`Decision::Write`] from `first_seq` on: its
/// events (the client id on the first), the revoked access of removed participants, and the
/// session's new last seq, time and status.
pub(super) fn writes(append: &Append, first_seq: i64) -> Vec<Write<'_>> {
    let session = append.session_id.as_str();
    let mut out = Vec::with_capacity(append.events.len() + append.revoke_access_of.len() + 2);
    for (i, event) in append.events.iter().enumerate() {
        let client_id = if i == 0 { append.client_id.as_deref() } else { None };
        out.push(Write {
            sql: INSERT_EVENT,
            params: vec![
                Param::Text(session),
                Param::Int(first_seq + i as i64),
                Param::MaybeText(client_id),
                Param::MaybeText(event.actor.as_deref()),
                Param::Text(&event.kind),
                Param::Json(&event.payload),
                Param::Int(append.now_ms),
            ],
        });
    }
    for participant in &append.revoke_access_of {
        out.push(Write {
            sql: REVOKE_PARTICIPANT_TOKENS,
            params: vec![Param::Int(append.now_ms), Param::Text(session), Param::Text(participant)],
        });
    }
    if !append.revoke_access_of.is_empty() {
        out.push(Write {
            sql: REVOKE_INVITES,
            params: vec![Param::Int(append.now_ms), Param::Text(session)],
        });
    }
    out.push(Write {
        sql: UPDATE_SESSION_AFTER_APPEND,
        params: vec![
            Param::Int(first_seq + append.events.len() as i64 - 1),
            Param::Int(append.now_ms),
            Param::MaybeText(append.status.map(SessionStatus::as_str)),
            Param::Text(session),
        ],
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewEvent;
    use serde_json::json;

    fn append(client_id: Option<&str>, expected_last_seq: i64, events: usize) -> Append {
        Append {
            session_id: "s".into(),
            expected_last_seq,
            client_id: client_id.map(str::to_owned),
            events: (0..events).map(|i| NewEvent::new(Some("p".into()), "k", &json!({ "i": i }))).collect(),
            status: None,
            revoke_access_of: vec![],
            now_ms: 7,
        }
    }

    #[test]
    fn the_append_rule_answers_unknown_duplicate_conflict_and_empty_without_writing() {
        assert!(matches!(decide(&append(None, 3, 1), None, None), Err(StoreError::NotFound(_))));
        assert_eq!(
            decide(&append(Some("c"), 3, 1), Some(5), Some(4)).unwrap(),
            Decision::Answer(AppendOutcome::Duplicate { seq: 4 }),
            "a client id seen before wins over a stale expected seq"
        );
        assert_eq!(
            decide(&append(None, 3, 1), Some(5), Some(4)).unwrap(),
            Decision::Answer(AppendOutcome::Conflict { last_seq: 5 }),
            "without a client id there is no duplicate"
        );
        assert_eq!(
            decide(&append(Some("c"), 5, 0), Some(5), None).unwrap(),
            Decision::Answer(AppendOutcome::Appended { first_seq: 6, last_seq: 5 })
        );
        assert_eq!(
            decide(&append(Some("c"), 5, 3), Some(5), None).unwrap(),
            Decision::Write { first_seq: 6, last_seq: 8 }
        );
    }

    #[test]
    fn the_writes_put_the_client_id_on_the_first_event_and_move_last_seq_past_the_last() {
        let mut a = append(Some("c"), 5, 2);
        a.revoke_access_of = vec!["gone".into()];
        let w = writes(&a, 6);
        let sqls: Vec<&str> = w.iter().map(|w| w.sql).collect();
        assert_eq!(
            sqls,
            [
                INSERT_EVENT,
                INSERT_EVENT,
                REVOKE_PARTICIPANT_TOKENS,
                REVOKE_INVITES,
                UPDATE_SESSION_AFTER_APPEND
            ]
        );
        assert_eq!(w[0].params[1..3], [Param::Int(6), Param::MaybeText(Some("c"))]);
        assert_eq!(w[1].params[1..3], [Param::Int(7), Param::MaybeText(None)]);
        assert_eq!(w[2].params[2], Param::Text("gone"));
        assert_eq!(w[4].params[0], Param::Int(7));
        for write in &w {
            let highest = (1..=9).filter(|n| write.sql.contains(&format!("${n}"))).max().unwrap();
            assert_eq!(highest, write.params.len(), "{}", write.sql);
        }
    }
}
