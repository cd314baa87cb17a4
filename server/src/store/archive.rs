//! The archive: precedents (one row each, with the rows the search engine indexes: texts, law
//! keys, themes, tags, values), imports, custom methods, and what `crate::search` reads to
//! keep its in-process index current (the archive generation and the precedents changed
//! since one). The lifecycle of a precedent (drafting, adoption, corrections, links) is in
//! `lifecycle.rs`.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::backend::{Backend, SqlStore};
use super::model::{NewPrecedent, PrecedentRow};
use super::sql::*;
use super::Result;
use crate::guard::Screened;
use crate::search::{IndexLabel, IndexSource};

#[async_trait]
pub trait Archive: Send + Sync {
    /// Inserts a precedent, or updates the one with the same organisation and import ref.
    /// Its search rows (texts, law keys, themes, tags, values) are written in the same
    /// transaction.
    async fn upsert_precedent(&self, new: &Screened<NewPrecedent>) -> Result<PrecedentRow>;
    /// Upserts many precedents in one transaction: all of them or none.
    async fn import_precedents(&self, news: &[Screened<NewPrecedent>]) -> Result<Vec<PrecedentRow>>;
    /// An organisation's precedents, oldest decision first.
    async fn precedents_of_organisation(&self, organisation_id: i64) -> Result<Vec<PrecedentRow>>;
    async fn precedent(&self, id: i64) -> Result<Option<PrecedentRow>>;
    async fn count_precedents(&self, organisation_id: i64) -> Result<i64>;

    // --- custom methods -------------------------------------------------------------------
    /// Stores a validated custom method; `AlreadyExists` when its key is taken.
    async fn create_custom_method(&self, key: &str, definition: &Screened<Value>, now_ms: i64) -> Result<()>;
    /// Every custom method's definition, by key.
    async fn custom_methods(&self) -> Result<Vec<Value>>;
    async fn custom_method(&self, key: &str) -> Result<Option<Value>>;

    // --- what the search index reads --------------------------------------------------------
    /// The archive's generation: the number of changes to precedents so far (migration 0006).
    async fn archive_generation(&self) -> Result<i64>;
    /// How many archive changes this process (this store handle) has committed: a search in
    /// this process sees its own writes at once, before the change feed echoes them.
    fn local_archive_writes(&self) -> u64;
    /// The precedents changed after generation `since`, by id: those after `after_id`, at most
    /// `limit`.
    async fn index_sources(&self, since: i64, after_id: i64, limit: i64) -> Result<Vec<IndexSource>>;
    /// The labels and law keys of the precedents changed after generation `since` with an id
    /// in (`after_id`, `last_id`].
    async fn index_labels(&self, since: i64, after_id: i64, last_id: i64) -> Result<Vec<IndexLabel>>;
    /// The searchable body of each precedent, by id (for snippets), in one query.
    async fn precedent_bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>>;
    /// The database file, when the backend keeps one: the search engine keeps its on-disk
    /// index beside it (`<file>.index/`).
    fn database_file(&self) -> Option<std::path::PathBuf> {
        None
    }
    /// The database's identity (migration 0017, `database_identity.rs`): what an on-disk search index
    /// records it was built from.
    async fn database_identity(&self) -> Result<String>;
}

#[async_trait]
impl<DB: Backend> Archive for SqlStore<DB>
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
    async fn create_custom_method(&self, key: &str, definition: &Screened<Value>, now_ms: i64) -> Result<()> {
        sqlx::query("INSERT INTO custom_methods (key, definition, created_at) VALUES ($1, $2, $3)")
            .bind(key)
            .bind(Json(&**definition))
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn custom_methods(&self) -> Result<Vec<Value>> {
        let rows: Vec<Json<Value>> = sqlx::query_scalar("SELECT definition FROM custom_methods ORDER BY key")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|j| j.0).collect())
    }

    async fn custom_method(&self, key: &str) -> Result<Option<Value>> {
        let row: Option<Json<Value>> =
            sqlx::query_scalar("SELECT definition FROM custom_methods WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    async fn upsert_precedent(&self, new: &Screened<NewPrecedent>) -> Result<PrecedentRow> {
        let mut tx = self.begin_write().await?;
        let raw = Self::upsert_precedent_in_tx(&mut tx, new).await?;
        tx.commit().await?;
        self.archive_written();
        Ok(raw)
    }

    async fn import_precedents(&self, news: &[Screened<NewPrecedent>]) -> Result<Vec<PrecedentRow>> {
        let mut tx = self.begin_write().await?;
        let mut raws = Vec::with_capacity(news.len());
        for new in news {
            raws.push(Self::upsert_precedent_in_tx(&mut tx, new).await?);
        }
        tx.commit().await?;
        self.archive_written();
        Ok(raws)
    }

    async fn precedents_of_organisation(&self, organisation_id: i64) -> Result<Vec<PrecedentRow>> {
        let sql = format!(
            "SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE organisation_id = $1 ORDER BY decided_on, id"
        );
        Ok(sqlx::query_as(&sql).bind(organisation_id).fetch_all(&self.pool).await?)
    }

    async fn precedent(&self, id: i64) -> Result<Option<PrecedentRow>> {
        let sql = format!("SELECT {PRECEDENT_COLUMNS} FROM precedents WHERE id = $1");
        Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
    }

    async fn count_precedents(&self, organisation_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM precedents WHERE organisation_id = $1")
            .bind(organisation_id)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn archive_generation(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(ARCHIVE_GENERATION).fetch_one(&self.pool).await?)
    }

    fn local_archive_writes(&self) -> u64 {
        self.archive_writes.load(std::sync::atomic::Ordering::Acquire)
    }

    async fn index_sources(&self, since: i64, after_id: i64, limit: i64) -> Result<Vec<IndexSource>> {
        Ok(sqlx::query_as(INDEX_SOURCES).bind(since).bind(after_id).bind(limit).fetch_all(&self.pool).await?)
    }

    async fn index_labels(&self, since: i64, after_id: i64, last_id: i64) -> Result<Vec<IndexLabel>> {
        Ok(sqlx::query_as(INDEX_LABELS)
            .bind(since)
            .bind(after_id)
            .bind(last_id)
            .fetch_all(&self.pool)
            .await?)
    }

    fn database_file(&self) -> Option<std::path::PathBuf> {
        DB::database_file(&self.pool)
    }

    async fn database_identity(&self) -> Result<String> {
        super::database_identity::database_identity(&self.pool).await
    }

    async fn precedent_bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT precedent_id, body FROM precedent_texts WHERE precedent_id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool).await?.into_iter().collect())
    }
}
