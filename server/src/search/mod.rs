//! Precedent search: what a search asks ([`SearchQuery`]), what it answers ([`SearchPage`]),
//! the shadow texts a backend indexes ([`ShadowTexts`]) and the ranking both backends share
//! ([`rank`]). The backends only find candidates (FTS5 `MATCH` / tsquery plus the filters);
//! scores, order, facets, paging and snippets are computed here, so SQLite and PostgreSQL
//! answer identically.

mod page;
mod query;
mod rank;
mod shadow;

pub use page::{Facet, Facets, SearchHit, SearchPage, SnippetOut};
pub use query::{SearchQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE};
pub use rank::{rank, Candidate, CandidateLabels, CorpusStats};
pub use shadow::{PrecedentIndex, ShadowTexts};
