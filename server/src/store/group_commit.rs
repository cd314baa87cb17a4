//! Group commit for SQLite. SQLite has one writer at a time and, with `synchronous=FULL`, every
//! commit waits for an fsync; when many sessions write at the same moment they would queue for
//! one fsync each. Instead one writer task takes every append waiting and commits them in one
//! `BEGIN IMMEDIATE` transaction, and only then answers each caller — so an acknowledgement
//! still means "on disk".
//!
//! Every statement sqlx runs on SQLite is a round trip to the connection's worker thread (two
//! thread hand-offs), so a batch is two scripts on the writer's own connection, whatever its
//! size: `BEGIN IMMEDIATE` with one query that reads every session's last seq and every earlier
//! event with one of the batch's client ids; then, after the append rule (`event_log::decide`)
//! ran for each append in order, every write of the batch (`event_log::writes`) and `COMMIT`.
//! If that fails, the batch is rolled back (nothing was acknowledged) and each append is tried
//! in a batch of its own, so one append that cannot be stored fails alone.

use std::collections::HashMap;

use futures_util::future::BoxFuture;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{Arguments, Executor, Row, Sqlite, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::event_log::{decide, writes, Decision, Param};
use super::model::{Append, AppendOutcome};
use super::{Result, StoreError};

/// Most appends in one transaction.
const MAX_BATCH: usize = 128;
/// Appends waiting for the writer.
const QUEUE: usize = 4096;
/// Parameters in one script: SQLite numbers them up to 32766 (`SQLITE_MAX_VARIABLE_NUMBER`);
/// a batch that needs more is written in several scripts (same transaction).
const MAX_PARAMS: usize = 30_000;

type Job = (Append, oneshot::Sender<Result<AppendOutcome>>);

pub struct GroupCommit {
    tx: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer task; it ends when the store is dropped or its pool closed.
    pub fn start(pool: SqlitePool) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(writer(pool, rx));
        GroupCommit { tx }
    }

    pub async fn append(&self, append: Append) -> Result<AppendOutcome> {
        let (reply, answer) = oneshot::channel();
        self.tx.send((append, reply)).await.map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}

fn closed() -> StoreError {
    StoreError::Unavailable { context: "the store is closed".into(), source: sqlx::Error::PoolClosed }
}

/// Holds one connection of the pool while it works (given back when the pool closes, or
/// replaced when a batch left it in doubt).
async fn writer(pool: SqlitePool, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut conn: Option<PoolConnection<Sqlite>> = None;
    let pool_closed = pool.close_event();
    tokio::pin!(pool_closed);
    loop {
        let n = tokio::select! {
            n = rx.recv_many(&mut batch, MAX_BATCH) => n,
            () = &mut pool_closed => 0,
        };
        if n == 0 {
            break;
        }
        if conn.is_none() {
            match pool.acquire().await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    for (_, reply) in batch.drain(..) {
                        let _ = reply.send(Err(StoreError::from(copy(&e))));
                    }
                    continue;
                }
            }
        }
        let c: &mut SqliteConnection = conn.as_mut().expect("acquired above");
        let appends: Vec<&Append> = batch.iter().map(|(a, _)| a).collect();
        let mut healthy = true;
        let results = match attempt(c, &appends, &mut healthy).await {
            Ok(results) => results,
            Err(e) if appends.len() == 1 => vec![Err(e)],
            Err(_) => {
                let mut results = Vec::with_capacity(appends.len());
                for append in &appends {
                    let alone = attempt(c, std::slice::from_ref(append), &mut healthy).await;
                    results.push(alone.and_then(|mut r| r.remove(0)));
                }
                results
            }
        };
        if !healthy {
            if let Some(mut c) = conn.take() {
                c.close_on_drop();
            }
        }
        for ((_, reply), result) in batch.drain(..).zip(results) {
            let _ = reply.send(result);
        }
    }
}

/// [`run_batch`]; when it fails, rolls the transaction back (`healthy` turns false when that
/// cannot be told: the connection is then replaced). Boxed, so the compiler sees it is `Send`
/// for the connection's one lifetime (sqlx's executors are not general over lifetimes).
fn attempt<'c>(
    conn: &'c mut SqliteConnection,
    batch: &'c [&'c Append],
    healthy: &'c mut bool,
) -> BoxFuture<'c, Result<Vec<Result<AppendOutcome>>>> {
    Box::pin(async move {
        let result = run_batch(conn, batch).await;
        if result.is_err() {
            *healthy &= match conn.execute("ROLLBACK").await {
                Ok(_) => true,
                Err(e) => e.to_string().contains("no transaction is active"),
            };
        }
        result
    })
}

/// One transaction for the whole batch. `Err` when the transaction failed (it is left for
/// the caller to roll back): then nothing in it was committed. Otherwise each append's answer.
async fn run_batch(conn: &mut SqliteConnection, batch: &[&Append]) -> Result<Vec<Result<AppendOutcome>>> {
    let (mut last_seqs, mut earlier) = read_state(conn, batch).await?;
    let mut results = Vec::with_capacity(batch.len());
    let mut script = Script::default();
    for &append in batch {
        let session = append.session_id.as_str();
        let seen = append.client_id.as_deref().and_then(|c| earlier.get(&(session, c)).copied());
        let (first_seq, last_seq) = match decide(append, last_seqs.get(session).copied(), seen) {
            Ok(Decision::Write { first_seq, last_seq }) => (first_seq, last_seq),
            Ok(Decision::Answer(outcome)) => {
                results.push(Ok(outcome));
                continue;
            }
            Err(e) => {
                results.push(Err(e));
                continue;
            }
        };
        for write in writes(append, first_seq) {
            if script.params + write.params.len() > MAX_PARAMS {
                std::mem::take(&mut script).execute(conn).await?;
            }
            script.push(write.sql, write.params);
        }
        last_seqs.insert(session, last_seq);
        if let Some(client_id) = append.client_id.as_deref() {
            earlier.insert((session, client_id), first_seq);
        }
        results.push(Ok(AppendOutcome::Appended { first_seq, last_seq }));
    }
    script.sql.push_str("COMMIT;");
    script.execute(conn).await?;
    Ok(results)
}

