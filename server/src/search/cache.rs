//! The in-process index and how it is kept current: the search engine (`ArchiveSearch`)
//! holds one [`SearchCache`]; before each search it compares the database's archive generation
//! with the index's and applies the precedents changed since (migration 0006). Several server processes on one database each
//! keep their own index and each catch up the same way.

use std::sync::{Arc, RwLock};

use super::execute::{execute, Ranked};
use super::index::{ArchiveIndex, IndexLabel, IndexSource};
use super::page::{SearchHit, SnippetOut};
use super::query::SearchQuery;
use crate::domain::text::{Marks, QueryTerm};

/// A ranked page before its snippets (the hits' snippets are empty until `assemble` makes them
/// from the bodies).
#[derive(Debug)]
pub struct RankedPage {
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub facets: super::Facets,
    pub report: super::MatchReport,
    /// What the terms as searched at last highlight: the word forms they found, the phrases.
    pub highlight: Vec<Marks>,
}

#[derive(Default)]
pub struct SearchCache {
    index: RwLock<ArchiveIndex>,
    /// Held while changes are loaded, so concurrent searches load them once.
    refresh: tokio::sync::Mutex<()>,
}

impl SearchCache {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The generation the index has caught up with.
    pub fn generation(&self) -> i64 {
        self.index.read().expect("search index lock").generation
    }

    /// Serialises loaders: hold the guard from reading the changes to applying them.
    pub async fn lock_refresh(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.refresh.lock().await
    }

    /// Applies loaded changes (CPU-bound for a large first load: call off the async runtime).
    pub fn apply(&self, sources: Vec<IndexSource>, labels: &[IndexLabel], generation: i64) {
        self.index.write().expect("search index lock").apply(sources, labels, generation);
    }

    /// Number of searchable-or-not live precedents held.
    pub fn len(&self) -> usize {
        self.index.read().expect("search index lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Answers a search from the index (CPU-bound: call off the async runtime).
    pub fn search(&self, query: &SearchQuery, terms: &[QueryTerm]) -> RankedPage {
        let index = self.index.read().expect("search index lock");
        let Ranked { total, hits, facets, report, highlight } = execute(&*index, query, terms);
        let hits = hits
            .into_iter()
            .map(|hit| {
                let d = &index.docs[hit.slot as usize];
                SearchHit {
                    id: d.id,
                    import_ref: d.import_ref.clone(),
                    citation_id: d.citation_id.clone(),
                    title: d.title.clone(),
                    decided_on: d.decided_on.clone(),
                    method: d.method.map(|m| index.label_text(m).to_string()),
                    team_id: d.team_id,
                    score: hit.score,
                    missing: hit.missing,
                    snippet: SnippetOut::default(),
                }
            })
            .collect();
        RankedPage { total, hits, facets, report, highlight }
    }
}
