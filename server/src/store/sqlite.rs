//! The embedded default: one SQLite file in WAL mode with `synchronous=FULL` (an acknowledged
//! write survives a power cut), writes in `BEGIN IMMEDIATE` transactions (no upgrade deadlocks).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::types::Json;

use super::accounts::accounts_store;
use super::group_commit::GroupCommit;
use super::rows::*;
use super::sql::*;
use super::sql_store::sql_store;
use super::{model::*, Result, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pool: SqlitePool,
    /// To the group-commit writer (see `group_commit.rs`).
    appends: GroupCommit,
    /// The archive's search index (see `search::SearchCache`).
    search: std::sync::Arc<crate::search::SearchCache>,
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
        let appends = GroupCommit::start(pool.clone());
        Ok(Self { pool, appends, search: crate::search::SearchCache::new() })
    }

    /// Appends go through the group-commit writer: appends that arrive together share one
    /// transaction and one fsync.
    async fn append(&self, append: &Append) -> Result<AppendOutcome> {
        self.appends.append(append.clone()).await
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Reads a session's last sequence number; `BEGIN IMMEDIATE` already holds the write lock.
const LOCK_SESSION: &str = "SELECT last_seq FROM sessions WHERE id = $1";

/// Locks a precedent row for a lifecycle step: status, version, updated_at, organisation.
const LOCK_PRECEDENT: &str =
    "SELECT status, CAST(version AS BIGINT), updated_at, organisation_id FROM precedents WHERE id = $1";

sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");
accounts_store!(SqliteStore, sqlx::Sqlite, "SELECT seq, hash FROM audit_head WHERE id = 1");
