//! The feed across processes on one PostgreSQL: `NOTIFY` on one channel, one `LISTEN`ing
//! connection per process.
//!
//! PostgreSQL delivers a notification at commit, folds identical payloads within a transaction,
//! caps payloads at 8000 bytes and drops whatever is sent while a listener is disconnected. So
//! notices carry ids and seqs only (readers re-read the tables), a notice is delivered to this
//! process's subscribers directly (not through the database, so it does not wait for the
//! listener and is not lost with it) and the echo from the database is ignored, and after a lost
//! listener connection is re-established every subscriber gets [`FeedEvent::Resync`].
//! The archive's notice comes from a trigger (migration 0009), so every writer — another
//! server or a CLI import — announces it.
//!
//! A room's commit is announced after it committed, by a transaction of the feed's own (a
//! batch of notices per statement, `send_loop`), not from inside the append's transaction.
//! PostgreSQL serialises the commits of every transaction that notifies (each takes one lock on
//! the notification queue and holds it through its WAL flush), and signalling the listeners is
//! part of the commit the writer waits for: a `NOTIFY` in every append (tried as a trigger on
//! the session's `last_seq`, issue 16) lined up the commits PostgreSQL otherwise flushes
//! together and slowed every acknowledgement, on one server as on three (`pgbench`, 16 writers
//! of small transactions: 2,350 commits a second without a `NOTIFY` in them, 930 with one;
//! figures in `docs/benchmarks.md`). The feed's own transactions commit with
//! `synchronous_commit = off`: they write nothing but the notification, so PostgreSQL delivers
//! it without waiting for a WAL flush (in a burst, one queued behind the appends' own flushes).
//! A crash can lose such a notification only together with the listeners' connections, and
//! every listener resyncs when it reconnects.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use tokio::sync::{broadcast, mpsc};

use super::{Feed, FeedEvent, Notice, SUBSCRIBER_BACKLOG};
use crate::config::redact;
use crate::shutdown::Shutdown;

/// The `LISTEN/NOTIFY` channel.
pub const CHANNEL: &str = "beraad_feed";
/// Notices waiting to be sent to the database; beyond it they are dropped (and logged): the
/// other processes then see that change at their next notice or resync for that session.
const OUTGOING: usize = 8192;
/// Notices sent in one statement.
const BATCH: usize = 256;
/// The longest wait between attempts to reconnect the listener.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// A notice as sent through the database: with the sending process, so it can skip its echo.
/// The archive trigger sends no origin (0): every process takes it.
#[derive(Serialize, Deserialize)]
struct Wire {
    #[serde(default)]
    o: u64,
    #[serde(flatten)]
    n: Notice,
}

pub struct PgFeed {
    origin: u64,
    local: broadcast::Sender<FeedEvent>,
    outgoing: mpsc::Sender<Notice>,
    listening: Arc<AtomicBool>,
}

impl PgFeed {
    /// Connects the listener (and a small pool to send notices) and follows until shutdown.
    pub async fn connect(url: &str, shutdown: &Shutdown) -> anyhow::Result<Self> {
        let origin = rand::random::<u64>() | 1;
        let (local, _) = broadcast::channel(SUBSCRIBER_BACKLOG);
        let listener = listen(url)
            .await
            .with_context(|| format!("cannot listen for notifications on {}", redact(url)))?;
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(sending(url)?)
            .await
            .with_context(|| format!("cannot connect to PostgreSQL at {}", redact(url)))?;
        let listening = Arc::new(AtomicBool::new(true));
        let (outgoing, queued) = mpsc::channel(OUTGOING);
        let token = shutdown.token.clone();
        tokio::spawn(send_loop(pool, origin, queued, token.clone()));
        tokio::spawn(listen_loop(url.to_owned(), listener, origin, local.clone(), listening.clone(), token));
        Ok(PgFeed { origin, local, outgoing, listening })
    }

    /// This process's id in the notices it sends.
    pub fn origin(&self) -> u64 {
        self.origin
    }
}

impl Feed for PgFeed {
    fn publish(&self, notice: Notice) {
        let _ = self.local.send(FeedEvent::Notice(notice.clone()));
        self.publish_to_others(notice);
    }

