//! Persistence. One `Store` trait, one implementation per backend, chosen from the URL scheme.
//! Queries are runtime queries with bind parameters only; each backend has its own migrations.

pub mod accounts;
mod error;
mod group_commit;
mod lifecycle;
mod model;
mod postgres;
mod rows;
mod sql;
mod sql_store;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

pub use accounts::{
    AccountStore, AccountToken, AccountTokenKind, NewAccountToken, PendingInvite, WebSession,
};
pub use error::StoreError;
pub use lifecycle::{
    ChangeOutcome, DraftOutcome, Expected, NewSessionLink, PrecedentVersion, PrecedentWrite, SessionLink,
    VersionKind, VersionNote,
};
pub use model::*;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

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

#[async_trait]
/// Accounts (web sessions, account tokens, sign-in failures, audit log) are the supertrait
/// [`AccountStore`], in `accounts.rs`.
pub trait Store: AccountStore + Send + Sync + 'static {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;

    /// Answers when the database does (for `/readyz`).
    async fn ping(&self) -> Result<()>;

    /// Closes the pool, waiting for connections to be returned.
    async fn close(&self);

    // --- organisations, teams, users -------------------------------------------------------

    async fn create_organisation(&self, new: &NewOrganisation) -> Result<Organisation>;
    async fn organisation_by_code(&self, code: &str) -> Result<Option<Organisation>>;
    async fn create_team(&self, new: &NewTeam) -> Result<Team>;
    async fn teams_of_organisation(&self, organisation_id: i64) -> Result<Vec<Team>>;
    async fn create_user(&self, new: &NewUser) -> Result<User>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn add_team_member(&self, team_id: i64, user_id: i64, now_ms: i64) -> Result<()>;
    async fn teams_of_user(&self, user_id: i64) -> Result<Vec<Team>>;

    // --- live sessions and their event log -----------------------------------------------

    /// Creates a session together with its first events (seq 1, 2, …), in one transaction.
    async fn create_session(&self, new: &NewSession) -> Result<SessionRow>;
    async fn session(&self, id: &str) -> Result<Option<SessionRow>>;
    /// The anonymisation review stored with a session, if any.
    async fn anonymisation_review(&self, session_id: &str) -> Result<Option<serde_json::Value>>;
    async fn sessions_of_team(&self, team_id: i64) -> Result<Vec<SessionRow>>;

    /// Appends events to a session's log in one transaction, gap-free after
    /// `expected_last_seq`. A client id seen before answers with the original sequence number
    /// and appends nothing; a different last sequence number answers `Conflict`.
    async fn append_events(&self, append: &Append) -> Result<AppendOutcome>;

    /// The events after `after_seq`, in order, at most `limit`.
    async fn events_since(&self, session_id: &str, after_seq: i64, limit: i64) -> Result<Vec<StoredEvent>>;

    // --- access to live sessions ----------------------------------------------------------

    /// Stores the hash of a participant's secret token for one session.
    async fn create_session_token(
        &self,
        session_id: &str,
        token_hash: &str,
        participant_id: &str,
        now_ms: i64,
    ) -> Result<()>;
    /// The participant a token belongs to, if it is valid for this session.
    async fn participant_for_token(&self, session_id: &str, token_hash: &str) -> Result<Option<String>>;
    /// Stores the hash of an invite code for a session.
    async fn create_invite(
        &self,
        session_id: &str,
        code_hash: &str,
        expires_at_ms: i64,
        now_ms: i64,
    ) -> Result<()>;
    /// The session an invite code opens, if it is still valid at `now_ms`.
    async fn session_for_invite(&self, code_hash: &str, now_ms: i64) -> Result<Option<String>>;

    // --- custom methods -------------------------------------------------------------------

    /// Stores a validated custom method; `AlreadyExists` when its key is taken.
    async fn create_custom_method(
        &self,
        key: &str,
        definition: &serde_json::Value,
        now_ms: i64,
    ) -> Result<()>;
    /// Every custom method's definition, by key.
    async fn custom_methods(&self) -> Result<Vec<serde_json::Value>>;
    async fn custom_method(&self, key: &str) -> Result<Option<serde_json::Value>>;

    // --- precedents ------------------------------------------------------------------------

    /// Inserts a precedent, or updates the one with the same organisation and import ref.
    /// Its search rows (texts, law keys, themes, tags, values) are written in the same
    /// transaction.
    async fn upsert_precedent(&self, new: &NewPrecedent) -> Result<PrecedentRow>;
    /// Upserts many precedents in one transaction: all of them or none.
    async fn import_precedents(&self, news: &[NewPrecedent]) -> Result<Vec<PrecedentRow>>;
    /// An organisation's precedents, oldest decision first.
    async fn precedents_of_organisation(&self, organisation_id: i64) -> Result<Vec<PrecedentRow>>;
    /// Searches the archive's adopted precedents: the in-process index (`crate::search`),
    /// brought up to date first, ranks, filters, facets and pages; the page's snippets come
    /// from the stored bodies. Identical on both backends.
    async fn search_precedents(&self, query: &SearchQuery) -> Result<SearchPage>;
    /// Brings the search index up to date with the database (loads the whole archive the
    /// first time). Searches do this themselves; the server calls it once at start-up.
    async fn refresh_search_index(&self) -> Result<()>;
    async fn precedent(&self, id: i64) -> Result<Option<PrecedentRow>>;
    async fn count_precedents(&self, organisation_id: i64) -> Result<i64>;

    // --- precedent lifecycle (drafting, adoption, corrections, withdrawal, links) ----------

    /// Stores the draft precedent of a session, unless the session has one already (then
    /// returns that one and writes nothing). One precedent per session, also under races.
    async fn create_session_precedent(&self, new: &NewPrecedent) -> Result<DraftOutcome>;
    async fn precedent_of_session(&self, session_id: &str) -> Result<Option<PrecedentRow>>;
    async fn precedent_by_citation(&self, citation_id: &str) -> Result<Option<PrecedentRow>>;
    /// Writes a lifecycle step (edit, correction, withdrawal) and its search rows in one
    /// transaction, if the precedent is still as `expected`; otherwise `Stale`.
    async fn change_precedent(
        &self,
        id: i64,
        expected: &Expected,
        write: &PrecedentWrite,
        now_ms: i64,
    ) -> Result<ChangeOutcome>;
    /// Adopts: inside one write transaction, takes the next citation number of the
    /// precedent's organisation and `year`, asks `make` for the row to write with it, writes
    /// it and keeps the version. Two adoptions never get the same number.
    async fn adopt_precedent(
        &self,
        id: i64,
        expected: &Expected,
        year: i64,
        make: &(dyn Fn(i64) -> std::result::Result<PrecedentWrite, String> + Send + Sync),
        now_ms: i64,
    ) -> Result<ChangeOutcome>;
    /// Every kept version, oldest first.
    async fn precedent_versions(&self, precedent_id: i64) -> Result<Vec<PrecedentVersion>>;
    async fn precedent_version(&self, precedent_id: i64, version: i64) -> Result<Option<PrecedentVersion>>;
    /// Links a session to a precedent (again: replaces kind and note).
    async fn link_session(&self, link: &NewSessionLink) -> Result<()>;
    async fn links_of_session(&self, session_id: &str) -> Result<Vec<SessionLink>>;
    async fn links_of_precedent(&self, precedent_id: i64) -> Result<Vec<SessionLink>>;
    async fn team(&self, id: i64) -> Result<Option<Team>>;
    async fn organisation(&self, id: i64) -> Result<Option<Organisation>>;

    // --- authorisation ----------------------------------------------------------------------
    /// Replaces an organisation's settings (e.g. `{"archive_readers": "team"}`); `NotFound`
    /// when there is no such organisation.
    async fn set_organisation_settings(
        &self,
        organisation_id: i64,
        settings: &serde_json::Value,
    ) -> Result<()>;
}
