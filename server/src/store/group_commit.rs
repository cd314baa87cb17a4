//! Group commit for SQLite. SQLite has one writer at a time and, with `synchronous=FULL`, every
//! commit waits for an fsync; when many sessions write at the same moment they would queue for
//! one fsync each. Instead one writer takes every append waiting and commits them in one
//! `BEGIN IMMEDIATE` transaction, and only then answers each caller — so an acknowledgement
//! still means "on disk".
//!
//! The writer is a thread of its own with a connection of its own (rusqlite, on the
//! `libsqlite3-sys` sqlx links): every statement of a batch is a plain call into SQLite on that
//! thread. Through sqlx each statement would be a round trip to the connection's worker thread
//! (two thread hand-offs), so a batch costs two hand-offs now — the appends in, the answers
//! out — however many statements it runs. Per append, in order: the session's last seq and the
//! seq of an earlier event with its client id (the batch's own writes included), the append
//! rule (`event_log::decide`), and its writes (`event_log::writes`). If the transaction fails
//! it is rolled back (nothing was acknowledged) and each append is tried in a transaction of
//! its own, so one append that cannot be stored fails alone.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::event_log::{decide, writes, Decision, Param};
use super::model::{Append, AppendOutcome};
use super::{Result, StoreError};

/// Most appends in one transaction.
const MAX_BATCH: usize = 128;
/// Appends waiting for the writer.
const QUEUE: usize = 4096;
/// How long the writer waits for the database's write lock (as the pool's connections do).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The session's last seq and the seq of an earlier event with the append's client id (`$1`:
/// the session, `$2`: the client id or NULL, which matches none), in one statement; the
/// transaction already holds the write lock.
const SELECT_LAST_AND_CLIENT_SEQ: &str = "SELECT last_seq, \
     (SELECT seq FROM session_events WHERE session_id = $1 AND client_id = $2) \
     FROM sessions WHERE id = $1";
/// The batch's transaction: it takes the write lock at once (as the pool's writers do).
const BEGIN: &str = "BEGIN IMMEDIATE";
const COMMIT: &str = "COMMIT";
/// Statement names of the parameters `$1…$9` (the writes bind them by name).
const PARAMS: [&str; 9] = ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9"];

type Reply = oneshot::Sender<Result<AppendOutcome>>;

enum Msg {
    Append(Append, Reply),
    /// The store's pool was closed: the writer closes its connection and ends.
    Close,
}

pub struct GroupCommit {
    tx: mpsc::Sender<Msg>,
    /// The store's pool: once it is closed, so is the writer.
    pool: SqlitePool,
    /// Dropped with the store: ends the task that watches the pool for its close.
    _dropped: oneshot::Sender<()>,
}

impl GroupCommit {
    /// Starts the writer thread on the database file `path` (its pool is `pool`); it ends when
    /// the store is dropped or its pool closed.
    pub fn start(path: &Path, pool: &SqlitePool) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        let path = path.to_owned();
        std::thread::Builder::new()
            .name("sqlite-group-commit".into())
            .spawn(move || writer(&path, rx))
            .expect("a thread starts");
        let (dropped, store_gone) = oneshot::channel();
        let closing = tx.downgrade();
        let closed = pool.close_event();
        tokio::spawn(async move {
            tokio::select! {
                () = closed => {
                    if let Some(tx) = closing.upgrade() {
                        let _ = tx.send(Msg::Close).await;
                    }
                }
                _ = store_gone => {}
            }
        });
        GroupCommit { tx, pool: pool.clone(), _dropped: dropped }
    }

    pub async fn append(&self, append: Append) -> Result<AppendOutcome> {
        if self.pool.is_closed() {
            return Err(closed());
        }
        let (reply, answer) = oneshot::channel();
        self.tx.send(Msg::Append(append, reply)).await.map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}

fn closed() -> StoreError {
    StoreError::Unavailable { context: "the store is closed".into(), source: sqlx::Error::PoolClosed }
}

