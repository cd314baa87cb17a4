//! Precedent search: what a search asks ([`SearchQuery`]), what it answers ([`SearchPage`]),
//! what the store indexes for a precedent ([`PrecedentIndex`]), and the engines: tantivy on
//! disk beside a SQLite database ([`engine`], the default there) or an inverted index held in
//! the process ([`index`], [`SearchCache`], the default on PostgreSQL), kept current from the
//! database and asked through [`ArchiveSearch`] (which reads the archive through the store's
//! `Archive` trait), answering with BM25F, filters and facets ([`execute`], one ranking code
//! for both) and snippets from the word forms the index found ([`assemble`]) — the same code
//! whichever backend stores the archive, so SQLite and PostgreSQL answer identically.

mod assemble;
mod cache;
pub mod engine;
mod execute;
mod index;
mod org_synonyms;
mod page;
mod precedent_index;
mod query;
mod rank;
#[cfg(test)]
mod rank_equivalence;
pub mod relevance;
mod service;
mod view;
mod vocabulary;

pub use assemble::assemble;
pub use cache::{RankedPage, SearchCache};
pub use index::{ArchiveIndex, IndexLabel, IndexSource};
pub use org_synonyms::{
    groups_from_settings, groups_text, organisation_synonyms, SETTINGS_KEY as SYNONYMS_SETTINGS_KEY,
};
pub use page::{Facet, Facets, MatchReport, Relaxation, SearchHit, SearchPage, SnippetOut, Suggestion};
pub use precedent_index::PrecedentIndex;
pub use query::{SearchQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE};
pub use service::{default_index_root, index_home_of, ArchiveSearch, EngineKind};
