//! The JSON Lines import format: one past deliberation per line.
//!
//! Keys (PRECEDENTS.md): `ref`, `title`, `date`, `method`, `case`, `question`, `outcome`,
//! `reasoning`, `values`, `dissent`, `law_articles`, `tags`, `team`. All are strings except
//! `values`, `law_articles` and `tags` (arrays of strings).
//!
//! **Required:** `ref` (the importer's reference: search returns it, and it makes a re-import
//! recognisable, so it must be unique within the file) and `title` (a precedent without a
//! headline cannot be listed). Both must be non-blank. Every other key may be missing or
//! `null`; a missing text is empty. Unknown keys are an error, so a typo (`titel`) is not
//! silently dropped. `date` must be a real calendar date `YYYY-MM-DD`; every law article must
//! parse ([`LawRef::parse`]). Blank lines are skipped.
//!
//! The whole file is validated before anything is imported: [`parse_import`] returns either
//! every line or every error, each with its 1-based line number. Screening for personal data
//! (BSN, IBAN) is done by the anonymisation module at the server edge, not here.

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use super::date::CalendarDate;
use super::law_ref::LawRef;
use super::lifecycle::MAX_ITEMS;
use super::theme::normalise_tags;

/// Every key the format knows.
pub const IMPORT_KEYS: &[&str] = &[
    "ref",
    "title",
    "date",
    "method",
    "case",
    "question",
    "outcome",
    "reasoning",
    "values",
    "dissent",
    "law_articles",
    "tags",
    "team",
];

/// One valid line. Texts are trimmed; tags normalised ([`normalise_tags`]); law articles
/// parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportLine {
    /// 1-based line number in the file.
    pub line: usize,
    pub reference: String,
    pub title: String,
    pub date: Option<CalendarDate>,
    pub method: String,
    pub case_text: String,
    pub question: String,
    pub outcome: String,
    pub reasoning: String,
    pub values: Vec<String>,
    pub dissent: String,
    pub law_articles: Vec<LawRef>,
    pub tags: Vec<String>,
    pub team: String,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportErrorKind {
    /// The line is not valid JSON.
    InvalidJson,
    /// The line is JSON but not an object.
    NotAnObject,
    UnknownKey(String),
    MissingKey(&'static str),
    /// Present but blank where a value is required.
    Blank(&'static str),
    /// Wrong JSON type; `expected` is "tekst" or "lijst met teksten".
    WrongType {
        key: &'static str,
        expected: &'static str,
    },
    /// A list longer than [`MAX_ITEMS`] (as for a precedent edited in the app); refused before
    /// its items are read.
    TooManyItems {
        key: &'static str,
        max: usize,
        count: usize,
    },
    InvalidDate(String),
    InvalidLawArticle {
        article: String,
        reason: String,
    },
    /// The same `ref` as an earlier line.
    DuplicateRef {
        reference: String,
        first_line: usize,
    },
}

/// An error with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub kind: ImportErrorKind,
}

impl ImportError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self.kind {
            ImportErrorKind::InvalidJson => "invalid_json",
            ImportErrorKind::NotAnObject => "not_an_object",
            ImportErrorKind::UnknownKey(_) => "unknown_key",
            ImportErrorKind::MissingKey(_) => "missing_key",
            ImportErrorKind::Blank(_) => "blank",
            ImportErrorKind::WrongType { .. } => "wrong_type",
            ImportErrorKind::TooManyItems { .. } => "too_many_items",
            ImportErrorKind::InvalidDate(_) => "invalid_date",
            ImportErrorKind::InvalidLawArticle { .. } => "invalid_law_article",
            ImportErrorKind::DuplicateRef { .. } => "duplicate_ref",
        }
    }
}

