//! Exporting an organisation's archive: JSON Lines in the import format (re-importable) or
//! Markdown for reading — the whole archive, or one precedent (the precedent page's download).

use std::fmt::Write;

use serde_json::{json, Value};

use super::markdown_text::{cell, escape};
use super::view::PrecedentView;
use crate::domain::precedent::Precedent;
use crate::i18n::{self, Lang};
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

/// A Markdown document: one section per precedent, newest last (labels in Dutch); drafts are
/// left out.
pub fn to_markdown(rows: &[PrecedentRow]) -> String {
    let mut out = format!("# {}\n", label(Lang::Nl, "archive.title"));
    for row in rows.iter().filter(|r| r.status != PrecedentStatus::Draft) {
        write_precedent(&mut out, &PrecedentView::from_row(row), Lang::Nl, 2);
    }
    out
}

/// One precedent as a Markdown document, labels in `lang`.
pub fn precedent_markdown(row: &PrecedentRow, lang: Lang) -> String {
    let mut out = String::new();
    write_precedent(&mut out, &PrecedentView::from_row(row), lang, 1);
    out.trim_start().to_string()
}

/// A method as people name it: a built-in method's name (with its variant) in `lang`, else the
/// key as stored (a custom method's; the page looks those up in the library).
fn method_name(key: Option<&str>, variant: Option<&str>, lang: Lang) -> String {
    let Some(key) = key else { return String::new() };
    let method_lang = match lang {
        Lang::Nl => crate::domain::method::Lang::Nl,
        Lang::En => crate::domain::method::Lang::En,
    };
    crate::domain::method::builtin(key, variant)
        .or_else(|| crate::domain::method::builtin(key, None))
        .map(|m| m.name.get(method_lang).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

fn label(lang: Lang, key: &str) -> &'static str {
    i18n::text(lang, key).unwrap_or("")
}

fn table(out: &mut String, lang: Lang, headers: &[&str], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        return;
    }
    let heads: Vec<&str> = headers.iter().map(|h| label(lang, &format!("precedent.field.{h}"))).collect();
    let _ = writeln!(out, "\n| {} |", heads.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(heads.len()));
    for r in rows {
        let _ = writeln!(out, "| {} |", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
}

fn write_precedent(out: &mut String, v: &PrecedentView, lang: Lang, level: usize) {
    let h = |n: usize| "#".repeat(level + n);
    let field = |key: &str| label(lang, &format!("precedent.field.{key}"));
    let _ = write!(out, "\n{} {}\n\n", h(0), cell(&v.title));
    let mut facts: Vec<(&str, String)> = vec![
        (
            if v.citation_id.is_some() { "citation" } else { "ref" },
            v.reference().unwrap_or_default().to_string(),
        ),
        ("status", label(lang, &format!("precedent.status.{}", v.status)).to_string()),
        ("version", v.version.to_string()),
        ("session_date", v.session_date.clone().unwrap_or_default()),
        ("adopted_on", v.adopted_on.clone().unwrap_or_default()),
        ("method", method_name(v.method.as_deref(), v.method_variant.as_deref(), lang)),
        ("team", v.team.clone()),
        ("organisation", v.organisation.clone().unwrap_or_default()),
    ];
    facts.retain(|(_, value)| !value.is_empty());
    for (key, value) in facts {
        let _ = writeln!(out, "- **{}:** {}", field(key), cell(&value));
    }
    let section = |out: &mut String, key: &str, body: &str| {
        if !body.trim().is_empty() {
            let _ = write!(out, "\n{} {}\n\n{}\n", h(1), field(key), body.trim());
        }
    };
    // Every item is user text on one line, escaped.
    let bullets =
        |items: &[String]| items.iter().map(|i| format!("- {}", cell(i))).collect::<Vec<_>>().join("\n");
    section(out, "summary", &escape(&v.summary));
    section(out, "case", &escape(&v.case_text));
    section(out, "moral_question", &escape(&v.moral_question));
    if !v.options.is_empty() {
        let _ = write!(out, "\n{} {}\n", h(1), field("options"));
        table(
            out,
            lang,
            &["option", "damage"],
            v.options.iter().map(|o| vec![o.label.clone(), o.damage.clone()]).collect(),
        );
    }
    if !v.perspectives.is_empty() {
        let _ = write!(out, "\n{} {}\n", h(1), field("perspectives"));
        let rows = v
            .perspectives
            .iter()
            .map(|p| vec![p.stakeholder.clone(), p.perspective.clone(), p.value.clone(), p.norm.clone()])
            .collect();
        table(out, lang, &["stakeholder", "perspective", "value", "norm"], rows);
    }
    section(out, "alternatives", &bullets(&v.alternatives));
    if !v.positions.is_empty() {
        let _ = write!(out, "\n{} {}\n", h(1), field("positions"));
        let rows = v
            .positions
            .iter()
            .map(|p| {
                vec![
                    p.pseudonym.clone(),
                    p.choice.clone(),
                    p.value.clone(),
                    p.damage.clone(),
                    p.damage_limitation.clone(),
                    p.needs.clone(),
                ]
            })
            .collect();
        table(out, lang, &["pseudonym", "choice", "value", "damage", "damage_limitation", "needs"], rows);
    }
    if !v.dialogue.similarities.is_empty() || !v.dialogue.differences.is_empty() {
        let _ = write!(out, "\n{} {}\n", h(1), field("dialogue"));
        for (key, items) in
            [("similarities", &v.dialogue.similarities), ("differences", &v.dialogue.differences)]
        {
            if !items.is_empty() {
                let _ = write!(out, "\n**{}**\n\n{}\n", field(key), bullets(items));
            }
        }
    }
    section(out, "conclusion", &escape(&v.conclusion));
    section(out, "reasoning", &escape(&v.reasoning));
    section(out, "values", &cell(&v.values.join(", ")));
    section(out, "harmed_values", &cell(&v.harmed_values.join(", ")));
    let dissent: Vec<String> = v
        .dissent
        .iter()
        .map(|d| {
            if d.values.is_empty() {
                d.position.clone()
            } else {
                format!("{} ({})", d.position, d.values.join(", "))
            }
        })
        .collect();
    section(out, "dissent", &bullets(&dissent));
    if !v.actions.is_empty() {
        let _ = write!(out, "\n{} {}\n", h(1), field("actions"));
        let rows = v
            .actions
            .iter()
            .map(|a| vec![a.what.clone(), a.who.clone(), a.when.clone().unwrap_or_default()])
            .collect();
        table(out, lang, &["what", "who", "when"], rows);
    }
    let mut legal: Vec<String> = v.law_refs.iter().map(|l| l.text.clone()).collect();
    legal.extend(v.local_ordinances.iter().cloned());
    section(out, "legal_frame", &bullets(&legal));
    let mut related: Vec<String> = v
        .related_precedents
        .iter()
        .map(|r| format!("{} {}", label(lang, &format!("precedent.relation.{}", r.relation)), r.citation))
        .collect();
    related.extend(v.court_rulings.iter().map(|c| match &c.note {
        Some(note) => format!("{} — {note}", c.ecli),
        None => c.ecli.clone(),
    }));
    section(out, "related", &bullets(&related));
    let mut themes = v.themes.clone();
    themes.extend(v.tags.iter().cloned());
    section(out, "themes", &cell(&themes.join(", ")));
    if let Some(outcome) = &v.outcome {
        section(out, "outcome", label(lang, &format!("precedent.outcome.{outcome}")));
    }
    if let Some(r) = &v.anonymisation_review {
        let body = format!(
            "- **{}:** {}\n- **{}:** {}\n- **{}:** {}\n- **{}:** {}",
            field("reviewer"),
            cell(&r.reviewer),
            field("reviewed_on"),
            r.reviewed_on,
            field("findings"),
            r.findings,
            field("resolution"),
            cell(&r.resolution)
        );
        section(out, "anonymisation_review", &body);
    }
    if !v.status_history.is_empty() {
        let _ = write!(out, "\n{} {}\n", h(1), field("status_history"));
        let rows = v
            .status_history
            .iter()
            .map(|c| {
                vec![
                    label(lang, &format!("precedent.status.{}", c.status)).to_string(),
                    c.on.clone(),
                    c.by.clone(),
                    c.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        table(out, lang, &["status", "on", "by", "reason"], rows);
    }
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
        assert!(md.to_lowercase().contains("ingetrokken") && md.contains("Niet verlagen."), "{md}");
        assert_eq!(to_markdown(&[row(PrecedentStatus::Draft, session_record())]), "# Archief\n");
    }
}

#[cfg(test)]
mod markdown_tests {
    use serde_json::json;

    use super::*;
    use crate::store::PrecedentStatus;

    fn row(record: serde_json::Value) -> PrecedentRow {
        PrecedentRow {
            id: 3,
            organisation_id: 1,
            team_id: None,
            session_id: None,
            import_ref: Some("S3".into()),
            citation_id: None,
            status: PrecedentStatus::Adopted,
            version: 1,
            title: "Reiskosten".into(),
            decided_on: Some("2025-09-15".into()),
            method_key: Some("nijmegen".into()),
            record,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn one_precedent_as_markdown_in_the_readers_language() {
        let r = row(json!({
            "ref": "S3", "title": "Reiskosten", "case": "Drie keer per week.", "outcome": "Toegekend.",
            "reasoning": "Bijzondere omstandigheden.", "law_articles": ["Participatiewet art. 35"],
            "tags": ["bijzondere bijstand", "reiskosten"], "team": "Team Inkomen"
        }));
        let nl = precedent_markdown(&r, Lang::Nl);
        assert!(nl.starts_with("# Reiskosten\n"), "{nl}");
        assert!(nl.contains("- **Referentie:** S3"), "{nl}");
        assert!(nl.contains("## Casus\n\nDrie keer per week."), "{nl}");
        assert!(nl.contains("## Conclusie\n\nToegekend."), "{nl}");
        assert!(nl.contains("## Juridisch kader\n\n- Participatiewet art. 35"), "{nl}");
        assert!(nl.contains("bijzondere bijstand, reiskosten"), "{nl}");
        let en = precedent_markdown(&r, Lang::En);
        assert!(en.contains("## Conclusion\n\nToegekend."), "{en}");
    }

    #[test]
    fn user_text_cannot_make_markup() {
        let r = row(json!({
            "title": "Kop\n# Nep", "case": "<img src=x onerror=alert(1)>\n# Ingevoegde kop\n[klik](javascript:x)",
            "tags": ["*vet*"]
        }));
        let md = precedent_markdown(&r, Lang::Nl);
        // The title stays one heading line.
        assert!(md.starts_with("# Kop # Nep\n"), "{md}");
        assert!(
            md.contains("\\<img src=x onerror=alert(1)\\>\n\\# Ingevoegde kop\n\\[klik\\](javascript:x)"),
            "{md}"
        );
        assert!(md.contains("\\*vet\\*"), "{md}");
    }

    #[test]
    fn the_archive_keeps_one_section_per_precedent() {
        let rows = [row(json!({"title": "Een"})), row(json!({"title": "Twee"}))];
        let md = to_markdown(&rows);
        assert!(md.starts_with("# Archief\n"));
        assert_eq!(md.matches("\n## ").count(), 2, "{md}");
    }
}
