//! The audit log: facts about who did what, each chained to the one before by its hash. An
//! append reads the head under a lock (`Backend::LOCK_AUDIT_HEAD`; SQLite's `BEGIN IMMEDIATE`
//! holds the database's write lock already), so concurrent appends queue and the chain never
//! forks.

use async_trait::async_trait;

use super::backend::{Backend, SqlStore};
use super::Result;
use crate::domain::audit::head::Head;
use crate::domain::audit::{chain, AuditEntry, AuditFact};

#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends one fact, chained to the newest entry under a lock (see the module note).
    async fn append_audit(&self, fact: &AuditFact) -> Result<AuditEntry>;
    /// The whole log, oldest first (for verification).
    async fn audit_log(&self) -> Result<Vec<AuditEntry>>;
    /// The newest `limit` entries, newest first.
    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>>;
    /// The seq and hash recorded beside the log.
    async fn audit_head(&self) -> Result<Head>;
}

pub(super) const AUDIT_COLUMNS: &str = "seq, at, actor, action, target, result, client_addr, prev_hash, hash";

#[async_trait]
impl<DB: Backend> AuditLog for SqlStore<DB> {
    async fn append_audit(&self, fact: &AuditFact) -> Result<AuditEntry> {
        let mut tx = self.begin_write().await?;
        let (seq, hash): (i64, String) = DB::fetch_one(&mut *tx, DB::LOCK_AUDIT_HEAD, &[]).await?;
        // Only seq and hash of the previous entry matter to the chain.
        let prev = (seq > 0).then(|| AuditEntry {
            seq: seq as u64,
            fact: fact.clone(),
            prev_hash: String::new(),
            hash,
        });
        let entry = chain(prev.as_ref(), fact.clone());
        append_entry::<DB>(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(entry)
    }

    async fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        let sql = format!("SELECT {} FROM audit_log ORDER BY seq", AUDIT_COLUMNS);
        let raws: Vec<AuditRaw> = DB::fetch_all(&self.pool, &sql, &[]).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let sql = format!("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT $1", AUDIT_COLUMNS);
        let raws: Vec<AuditRaw> = DB::fetch_all(&self.pool, &sql, &[limit.into()]).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn audit_head(&self) -> Result<Head> {
        let sql = "SELECT seq, hash FROM audit_head WHERE id = 1";
        let (seq, hash): (i64, String) = DB::fetch_one(&self.pool, sql, &[]).await?;
        Ok(Head { seq: seq as u64, hash })
    }
}

/// Writes `entry` at the end of the audit log and makes it the head, inside the caller's
/// transaction (which holds `LOCK_AUDIT_HEAD`).
pub(super) async fn append_entry<DB: Backend>(conn: &mut DB::Connection, entry: &AuditEntry) -> Result<()> {
    let sql = "INSERT INTO audit_log (seq, at, actor, action, target, result, client_addr, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    DB::execute(
        &mut *conn,
        sql,
        &[
            (entry.seq as i64).into(),
            entry.fact.at_ms.into(),
            (&entry.fact.actor).into(),
            (&entry.fact.action).into(),
            (&entry.fact.subject).into(),
            (&entry.fact.result).into(),
            (&entry.fact.origin).into(),
            (&entry.prev_hash).into(),
            (&entry.hash).into(),
        ],
    )
    .await?;
    let sql = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
    DB::execute(&mut *conn, sql, &[(entry.seq as i64).into(), (&entry.hash).into()]).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(super) struct AuditRaw {
    seq: i64,
    at: i64,
    actor: String,
    action: String,
    target: String,
    result: String,
    client_addr: String,
    prev_hash: String,
    hash: String,
}

impl From<AuditRaw> for AuditEntry {
    fn from(r: AuditRaw) -> Self {
        AuditEntry {
            seq: r.seq as u64,
            fact: AuditFact {
                at_ms: r.at,
                actor: r.actor,
                action: r.action,
                subject: r.target,
                result: r.result,
                origin: r.client_addr,
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}
