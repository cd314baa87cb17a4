//! Building safe PostgreSQL `to_tsquery('simple', …)` strings from parsed query terms.
//!
//! PostgreSQL indexes the same pre-normalised shadow texts as SQLite (see
//! [`super::index_terms`], [`super::index_words`]) with the `simple` configuration, which only
//! lowercases; so both backends see identical terms. Every lexeme is single-quoted with `'`
//! and `\` escaped, so user input never becomes tsquery syntax (`&`, `|`, `!`, `<->`, `:*`).

use super::query::QueryTerm;

/// The two tsquery strings for a query: one for the stems tsvector (word terms) and one for
/// the words tsvector (phrases). Either is `None` when the query has no term of that kind;
/// both are `None` for an empty query.
///
/// Use them as bind parameters:
/// `stems_tsv @@ to_tsquery('simple', $1) AND words_tsv @@ to_tsquery('simple', $2)`,
/// leaving out the side that is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgTsQueries {
    /// E.g. `('weiger':* | 'weigerd':*) & ('wet')`.
    pub stems: Option<String>,
    /// E.g. `('in' <-> 'de' <-> 'bijstand')`.
    pub words: Option<String>,
}

/// Builds the tsquery strings for `terms`.
pub fn pg_tsquery_expr(terms: &[QueryTerm]) -> PgTsQueries {
    let mut stems = Vec::new();
    let mut words = Vec::new();
    for term in terms {
        match term {
            QueryTerm::Word { stems: alts, .. } => {
                let alts: Vec<String> = alts
                    .iter()
                    .map(|s| {
                        let star = if s.prefix { ":*" } else { "" };
                        format!("{}{star}", quote(&s.stem))
                    })
                    .collect();
                stems.push(format!("({})", alts.join(" | ")));
            }
            QueryTerm::Phrase { words: ws, .. } => {
                let ws: Vec<String> = ws.iter().map(|w| quote(w)).collect();
                words.push(format!("({})", ws.join(" <-> ")));
            }
        }
    }
    let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join(" & "));
    PgTsQueries { stems: join(stems), words: join(words) }
}

/// A tsquery quoted lexeme.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_terms;

    #[test]
    fn words_and_phrases_go_to_their_own_tsquery() {
        let q = pg_tsquery_expr(&query_terms("weigerde \"in de bijstand\" wet"));
        assert_eq!(q.stems.as_deref(), Some("('weiger':* | 'weigerd':*) & ('wet')"));
        assert_eq!(q.words.as_deref(), Some("('in' <-> 'de' <-> 'bijstand')"));
    }

    #[test]
    fn empty_query_gives_nothing() {
        assert_eq!(pg_tsquery_expr(&query_terms("&|!")), PgTsQueries { stems: None, words: None });
    }

    #[test]
    fn quoting_escapes_quote_and_backslash() {
        assert_eq!(quote("a'b\\c"), "'a''b\\\\c'");
    }
}
