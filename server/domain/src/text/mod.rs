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
//! phrase matches consecutive folded words. `word_alternatives` and `decompound` widen a word
//! (compounds both ways, synonyms, parts) with lower weights; `edit_distance_within` finds
//! spelling suggestions. Ranking: term frequencies per field, document
//! frequencies per query term, then `bm25f` (title weight `TITLE_WEIGHT`). Snippets:
//! `snippet(original_body, &terms, max_chars)`, or `snippet_of_marks` with the word forms the
//! index matched (no analysis of the body), rendered by escaping each `segments()` part.
mod bm25;
mod expand;
mod fold;
mod index;
mod query;
mod salient;
mod snippet;
mod stem;
mod stopwords;
mod suggest;
mod synonyms;
mod tokenize;

pub use bm25::{
    bm25f, field_counts, field_len, idf, term_score, weighted_tf, Bm25Params, FieldCounts, FieldInput,
    TITLE_WEIGHT,
};
pub use expand::{
    decompound, word_alternatives, Alternative, AlternativeSource, COMPOUND_WEIGHT, MIN_COMPOUND_PART_CHARS,
    PART_WEIGHT, SYNONYM_WEIGHT,
};
pub use fold::fold;
pub use index::{index_terms, index_words, token_terms, word_of};
pub use query::{
    query_terms, text_matches, QueryStem, QueryTerm, MAX_PHRASE_WORDS, MAX_QUERY_TERMS, MIN_PREFIX_CHARS,
};
pub use salient::{salient_terms, MIN_SALIENT_CHARS};
pub use snippet::{snippet, snippet_of_marks, Marks, Snippet, ELLIPSIS};
pub use stem::{stem, stem_variants, MAX_WORD_CHARS};
pub use stopwords::{is_clitic, is_stopword};
pub use suggest::{edit_distance_within, MAX_SUGGESTION_DISTANCE};
pub use synonyms::{
    parse_groups, SynonymError, Synonyms, MAX_GROUP_WORDS, MAX_ORG_GROUPS, MAX_SYNONYM_CHARS,
};
pub use tokenize::{tokens, Token, Tokens};
