//! Importing past deliberations from JSON Lines (`docs`: PRECEDENTS.md, import format).
//!
//! The whole file is checked before anything is stored: every line must parse
//! (`domain::precedent::parse_import`) and no line may hold a BSN or IBAN (`guard`). Any
//! problem imports nothing and reports every problem with its line number — never the number
//! found. A valid file is stored in one transaction; a `ref` seen before updates that
//! precedent.

use std::collections::HashMap;

use serde_json::json;

use crate::domain::precedent::{parse_import, split_themes, ImportLine};
use crate::guard;
use crate::store::{DynStore, NewPrecedent, NewTeam, PrecedentIndex, PrecedentStatus, StoreError};

/// The organisation imports go to unless another code is given.
pub const DEFAULT_ORG_CODE: &str = "GEM";

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub organisation: String,
    /// Lines stored (new or updated).
    pub imported: usize,
    /// Of which were new.
    pub created: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The file was refused; one message per problem, each starting with its line.
    #[error("nothing imported: {}", .0.join("; "))]
    Invalid(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parses and screens a whole file: every line, or every problem (ordered by line).
pub fn screen(text: &str) -> Result<Vec<ImportLine>, Vec<String>> {
    let mut problems: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(raw.trim_start_matches('\u{feff}')) else {
            continue; // reported by `parse_import`
        };
        if let Err(refusal) = guard::check_json("", &value) {
            let field = refusal.field.clone();
            let what = if refusal.kind == "bsn" { "een BSN" } else { "een IBAN" };
            problems.push((i + 1, format!("regel {}: veld {field:?} bevat {what}; verwijder het", i + 1)));
        }
    }
    let lines = match parse_import(text) {
        Ok(lines) => Some(lines),
        Err(errors) => {
            problems.extend(errors.iter().map(|e| (e.line, e.to_string())));
            None
        }
    };
    match lines {
        Some(lines) if problems.is_empty() => Ok(lines),
        _ => {
            problems.sort_by_key(|(line, _)| *line);
            Err(problems.into_iter().map(|(_, m)| m).collect())
        }
    }
}

/// Imports a whole file into the organisation with `org_code` (created when missing), teams
/// by name (created when missing).
pub async fn import_file(
    store: &DynStore,
    org_code: &str,
    text: &str,
    now_ms: i64,
) -> Result<ImportReport, ImportFailure> {
    let lines = screen(text).map_err(ImportFailure::Invalid)?;
    let org = crate::archive::lifecycle::ensure_organisation(store, org_code, now_ms).await?;
    let mut teams: HashMap<String, i64> =
        store.teams_of_organisation(org.id).await?.into_iter().map(|t| (t.name, t.id)).collect();
    let before = store.count_precedents(org.id).await?;
    let mut news = Vec::with_capacity(lines.len());
    for line in &lines {
        let team_id = if line.team.is_empty() {
            None
        } else if let Some(id) = teams.get(&line.team) {
            Some(*id)
        } else {
            let new = NewTeam { organisation_id: org.id, name: line.team.clone(), now_ms };
            let team = store.create_team(&guard::screen(new).map_err(refused)?).await?;
            teams.insert(team.name.clone(), team.id);
            Some(team.id)
        };
        news.push(guard::screen(to_new_precedent(line, org.id, team_id, now_ms)).map_err(refused)?);
    }
    let rows = store.import_precedents(&news).await?;
    let after = store.count_precedents(org.id).await?;
    Ok(ImportReport {
        organisation: org.code,
        imported: rows.len(),
        created: usize::try_from(after - before).unwrap_or(0),
    })
}

/// What the store's screening refuses after `screen` passed the file: nothing, as it reads the
/// same text; said like any refusal should it ever happen.
fn refused(refusal: guard::Refusal) -> ImportFailure {
    ImportFailure::Invalid(vec![refusal.to_string()])
}

/// The stored form of one import line: the record keeps the import format's keys (so an
/// export gives the file back), the index the searchable parts.
pub fn to_new_precedent(
    line: &ImportLine,
    organisation_id: i64,
    team_id: Option<i64>,
    now_ms: i64,
) -> NewPrecedent {
    let (themes, tags) = split_themes(&line.tags);
    let law_articles: Vec<String> = line.law_articles.iter().map(ToString::to_string).collect();
    let record = json!({
        "ref": line.reference,
        "title": line.title,
        "date": line.date.map(|d| d.to_string()),
        "method": line.method,
        "case": line.case_text,
        "question": line.question,
        "outcome": line.outcome,
        "reasoning": line.reasoning,
        "values": line.values,
        "dissent": line.dissent,
        "law_articles": law_articles,
        "tags": line.tags,
        "team": line.team,
    });
    let mut body: Vec<&str> = vec![&line.case_text, &line.question, &line.outcome, &line.reasoning];
    body.extend(line.values.iter().map(String::as_str));
    body.push(&line.dissent);
    body.extend(themes.iter().map(|t| t.label()));
    body.extend(tags.iter().map(String::as_str));
    body.retain(|s| !s.trim().is_empty());
    NewPrecedent {
        organisation_id,
        team_id,
        session_id: None,
        import_ref: Some(line.reference.clone()),
        status: PrecedentStatus::Adopted,
        title: line.title.clone(),
        decided_on: line.date.map(|d| d.to_string()),
        method_key: (!line.method.is_empty()).then(|| line.method.clone()),
        record,
        index: PrecedentIndex {
            body: body.join("\n"),
            law_keys: line.law_articles.iter().map(|l| l.index_key()).collect(),
            themes: themes.iter().map(|t| t.label().to_string()).collect(),
            tags,
            values: line.values.clone(),
        },
        now_ms,
    }
}
