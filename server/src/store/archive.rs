//! The archive: precedents (one row each, with the rows the search engine indexes: texts, law
//! keys, themes, tags, values), imports, custom methods, and what `crate::search` reads to
//! keep its in-process index current (the archive generation and the precedents changed
//! since one). The lifecycle of a precedent (drafting, adoption, corrections, links) is in
//! `lifecycle.rs`.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::Value;
use sqlx::types::Json;

use super::backend::{Backend, SqlStore};
use super::model::{NewPrecedent, PrecedentRow};
use super::query::row_where;
use super::sql::*;
use super::statement::Arg;
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
    /// The database's identity (migration 0017): a random id made once, when the database was
    /// created or first migrated to it. The on-disk search index records the identity it was built
    /// from, so it recognises a database it was not built from and is rebuilt instead of caught up.
    async fn database_identity(&self) -> Result<String>;
}

#[async_trait]
impl<DB: Backend> Archive for SqlStore<DB> {
    async fn create_custom_method(&self, key: &str, definition: &Screened<Value>, now_ms: i64) -> Result<()> {
        let sql = "INSERT INTO custom_methods (key, definition, created_at) VALUES ($1, $2, $3)";
        DB::execute(&self.pool, sql, &[key.into(), Arg::Json(definition), now_ms.into()]).await?;
        Ok(())
    }

    async fn custom_methods(&self) -> Result<Vec<Value>> {
        let sql = "SELECT definition FROM custom_methods ORDER BY key";
        let rows: Vec<Json<Value>> = DB::scalars(&self.pool, sql, &[]).await?;
        Ok(rows.into_iter().map(|j| j.0).collect())
    }

    async fn custom_method(&self, key: &str) -> Result<Option<Value>> {
        let sql = "SELECT definition FROM custom_methods WHERE key = $1";
        let row: Option<Json<Value>> = DB::scalar_optional(&self.pool, sql, &[key.into()]).await?;
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
        DB::fetch_all(&self.pool, &sql, &[organisation_id.into()]).await
    }

    async fn precedent(&self, id: i64) -> Result<Option<PrecedentRow>> {
        row_where(&self.pool, (PRECEDENT_COLUMNS, "precedents", "id"), id.into()).await
    }

    async fn count_precedents(&self, organisation_id: i64) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM precedents WHERE organisation_id = $1";
        DB::scalar(&self.pool, sql, &[organisation_id.into()]).await
    }

    async fn archive_generation(&self) -> Result<i64> {
        DB::scalar(&self.pool, ARCHIVE_GENERATION, &[]).await
    }

    fn local_archive_writes(&self) -> u64 {
        self.archive_writes.load(std::sync::atomic::Ordering::Acquire)
    }

    async fn index_sources(&self, since: i64, after_id: i64, limit: i64) -> Result<Vec<IndexSource>> {
        DB::fetch_all(&self.pool, INDEX_SOURCES, &[since.into(), after_id.into(), limit.into()]).await
    }

    async fn index_labels(&self, since: i64, after_id: i64, last_id: i64) -> Result<Vec<IndexLabel>> {
        DB::fetch_all(&self.pool, INDEX_LABELS, &[since.into(), after_id.into(), last_id.into()]).await
    }

    fn database_file(&self) -> Option<std::path::PathBuf> {
        DB::database_file(&self.pool)
    }

    async fn database_identity(&self) -> Result<String> {
        DB::scalar(&self.pool, "SELECT identity FROM database_identity WHERE id = 1", &[]).await
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
        let ids: Vec<Arg> = ids.iter().map(|&id| id.into()).collect();
        let rows: Vec<(i64, String)> = DB::fetch_all(&self.pool, &sql, &ids).await?;
        Ok(rows.into_iter().collect())
    }
}
