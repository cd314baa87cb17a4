//! Dutch text normalisation for search: diacritics folding, stemming, compounds.
//!
//! This module is the ONE place where index terms and query terms are made.
//!
//! # Indexing
//! Every token of a searchable field (title, body: see `precedent::Precedent::search_text`)
//! has its **stem terms** ([`token_terms`]: stems, stopwords left out, weak-verb readings and
//! hyphen parts added), which word queries match, and its **folded word** ([`word_of`]), which
//! quoted phrases match. The server's in-process index (`server/src/search`) is built from
//! exactly these.
//!
//! # Querying
//! `query_terms(user_input)`; empty → nothing to search. A word term matches a token whose
//! stem terms hold one of its stems (exactly, or as a prefix for long stems: compounds); a
//! phrase matches consecutive folded words. Ranking: term frequencies per field, document
//! frequencies per query term, then `bm25f` (title weight `TITLE_WEIGHT`). Snippets:
//! `snippet(original_body, &terms, max_chars)`, rendered by escaping each `segments()` part.
mod bm25;
mod fold;
mod index;
mod query;
mod salient;
mod snippet;
mod stem;
mod stopwords;
mod tokenize;

pub use bm25::{
    bm25f, field_counts, field_len, idf, term_score, weighted_tf, Bm25Params, FieldCounts, FieldInput,
    TITLE_WEIGHT,
};
pub use fold::fold;
pub use index::{index_terms, index_words, token_terms, word_of};
pub use query::{
    query_terms, text_matches, QueryStem, QueryTerm, MAX_PHRASE_WORDS, MAX_QUERY_TERMS, MIN_PREFIX_CHARS,
};
pub use salient::{salient_terms, MIN_SALIENT_CHARS};
pub use snippet::{snippet, Snippet, ELLIPSIS};
pub use stem::{stem, stem_variants, MAX_WORD_CHARS};
pub use stopwords::{is_clitic, is_stopword};
pub use tokenize::{tokens, Token, Tokens};
