//! Raw rows as both backends return them (enums as text), and their conversion
//! into the model. Deriving `FromRow` keeps the mapping generic over the backend.

use super::model::*;
use super::StoreError;

type Json = sqlx::types::Json<serde_json::Value>;

#[derive(sqlx::FromRow)]
pub(super) struct OrganisationRaw {
    id: i64,
    code: String,
    name: String,
    settings: Json,
    created_at: i64,
}

impl From<OrganisationRaw> for Organisation {
    fn from(r: OrganisationRaw) -> Self {
        Organisation {
            id: r.id,
            code: r.code,
            name: r.name,
            settings: r.settings.0,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct TeamRaw {
    id: i64,
    organisation_id: i64,
    name: String,
    created_at: i64,
}

impl From<TeamRaw> for Team {
    fn from(r: TeamRaw) -> Self {
        Team { id: r.id, organisation_id: r.organisation_id, name: r.name, created_at: r.created_at }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct UserRaw {
    id: i64,
    organisation_id: i64,
    email: String,
    display_name: String,
    role: String,
    password_hash: Option<String>,
    created_at: i64,
    disabled_at: Option<i64>,
    erased_at: Option<i64>,
}

impl TryFrom<UserRaw> for User {
    type Error = StoreError;
    fn try_from(r: UserRaw) -> Result<Self, StoreError> {
        let role =
            UserRole::parse(&r.role).ok_or_else(|| StoreError::Corrupt(format!("user role {}", r.role)))?;
        Ok(User {
            id: r.id,
            organisation_id: r.organisation_id,
            email: r.email,
            display_name: r.display_name,
            role,
            password_hash: r.password_hash,
            created_at: r.created_at,
            disabled_at: r.disabled_at,
            erased_at: r.erased_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct SessionRaw {
    id: String,
    team_id: Option<i64>,
    title: String,
    method_key: String,
    status: String,
    created_by: Option<i64>,
    last_seq: i64,
    created_at: i64,
    updated_at: i64,
    content_removed_at: Option<i64>,
}

impl TryFrom<SessionRaw> for SessionRow {
    type Error = StoreError;

    fn try_from(r: SessionRaw) -> Result<Self, StoreError> {
        let status = SessionStatus::parse(&r.status)
            .ok_or_else(|| StoreError::Corrupt(format!("session status {}", r.status)))?;
        Ok(SessionRow {
            id: r.id,
            team_id: r.team_id,
            title: r.title,
            method_key: r.method_key,
            status,
            created_by: r.created_by,
            last_seq: r.last_seq,
            created_at: r.created_at,
            updated_at: r.updated_at,
            content_removed_at: r.content_removed_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct EventRaw {
    session_id: String,
    seq: i64,
    client_id: Option<String>,
    actor: Option<String>,
    kind: String,
    payload: Json,
    created_at: i64,
}

impl From<EventRaw> for StoredEvent {
    fn from(r: EventRaw) -> Self {
        StoredEvent {
            payload: r.payload.0,
            session_id: r.session_id,
            seq: r.seq,
            client_id: r.client_id,
            actor: r.actor,
            kind: r.kind,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct PrecedentRaw {
    id: i64,
    organisation_id: i64,
    team_id: Option<i64>,
    session_id: Option<String>,
    import_ref: Option<String>,
    citation_id: Option<String>,
    status: String,
    version: i64,
    title: String,
    decided_on: Option<String>,
    method_key: Option<String>,
    record: Json,
    created_at: i64,
    updated_at: i64,
}

impl PrecedentRaw {
    pub(super) fn id(&self) -> i64 {
        self.id
    }
}

impl TryFrom<PrecedentRaw> for PrecedentRow {
    type Error = StoreError;
    fn try_from(r: PrecedentRaw) -> Result<Self, StoreError> {
        let status = PrecedentStatus::parse(&r.status)
            .ok_or_else(|| StoreError::Corrupt(format!("precedent status {}", r.status)))?;
        Ok(PrecedentRow {
            record: r.record.0,
            id: r.id,
            organisation_id: r.organisation_id,
            team_id: r.team_id,
            session_id: r.session_id,
            import_ref: r.import_ref,
            citation_id: r.citation_id,
            status,
            version: r.version,
            title: r.title,
            decided_on: r.decided_on,
            method_key: r.method_key,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}