type LastSeqs<'a> = HashMap<&'a str, i64>;
type Earlier<'a> = HashMap<(&'a str, &'a str), i64>;

/// Begins the transaction and reads, in one script, the last seq of every session in the batch
/// and the seq of every earlier event with one of its client ids.
async fn read_state<'a>(
    conn: &mut SqliteConnection,
    batch: &[&'a Append],
) -> Result<(LastSeqs<'a>, Earlier<'a>)> {
    let mut sessions: Vec<&str> = batch.iter().map(|a| a.session_id.as_str()).collect();
    sessions.sort_unstable();
    sessions.dedup();
    let mut pairs: Vec<(usize, &str)> = batch
        .iter()
        .filter_map(|a| {
            let at = sessions.binary_search(&a.session_id.as_str()).expect("listed above");
            a.client_id.as_deref().map(|c| (at, c))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut args = SqliteArguments::default();
    let mut sql = String::from("BEGIN IMMEDIATE; SELECT 0, id, last_seq, NULL FROM sessions WHERE id IN (");
    for (i, session) in sessions.iter().enumerate() {
        add(&mut args, session.to_string());
        sql.push_str(&format!("{}${}", if i == 0 { "" } else { ", " }, i + 1));
    }
    sql.push(')');
    if !pairs.is_empty() {
        sql.push_str(
            " UNION ALL SELECT 1, session_id, seq, client_id FROM session_events \
             WHERE (session_id, client_id) IN (VALUES ",
        );
        for (i, (at, client_id)) in pairs.iter().enumerate() {
            add(&mut args, client_id.to_string());
            let n = sessions.len() + i + 1;
            sql.push_str(&format!("{}(${}, ${n})", if i == 0 { "" } else { ", " }, at + 1));
        }
        sql.push(')');
    }
    let rows = conn.fetch_all(sqlx::query_with(&sql, args)).await?;
    let (mut last_seqs, mut earlier) = (HashMap::new(), HashMap::new());
    for row in rows {
        let (kind, session, seq): (i64, String, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let Ok(at) = sessions.binary_search(&session.as_str()) else { continue };
        let session = sessions[at];
        if kind == 0 {
            last_seqs.insert(session, seq);
        } else if let Some(client_id) = row.try_get::<Option<String>, _>(3)? {
            if let Some((_, c)) = pairs.iter().find(|(s, c)| *s == at && *c == client_id) {
                earlier.insert((session, *c), seq);
            }
        }
    }
    Ok((last_seqs, earlier))
}

/// Several statements sent as one (`$n` numbered through the whole script). The values are
/// copied in (`'static`): sqlx's SQLite executor is not general over the arguments' lifetime.
#[derive(Default)]
struct Script {
    sql: String,
    args: SqliteArguments<'static>,
    params: usize,
}

impl Script {
    /// Adds a statement whose parameters are `$1…$n`, with their values.
    fn push(&mut self, sql: &str, params: Vec<Param<'_>>) {
        self.sql.push_str(&renumber(sql, self.params));
        self.sql.push_str(";\n");
        self.params += params.len();
        for param in params {
            match param {
                Param::Int(v) => add(&mut self.args, v),
                Param::Text(v) => add(&mut self.args, v.to_owned()),
                Param::MaybeText(v) => add(&mut self.args, v.map(str::to_owned)),
                // As sqlx stores `Json` in SQLite: the JSON text.
                Param::Json(v) => add(&mut self.args, v.to_string()),
            }
        }
    }

    async fn execute(self, conn: &mut SqliteConnection) -> Result<()> {
        if !self.sql.is_empty() {
            conn.execute(sqlx::query_with(&self.sql, self.args)).await?;
        }
        Ok(())
    }
}

fn add<'q, T: sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + 'q>(args: &mut SqliteArguments<'q>, value: T) {
    args.add(value).expect("SQLite encodes integers, text and JSON");
}

/// `sql` with each `$n` made `$(n + offset)`.
fn renumber(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let n: usize = rest[..digits].parse().expect("digits");
            out.push_str(&(n + offset).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// `sqlx::Error` is not `Clone`; every caller of a failed batch gets an equivalent error.
fn copy(e: &sqlx::Error) -> sqlx::Error {
    match e {
        sqlx::Error::PoolClosed => sqlx::Error::PoolClosed,
        sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
        other => sqlx::Error::Protocol(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn renumbering_moves_every_parameter_and_nothing_else() {
        assert_eq!(
            renumber("UPDATE t SET a = $1, b = $12 WHERE c = $2", 10),
            "UPDATE t SET a = $11, b = $22 WHERE c = $12"
        );
        assert_eq!(renumber("SELECT '$' || $1", 0), "SELECT '$' || $1");
    }
}
