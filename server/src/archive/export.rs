//! Exporting an organisation's archive: JSON Lines in the import format (re-importable) or
//! Markdown for reading.

use std::fmt::Write;

use serde_json::{json, Value};

use crate::domain::precedent::Precedent;
use crate::store::{PrecedentRow, PrecedentStatus};

/// The record of a row in the import format's keys, or `None` for a draft (never exported).
/// Imported rows hold that format already; precedents drafted from sessions hold the full
/// record (`domain::precedent::Precedent`) and are mapped onto it, `ref` being the citation id.
pub fn export_record(row: &PrecedentRow) -> Option<Value> {
    if row.status == PrecedentStatus::Draft {
        return None;
    }
    let Ok(p) = serde_json::from_value::<Precedent>(row.record.clone()) else {
        return Some(row.record.clone());
    };
    let mut tags: Vec<String> = p.themes.iter().map(|t| t.label().to_string()).collect();
    tags.extend(p.tags.iter().cloned());
    let dissent: Vec<&str> = p.dissent.iter().map(|d| d.position.as_str()).collect();
    Some(json!({
        "ref": p.citation.as_ref().map(ToString::to_string).unwrap_or_default(),
        "title": p.title,
        "date": p.session_date.map(|d| d.to_string()),
        "method": p.method.method,
        "case": p.case_text,
        "question": p.moral_question,
        "outcome": p.conclusion,
        "reasoning": p.reasoning,
        "values": p.values,
        "dissent": dissent.join("\n"),
        "law_articles": p.law_refs.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "tags": tags,
        "team": p.team,
    }))
}

/// One JSON object a line, the stored record (the import format's keys); drafts are left out.
pub fn to_jsonl(rows: &[PrecedentRow]) -> String {
    let mut out = String::new();
    for record in rows.iter().filter_map(export_record) {
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}

/// A Markdown document: one section per precedent, newest last; drafts are left out.
pub fn to_markdown(rows: &[PrecedentRow]) -> String {
    let mut out = String::from("# Archief\n");
    for row in rows {
        let Some(record) = export_record(row) else { continue };
        let r = &record;
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
            (
                "Status",
                if row.status == PrecedentStatus::Withdrawn { "ingetrokken".into() } else { String::new() },
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: PrecedentStatus, record: Value) -> PrecedentRow {
        PrecedentRow {
            id: 1,
            organisation_id: 1,
            team_id: None,
            session_id: Some("s".into()),
            import_ref: None,
            citation_id: Some("MB:LOCAL:2026:1".into()),
            status,
            version: 1,
            title: "Verlaging bij ziekte".into(),
            decided_on: Some("2026-03-02".into()),
            method_key: Some("dilemma".into()),
            record,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn session_record() -> Value {
        json!({
            "citation": "MB:LOCAL:2026:1", "session_date": "2026-03-02", "adopted_on": "2026-03-09", "version": 1,
            "method": {"method": "dilemma"}, "team": "", "organisation": "LOCAL",
            "title": "Verlaging bij ziekte", "summary": "Geen verlaging zonder gesprek.",
            "case_text": "Een cliënt meldt zich ziek.", "moral_question": "Verlagen?",
            "conclusion": "Niet verlagen.", "reasoning": "Bestaanszekerheid.", "values": ["bestaanszekerheid"],
            "dissent": [{"position": "Eén deelnemer kiest A."}], "law_refs": ["art. 18 lid 2"],
            "themes": ["verlaging"], "tags": ["ziekmelding"],
            "outcome": "sanction_waived", "status": "adopted", "status_history": []
        })
    }

    #[test]
    fn session_precedents_export_in_the_import_format_and_drafts_not_at_all() {
        let out = to_jsonl(&[
            row(PrecedentStatus::Draft, session_record()),
            row(PrecedentStatus::Adopted, session_record()),
        ]);
        assert_eq!(out.lines().count(), 1);
        let lines = crate::domain::precedent::parse_import(&out).expect("re-importable");
        let line = &lines[0];
        assert_eq!((line.reference.as_str(), line.outcome.as_str()), ("MB:LOCAL:2026:1", "Niet verlagen."));
        assert_eq!(line.tags, ["verlaging", "ziekmelding"]);
        assert_eq!(line.law_articles.len(), 1);
        let md = to_markdown(&[row(PrecedentStatus::Withdrawn, session_record())]);
        assert!(md.contains("ingetrokken") && md.contains("Niet verlagen."), "{md}");
        assert_eq!(to_markdown(&[row(PrecedentStatus::Draft, session_record())]), "# Archief\n");
    }
}
