//! How rows decode into the model, the same on both backends. Most model types derive
//! `FromRow` themselves: JSON columns are marked `#[sqlx(json)]`, enums stored as text
//! `#[sqlx(try_from = "String")]` (their `TryFrom<String>` is here), and a user's role, which is
//! also read on its own and optional (an account token's), decodes as a column type. The event
//! log's rows (`SessionRaw`, `EventRaw`) convert by hand.

use sqlx::decode::Decode;
use sqlx::error::BoxDynError;
use sqlx::{Database, Type};

use super::model::*;
use super::StoreError;

/// A stored enum's text that names none of its values.
fn unknown(what: &str, text: String) -> String {
    format!("{what} {text}")
}

impl TryFrom<String> for UserRole {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| unknown("user role", text))
    }
}

impl TryFrom<String> for PrecedentStatus {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).ok_or_else(|| unknown("precedent status", text))
    }
}

/// A role is stored as its name.
impl<DB: Database> Type<DB> for UserRole
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: Database> Decode<'r, DB> for UserRole
where
    String: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self::try_from(String::decode(value)?)?)
    }
}

type Json = sqlx::types::Json<serde_json::Value>;

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
            header: SessionHeader {
                id: r.id,
                team_id: r.team_id,
                title: r.title,
                method_key: r.method_key,
                status,
                created_by: r.created_by,
            },
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
