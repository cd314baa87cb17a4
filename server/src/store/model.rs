//! Rows and inputs exchanged with the store. Times are unix milliseconds.

use serde::{Deserialize, Serialize};

pub use crate::search::{PrecedentIndex, SearchPage, SearchQuery};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(json)]
    pub settings: serde_json::Value,
    pub created_at: i64,
}

#[derive(Clone, Debug)]
pub struct NewOrganisation {
    pub code: String,
    pub name: String,
    pub now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Team {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug)]
pub struct NewTeam {
    pub organisation_id: i64,
    pub name: String,
    pub now_ms: i64,
}

/// A user's role in their organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    Admin,
    Moderator,
    Member,
    ArchiveReader,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Moderator => "moderator",
            Self::Member => "member",
            Self::ArchiveReader => "archive_reader",
        }
    }

    /// The role's row in the access table (`beraad_domain::access`).
    pub fn access_role(self) -> crate::domain::access::Role {
        use crate::domain::access::Role;
        match self {
            Self::Admin => Role::Admin,
            Self::Moderator => Role::Moderator,
            Self::Member => Role::Member,
            Self::ArchiveReader => Role::ArchiveReader,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "admin" => Self::Admin,
            "moderator" => Self::Moderator,
            "member" => Self::Member,
            "archive_reader" => Self::ArchiveReader,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: UserRole,
    pub password_hash: Option<String>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    /// When the account was erased (AVG): name and e-mail removed, sign-in impossible.
    pub erased_at: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub organisation_id: i64,
    /// Stored lower-cased.
    pub email: String,
    pub display_name: String,
    pub role: UserRole,
    pub password_hash: Option<String>,
    pub now_ms: i64,
}

/// A live session's summary status, kept on its row (the event log is the truth).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Lobby,
    Running,
    Concluding,
    Closed,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lobby => "lobby",
            Self::Running => "running",
            Self::Concluding => "concluding",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "lobby" => Self::Lobby,
            "running" => Self::Running,
            "concluding" => Self::Concluding,
            "closed" => Self::Closed,
            _ => return None,
        })
    }
}

/// What a session is, as its creator gave it: the part a new session and its stored row share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionHeader {
    pub id: String,
    pub team_id: Option<i64>,
    pub title: String,
    pub method_key: String,
    pub status: SessionStatus,
    pub created_by: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    #[serde(flatten)]
    pub header: SessionHeader,
    pub last_seq: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the retention job removed the session's content (its events keep seq and kind).
    pub content_removed_at: Option<i64>,
}

/// An event to append; the store assigns its sequence number.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub actor: Option<String>,
    pub kind: String,
    /// The event's body as JSON text: serialised once, stored as it is.
    pub payload: Box<serde_json::value::RawValue>,
}

impl NewEvent {
    /// An event whose payload is `body` in JSON.
    pub fn new(actor: Option<String>, kind: impl Into<String>, body: &impl serde::Serialize) -> Self {
        let payload = serde_json::value::to_raw_value(body).expect("event payloads serialise");
        NewEvent { actor, kind: kind.into(), payload }
    }

    /// The payload as a JSON value (to read it, not to store it).
    pub fn payload_value(&self) -> serde_json::Value {
        serde_json::from_str(self.payload.get()).expect("a raw value holds JSON")
    }
}

#[derive(Clone, Debug)]
pub struct NewSession {
    pub header: SessionHeader,
    /// The first events of the log (seq 1, 2, …), e.g. `session_created` and the moderator joining.
    pub events: Vec<NewEvent>,
    /// The anonymisation review of the case, stored in the same transaction.
    pub review: Option<serde_json::Value>,
    pub now_ms: i64,
}

/// One append: the events a single command produced.
#[derive(Clone, Debug)]
pub struct Append {
    pub session_id: String,
    /// The last sequence number the writer has folded; the append fails with `Conflict` if
    /// another writer got there first.
    pub expected_last_seq: i64,
    /// The client-made id of the command, if any (stored on the first event).
    pub client_id: Option<String>,
    pub events: Vec<NewEvent>,
    /// The session's summary status after these events, when it changes.
    pub status: Option<SessionStatus>,
    /// Participants these events removed: their session tokens are revoked and so is every
    /// invite code of the session (a copy of the link must not let them back in), in the same
    /// transaction as the events.
    pub revoke_access_of: Vec<String>,
    pub now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendOutcome {
    /// Committed: the events got `first_seq..=last_seq`.
    Appended { first_seq: i64, last_seq: i64 },
    /// This client id was committed before, as event `seq`; nothing was appended.
    Duplicate { seq: i64 },
    /// Another writer appended first; the log now ends at `last_seq`.
    Conflict { last_seq: i64 },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredEvent {
    pub session_id: String,
    pub seq: i64,
    pub client_id: Option<String>,
    pub actor: Option<String>,
    pub kind: String,
    pub payload: serde_json::Value,
    pub created_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrecedentStatus {
    Draft,
    Adopted,
    Withdrawn,
}

impl PrecedentStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Adopted => "adopted",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "draft" => Self::Draft,
            "adopted" => Self::Adopted,
            "withdrawn" => Self::Withdrawn,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct NewPrecedent {
    pub organisation_id: i64,
    pub team_id: Option<i64>,
    pub session_id: Option<String>,
    pub import_ref: Option<String>,
    pub status: PrecedentStatus,
    pub title: String,
    pub decided_on: Option<String>,
    pub method_key: Option<String>,
    pub record: serde_json::Value,
    /// What the search index holds besides the title (stored in the same transaction).
    pub index: PrecedentIndex,
    pub now_ms: i64,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PrecedentRow {
    pub id: i64,
    pub organisation_id: i64,
    pub team_id: Option<i64>,
    pub session_id: Option<String>,
    pub import_ref: Option<String>,
    pub citation_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: PrecedentStatus,
    pub version: i64,
    pub title: String,
    pub decided_on: Option<String>,
    pub method_key: Option<String>,
    #[sqlx(json)]
    pub record: serde_json::Value,
    pub created_at: i64,
    pub updated_at: i64,
}
