//! Persistence, as narrow traits by concern:
//! - [`EventLog`] (`event_log.rs`): live sessions, their append-only event log, session
//!   tokens, invites and the anonymisation review;
//! - [`Accounts`] (`accounts.rs`): organisations, teams, users, web sessions, one-time
//!   account tokens, failed sign-ins, organisation settings;
//! - [`Archive`] (`archive.rs`): precedents, imports, custom methods, and what the search
//!   engine (`crate::search`, outside the store) reads to build its index;
//! - [`PrecedentLifecycle`] (`lifecycle.rs`, with `precedent_writes.rs`): drafting,
//!   adoption, corrections, withdrawal, kept versions, links between sessions and precedents;
//! - [`AuditLog`] (`audit.rs`): the hash-chained audit log;
//! - [`Rhythm`] (`rhythm.rs`): team schedules, absences and swaps, calendar feeds, reminders;
//! - [`TeamPractice`] (`practice.rs`): a team's case queue, its actions, and what the follow-up
//!   read from its sessions;
//! - [`MeetingCases`] (`meeting_cases.rs`): which scheduled meeting a picked case belongs to;
//! - [`Retention`] (`retention.rs`): the retention job, erasure of an account, what is held
//!   about a person (AVG);
//! - [`SingleSignOn`] (`identities.rs`): people at an OpenID provider linked to accounts, and
//!   sign-ins on their way through the provider;
//! - [`ApiTokens`] (`api_tokens.rs`): scripts' API tokens (hashed, scoped, revocable);
//! - [`TeamMembership`] (`team_membership.rs`): leaving a team;
//! - [`Operations`] (`operations.rs`): migrate, ping, close.
//!
//! [`Store`] is all of them at once (implemented by each backend), and [`DynStore`] the shared handle
//! most of the server holds; a part that needs one concern takes that trait only (the live room
//! takes an `Arc<dyn EventLog>`, so its tests run on an in-memory fake).
//!
//! Each trait is implemented once, in plain generic Rust, for [`SqlStore<DB>`] over a small
//! [`Backend`] trait (`backend.rs`) that carries what differs between SQLite (`sqlite.rs`) and
//! PostgreSQL (`postgres.rs`): migrations, how a write transaction begins, the lock queries,
//! and how an append is committed. Queries are runtime queries with bind parameters only
//! (`$n` placeholders work on both); each backend has its own migrations. Every statement runs
//! through `statement.rs` (`DB::execute`, `DB::fetch_all`, …: the binds as `Arg`s,
//! rows decoded per backend), so the generic impls name no sqlx capability themselves and need
//! no `where` clause (the event log's impl keeps its own: its append path is tuned separately).

mod accounts;
mod api_tokens;
mod archive;
mod audit;
mod backend;
mod error;
mod event_log;
mod group_commit;
mod identities;
mod lifecycle;
mod meeting_cases;
mod model;
mod operations;
mod postgres;
mod practice;
mod precedent_writes;
mod query;
mod retention;
mod rhythm;
mod rows;
mod sql;
mod sqlite;
mod statement;
mod team_membership;

use std::sync::Arc;

pub use accounts::{
    Acceptance, AccountToken, AccountTokenKind, Accounts, NewAccountToken, PendingInvite, WebSession,
};
pub use api_tokens::{ApiToken, ApiTokens, NewApiToken};
pub use archive::Archive;
pub use audit::AuditLog;
pub use backend::{Backend, SqlStore};
pub use error::StoreError;
pub use event_log::{EventLog, NewInviteCode, NewSessionToken};
pub use identities::{NewOidcLogin, OidcLogin, SingleSignOn};
pub use lifecycle::{
    Adoption, ChangeOutcome, DraftOutcome, Expected, MakeAdopted, NewSessionLink, PrecedentChange,
    PrecedentLifecycle, PrecedentVersion, PrecedentWrite, SessionLink, StoredApproval, VersionKind,
    VersionNote,
};
pub use meeting_cases::{MeetingCase, MeetingCases, Reservation};
pub use model::*;
pub use operations::{Operations, PoolUse};
pub use postgres::PostgresStore;
pub use practice::{
    ActionSettlement, AdoptedPrecedent, Harvest, NewProposal, NewTeamAction, PracticeSession, Preparation,
    PreparedRow, Proposal, ProposedCase, QueueRow, TeamAction, TeamPractice,
};
pub use retention::{
    erased_email, redacted_payload, Erased, Expiry, PersonData, PersonEvent, PersonInvite, PersonSession,
    PersonWebSession, Retention,
};
pub use rhythm::{Absence, Reminder, Rhythm, ScheduleChange, StoredSchedule, SwapRow, TeamEdit, TeamMember};
pub use sqlite::SqliteStore;
pub use team_membership::TeamMembership;

use crate::config::DatabaseConfig;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A shared handle to whichever backend is configured.
pub type DynStore = Arc<dyn Store>;

/// Connects to the configured backend (creating a SQLite file when missing). Does not migrate.
pub async fn connect(config: &DatabaseConfig) -> Result<DynStore> {
    Ok(match config {
        DatabaseConfig::Sqlite { path } => Arc::new(SqliteStore::connect(path).await?),
        DatabaseConfig::Postgres { url } => Arc::new(PostgresStore::connect(url).await?),
    })
}

/// Every concern of the store at once, for the parts of the server that reach several (the
/// HTTP handlers, the CLI).
pub trait Store:
    Operations
    + EventLog
    + Accounts
    + Archive
    + PrecedentLifecycle
    + AuditLog
    + Rhythm
    + TeamPractice
    + MeetingCases
    + Retention
    + SingleSignOn
    + ApiTokens
    + TeamMembership
    + Send
    + Sync
    + 'static
{
}

// Each backend's store is every concern at once (the compiler checks each supertrait).
impl Store for SqliteStore {}
impl Store for PostgresStore {}