impl fmt::Display for ImportError {
    /// A Dutch message for the person importing, starting with the line number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "regel {}: ", self.line)?;
        match &self.kind {
            ImportErrorKind::InvalidJson => write!(f, "geen geldige JSON"),
            ImportErrorKind::NotAnObject => write!(f, "verwacht een JSON-object {{…}}"),
            ImportErrorKind::UnknownKey(k) => {
                write!(f, "onbekend veld {k:?} (toegestaan: {})", IMPORT_KEYS.join(", "))
            }
            ImportErrorKind::MissingKey(k) => write!(f, "verplicht veld {k:?} ontbreekt"),
            ImportErrorKind::Blank(k) => write!(f, "verplicht veld {k:?} is leeg"),
            ImportErrorKind::WrongType { key, expected } => {
                write!(f, "veld {key:?} moet een {expected} zijn")
            }
            ImportErrorKind::TooManyItems { key, max, count } => {
                write!(f, "veld {key:?} heeft te veel onderdelen ({count}, hoogstens {max})")
            }
            ImportErrorKind::InvalidDate(d) => {
                write!(f, "datum {d:?} is geen bestaande datum in de vorm JJJJ-MM-DD")
            }
            ImportErrorKind::InvalidLawArticle { article, reason } => {
                write!(f, "wetsartikel {article:?}: {reason}")
            }
            ImportErrorKind::DuplicateRef { reference, first_line } => {
                write!(f, "ref {reference:?} staat ook al op regel {first_line}")
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// Parses and validates a whole import file. `Ok` holds every non-blank line, in order;
/// `Err` holds every error found, ordered by line. An empty file is `Ok(vec![])`.
pub fn parse_import(text: &str) -> Result<Vec<ImportLine>, Vec<ImportError>> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let mut refs: HashMap<String, usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        match parse_line(line, raw) {
            Ok(l) => {
                if let Some(&first_line) = refs.get(&l.reference) {
                    errors.push(ImportError {
                        line,
                        kind: ImportErrorKind::DuplicateRef { reference: l.reference.clone(), first_line },
                    });
                } else {
                    refs.insert(l.reference.clone(), line);
                }
                lines.push(l);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

/// Parses one line (without its newline); `line` is its 1-based number, used in errors.
pub fn parse_line(line: usize, raw: &str) -> Result<ImportLine, Vec<ImportError>> {
    let err = |kind| ImportError { line, kind };
    let value: Value = serde_json::from_str(raw).map_err(|_| vec![err(ImportErrorKind::InvalidJson)])?;
    let Value::Object(obj) = value else {
        return Err(vec![err(ImportErrorKind::NotAnObject)]);
    };
    let mut errors = Vec::new();
    for k in obj.keys() {
        if !IMPORT_KEYS.contains(&k.as_str()) {
            errors.push(err(ImportErrorKind::UnknownKey(k.clone())));
        }
    }
    let mut fields = Fields { obj: &obj, line, errors: &mut errors };
    // Read in this order (a line's problems are reported in it).
    let [reference, title] = ["ref", "title"].map(|key| fields.required_text(key));
    let [date_text, method, case_text, question, outcome, reasoning] =
        ["date", "method", "case", "question", "outcome", "reasoning"].map(|key| fields.text(key));
    let values = fields.list("values");
    let dissent = fields.text("dissent");
    let [articles, tags] = ["law_articles", "tags"].map(|key| fields.list(key));
    let team = fields.text("team");

    let date = if date_text.is_empty() {
        None
    } else {
        match date_text.parse::<CalendarDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(err(ImportErrorKind::InvalidDate(date_text.clone())));
                None
            }
        }
    };
    let mut law_articles = Vec::new();
    for a in &articles {
        match LawRef::parse(a) {
            Ok(r) => law_articles.push(r),
            Err(e) => errors
                .push(err(ImportErrorKind::InvalidLawArticle { article: a.clone(), reason: e.to_string() })),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ImportLine {
        line,
        reference,
        title,
        date,
        method,
        case_text,
        question,
        outcome,
        reasoning,
        values: values.into_iter().filter(|v| !v.is_empty()).collect(),
        dissent,
        law_articles,
        tags: normalise_tags(tags),
        team,
    })
}

struct Fields<'a> {
    obj: &'a Map<String, Value>,
    line: usize,
    errors: &'a mut Vec<ImportError>,
}

impl Fields<'_> {
    fn push(&mut self, kind: ImportErrorKind) {
        self.errors.push(ImportError { line: self.line, kind });
    }

    /// A trimmed string; empty when missing or null.
    fn text(&mut self, key: &'static str) -> String {
        match self.obj.get(key) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.trim().to_string(),
            Some(_) => {
                self.push(ImportErrorKind::WrongType { key, expected: "tekst" });
                String::new()
            }
        }
    }

    fn required_text(&mut self, key: &'static str) -> String {
        match self.obj.get(key) {
            None | Some(Value::Null) => {
                self.push(ImportErrorKind::MissingKey(key));
                String::new()
            }
            Some(_) => {
                let before = self.errors.len();
                let s = self.text(key);
                if s.is_empty() && self.errors.len() == before {
                    self.push(ImportErrorKind::Blank(key));
                }
                s
            }
        }
    }

    /// Trimmed strings; empty when missing or null.
    fn list(&mut self, key: &'static str) -> Vec<String> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) if items.len() > MAX_ITEMS => {
                self.push(ImportErrorKind::TooManyItems { key, max: MAX_ITEMS, count: items.len() });
                Vec::new()
            }
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).map(|s| s.trim().to_string()).collect()
            }
            Some(_) => {
                self.push(ImportErrorKind::WrongType { key, expected: "lijst met teksten" });
                Vec::new()
            }
        }
    }
}
