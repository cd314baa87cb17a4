//! The embedded default: one SQLite file in WAL mode with `synchronous=FULL` (an acknowledged
//! write survives a power cut), writes in `BEGIN IMMEDIATE` transactions (no upgrade deadlocks:
//! the transaction holds the database's write lock from its start, so the lock queries need no
//! `FOR UPDATE`), appends batched into shared commits by the group-commit writer.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteQueryResult, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use super::backend::{Backend, SqlStore};
use super::group_commit::GroupCommit;
use super::model::{Append, AppendOutcome};
use super::statement::{Driver, StoreRow};
use super::{Result, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub type SqliteStore = SqlStore<Sqlite>;

impl Driver for Sqlite {
    fn decode<T: StoreRow>(row: &SqliteRow) -> sqlx::Result<T> {
        T::from_row(row)
    }

    fn rows_affected(done: &SqliteQueryResult) -> u64 {
        done.rows_affected()
    }
}

impl Backend for Sqlite {
    const ID: &'static str = "sqlite";
    const LOCK_SESSION: &'static str = "SELECT last_seq FROM sessions WHERE id = $1";
    const LOCK_PRECEDENT: &'static str =
        "SELECT status, CAST(version AS BIGINT), updated_at, organisation_id FROM precedents WHERE id = $1";
    const LOCK_AUDIT_HEAD: &'static str = "SELECT seq, hash FROM audit_head WHERE id = 1";
    /// `CROSS JOIN` keeps the list outermost (SQLite's planner takes the order as given), so
    /// each session's events are found by the primary key.
    const EVENTS_AFTER_EACH: &'static str = "SELECT e.session_id, e.seq, e.client_id, e.actor, e.kind, \
         e.payload, e.created_at FROM json_each($1) AS w CROSS JOIN session_events AS e \
         ON e.session_id = json_extract(w.value, '$.s') AND e.seq > json_extract(w.value, '$.a') \
         ORDER BY e.session_id, e.seq LIMIT $2";

    type Appends = GroupCommit;

    async fn migrate(pool: &SqlitePool) -> Result<()> {
        MIGRATOR.run(pool).await?;
        Ok(())
    }

    async fn begin_write(pool: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
        Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Through the group-commit writer (a thread with its own connection): appends that
    /// arrive together share one transaction and one fsync.
    async fn append(_pool: &SqlitePool, appends: &GroupCommit, append: Append) -> Result<AppendOutcome> {
        appends.append(append).await
    }

    fn database_file(pool: &SqlitePool) -> Option<std::path::PathBuf> {
        let options = pool.connect_options();
        let file = options.get_filename();
        let name = file.to_string_lossy();
        (!name.is_empty() && name != ":memory:" && !name.starts_with("file:")).then(|| file.to_owned())
    }
}

impl SqliteStore {
    /// Opens (creating when missing) the database file.
    pub async fn connect(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(StoreError::Database)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Unavailable {
                context: format!(
                    "cannot open the SQLite database {} (is its folder there and writable?)",
                    path.display()
                ),
                source,
            })?;
        let appends = GroupCommit::start(path, &pool);
        Ok(Self { pool, appends, archive_writes: Default::default() })
    }
}
