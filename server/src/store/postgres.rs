//! PostgreSQL, for deployments that outgrow one machine. Several server processes may share one
//! database: appends lock the session row (`FOR UPDATE`) so the log stays gap-free whoever
//! writes, and each append commits in its own transaction (PostgreSQL groups concurrent
//! commits itself).

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions, PgQueryResult, PgRow};
use sqlx::{Postgres, Transaction};

use super::backend::{Backend, SqlStore};
use super::model::{Append, AppendOutcome};
use super::statement::{Driver, StoreRow};
use super::{Result, StoreError};
use crate::config::redact;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub type PostgresStore = SqlStore<Postgres>;

impl Driver for Postgres {
    fn decode<T: StoreRow>(row: &PgRow) -> sqlx::Result<T> {
        T::from_row(row)
    }

    fn rows_affected(done: &PgQueryResult) -> u64 {
        done.rows_affected()
    }
}

impl Backend for Postgres {
    const ID: &'static str = "postgres";
    const LOCK_SESSION: &'static str = "SELECT last_seq FROM sessions WHERE id = $1 FOR UPDATE";
    const LOCK_PRECEDENT: &'static str =
        "SELECT status, CAST(version AS BIGINT), updated_at, organisation_id \
         FROM precedents WHERE id = $1 FOR UPDATE";
    const LOCK_AUDIT_HEAD: &'static str = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
    /// Each session's events read on their own (LATERAL), by the primary key: joined plainly,
    /// the planner may scan the whole log for a handful of sessions.
    const EVENTS_AFTER_EACH: &'static str = "SELECT e.session_id, e.seq, e.client_id, e.actor, e.kind, \
         e.payload, e.created_at FROM json_to_recordset($1::text::json) AS w(s text, a bigint) \
         CROSS JOIN LATERAL (SELECT * FROM session_events WHERE session_id = w.s AND seq > w.a \
         ORDER BY seq LIMIT $2) AS e ORDER BY e.session_id, e.seq LIMIT $2";

    type Appends = ();

    async fn migrate(pool: &PgPool) -> Result<()> {
        MIGRATOR.run(pool).await?;
        Ok(())
    }

    /// A plain transaction: the statements that need a lock take it (`LOCK_*`).
    async fn begin_write(pool: &PgPool) -> Result<Transaction<'static, Postgres>> {
        Ok(pool.begin().await?)
    }

    async fn append(pool: &PgPool, _appends: &(), append: Append) -> Result<AppendOutcome> {
        let mut tx = Self::begin_write(pool).await?;
        let outcome = PostgresStore::append_in_tx(&mut tx, &append).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

impl PostgresStore {
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|source| StoreError::Unavailable {
                context: format!("cannot connect to PostgreSQL at {}", redact(url)),
                source,
            })?;
        Ok(Self { pool, appends: (), archive_writes: Default::default() })
    }
}
