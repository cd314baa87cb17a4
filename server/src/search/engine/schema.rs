//! The index's fields: what a precedent becomes in tantivy.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

use super::analysis::{KINDS, REVERSED, WORDS};
use crate::search::index::{law_and_article, IndexLabel, IndexSource};

/// Bump when the analysis or the fields change: an index of another format is rebuilt.
pub const FORMAT: u32 = 1;

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The precedent id: indexed (an update deletes by it), fast, stored.
    pub id: Field,
    pub organisation: Field,
    /// Absent when the precedent has no team.
    pub team: Field,
    /// 1 when adopted (only adopted precedents are found), else 0.
    pub found: Field,
    /// `decided_on` as YYYYMMDD (0 when unknown).
    pub date: Field,
    /// Number of words of the title and the body (BM25F's field lengths, exact).
    pub title_len: Field,
    pub body_len: Field,
    /// Facet labels (`theme␟…`, `method␟…`, `article␟participatiewet/18/`), indexed and fast.
    pub facet: Field,
    /// Filter labels (`theme␟…`, `tag␟…`, `value␟…`, `law␟…`), indexed and fast.
    pub label: Field,
    /// The method key, fast and stored.
    pub method: Field,
    pub title_kinds: Field,
    pub body_kinds: Field,
    pub title_words: Field,
    pub body_words: Field,
    pub reversed: Field,
    pub title: Field,
    pub import_ref: Field,
    pub citation_id: Field,
    pub decided_on: Field,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer: &str, option: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(option)
                .set_fieldnorms(false),
        )
    };
    let kinds = analysed(KINDS, IndexRecordOption::WithFreqs);
    let words = analysed(WORDS, IndexRecordOption::WithFreqsAndPositions);
    let fields = Fields {
        id: b.add_i64_field("id", INDEXED | FAST | STORED),
        organisation: b.add_i64_field("organisation", FAST),
        team: b.add_i64_field("team", FAST),
        found: b.add_u64_field("found", FAST),
        date: b.add_u64_field("date", FAST),
        title_len: b.add_u64_field("title_len", FAST),
        body_len: b.add_u64_field("body_len", FAST),
        facet: b.add_text_field("facet", STRING | FAST),
        label: b.add_text_field("label", STRING | FAST),
        method: b.add_text_field("method", STRING | FAST | STORED),
        title_kinds: b.add_text_field("title_kinds", kinds.clone()),
        body_kinds: b.add_text_field("body_kinds", kinds),
        title_words: b.add_text_field("title_words", words.clone()),
        body_words: b.add_text_field("body_words", words),
        reversed: b.add_text_field("reversed", analysed(REVERSED, IndexRecordOption::Basic)),
        title: b.add_text_field("title", STORED),
        import_ref: b.add_text_field("import_ref", STORED),
        citation_id: b.add_text_field("citation_id", STORED),
        decided_on: b.add_text_field("decided_on", STORED),
    };
    (b.build(), fields)
}

/// Labels of different kinds never collide: the kind is part of the value.
pub fn label_key(kind: &str, label: &str) -> String {
    format!("{kind}\u{1f}{label}")
}

/// `YYYY-MM-DD` as the number YYYYMMDD (0 when absent or malformed).
fn date_key(date: Option<&str>) -> u64 {
    date.and_then(|d| d.replace('-', "").parse().ok()).unwrap_or(0)
}

/// A precedent as a tantivy document; `labels` are its own.
pub fn document(f: &Fields, source: &IndexSource, labels: &[&IndexLabel]) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_i64(f.id, source.id);
    doc.add_i64(f.organisation, source.organisation_id);
    if let Some(team) = source.team_id {
        doc.add_i64(f.team, team);
    }
    doc.add_u64(f.found, u64::from(source.status == "adopted"));
    doc.add_u64(f.date, date_key(source.decided_on.as_deref()));
    doc.add_u64(f.title_len, crate::domain::text::tokens(&source.title).count() as u64);
    doc.add_u64(f.body_len, crate::domain::text::tokens(&source.body).count() as u64);
    let mut facets: Vec<String> = Vec::new();
    let mut filters: Vec<String> = Vec::new();
    for l in labels {
        if !matches!(l.kind.as_str(), "theme" | "tag" | "value" | "law") {
            continue;
        }
        let key = label_key(&l.kind, &l.label);
        if filters.contains(&key) {
            continue;
        }
        match l.kind.as_str() {
            "theme" => facets.push(key.clone()),
            "law" => {
                let (law, article) = law_and_article(&l.label);
                let article = label_key("article", &format!("{law}/{article}/"));
                if !facets.contains(&article) {
                    facets.push(article);
                }
            }
            _ => {}
        }
        filters.push(key);
    }
    if let Some(method) = &source.method_key {
        facets.push(label_key("method", method));
        doc.add_text(f.method, method);
    }
    for facet in &facets {
        doc.add_text(f.facet, facet);
    }
    for label in &filters {
        doc.add_text(f.label, label);
    }
    for (kinds, words, text) in
        [(f.title_kinds, f.title_words, &source.title), (f.body_kinds, f.body_words, &source.body)]
    {
        doc.add_text(kinds, text);
        doc.add_text(words, text);
        doc.add_text(f.reversed, text);
    }
    doc.add_text(f.title, &source.title);
    if let Some(r) = &source.import_ref {
        doc.add_text(f.import_ref, r);
    }
    if let Some(c) = &source.citation_id {
        doc.add_text(f.citation_id, c);
    }
    if let Some(d) = &source.decided_on {
        doc.add_text(f.decided_on, d);
    }
    doc
}
