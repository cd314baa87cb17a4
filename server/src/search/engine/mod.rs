//! The archive search engine on tantivy: an inverted index on disk, a cache of the database
//! (which stays the truth) kept current by the archive generation like the in-memory one.
//!
//! - **Analysis**: the domain's Dutch analysis as tantivy tokenizers ([`analysis`]).
//! - **Fields**: stem terms per word form, folded words with positions (phrases), reversed
//!   stems (compounds ending in a word), the exact field lengths, scope, date and labels as
//!   fast fields, the display fields stored ([`schema`]).
//! - **Ranking**: the same code as the in-memory engine (`search::execute`), reading the
//!   index through [`snapshot::Snapshot`], so both answer the same.
//! - **On disk**: a directory per process ([`home`]); each commit records the database it was
//!   built from (its identity, migration 0017) and the archive generation it holds (the commit
//!   payload), so a restarted process only reads what changed since. An index that cannot be
//!   opened, of another format, of another database, or ahead of its database (the database
//!   was replaced) is emptied and rebuilt.

pub mod analysis;
pub mod home;
mod schema;
mod snapshot;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use self::home::IndexHome;
use self::schema::{Fields, FORMAT};
use self::snapshot::Snapshot;
use super::cache::RankedPage;
use super::execute::{execute, Ranked};
use super::index::{IndexLabel, IndexSource};
use super::query::SearchQuery;
use crate::domain::text::QueryTerm;

/// Memory the writer may use before it writes a segment (tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 40_000_000;

/// What a commit records besides the documents.
#[derive(Serialize, Deserialize)]
struct Payload {
    format: u32,
    /// The identity of the database the index was built from.
    database: String,
    generation: i64,
}

pub struct TantivyIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Opened at the first change, kept for the process's life.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    snapshot: RwLock<Arc<Snapshot>>,
    generation: AtomicI64,
    /// Held while changes are loaded, so concurrent searches load them once.
    refresh: tokio::sync::Mutex<()>,
    home: IndexHome,
    /// The identity of the database this index is built from.
    database: String,
}

fn failed(e: impl std::fmt::Display) -> String {
    format!("search index: {e}")
}

impl TantivyIndex {
    /// Opens this process's index of the database with identity `database`, in a slot of the
    /// directory `homes` (a temporary directory when `None`), emptying it to be rebuilt when
    /// it cannot be opened, has another format or was built from another database.
    /// Blocking (disk): call off the async runtime.
    pub fn open(homes: Option<&Path>, database: &str) -> Result<TantivyIndex, String> {
        let home = home::take(homes).map_err(failed)?;
        match Self::open_in(&home, database) {
            Ok(parts) => Ok(Self::from_parts(parts, home, database)),
            Err(e) => {
                tracing::warn!(error = %e, path = %home.path.display(), "search index unusable; rebuilding it");
                clear_dir(&home.path).map_err(failed)?;
                let parts = Self::open_in(&home, database).map_err(failed)?;
                Ok(Self::from_parts(parts, home, database))
            }
        }
    }

    fn open_in(
        home: &IndexHome,
        database: &str,
    ) -> tantivy::Result<(Index, Fields, IndexReader, Snapshot, i64)> {
        let (schema, fields) = schema::schema();
        let fresh = !home.path.join("meta.json").exists();
        let index = if fresh {
            Index::create_in_dir(&home.path, schema.clone())?
        } else {
            Index::open_in_dir(&home.path)?
        };
        if index.schema() != schema {
            return Err(tantivy::TantivyError::SchemaError("another index format".into()));
        }
        analysis::register(&index);
        let generation = match index.load_metas()?.payload {
            None if fresh => 0,
            None => return Err(tantivy::TantivyError::SchemaError("no generation recorded".into())),
            Some(p) => match serde_json::from_str::<Payload>(&p) {
                Ok(p) if p.format == FORMAT && p.database == database => p.generation,
                Ok(p) if p.format == FORMAT => {
                    return Err(tantivy::TantivyError::SchemaError("built from another database".into()))
                }
                _ => return Err(tantivy::TantivyError::SchemaError("another index format".into())),
            },
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let snapshot = Snapshot::open(reader.searcher(), fields)?;
        Ok((index, fields, reader, snapshot, generation))
    }

    fn from_parts(
        (index, fields, reader, snapshot, generation): (Index, Fields, IndexReader, Snapshot, i64),
        home: IndexHome,
        database: &str,
    ) -> TantivyIndex {
        TantivyIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(None),
            snapshot: RwLock::new(Arc::new(snapshot)),
            generation: AtomicI64::new(generation),
            refresh: tokio::sync::Mutex::new(()),
            home,
            database: database.to_string(),
        }
    }

