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

use super::engine::TantivyIndex;
use super::{assemble, IndexLabel, IndexSource, RankedPage, SearchCache, SearchPage, SearchQuery};
use crate::domain::text::query_terms;
use crate::feed::{DynFeed, FeedEvent, Notice};
use crate::store::{Archive, StoreError};

/// Precedents read per page when the index catches up.
const INDEX_PAGE: i64 = 10_000;

/// Which engine holds the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    /// tantivy, on disk (`search::engine`), in a directory that stays between starts (see
    /// [`ArchiveSearch::index_homes`]): the default on both backends.
    Tantivy,
    /// Beraad's own inverted index held in the process (`search::index`), rebuilt at every
    /// start: the reference the tantivy engine is tested against (docs/archive.md).
    Memory,
}

impl EngineKind {
    /// `BERAAD_SEARCH_ENGINE` (`memory` or `tantivy`); `None` when unset (or another value).
    pub fn from_env() -> Option<EngineKind> {
        match std::env::var("BERAAD_SEARCH_ENGINE").as_deref() {
            Ok("memory") => Some(EngineKind::Memory),
            Ok("tantivy") => Some(EngineKind::Tantivy),
            _ => None,
        }
    }

    /// The engine a search uses: the one `BERAAD_SEARCH_ENGINE` names, else tantivy.
    pub fn chosen() -> EngineKind {
        EngineKind::from_env().unwrap_or(EngineKind::Tantivy)
    }
}

/// Where processes keep their on-disk indexes when neither `--index-dir` nor a SQLite
/// database file says: the cache directory systemd gives the service (`CacheDirectory=`,
/// `$CACHE_DIRECTORY`), else `$XDG_CACHE_HOME/beraad/index`, else `~/.cache/beraad/index`;
/// `None` when none is known (a temporary directory is used then).
pub fn default_index_root() -> Option<std::path::PathBuf> {
    let var = |name: &str| std::env::var_os(name).map(std::path::PathBuf::from).filter(|p| p.is_absolute());
    // systemd may list several directories, separated by colons: the first is ours.
    let systemd = std::env::var("CACHE_DIRECTORY")
        .ok()
        .and_then(|list| list.split(':').next().map(std::path::PathBuf::from).filter(|p| p.is_absolute()));
    if let Some(cache) = systemd {
        return Some(cache.join("index"));
    }
    if let Some(cache) = var("XDG_CACHE_HOME") {
        return Some(cache.join("beraad").join("index"));
    }
    var("HOME").map(|home| home.join(".cache").join("beraad").join("index"))
}

/// A database identity as a directory name: letters, digits and `-` only (it comes from the
/// database; nothing in it may reach outside the index directory).
fn identity_as_dir(identity: &str) -> Result<&str, StoreError> {
    let plain = !identity.is_empty()
        && identity.len() <= 64
        && identity.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if plain {
        Ok(identity)
    } else {
        Err(StoreError::Internal("the database identity is not a plain name".into()))
    }
}

/// Where the on-disk indexes of the SQLite database `file` live: `<file>.index/`.
pub fn index_home_of(file: &std::path::Path) -> std::path::PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".index");
    file.with_file_name(name)
}

/// The index, in the engine chosen.
enum Engine {
    Memory(Arc<SearchCache>),
    Tantivy(Arc<TantivyIndex>),
}

fn index_failed(e: String) -> StoreError {
    StoreError::Internal(e)
}

fn task_failed(e: tokio::task::JoinError) -> StoreError {
    StoreError::Internal(format!("search index task failed: {e}"))
}

impl Engine {
    fn generation(&self) -> i64 {
        match self {
            Engine::Memory(c) => c.generation(),
            Engine::Tantivy(t) => t.generation(),
        }
    }

    async fn lock_refresh(&self) -> tokio::sync::MutexGuard<'_, ()> {
        match self {
            Engine::Memory(c) => c.lock_refresh().await,
            Engine::Tantivy(t) => t.lock_refresh().await,
        }
    }

    /// Starts applying one page of changes on a blocking thread (the tantivy engine searches
    /// them after `finish`).
    fn apply(
        &self,
        sources: Vec<IndexSource>,
        labels: Vec<IndexLabel>,
        from: i64,
    ) -> tokio::task::JoinHandle<Result<(), String>> {
        match self {
            Engine::Memory(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || {
                    c.apply(sources, &labels, from);
                    Ok(())
                })
            }
            Engine::Tantivy(t) => {
                let t = t.clone();
                tokio::task::spawn_blocking(move || t.add(sources, &labels))
            }
        }
    }

    /// Moves the index to `generation` once every change up to it was applied; after a build
    /// from nothing (`full`) the tantivy index is merged into one segment.
    async fn finish(&self, generation: i64, full: bool) -> Result<(), StoreError> {
        match self {
            Engine::Memory(c) => {
                c.apply(Vec::new(), &[], generation);
                Ok(())
            }
            Engine::Tantivy(t) => {
                let t = t.clone();
                tokio::task::spawn_blocking(move || {
                    t.commit(generation)?;
                    if full {
                        t.merge_segments()?;
                    }
                    Ok(())
                })
                .await
                .map_err(task_failed)?
                .map_err(index_failed)
            }
        }
    }

    async fn search(
        &self,
        query: SearchQuery,
        terms: Vec<crate::domain::text::QueryTerm>,
    ) -> Result<RankedPage, StoreError> {
        match self {
            Engine::Memory(c) => {
                let c = c.clone();
                tokio::task::spawn_blocking(move || c.search(&query, &terms)).await.map_err(task_failed)
            }
            Engine::Tantivy(t) => {
                let t = t.clone();
                tokio::task::spawn_blocking(move || t.search(&query, &terms))
                    .await
                    .map_err(task_failed)?
                    .map_err(index_failed)
            }
        }
    }
}

