//! Building a safe SQLite FTS5 `MATCH` expression from parsed query terms.
//!
//! Every stem and word is emitted as an FTS5 string (double-quoted, inner `"` doubled), so no
//! character of user input is ever read as FTS5 syntax. The terms themselves are already
//! letters and digits only ([`super::query_terms`] guarantees it); the quoting is a second
//! line of defence.

use std::fmt;

use super::query::QueryTerm;

/// The FTS5 columns the expression targets: the stems columns (word terms) and the words
/// columns (quoted phrases), e.g. `["title_stems", "body_stems"]` and
/// `["title_words", "body_words"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fts5Columns {
    stems: Vec<String>,
    words: Vec<String>,
}

/// A column name that is not a plain SQL identifier, or an empty column list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidColumn(pub String);

impl fmt::Display for InvalidColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid FTS5 column name {:?}", self.0)
    }
}

impl std::error::Error for InvalidColumn {}

impl Fts5Columns {
    /// Column names must match `[A-Za-z_][A-Za-z0-9_]*`; both lists must be non-empty.
    pub fn new(stems: &[&str], words: &[&str]) -> Result<Self, InvalidColumn> {
        for list in [stems, words] {
            if list.is_empty() {
                return Err(InvalidColumn(String::new()));
            }
            for c in list {
                let mut chars = c.chars();
                let first_ok = chars.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_');
                if !first_ok || !chars.all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
                    return Err(InvalidColumn((*c).to_string()));
                }
            }
        }
        Ok(Fts5Columns {
            stems: stems.iter().map(|s| s.to_string()).collect(),
            words: words.iter().map(|s| s.to_string()).collect(),
        })
    }
}

/// The `MATCH` expression for `terms`, or `None` when there is nothing to search for.
/// Bind it as a parameter: `… WHERE precedent_fts MATCH ?1`.
///
/// A word becomes an OR of its stems, each restricted to the stems columns and with `*` when
/// it matches as a prefix: `({title_stems body_stems} : "weiger"* OR {…} : "weigerd"*)`.
/// A phrase becomes `{title_words body_words} : ("in" + "de" + "bijstand")`. Terms are joined
/// with `AND`.
pub fn fts5_match_expr(terms: &[QueryTerm], columns: &Fts5Columns) -> Option<String> {
    let stems_spec = colspec(&columns.stems);
    let words_spec = colspec(&columns.words);
    let parts: Vec<String> = terms
        .iter()
        .map(|term| match term {
            QueryTerm::Word { stems, .. } => {
                let alts: Vec<String> = stems
                    .iter()
                    .map(|s| {
                        let star = if s.prefix { "*" } else { "" };
                        format!("{stems_spec} : {}{star}", quote(&s.stem))
                    })
                    .collect();
                format!("({})", alts.join(" OR "))
            }
            QueryTerm::Phrase { words, .. } => {
                let phrase: Vec<String> = words.iter().map(|w| quote(w)).collect();
                format!("{words_spec} : ({})", phrase.join(" + "))
            }
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" AND "))
    }
}

fn colspec(cols: &[String]) -> String {
    format!("{{{}}}", cols.join(" "))
}

/// An FTS5 string literal.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_terms;

    fn cols() -> Fts5Columns {
        Fts5Columns::new(&["title_stems", "body_stems"], &["title_words", "body_words"]).unwrap()
    }

    #[test]
    fn words_and_phrases() {
        let q = query_terms("weigerde \"in de bijstand\" wet");
        assert_eq!(
            fts5_match_expr(&q, &cols()).unwrap(),
            "({title_stems body_stems} : \"weiger\"* OR {title_stems body_stems} : \"weigerd\"*) \
             AND {title_words body_words} : (\"in\" + \"de\" + \"bijstand\") \
             AND ({title_stems body_stems} : \"wet\")"
        );
    }

    #[test]
    fn nothing_to_search_is_none() {
        assert_eq!(fts5_match_expr(&query_terms("de het"), &cols()), None);
    }

    #[test]
    fn quoting_doubles_inner_quotes() {
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn column_names_are_validated() {
        assert!(Fts5Columns::new(&["ok_1"], &["_w"]).is_ok());
        for bad in ["", "1col", "a b", "a}", "a:b", "t\"x"] {
            assert_eq!(Fts5Columns::new(&[bad], &["w"]), Err(InvalidColumn(bad.into())));
        }
        assert!(Fts5Columns::new(&[], &["w"]).is_err());
        assert!(Fts5Columns::new(&["s"], &[]).is_err());
    }
}
