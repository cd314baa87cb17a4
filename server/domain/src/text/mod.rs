//! Dutch text normalisation for search: diacritics folding, stemming, compounds.
mod fold;
mod stem;
mod stopwords;
mod tokenize;

pub use fold::fold;
pub use stem::{stem, stem_variants, MAX_WORD_CHARS};
pub use stopwords::{is_clitic, is_stopword};
pub use tokenize::{tokens, Token, Tokens};