pub struct ArchiveSearch {
    archive: Arc<dyn Archive>,
    kind: EngineKind,
    /// `--index-dir`: where this process keeps its index (in a directory per database).
    index_dir: Option<std::path::PathBuf>,
    /// Opened by the first refresh (the tantivy index is read from disk).
    engine: tokio::sync::OnceCell<Engine>,
    /// The change feed this engine follows, once [`ArchiveSearch::follow`] was called.
    feed: OnceLock<DynFeed>,
    /// Archive notices (and resyncs) received from the feed so far.
    notices: AtomicU64,
    /// `(notices, local archive writes)` as they were when the last refresh began; `None`
    /// until one succeeded.
    refreshed: Mutex<Option<(u64, u64)>>,
}

impl ArchiveSearch {
    /// The search engine over `archive`, in the engine [`EngineKind::chosen`] names (tantivy,
    /// unless `BERAAD_SEARCH_ENGINE` says); the first search (or [`ArchiveSearch::refresh`])
    /// opens and updates it.
    pub fn new(archive: Arc<dyn Archive>) -> Self {
        Self::with_engine(archive, EngineKind::chosen())
    }

    /// Keeps the on-disk index under `dir` (`--index-dir`; `None`: where
    /// [`ArchiveSearch::index_homes`] says without it).
    pub fn with_index_dir(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.index_dir = dir;
        self
    }

    /// The search engine over `archive` in the engine `kind`.
    pub fn with_engine(archive: Arc<dyn Archive>, kind: EngineKind) -> Self {
        ArchiveSearch {
            archive,
            kind,
            index_dir: None,
            engine: tokio::sync::OnceCell::new(),
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

    /// The directory of this process's on-disk index, once the engine was opened (the first
    /// search or refresh); `None` for the in-memory engine.
    pub fn index_path(&self) -> Option<std::path::PathBuf> {
        match self.engine.get()? {
            Engine::Tantivy(t) => Some(t.path().to_path_buf()),
            Engine::Memory(_) => None,
        }
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
        let ranked = self.engine().await?.search(query.clone(), terms).await?;
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

    /// The engine, opened on first use.
    async fn engine(&self) -> Result<&Engine, StoreError> {
        self.engine
            .get_or_try_init(|| async {
                match self.kind {
                    EngineKind::Memory => Ok(Engine::Memory(SearchCache::new())),
                    EngineKind::Tantivy => {
                        let identity = self.archive.database_identity().await?;
                        let homes = self.index_homes(identity_as_dir(&identity)?);
                        let index = tokio::task::spawn_blocking(move || {
                            TantivyIndex::open(homes.as_deref(), &identity)
                        })
                        .await
                        .map_err(task_failed)?
                        .map_err(index_failed)?;
                        Ok(Engine::Tantivy(Arc::new(index)))
                    }
                }
            })
            .await
    }

    /// The directory whose slots hold this process's index of the database with identity
    /// `identity`: `<--index-dir>/<identity>/`; else beside a SQLite database file
    /// (`<file>.index/`); else `<default_index_root()>/<identity>/`; `None` (a temporary
    /// directory) when none of them is known.
    pub fn index_homes(&self, identity: &str) -> Option<std::path::PathBuf> {
        if let Some(dir) = &self.index_dir {
            return Some(dir.join(identity));
        }
        if let Some(file) = self.archive.database_file() {
            return Some(index_home_of(&file));
        }
        default_index_root().map(|root| root.join(identity))
    }

    async fn refresh_to_generation(&self) -> Result<(), StoreError> {
        let generation = self.archive.archive_generation().await?;
        let engine = self.engine().await?;
        if engine.generation() == generation {
            return Ok(());
        }
        let _loading = engine.lock_refresh().await;
        let mut from = engine.generation();
        if from == generation {
            return Ok(());
        }
        if from > generation {
            // An index ahead of its database was built from another one (it was replaced):
            // start again from nothing.
            let Engine::Tantivy(t) = engine else { return Ok(()) };
            let t = t.clone();
            tokio::task::spawn_blocking(move || t.clear())
                .await
                .map_err(task_failed)?
                .map_err(index_failed)?;
            from = 0;
        }
        // Page by page: while one page is applied (on a blocking thread) the next is read.
        let mut applying: Option<tokio::task::JoinHandle<Result<(), String>>> = None;
        let mut after_id = i64::MIN;
        loop {
            let sources: Vec<IndexSource> = self.archive.index_sources(from, after_id, INDEX_PAGE).await?;
            let Some(last_id) = sources.last().map(|s| s.id) else { break };
            let labels: Vec<IndexLabel> = self.archive.index_labels(from, after_id, last_id).await?;
            if let Some(previous) = applying.take() {
                previous.await.map_err(task_failed)?.map_err(index_failed)?;
            }
            let more = sources.len() as i64 == INDEX_PAGE;
            applying = Some(engine.apply(sources, labels, from));
            after_id = last_id;
            if !more {
                break;
            }
        }
        if let Some(previous) = applying {
            previous.await.map_err(task_failed)?.map_err(index_failed)?;
        }
        // Every change up to `generation` had committed when it was read (writers take
        // generations in commit order), so the index has them all, or newer versions whose own
        // generations are above it and will be read again next time.
        engine.finish(generation, from == 0).await
    }
}
