//! PostgreSQL, for deployments that outgrow one machine. Several server processes may share one
//! database: appends lock the session row (`FOR UPDATE`) so the log stays gap-free whoever writes.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::types::Json;

use super::rows::*;
use super::sql::*;
use super::sql_store::sql_store;
use super::{model::*, Result, StoreError};
use crate::config::redact;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub struct PostgresStore {
    pool: PgPool,
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
        Ok(Self { pool })
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

/// Writes a precedent's original texts and their tsvectors (the 'simple' configuration over
/// the shadow texts, so the terms are the ones SQLite indexes).
async fn write_text_index(conn: &mut sqlx::PgConnection, id: i64, title: &str, body: &str) -> Result<()> {
    let shadow = crate::search::ShadowTexts::of(title, body);
    sqlx::query(
        "INSERT INTO precedent_texts (precedent_id, title, body, stems_tsv, words_tsv) \
         VALUES ($1, $2, $3, to_tsvector('simple', $4), to_tsvector('simple', $5) || to_tsvector('simple', $6)) \
         ON CONFLICT (precedent_id) DO UPDATE SET title = excluded.title, body = excluded.body, \
         stems_tsv = excluded.stems_tsv, words_tsv = excluded.words_tsv",
    )
    .bind(id)
    .bind(title)
    .bind(body)
    .bind(format!("{} {}", shadow.title_stems, shadow.body_stems))
    .bind(&shadow.title_words)
    .bind(&shadow.body_words)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The full-text condition on `p` (the precedents table): the stems and/or words tsquery,
/// each a bind parameter. `None` when the terms give nothing to search for.
fn text_condition(terms: &[crate::domain::text::QueryTerm], args: &mut Vec<SqlArg>) -> Option<String> {
    let queries = crate::domain::text::pg_tsquery_expr(terms);
    let mut parts = Vec::new();
    if let Some(stems) = queries.stems {
        args.push(SqlArg::Text(stems));
        parts.push(format!("x.stems_tsv @@ to_tsquery('simple', ${})", args.len()));
    }
    if let Some(words) = queries.words {
        args.push(SqlArg::Text(words));
        parts.push(format!("x.words_tsv @@ to_tsquery('simple', ${})", args.len()));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("p.id IN (SELECT x.precedent_id FROM precedent_texts x WHERE {})", parts.join(" AND ")))
}

sql_store!(PostgresStore, sqlx::Postgres, "postgres");
