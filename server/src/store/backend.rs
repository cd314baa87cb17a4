//! What differs between the two databases, and the store written once over it.
//!
//! [`SqlStore<DB>`] implements every store trait for any `DB: Backend`. A [`Backend`] is a
//! sqlx database with the few things that are not the same SQL on both: its migrations, how a
//! write transaction begins (SQLite: `BEGIN IMMEDIATE`), the queries that read and lock a row
//! for the rest of a transaction (PostgreSQL: `FOR UPDATE`), and how an append is committed
//! (SQLite batches concurrent appends into one commit, `group_commit.rs`; PostgreSQL commits
//! each in its own transaction).
//!
//! A `Backend` runs statements through [`Statements`] (`statement.rs`): the generic store code
//! names no sqlx capability of its own, so its impl blocks need no `where` clause.

use std::future::Future;

use sqlx::{Pool, Transaction};

use super::model::{Append, AppendOutcome};
use super::statement::Statements;
use super::Result;

pub trait Backend: Statements {
    /// "sqlite" or "postgres".
    const ID: &'static str;
    /// Reads a session's `last_seq` (`$1`: the session id) and holds it for this transaction.
    const LOCK_SESSION: &'static str;
    /// Reads a precedent's status, version, updated_at and organisation (`$1`: its id) and
    /// holds the row for this transaction.
    const LOCK_PRECEDENT: &'static str;
    /// Reads the audit log's head (seq, hash) and holds it for this transaction, so
    /// concurrent appends are serialised and the hash chain never forks.
    const LOCK_AUDIT_HEAD: &'static str;
    /// The events after each of several sessions' seqs, in one statement: `$1` is a JSON array
    /// of `{"s": session id, "a": after seq}`, `$2` the most rows; ordered by session and seq
    /// (`EventLog::events_after_each`).
    const EVENTS_AFTER_EACH: &'static str;

    /// What a store keeps besides its pool to commit appends (SQLite: the group-commit writer).
    type Appends: Send + Sync + 'static;

    /// Applies the backend's pending migrations.
    fn migrate(pool: &Pool<Self>) -> impl Future<Output = Result<()>> + Send;

    /// A transaction that holds the write lock from its first statement on.
    fn begin_write(pool: &Pool<Self>) -> impl Future<Output = Result<Transaction<'static, Self>>> + Send;

    /// Runs the append rule (`SqlStore::append_in_tx`) in a write transaction and commits;
    /// answers only after the commit.
    fn append<'a>(
        pool: &'a Pool<Self>,
        appends: &'a Self::Appends,
        append: Append,
    ) -> impl Future<Output = Result<AppendOutcome>> + Send + 'a;

    /// The database file, for a backend that keeps one (the search index goes beside it).
    fn database_file(_pool: &Pool<Self>) -> Option<std::path::PathBuf> {
        None
    }
}

/// The store, for either backend: a connection pool and the backend's append path.
pub struct SqlStore<DB: Backend> {
    pub(super) pool: Pool<DB>,
    pub(super) appends: DB::Appends,
    /// Archive changes this process committed (see `Archive::local_archive_writes`).
    pub(super) archive_writes: std::sync::atomic::AtomicU64,
}

impl<DB: Backend> SqlStore<DB> {
    /// The pool, for tests and tools that need raw access.
    pub fn pool(&self) -> &Pool<DB> {
        &self.pool
    }

    /// Counts an archive change committed by this process.
    pub(super) fn archive_written(&self) {
        self.archive_writes.fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    pub(super) async fn begin_write(&self) -> Result<Transaction<'static, DB>> {
        DB::begin_write(&self.pool).await
    }
}
