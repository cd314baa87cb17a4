//! Group commit for SQLite. SQLite has one writer at a time and, with `synchronous=FULL`, every
//! commit waits for an fsync; when many sessions write at the same moment they would queue for
//! one fsync each. Instead one writer task takes every append waiting, runs each in its own
//! savepoint inside one `BEGIN IMMEDIATE` transaction, commits once, and only then answers each
//! caller — so an acknowledgement still means "on disk".

use sqlx::{Connection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::model::{Append, AppendOutcome};
use super::sqlite::SqliteStore;
use super::{Result, StoreError};

/// Most appends in one transaction.
const MAX_BATCH: usize = 128;
/// Appends waiting for the writer.
const QUEUE: usize = 4096;

type Job = (Append, oneshot::Sender<Result<AppendOutcome>>);

pub struct GroupCommit {
    tx: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer task; it ends when the store is dropped.
    pub fn start(pool: SqlitePool) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(writer(pool, rx));
        GroupCommit { tx }
    }

    pub async fn append(&self, append: Append) -> Result<AppendOutcome> {
        let (reply, answer) = oneshot::channel();
        self.tx.send((append, reply)).await.map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}

fn closed() -> StoreError {
    StoreError::Unavailable { context: "the store is closed".into(), source: sqlx::Error::PoolClosed }
}

async fn writer(pool: SqlitePool, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let results = run_batch(&pool, &batch).await;
        for ((_, reply), result) in batch.drain(..).zip(results) {
            let _ = reply.send(result);
        }
    }
}

/// One transaction for the whole batch; each append in a savepoint, so one that fails leaves
/// the others intact. If the commit fails, every append in the batch fails: none was acknowledged.
async fn run_batch(pool: &SqlitePool, batch: &[Job]) -> Vec<Result<AppendOutcome>> {
    let mut tx = match pool.begin_with("BEGIN IMMEDIATE").await {
        Ok(tx) => tx,
        Err(e) => return batch.iter().map(|_| Err(StoreError::from(copy(&e)))).collect(),
    };
    let mut results = Vec::with_capacity(batch.len());
    for (append, _) in batch {
        let result = match tx.begin().await {
            Ok(mut savepoint) => match SqliteStore::append_in_tx(&mut savepoint, append).await {
                Ok(outcome) => savepoint.commit().await.map(|()| outcome).map_err(StoreError::from),
                Err(e) => Err(e), // dropping the savepoint rolls it back
            },
            Err(e) => Err(StoreError::from(e)),
        };
        results.push(result);
    }
    match tx.commit().await {
        Ok(()) => results,
        Err(e) => batch.iter().map(|_| Err(StoreError::from(copy(&e)))).collect(),
    }
}

/// `sqlx::Error` is not `Clone`; every caller of a failed batch gets an equivalent error.
fn copy(e: &sqlx::Error) -> sqlx::Error {
    match e {
        sqlx::Error::PoolClosed => sqlx::Error::PoolClosed,
        sqlx::Error::PoolTimedOut => sqlx::Error::PoolTimedOut,
        other => sqlx::Error::Protocol(other.to_string()),
    }
}