    /// Where the index lives.
    pub fn path(&self) -> &Path {
        &self.home.path
    }

    /// The generation of the last committed change.
    pub fn generation(&self) -> i64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Number of live precedents held (searchable or not).
    pub fn len(&self) -> usize {
        self.snapshot.read().expect("search snapshot lock").live()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Serialises loaders: hold the guard from reading the changes to applying them.
    pub async fn lock_refresh(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.refresh.lock().await
    }

    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> tantivy::Result<T>,
    ) -> Result<T, String> {
        let mut writer = self.writer.lock().expect("search writer lock");
        if writer.is_none() {
            *writer = Some(self.index.writer_with_num_threads(1, WRITER_MEMORY).map_err(failed)?);
        }
        f(writer.as_mut().expect("opened above")).map_err(failed)
    }

    /// Adds changed precedents (with all their labels); they are searched once
    /// [`TantivyIndex::commit`] ran. Blocking: call off the async runtime.
    pub fn add(&self, sources: Vec<IndexSource>, labels: &[IndexLabel]) -> Result<(), String> {
        let mut by_id: FxHashMap<i64, Vec<&IndexLabel>> = FxHashMap::default();
        for l in labels {
            by_id.entry(l.precedent_id).or_default().push(l);
        }
        let fields = self.fields;
        self.with_writer(|writer| {
            for source in &sources {
                let own = by_id.remove(&source.id).unwrap_or_default();
                writer.delete_term(Term::from_field_i64(fields.id, source.id));
                writer.add_document(schema::document(&fields, source, &own))?;
            }
            Ok(())
        })
    }

    /// Empties the index (its database was replaced: it is ahead of it). Searched after the
    /// next commit.
    pub fn clear(&self) -> Result<(), String> {
        self.with_writer(|writer| writer.delete_all_documents().map(|_| ()))
    }

    /// Commits what was added as holding `generation`, and searches it from now on.
    /// Blocking: call off the async runtime.
    pub fn commit(&self, generation: i64) -> Result<(), String> {
        let payload =
            serde_json::to_string(&Payload { format: FORMAT, database: self.database.clone(), generation })
                .map_err(failed)?;
        self.with_writer(|writer| {
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit().map(|_| ())
        })?;
        self.reload()?;
        self.generation.store(generation, Ordering::Release);
        Ok(())
    }

    /// Merges every segment into one and searches it (after a build from nothing: the writer
    /// left a segment per 40 MB of buffer, and each segment is one more dictionary lookup per
    /// word form a query finds). Blocking: call off the async runtime.
    pub fn merge_segments(&self) -> Result<(), String> {
        let segments = self.index.searchable_segment_ids().map_err(failed)?;
        if segments.len() < 2 {
            return Ok(());
        }
        self.with_writer(|writer| writer.merge(&segments).wait().map(|_| ()))?;
        self.reload()
    }

    /// Searches the last commit (or merge) from now on.
    fn reload(&self) -> Result<(), String> {
        self.reader.reload().map_err(failed)?;
        let snapshot = Snapshot::open(self.reader.searcher(), self.fields).map_err(failed)?;
        *self.snapshot.write().expect("search snapshot lock") = Arc::new(snapshot);
        Ok(())
    }

    /// Answers a search (CPU-bound: call off the async runtime).
    pub fn search(&self, query: &SearchQuery, terms: &[QueryTerm]) -> Result<RankedPage, String> {
        let snapshot = self.snapshot.read().expect("search snapshot lock").clone();
        let Ranked { total, hits, facets, report, highlight } = execute(snapshot.as_ref(), query, terms);
        let hits = hits
            .into_iter()
            .map(|h| snapshot.hit(h.slot, h.score, h.missing))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(failed)?;
        Ok(RankedPage { total, hits, facets, report, highlight })
    }
}

/// Removes everything in `dir` (the lock files of [`home`] are beside it, not in it).
fn clear_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(dir)?;
    std::fs::create_dir_all(dir)
}