    fn publish_to_others(&self, notice: Notice) {
        if let Err(e) = self.outgoing.try_send(notice) {
            tracing::warn!(error = %e, "change feed: a notice for other processes was dropped");
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<FeedEvent> {
        self.local.subscribe()
    }

    fn sees_every_writer(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }
}

/// The connections that send notices: `url`'s, committing without waiting for the WAL flush
/// (see the module's notes).
fn sending(url: &str) -> anyhow::Result<PgConnectOptions> {
    let options = PgConnectOptions::from_str(url)
        .with_context(|| format!("cannot read the PostgreSQL address {}", redact(url)))?;
    Ok(options.options([("synchronous_commit", "off")]))
}

async fn listen(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Sends queued notices, a batch per statement, in the order they were published.
async fn send_loop(
    pool: PgPool,
    origin: u64,
    mut queued: mpsc::Receiver<Notice>,
    token: tokio_util::sync::CancellationToken,
) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let n = tokio::select! {
            n = queued.recv_many(&mut batch, BATCH) => n,
            () = token.cancelled() => 0,
        };
        if n == 0 {
            break;
        }
        let payloads: Vec<String> = batch
            .drain(..)
            .map(|n| serde_json::to_string(&Wire { o: origin, n }).expect("notices serialise"))
            .collect();
        let sent = sqlx::query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p")
            .bind(CHANNEL)
            .bind(&payloads)
            .execute(&pool)
            .await;
        if let Err(e) = sent {
            // The other processes catch up at their next notice for that session or at their
            // listener's resync (a database that refuses this has dropped their listeners too).
            tracing::warn!(error = %e, notices = payloads.len(), "change feed: cannot send notices");
        }
    }
    pool.close().await;
}

/// Receives notices until shutdown; reconnects a lost listener and then announces a resync.
async fn listen_loop(
    url: String,
    mut listener: PgListener,
    origin: u64,
    local: broadcast::Sender<FeedEvent>,
    listening: Arc<AtomicBool>,
    token: tokio_util::sync::CancellationToken,
) {
    loop {
        loop {
            let received = tokio::select! {
                r = listener.try_recv() => r,
                () = token.cancelled() => return,
            };
            match received {
                Ok(Some(n)) => match serde_json::from_str::<Wire>(n.payload()) {
                    Ok(wire) if wire.o != origin => {
                        let _ = local.send(FeedEvent::Notice(wire.n));
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "change feed: a notification did not parse"),
                },
                Ok(None) => {
                    tracing::warn!("change feed: the listener's connection was lost; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "change feed: the listener failed; reconnecting");
                    break;
                }
            }
        }
        listening.store(false, Ordering::Release);
        let mut backoff = Duration::from_millis(100);
        listener = loop {
            let attempt = tokio::select! {
                r = listen(&url) => r,
                () = token.cancelled() => return,
            };
            match attempt {
                Ok(l) => break l,
                Err(e) => {
                    tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "change feed: cannot reconnect the listener");
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {},
                        () = token.cancelled() => return,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        };
        listening.store(true, Ordering::Release);
        tracing::info!("change feed: listening again; every follower resyncs");
        let _ = local.send(FeedEvent::Resync);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_sent_without_waiting_for_the_flush_and_with_the_urls_own_options() {
        let options = sending("postgres://u@db:5432/beraad?options=-c%20statement_timeout%3D5s").unwrap();
        let set = options.get_options().unwrap_or_default();
        assert!(set.contains("synchronous_commit=off"), "{set}");
        assert!(set.contains("statement_timeout=5s"), "{set}");
        assert_eq!((options.get_host(), options.get_database()), ("db", Some("beraad")));
    }

    #[test]
    fn the_archive_trigger_payload_parses_without_an_origin() {
        let wire: Wire = serde_json::from_str(r#"{"k":"archive_changed"}"#).unwrap();
        assert_eq!((wire.o, wire.n), (0, Notice::ArchiveChanged));
        let sent =
            serde_json::to_string(&Wire { o: 7, n: Notice::Committed { session: "s".into(), seq: 3 } })
                .unwrap();
        let back: Wire = serde_json::from_str(&sent).unwrap();
        assert_eq!((back.o, back.n), (7, Notice::Committed { session: "s".into(), seq: 3 }));
    }
}
