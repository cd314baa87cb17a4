//! Exporting an organisation's archive: JSON Lines in the import format (re-importable) or
//! Markdown for reading.

use std::fmt::Write;

use crate::store::PrecedentRow;

/// One JSON object a line, the stored record (the import format's keys).
pub fn to_jsonl(rows: &[PrecedentRow]) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&row.record.to_string());
        out.push('\n');
    }
    out
}

/// A Markdown document: one section per precedent, newest last.
pub fn to_markdown(rows: &[PrecedentRow]) -> String {
    let mut out = String::from("# Archief\n");
    for row in rows {
        let r = &row.record;
        let text = |key: &str| r.get(key).and_then(|v| v.as_str()).unwrap_or_default().trim().to_string();
        let list = |key: &str| {
            r.get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        };
        let _ = write!(out, "\n## {}\n\n", row.title);
        let reference = row.citation_id.clone().or_else(|| row.import_ref.clone()).unwrap_or_default();
        let facts = [
            ("Referentie", reference),
            ("Datum", row.decided_on.clone().unwrap_or_default()),
            ("Methode", row.method_key.clone().unwrap_or_default()),
            ("Team", text("team")),
            ("Wetsartikelen", list("law_articles")),
            ("Waarden", list("values")),
            ("Thema's en tags", list("tags")),
        ];
        for (label, value) in facts {
            if !value.is_empty() {
                let _ = writeln!(out, "- **{label}:** {value}");
            }
        }
        for (label, key) in [
            ("Casus", "case"),
            ("Vraag", "question"),
            ("Uitkomst", "outcome"),
            ("Onderbouwing", "reasoning"),
            ("Afwijkende mening", "dissent"),
        ] {
            let value = text(key);
            if !value.is_empty() {
                let _ = write!(out, "\n### {label}\n\n{value}\n");
            }
        }
    }
    out
}
