//! Dutch text normalisation for search: diacritics folding, stemming, compounds.
//!
//! This module is the ONE place where index terms and query terms are made, so SQLite (FTS5)
//! and PostgreSQL see identical terms.
//!
//! # Indexing (both backends)
//! For every searchable field (see `precedent::Precedent::search_text`: title and body) store
//! the original text plus two shadow texts:
//! - `*_stems` = `index_terms(text).join(" ")` — stems, stopwords left out, weak-verb readings
//!   and hyphen parts added;
//! - `*_words` = `index_words(text).join(" ")` — folded words, one per word, for phrases.
//!
//! SQLite: an FTS5 table over the four shadow columns with `tokenize = 'unicode61
//! remove_diacritics 0'` (originals in the normal table). PostgreSQL:
//! `to_tsvector('simple', stems)` and `to_tsvector('simple', words)` (GIN-indexed). The shadow
//! texts are lowercase letters and digits separated by spaces, so both tokenizers yield exactly
//! these terms.
//!
//! # Querying
//! `query_terms(user_input)`; empty → nothing to search. SQLite: `MATCH` with
//! `fts5_match_expr(&terms, &columns)` as a bind parameter. PostgreSQL: `pg_tsquery_expr(&terms)`
//! → `stems_tsv @@ to_tsquery('simple', $1) AND words_tsv @@ to_tsquery('simple', $2)`.
//! Ranking identical on both: for every candidate `field_counts(original, &terms)` per field,
//! document frequencies per term, then `bm25f` (title weight `TITLE_WEIGHT`). Snippets:
//! `snippet(original_body, &terms, max_chars)`, rendered by escaping each `segments()` part.
mod bm25;
mod fold;
mod fts5;
mod index;
mod query;
mod salient;
mod snippet;
mod stem;
mod stopwords;
mod tokenize;
mod tsquery;

pub use bm25::{bm25f, field_counts, field_len, idf, Bm25Params, FieldCounts, FieldInput, TITLE_WEIGHT};
pub use fold::fold;
pub use fts5::{fts5_match_expr, Fts5Columns, InvalidColumn};
pub use index::{index_terms, index_words, token_terms};
pub use query::{
    query_terms, text_matches, QueryStem, QueryTerm, MAX_PHRASE_WORDS, MAX_QUERY_TERMS, MIN_PREFIX_CHARS,
};
pub use salient::{salient_terms, MIN_SALIENT_CHARS};
pub use snippet::{snippet, Snippet, ELLIPSIS};
pub use stem::{stem, stem_variants, MAX_WORD_CHARS};
pub use stopwords::{is_clitic, is_stopword};
pub use tokenize::{tokens, Token, Tokens};
pub use tsquery::{pg_tsquery_expr, PgTsQueries};