/// Takes the appends waiting (up to [`MAX_BATCH`]) and commits them together, until the store
/// is dropped or closed. The connection is opened when first needed, and opened again when a
/// batch left it in doubt.
fn writer(path: &Path, mut rx: mpsc::Receiver<Msg>) {
    let mut batch: Vec<(Append, Reply)> = Vec::with_capacity(MAX_BATCH);
    let mut conn: Option<Connection> = None;
    let mut closing = false;
    while let Some(first) = rx.blocking_recv() {
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Append(append, reply) => batch.push((append, reply)),
                Msg::Close => closing = true,
            }
            if batch.len() < MAX_BATCH && !closing {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            commit_batch(path, &mut conn, &mut batch);
        }
        if closing {
            break;
        }
    }
}

/// Commits `batch` (emptied) and answers each of its callers.
fn commit_batch(path: &Path, conn: &mut Option<Connection>, batch: &mut Vec<(Append, Reply)>) {
    if conn.is_none() {
        match open(path) {
            Ok(c) => *conn = Some(c),
            Err(e) => {
                tracing::warn!(error = %e, "the group-commit writer cannot open the database");
                for (_, reply) in batch.drain(..) {
                    let _ = reply.send(Err(StoreError::Unavailable {
                        context: "the group-commit writer cannot open the database".into(),
                        source: sqlx::Error::Io(std::io::Error::other(e.to_string())),
                    }));
                }
                return;
            }
        }
    }
    let c = conn.as_mut().expect("opened above");
    let appends: Vec<&Append> = batch.iter().map(|(a, _)| a).collect();
    let mut healthy = true;
    let results = match attempt(c, &appends, &mut healthy) {
        Ok(results) => results,
        Err(e) if appends.len() == 1 => vec![Err(e)],
        Err(_) => appends
            .iter()
            .map(|append| {
                attempt(c, std::slice::from_ref(append), &mut healthy).and_then(|mut r| r.remove(0))
            })
            .collect(),
    };
    if !healthy {
        *conn = None;
    }
    for ((_, reply), result) in batch.drain(..).zip(results) {
        let _ = reply.send(result);
    }
}

/// Opens the writer's connection, set up as the pool's are (`sqlite.rs`): WAL,
/// `synchronous=FULL`, foreign keys on, the same busy timeout.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(16);
    Ok(conn)
}

/// One transaction for the whole batch. `Err` when the transaction failed: it is rolled back
/// (`healthy` turns false when that cannot be told: the connection is then replaced) and
/// nothing in it was committed. Otherwise each append's answer.
fn attempt(conn: &Connection, batch: &[&Append], healthy: &mut bool) -> Result<Vec<Result<AppendOutcome>>> {
    // BEGIN and COMMIT as cached statements, like the appends' own: parsed once, not per batch.
    let outcome = conn
        .prepare_cached(BEGIN)
        .and_then(|mut begin| begin.execute([]))
        .map_err(store_error)
        .and_then(|_| {
            let results = batch.iter().map(|append| run_append(conn, append)).collect::<Result<Vec<_>>>()?;
            conn.prepare_cached(COMMIT).and_then(|mut commit| commit.execute([])).map_err(store_error)?;
            Ok(results)
        });
    // A failed statement or commit leaves the transaction open: roll it back.
    if outcome.is_err() && !conn.is_autocommit() {
        *healthy &= conn.execute_batch("ROLLBACK").is_ok();
    }
    outcome
}

