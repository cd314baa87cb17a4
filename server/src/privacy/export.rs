//! What Beraad holds about one person (an access request, AVG art. 15): their account, their
//! organisation and teams, the sessions they created or took part in, what they did in them
//! (their contributions, their joining), their signed-in browsers, the invites sent to their
//! address and the audit entries naming them. Nobody else's name, address or contribution.

use serde::Serialize;

use crate::audit::{self, action, result};
use crate::domain::audit::AuditEntry;
use crate::store::{PersonEvent, PersonInvite, PersonSession, PersonWebSession, Store, StoreError};

#[derive(Debug, Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: &'static str,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub erased_at: Option<i64>,
    pub has_password: bool,
}

#[derive(Debug, Serialize)]
pub struct NamedThing {
    pub id: i64,
    pub name: String,
}

/// The whole answer, as `beraad export-person` writes it (JSON). Times are unix milliseconds.
#[derive(Debug, Serialize)]
pub struct PersonExport {
    pub generated_at: i64,
    pub account: Account,
    pub organisation: Option<NamedThing>,
    pub teams: Vec<NamedThing>,
    pub sessions: Vec<PersonSession>,
    /// Their contributions and other events they caused, in the sessions' own format.
    pub session_events: Vec<PersonEvent>,
    pub web_sessions: Vec<PersonWebSession>,
    pub invites: Vec<PersonInvite>,
    pub audit: Vec<AuditEntry>,
}

/// The export of the person with e-mail address `email` (any case); `None` when no account
/// has it. Recorded in the audit log (after the export is made).
pub async fn export(
    store: &dyn Store,
    email: &str,
    client: &str,
) -> Result<Option<PersonExport>, StoreError> {
    let Some(user) = store.user_by_email(&email.trim().to_lowercase()).await? else { return Ok(None) };
    let organisation =
        store.organisation(user.organisation_id).await?.map(|o| NamedThing { id: o.id, name: o.name });
    let teams = store
        .teams_of_user(user.id)
        .await?
        .into_iter()
        .map(|t| NamedThing { id: t.id, name: t.name })
        .collect();
    let data = store.person_data(&user).await?;
    let audit_entries = store.audit_about(user.id).await?;
    let export = PersonExport {
        generated_at: crate::clock::now_ms(),
        account: Account {
            id: user.id,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str(),
            created_at: user.created_at,
            disabled_at: user.disabled_at,
            erased_at: user.erased_at,
            has_password: user.password_hash.is_some(),
        },
        organisation,
        teams,
        sessions: data.sessions,
        session_events: data.events,
        web_sessions: data.web_sessions,
        invites: data.invites,
        audit: audit_entries,
    };
    audit::record(
        store,
        audit::Entry {
            actor: "system".into(),
            action: action::PERSON_EXPORTED,
            target: audit::user_actor(user.id),
            result: result::OK,
            client: client.to_owned(),
        },
    )
    .await?;
    Ok(Some(export))
}
