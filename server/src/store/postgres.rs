//! PostgreSQL, for deployments that outgrow one machine. Several server processes may share one
//! database: appends lock the session row (`FOR UPDATE`) so the log stays gap-free whoever writes.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::types::Json;

use super::accounts::accounts_store;
use super::rows::*;
use super::sql::*;
use super::sql_store::sql_store;
use super::{model::*, Result, StoreError};
use crate::config::redact;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PostgresStore {
    pool: PgPool,
    /// The archive's search index (see `search::SearchCache`).
    search: std::sync::Arc<crate::search::SearchCache>,
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
        Ok(Self { pool, search: crate::search::SearchCache::new() })
    }

    /// A plain transaction: appends take their lock on the session row (`LOCK_SESSION`).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.pool.begin().await?)
    }

    /// One append in its own transaction; PostgreSQL groups concurrent commits itself.
    async fn append(&self, append: &Append) -> Result<AppendOutcome> {
        let mut tx = self.begin_write().await?;
        let outcome = append_in_tx(&mut tx, append).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// The pool, for tests and tools that need raw access.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Reads a session's last sequence number and locks its row until the transaction ends.
const LOCK_SESSION: &str = "SELECT last_seq FROM sessions WHERE id = $1 FOR UPDATE";

/// Locks a precedent row for a lifecycle step: status, version, updated_at, organisation.
const LOCK_PRECEDENT: &str =
    "SELECT status, CAST(version AS BIGINT), updated_at, organisation_id FROM precedents WHERE id = $1 FOR UPDATE";

sql_store!(PostgresStore, sqlx::Postgres, "postgres");
accounts_store!(PostgresStore, sqlx::Postgres, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
