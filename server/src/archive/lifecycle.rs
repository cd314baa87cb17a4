//! Glue between the precedent lifecycle in the domain and the store: which organisation a
//! session belongs to, and what a record writes (row columns and search rows).

use crate::domain::precedent::{Precedent, Status};
use crate::store::{
    DynStore, NewOrganisation, NewPrecedent, Organisation, PrecedentIndex, PrecedentStatus, PrecedentWrite,
    SessionRow, StoreError, VersionNote,
};

/// The organisation of a session: its team's organisation when it has a team, otherwise this
/// instance's default organisation (`default_code`, from `--org` / `BERAAD_ORG`), created on
/// first use. The one place this rule lives.
pub async fn organisation_of_session(
    store: &DynStore,
    session: &SessionRow,
    default_code: &str,
    now_ms: i64,
) -> Result<Organisation, StoreError> {
    if let Some(team_id) = session.header.team_id {
        let team =
            store.team(team_id).await?.ok_or_else(|| StoreError::NotFound(format!("team {team_id}")))?;
        let org = store.organisation(team.organisation_id).await?;
        return org.ok_or_else(|| StoreError::NotFound(format!("organisation {}", team.organisation_id)));
    }
    ensure_organisation(store, default_code, now_ms).await
}

/// The organisation with `code`, created (named after its code) when missing; another request
/// creating it meanwhile is no error.
pub async fn ensure_organisation(
    store: &DynStore,
    code: &str,
    now_ms: i64,
) -> Result<Organisation, StoreError> {
    if let Some(org) = store.organisation_by_code(code).await? {
        return Ok(org);
    }
    let new = NewOrganisation { code: code.to_owned(), name: code.to_owned(), now_ms };
    // Named after its code, which the guard reads like any name.
    let new = crate::guard::screen(new)
        .map_err(|refusal| StoreError::Internal(format!("organisation code: {refusal}")))?;
    match store.create_organisation(&new).await {
        Ok(org) => Ok(org),
        // Created meanwhile by another request.
        Err(StoreError::AlreadyExists(_)) => {
            store.organisation_by_code(code).await?.ok_or_else(|| StoreError::NotFound(code.to_owned()))
        }
        Err(e) => Err(e),
    }
}

/// What the search index holds of a record besides its title (see `Precedent::search_text`).
pub fn index_of(p: &Precedent) -> PrecedentIndex {
    PrecedentIndex {
        body: p.search_text().body,
        law_keys: p.law_keys(),
        themes: p.themes.iter().map(|t| t.label().to_string()).collect(),
        tags: p.tags.clone(),
        // Supporting and harmed values alike are values the precedent is about.
        values: p.values.iter().chain(&p.harmed_values).cloned().collect(),
    }
}

pub fn status_of(p: &Precedent) -> PrecedentStatus {
    match p.status {
        Status::Draft => PrecedentStatus::Draft,
        Status::Adopted => PrecedentStatus::Adopted,
        Status::Withdrawn => PrecedentStatus::Withdrawn,
    }
}

fn record_json(p: &Precedent) -> serde_json::Value {
    serde_json::to_value(p).expect("precedents serialise")
}

/// The new row of a session's draft.
pub fn new_precedent(
    p: &Precedent,
    organisation_id: i64,
    team_id: Option<i64>,
    session_id: &str,
    now_ms: i64,
) -> NewPrecedent {
    NewPrecedent {
        organisation_id,
        team_id,
        session_id: Some(session_id.to_owned()),
        import_ref: None,
        status: status_of(p),
        title: p.title.clone(),
        decided_on: p.session_date.map(|d| d.to_string()),
        method_key: Some(p.method.method.clone()).filter(|m| !m.is_empty()),
        record: record_json(p),
        index: index_of(p),
        now_ms,
    }
}

/// What a lifecycle step writes for record `p`.
pub fn write_of(p: &Precedent, keep_version: Option<VersionNote>) -> PrecedentWrite {
    PrecedentWrite {
        status: status_of(p),
        version: i64::from(p.version),
        citation_id: p.citation.as_ref().map(ToString::to_string),
        title: p.title.clone(),
        decided_on: p.session_date.map(|d| d.to_string()),
        method_key: Some(p.method.method.clone()).filter(|m| !m.is_empty()),
        record: record_json(p),
        index: index_of(p),
        keep_version,
    }
}
