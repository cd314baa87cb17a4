//! Dutch text normalisation for search: diacritics folding, stemming, compounds.
mod bm25;
mod fold;
mod fts5;
mod index;
mod query;
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
pub use snippet::{snippet, Snippet, ELLIPSIS};
pub use stem::{stem, stem_variants, MAX_WORD_CHARS};
pub use stopwords::{is_clitic, is_stopword};
pub use tokenize::{tokens, Token, Tokens};
pub use tsquery::{pg_tsquery_expr, PgTsQueries};