/// The append rule for one append inside the batch's transaction. The outer `Err` fails the
/// whole transaction (the database failed); the inner one is this append's answer alone (no
/// such session).
fn run_append(tx: &Connection, append: &Append) -> Result<Result<AppendOutcome>> {
    let session = append.session_id.as_str();
    let found: Option<(i64, Option<i64>)> = tx
        .prepare_cached(SELECT_LAST_AND_CLIENT_SEQ)
        .and_then(|mut s| {
            let params = rusqlite::named_params! { "$1": session, "$2": append.client_id.as_deref() };
            s.query_row(params, |row| Ok((row.get(0)?, row.get(1)?))).optional()
        })
        .map_err(store_error)?;
    // No row: no such session (and so no earlier event).
    let (last_seq, earlier) = match found {
        Some((last_seq, earlier)) => (Some(last_seq), earlier),
        None => (None, None),
    };
    let (first_seq, last_seq) = match decide(append, last_seq, earlier) {
        Ok(Decision::Write { first_seq, last_seq }) => (first_seq, last_seq),
        Ok(Decision::Answer(outcome)) => return Ok(Ok(outcome)),
        Err(e) => return Ok(Err(e)),
    };
    for write in writes(append, first_seq) {
        execute(tx, write.sql, &write.params).map_err(store_error)?;
    }
    Ok(Ok(AppendOutcome::Appended { first_seq, last_seq }))
}

