//! The embedded default: one SQLite file in WAL mode with `synchronous=FULL` (an acknowledged
//! write survives a power cut), writes in `BEGIN IMMEDIATE` transactions (no upgrade deadlocks).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::types::Json;

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
        Ok(Self { pool, appends })
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

/// Writes a precedent's original texts and its FTS5 row (rowid = precedent id).
async fn write_text_index(conn: &mut sqlx::SqliteConnection, id: i64, title: &str, body: &str) -> Result<()> {
    let shadow = crate::search::ShadowTexts::of(title, body);
    sqlx::query(
        "INSERT INTO precedent_texts (precedent_id, title, body) VALUES ($1, $2, $3) \
         ON CONFLICT (precedent_id) DO UPDATE SET title = excluded.title, body = excluded.body",
    )
    .bind(id)
    .bind(title)
    .bind(body)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM precedent_fts WHERE rowid = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO precedent_fts (rowid, title_stems, body_stems, title_words, body_words) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(&shadow.title_stems)
    .bind(&shadow.body_stems)
    .bind(&shadow.title_words)
    .bind(&shadow.body_words)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The full-text condition on `p` (the precedents table): an FTS5 `MATCH`, the expression a
/// bind parameter. `None` when the terms give nothing to search for.
fn text_condition(terms: &[crate::domain::text::QueryTerm], args: &mut Vec<SqlArg>) -> Option<String> {
    use crate::domain::text::{fts5_match_expr, Fts5Columns};
    let columns = Fts5Columns::new(&["title_stems", "body_stems"], &["title_words", "body_words"]).ok()?;
    args.push(SqlArg::Text(fts5_match_expr(terms, &columns)?));
    Some(format!("p.id IN (SELECT rowid FROM precedent_fts WHERE precedent_fts MATCH ${})", args.len()))
}

sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");
