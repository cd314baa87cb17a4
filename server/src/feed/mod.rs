//! The change feed between "committed" and "delivered" (modelled on Centrifuge's broker): small
//! notices that something changed, never the change itself. The database stays the source of
//! truth; whoever receives a notice re-reads what it needs from the store.
//!
//! - [`InProcessFeed`] (`in_process.rs`): one process (SQLite); a tokio broadcast.
//! - [`PgFeed`] (`postgres.rs`): several processes on one PostgreSQL, over `LISTEN/NOTIFY`.
//!   A lost listener connection is reconnected and followed by [`FeedEvent::Resync`], so every
//!   subscriber re-reads what it may have missed meanwhile.
//!
//! Notices: a session's log grew ([`Notice::Committed`]: every process hosting that session's
//! room catches up from the event log; a removed participant is an event in that log, so this
//! notice also closes their websockets everywhere), a web session ended ([`Notice::SignedOut`]:
//! close its websockets everywhere), and the archive changed ([`Notice::ArchiveChanged`]: search
//! indexes refresh).

mod in_process;
mod postgres;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

pub use in_process::InProcessFeed;
pub use postgres::{PgFeed, CHANNEL};

use crate::config::DatabaseConfig;
use crate::shutdown::Shutdown;

/// Notices a subscriber may fall behind by before it gets `Lagged` (and should resync).
pub const SUBSCRIBER_BACKLOG: usize = 4096;

/// One change, by id: what to re-read, never what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum Notice {
    /// A session's event log now reaches `seq`.
    Committed { session: String, seq: u64 },
    /// A web session ended (sign-out): its websockets close; see `live::SignOuts`.
    SignedOut { user_id: i64, session_id_hash: String },
    /// The precedent archive changed (its generation grew).
    ArchiveChanged,
}

/// What a subscriber receives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedEvent {
    Notice(Notice),
    /// Notices may have been missed (the listener reconnected): re-read everything followed.
    Resync,
}

/// Publish and subscribe. Publishing never waits and never fails the caller: the change is
/// committed already, and a notice that cannot be sent is made up for by the next resync.
/// The next event of a feed subscription, or `None` once `stop` is cancelled: the loop head of
/// every follower of the feed.
pub async fn next_until(
    rx: &mut broadcast::Receiver<FeedEvent>,
    stop: &tokio_util::sync::CancellationToken,
) -> Option<Result<FeedEvent, broadcast::error::RecvError>> {
    tokio::select! {
        e = rx.recv() => Some(e),
        () = stop.cancelled() => None,
    }
}

pub trait Feed: Send + Sync + 'static {
    /// Announces `notice` to every subscriber in every process (this one included).
    fn publish(&self, notice: Notice);
    /// Announces `notice` to the other processes only. For a room's commits: a room is the
    /// only follower of its session in its process, so telling this process would only wake
    /// the feed's follower and the room itself for nothing.
    fn publish_to_others(&self, notice: Notice);
    /// Every notice from now on. A receiver that lags gets `Lagged`: treat it as a resync.
    fn subscribe(&self) -> broadcast::Receiver<FeedEvent>;
    /// Whether notices reach this process right now from every writer of the database.
    /// False for the in-process feed (another process — the CLI — may write a SQLite file) and
    /// for PostgreSQL while the listener is disconnected: then readers check the store.
    fn sees_every_writer(&self) -> bool;
}

pub type DynFeed = Arc<dyn Feed>;

/// The feed that fits the configured database.
pub async fn connect(database: &DatabaseConfig, shutdown: &Shutdown) -> anyhow::Result<DynFeed> {
    Ok(match database {
        DatabaseConfig::Sqlite { .. } => Arc::new(InProcessFeed::new()),
        DatabaseConfig::Postgres { url } => Arc::new(PgFeed::connect(url, shutdown).await?),
    })
}
