//! The search engine as the server uses it: an in-process index ([`SearchCache`]) kept current
//! from the archive (the `store::Archive` trait) and asked by the HTTP handlers, the CLI and
//! the consistency hints. One per process; several processes on one database each keep their
//! own index and each catch up the same way.

use std::sync::Arc;

use super::{assemble, IndexLabel, IndexSource, SearchCache, SearchPage, SearchQuery};
use crate::domain::text::query_terms;
use crate::store::{Archive, StoreError};

/// Precedents read per page when the index catches up.
const INDEX_PAGE: i64 = 10_000;

pub struct ArchiveSearch {
    archive: Arc<dyn Archive>,
    cache: Arc<SearchCache>,
}

impl ArchiveSearch {
    /// An empty index over `archive`; the first search (or [`ArchiveSearch::refresh`]) loads it.
    pub fn new(archive: Arc<dyn Archive>) -> Self {
        ArchiveSearch { archive, cache: SearchCache::new() }
    }

    /// The archive this engine indexes.
    pub fn archive(&self) -> &dyn Archive {
        self.archive.as_ref()
    }

    /// Searches the archive's adopted precedents: the index, brought up to date first, ranks,
    /// filters, facets and pages; the page's snippets come from the stored bodies. Identical
    /// on both backends.
    pub async fn search_precedents(&self, query: &SearchQuery) -> Result<SearchPage, StoreError> {
        self.refresh().await?;
        let terms = query_terms(&query.text);
        let (cache, q, t) = (self.cache.clone(), query.clone(), terms.clone());
        let ranked = tokio::task::spawn_blocking(move || cache.search(&q, &t))
            .await
            .map_err(|e| StoreError::Internal(format!("search task failed: {e}")))?;
        let ids: Vec<i64> = ranked.hits.iter().map(|h| h.id).collect();
        let bodies = self.archive.precedent_bodies(&ids).await?;
        Ok(assemble(query, ranked, &bodies))
    }

    /// Brings the index up to date with the archive (loads the whole archive the first time).
    /// Searches do this themselves; the server calls it once at start-up.
    pub async fn refresh(&self) -> Result<(), StoreError> {
        let generation = self.archive.archive_generation().await?;
        if self.cache.generation() >= generation {
            return Ok(());
        }
        let _loading = self.cache.lock_refresh().await;
        let from = self.cache.generation();
        if from >= generation {
            return Ok(());
        }
        // Page by page: while one page is applied (on a blocking thread) the next is read.
        let failed =
            |e: tokio::task::JoinError| StoreError::Internal(format!("search index task failed: {e}"));
        let mut applying: Option<tokio::task::JoinHandle<()>> = None;
        let mut after_id = i64::MIN;
        loop {
            let sources: Vec<IndexSource> = self.archive.index_sources(from, after_id, INDEX_PAGE).await?;
            let Some(last_id) = sources.last().map(|s| s.id) else { break };
            let labels: Vec<IndexLabel> = self.archive.index_labels(from, after_id, last_id).await?;
            if let Some(previous) = applying.take() {
                previous.await.map_err(failed)?;
            }
            let (cache, more) = (self.cache.clone(), sources.len() as i64 == INDEX_PAGE);
            applying = Some(tokio::task::spawn_blocking(move || cache.apply(sources, &labels, from)));
            after_id = last_id;
            if !more {
                break;
            }
        }
        if let Some(previous) = applying {
            previous.await.map_err(failed)?;
        }
        // Every change up to `generation` had committed when it was read (writers take
        // generations in commit order), so the index has them all, or newer versions whose own
        // generations are above it and will be read again next time.
        self.cache.apply(Vec::new(), &[], generation);
        Ok(())
    }
}