/// Runs one statement with its parameters `$1…$n` bound by name.
fn execute(tx: &Connection, sql: &str, params: &[Param<'_>]) -> rusqlite::Result<()> {
    if params.len() > PARAMS.len() {
        return Err(rusqlite::Error::InvalidParameterCount(params.len(), PARAMS.len()));
    }
    let mut statement = tx.prepare_cached(sql)?;
    for (param, name) in params.iter().zip(PARAMS) {
        let Some(at) = statement.parameter_index(name)? else {
            return Err(rusqlite::Error::InvalidParameterName(name.to_owned()));
        };
        match param {
            Param::Int(v) => statement.raw_bind_parameter(at, v)?,
            Param::Text(v) => statement.raw_bind_parameter(at, v)?,
            Param::MaybeText(v) => statement.raw_bind_parameter(at, v)?,
            // As sqlx stores `Json` in SQLite: the JSON text.
            Param::Json(v) => statement.raw_bind_parameter(at, v.get())?,
        }
    }
    statement.raw_execute()?;
    Ok(())
}

/// In the store's terms: a busy, locked, unreadable or full database is unavailable; a broken
/// uniqueness or foreign-key rule is as from sqlx.
fn store_error(e: rusqlite::Error) -> StoreError {
    use rusqlite::{ffi, ErrorCode};
    let unavailable = |e: rusqlite::Error| StoreError::Unavailable {
        context: "the database does not answer".into(),
        source: sqlx::Error::Io(std::io::Error::other(e)),
    };
    match &e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            ErrorCode::ConstraintViolation
                if matches!(
                    f.extended_code,
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                ) =>
            {
                StoreError::AlreadyExists(e.to_string())
            }
            ErrorCode::ConstraintViolation if f.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                StoreError::NotFound(e.to_string())
            }
            ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked
            | ErrorCode::CannotOpen
            | ErrorCode::SystemIoFailure
            | ErrorCode::DiskFull
            | ErrorCode::ReadOnly
            | ErrorCode::NotADatabase
            | ErrorCode::DatabaseCorrupt => unavailable(e),
            _ => StoreError::Database(sqlx::Error::Protocol(e.to_string())),
        },
        _ => StoreError::Database(sqlx::Error::Protocol(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::store::{
        EventLog, NewEvent, NewSession, Operations, SessionHeader, SessionStatus, SqliteStore,
    };

    #[test]
    fn every_write_binds_each_of_its_parameters_by_name() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a, b, c)").unwrap();
        // Named out of order: bound by name, `$1` still gets the first value.
        let params = [Param::Int(1), Param::Text("two"), Param::MaybeText(None)];
        execute(&conn, "INSERT INTO t (c, a, b) VALUES ($3, $1, $2)", &params).unwrap();
        let row: (i64, String, Option<String>) =
            conn.query_row("SELECT a, b, c FROM t", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        assert_eq!(row, (1, "two".into(), None));
        let missing = execute(&conn, "INSERT INTO t (a) VALUES ($1)", &[Param::Int(1), Param::Int(2)]);
        assert!(matches!(missing, Err(rusqlite::Error::InvalidParameterName(_))), "{missing:?}");
    }

    /// A migrated store in a fresh file, with sessions `s0…` (last seq 1 each).
    async fn store_with_sessions(n: usize) -> (tempfile::TempDir, Arc<SqliteStore>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::connect(&dir.path().join("b.db")).await.unwrap());
        store.migrate().await.unwrap();
        for i in 0..n {
            let new = NewSession {
                header: SessionHeader {
                    id: format!("s{i}"),
                    team_id: None,
                    title: "Casus".into(),
                    method_key: "dilemma".into(),
                    status: SessionStatus::Lobby,
                    created_by: None,
                },
                events: vec![event("session_created")],
                review: None,
                now_ms: 1,
            };
            store.create_session(&crate::guard::screen(new).unwrap()).await.unwrap();
        }
        (dir, store)
    }

    fn event(kind: &str) -> NewEvent {
        NewEvent::new(None, kind, &json!({ "tekst": "één" }))
    }

    fn append(session: &str, kind: &str) -> Append {
        Append {
            session_id: session.into(),
            expected_last_seq: 1,
            client_id: Some(format!("c-{session}")),
            events: vec![event(kind)],
            status: None,
            revoke_access_of: Vec::new(),
            now_ms: 2,
        }
    }

    #[tokio::test]
    async fn an_append_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_committed() {
        let (_dir, store) = store_with_sessions(20).await;
        sqlx::query(
            "CREATE TRIGGER refuse BEFORE INSERT ON session_events WHEN NEW.kind = 'refused' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        .execute(store.pool())
        .await
        .unwrap();
        // Another connection holds the write lock while the appends queue up, so that all but
        // the first wait for the writer together and share a transaction: the refused one is
        // the last of them.
        let mut lock = store.pool().begin_with("BEGIN IMMEDIATE").await.unwrap();
        sqlx::query("SELECT 1").execute(&mut *lock).await.unwrap();
        let waiting =
            futures_util::future::join_all((0..20).map(|i| {
                store.append_events(append(&format!("s{i}"), if i == 19 { "refused" } else { "x" }))
            }));
        let release = async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            lock.commit().await.unwrap();
        };
        let (outcomes, ()) = tokio::join!(waiting, release);
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let stored = store.events_since(&format!("s{i}"), 1, 10).await.unwrap();
            if i == 19 {
                assert!(matches!(outcome, Err(StoreError::Database(_))), "{outcome:?}");
                assert!(stored.is_empty());
            } else {
                assert_eq!(outcome.unwrap(), AppendOutcome::Appended { first_seq: 2, last_seq: 2 }, "s{i}");
                assert_eq!(stored.len(), 1, "s{i}");
                assert_eq!(stored[0].client_id.as_deref(), Some(format!("c-s{i}").as_str()));
            }
        }
        // The writer goes on after the failure, on the same session too.
        let again = store.append_events(append("s19", "x")).await.unwrap();
        assert_eq!(again, AppendOutcome::Appended { first_seq: 2, last_seq: 2 });
        let duplicate = store.append_events(append("s3", "x")).await.unwrap();
        assert_eq!(duplicate, AppendOutcome::Duplicate { seq: 2 });
    }

    #[tokio::test]
    async fn once_the_pool_is_closed_an_append_is_answered_unavailable() {
        let (_dir, store) = store_with_sessions(1).await;
        assert!(store.append_events(append("s0", "x")).await.is_ok());
        store.close().await;
        let after = tokio::time::timeout(Duration::from_secs(10), store.append_events(append("s0", "y")))
            .await
            .expect("answered, not left waiting");
        assert!(matches!(after, Err(StoreError::Unavailable { .. })), "{after:?}");
    }
}
