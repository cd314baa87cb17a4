//! The search engine as the server uses it: an in-process index ([`SearchCache`]) kept current
//! from the archive (the `store::Archive` trait) and asked by the HTTP handlers, the CLI and
//! the consistency hints. One per process; several processes on one database each keep their
//! own index and each catch up the same way.
//!
//! When to catch up: the change feed announces every archive change ([`ArchiveSearch::follow`]),
//! and a search reads the archive's generation only when something was announced (or written
//! by this process) since the last refresh. While the feed cannot vouch for every writer (the
//! PostgreSQL listener is reconnecting; SQLite, where the CLI may write the file from another
//! process) each search checks the generation first: one single-row read.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use super::{assemble, IndexLabel, IndexSource, SearchCache, SearchPage, SearchQuery};
use crate::domain::text::query_terms;
use crate::feed::{DynFeed, FeedEvent, Notice};
use crate::store::{Archive, StoreError};

/// Precedents read per page when the index catches up.
const INDEX_PAGE: i64 = 10_000;

pub struct ArchiveSearch {
    archive: Arc<dyn Archive>,
    cache: Arc<SearchCache>,
    /// The change feed this engine follows, once [`ArchiveSearch::follow`] was called.
    feed: OnceLock<DynFeed>,
    /// Archive notices (and resyncs) received from the feed so far.
    notices: AtomicU64,
    /// `(notices, local archive writes)` as they were when the last refresh began; `None`
    /// until one succeeded.
    refreshed: Mutex<Option<(u64, u64)>>,
}

impl ArchiveSearch {
    /// An empty index over `archive`; the first search (or [`ArchiveSearch::refresh`]) loads it.
    pub fn new(archive: Arc<dyn Archive>) -> Self {
        ArchiveSearch {
            archive,
            cache: SearchCache::new(),
            feed: OnceLock::new(),
            notices: AtomicU64::new(0),
            refreshed: Mutex::new(None),
        }
    }

    /// Follows the change feed until `stop`: each archive notice (or resync) refreshes the
    /// index in the background and marks it for a check at the next search.
    pub fn follow(self: &Arc<Self>, feed: DynFeed, stop: CancellationToken) {
        let mut rx = feed.subscribe();
        let _ = self.feed.set(feed);
        let search = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let Some(event) = crate::feed::next_until(&mut rx, &stop).await else { return };
                match event {
                    Ok(FeedEvent::Notice(Notice::ArchiveChanged))
                    | Ok(FeedEvent::Resync)
                    | Err(RecvError::Lagged(_)) => {}
                    Ok(FeedEvent::Notice(_)) => continue,
                    Err(RecvError::Closed) => return,
                }
                let Some(search) = search.upgrade() else { return };
                search.notices.fetch_add(1, Ordering::AcqRel);
                if let Err(e) = search.refresh().await {
                    tracing::warn!(error = %e, "search index not refreshed; the next search tries again");
                }
            }
        });
    }

    /// Whether a search must read the archive's generation first (see the module note).
    fn must_check(&self) -> bool {
        let Some(feed) = self.feed.get() else { return true };
        if !feed.sees_every_writer() {
            return true;
        }
        let now = (self.notices.load(Ordering::Acquire), self.archive.local_archive_writes());
        *self.refreshed.lock().expect("refresh marks") != Some(now)
    }

    /// The archive this engine indexes.
    pub fn archive(&self) -> &dyn Archive {
        self.archive.as_ref()
    }

    /// Searches the archive's adopted precedents: the index, brought up to date first, ranks,
    /// filters, facets and pages; the page's snippets come from the stored bodies. Identical
    /// on both backends.
    pub async fn search_precedents(&self, query: &SearchQuery) -> Result<SearchPage, StoreError> {
        let _timer = crate::metrics::search_timer();
        if self.must_check() {
            self.refresh().await?;
        }
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
        // Taken before the generation is read: whatever is announced later checks again.
        let marks = (self.notices.load(Ordering::Acquire), self.archive.local_archive_writes());
        self.refresh_to_generation().await?;
        *self.refreshed.lock().expect("refresh marks") = Some(marks);
        Ok(())
    }

    async fn refresh_to_generation(&self) -> Result<(), StoreError> {
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
