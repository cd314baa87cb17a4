//! Retention and erasure (AVG; docs/privacy.md):
//! - the daily job's claim (one process per day runs it, `retention_runs`);
//! - removing an expired session's content: its events keep their seq and kind (the log stays
//!   gap-free) but their payload becomes `{"redacted": true}`; its title, anonymisation review,
//!   tokens, invites, link notes and never-adopted drafts go; adopted precedents stay;
//! - erasing a person's account: name and e-mail removed, sign-in impossible, their name in
//!   session logs blanked (their contributions stay, shown as "former participant");
//! - reading what the store holds about a person (an access request, `beraad export-person`);
//! - moving e-mail addresses out of audit entries written before the chain kept them out.

use async_trait::async_trait;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::audit::{append_entry, AuditRaw, AUDIT_COLUMNS};
use super::backend::{Backend, SqlStore};
use super::rows::SessionRaw;
use super::sql::{ORGANISATION_COLUMNS, SESSION_COLUMNS};
use super::{Organisation, Result, SessionRow, User};
use crate::domain::audit::{entry_hash, AuditEntry, AuditFact};
use crate::domain::retention::Removed;

/// What erasing an account changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Erased {
    /// Join events whose display name was blanked.
    pub names: u64,
    /// Signed-in browsers ended.
    pub web_sessions: u64,
    /// Team memberships removed.
    pub memberships: u64,
}

/// A session a person took part in or created.
#[derive(Clone, Debug, Serialize)]
pub struct PersonSession {
    pub id: String,
    pub title: String,
    pub status: String,
    pub created_at: i64,
    pub created_by_them: bool,
    pub content_removed_at: Option<i64>,
}

/// One event a person caused in a session (a contribution, their joining).
#[derive(Clone, Debug, Serialize)]
pub struct PersonEvent {
    pub session_id: String,
    pub seq: i64,
    pub kind: String,
    pub at: i64,
    pub payload: Value,
}

/// A signed-in browser of the person.
#[derive(Clone, Debug, Serialize)]
pub struct PersonWebSession {
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_addr: String,
}

/// An invite sent to the person's address.
#[derive(Clone, Debug, Serialize)]
pub struct PersonInvite {
    pub kind: String,
    pub role: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Everything the store holds about one person, except their audit entries (see
/// [`Retention::audit_about`]) and the organisation and teams (read through `Accounts`).
#[derive(Clone, Debug, Serialize)]
pub struct PersonData {
    pub sessions: Vec<PersonSession>,
    pub events: Vec<PersonEvent>,
    pub web_sessions: Vec<PersonWebSession>,
    pub invites: Vec<PersonInvite>,
}

#[async_trait]
pub trait Retention: Send + Sync {
    /// Every organisation (the job walks them), by id.
    async fn all_organisations(&self) -> Result<Vec<Organisation>>;
    /// Claims the retention job's run for `day` (a local date): true for exactly one caller
    /// per day, in however many processes.
    async fn claim_retention_run(&self, day: &str, now_ms: i64) -> Result<bool>;
    /// Notes that the claimed run of `day` finished.
    async fn finish_retention_run(&self, day: &str, now_ms: i64) -> Result<()>;
    /// Removes the content of the organisation's sessions (and, with `teamless`, of sessions
    /// without a team) that closed before `closed_before`; each session in its own
    /// transaction, each only once (idempotent).
    async fn expire_sessions(
        &self,
        organisation_id: i64,
        teamless: bool,
        closed_before: i64,
        now_ms: i64,
    ) -> Result<Removed>;
    /// Erases an account: `None` when there is no such user or it was erased before.
    /// `sign_in_key` is the key its failed sign-ins are counted under.
    async fn erase_user(&self, user_id: i64, sign_in_key: &str, now_ms: i64) -> Result<Option<Erased>>;
    /// The sessions, events, browsers and invites of a user.
    async fn person_data(&self, user: &User) -> Result<PersonData>;
    /// Audit entries whose actor or target names `user:<id>`, oldest first.
    async fn audit_about(&self, user_id: i64) -> Result<Vec<AuditEntry>>;
    /// Replaces e-mail addresses in audit targets (written before the chain kept them out) by
    /// pseudonyms, re-hashes the chain from the first changed entry and appends an
    /// `audit_resealed` entry naming the previous head. `None` when nothing needed changing.
    async fn pseudonymise_audit(&self, now_ms: i64) -> Result<Option<u64>>;
}

/// The payload every event of an expired session keeps.
pub fn redacted_payload() -> Value {
    json!({ "redacted": true })
}

/// The e-mail column of an erased user (unique, and not an address).
pub fn erased_email(user_id: i64) -> String {
    format!("erased:{user_id}")
}

#[async_trait]
impl<DB: Backend> Retention for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> String: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'a> Option<i64>: Encode<'a, DB>,
    for<'a> Option<String>: Encode<'a, DB>,
    for<'a> Option<&'a str>: Encode<'a, DB>,
    for<'a> Json<&'a Value>: Encode<'a, DB> + Type<DB>,
    for<'a> Json<Value>: Decode<'a, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    async fn all_organisations(&self) -> Result<Vec<Organisation>> {
        let sql = format!("SELECT {ORGANISATION_COLUMNS} FROM organisations ORDER BY id");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    async fn claim_retention_run(&self, day: &str, now_ms: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO retention_runs (day, claimed_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn finish_retention_run(&self, day: &str, now_ms: i64) -> Result<()> {
        sqlx::query("UPDATE retention_runs SET finished_at = $1 WHERE day = $2")
            .bind(now_ms)
            .bind(day)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn expire_sessions(
        &self,
        organisation_id: i64,
        teamless: bool,
        closed_before: i64,
        now_ms: i64,
    ) -> Result<Removed> {
        let mut removed = Removed::default();
        let payload = redacted_payload();
        loop {
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT s.id FROM sessions s LEFT JOIN teams t ON t.id = s.team_id \
                 WHERE s.status = 'closed' AND s.content_removed_at IS NULL AND s.updated_at < $1 \
                 AND (t.organisation_id = $2 OR (s.team_id IS NULL AND $3 = 1)) ORDER BY s.id LIMIT 100",
            )
            .bind(closed_before)
            .bind(organisation_id)
            .bind(i64::from(teamless))
            .fetch_all(&self.pool)
            .await?;
            if ids.is_empty() {
                return Ok(removed);
            }
            for id in &ids {
                let mut tx = self.begin_write().await?;
                // Appends to the session wait for this transaction (and it for them).
                let _: Option<i64> =
                    sqlx::query_scalar(DB::LOCK_SESSION).bind(id).fetch_optional(&mut *tx).await?;
                let marked = sqlx::query(
                    "UPDATE sessions SET title = '', content_removed_at = $1 \
                     WHERE id = $2 AND content_removed_at IS NULL AND status = 'closed'",
                )
                .bind(now_ms)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if DB::rows_affected(&marked) == 0 {
                    // Removed meanwhile by another process.
                    continue;
                }
                let events = sqlx::query("UPDATE session_events SET payload = $1 WHERE session_id = $2")
                    .bind(Json(&payload))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for sql in [
                    "DELETE FROM anonymisation_reviews WHERE session_id = $1",
                    "DELETE FROM session_tokens WHERE session_id = $1",
                    "DELETE FROM session_invites WHERE session_id = $1",
                    "UPDATE session_precedent_links SET note = NULL WHERE session_id = $1",
                ] {
                    sqlx::query(sql).bind(id).execute(&mut *tx).await?;
                }
                let drafts = sqlx::query("DELETE FROM precedents WHERE session_id = $1 AND status = 'draft'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                removed.sessions += 1;
                removed.events += DB::rows_affected(&events);
                removed.drafts += DB::rows_affected(&drafts);
            }
        }
    }

    async fn erase_user(&self, user_id: i64, sign_in_key: &str, now_ms: i64) -> Result<Option<Erased>> {
        let mut tx = self.begin_write().await?;
        let email: Option<String> =
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND erased_at IS NULL")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(email) = email else { return Ok(None) };
        sqlx::query(
            "UPDATE users SET email = $1, display_name = '', password_hash = NULL, \
             disabled_at = COALESCE(disabled_at, $2), erased_at = $2 WHERE id = $3",
        )
        .bind(erased_email(user_id))
        .bind(now_ms)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let web_sessions = sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let memberships = sqlx::query("DELETE FROM team_members WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 OR email = $2")
            .bind(user_id)
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE account = $1")
            .bind(sign_in_key)
            .execute(&mut *tx)
            .await?;
        let participant = format!("u-{user_id}");
        sqlx::query("DELETE FROM session_tokens WHERE participant_id = $1")
            .bind(&participant)
            .execute(&mut *tx)
            .await?;
        // Their name in the sessions they joined: the join events name them.
        let joins: Vec<(String, i64, Json<Value>)> = sqlx::query_as(
            "SELECT session_id, seq, payload FROM session_events \
             WHERE kind = 'participant_joined' AND CAST(payload AS TEXT) LIKE $1",
        )
        .bind(format!("%\"{participant}\"%"))
        .fetch_all(&mut *tx)
        .await?;
        let mut names = 0;
        for (session_id, seq, Json(mut payload)) in joins {
            if payload.get("participant").and_then(Value::as_str) != Some(participant.as_str()) {
                continue;
            }
            payload["display_name"] = json!("");
            sqlx::query("UPDATE session_events SET payload = $1 WHERE session_id = $2 AND seq = $3")
                .bind(Json(&payload))
                .bind(&session_id)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
            names += 1;
        }
        tx.commit().await?;
        Ok(Some(Erased {
            names,
            web_sessions: DB::rows_affected(&web_sessions),
            memberships: DB::rows_affected(&memberships),
        }))
    }

    async fn person_data(&self, user: &User) -> Result<PersonData> {
        let participant = format!("u-{}", user.id);
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE created_by = $1 \
             OR id IN (SELECT DISTINCT session_id FROM session_events WHERE actor = $2) ORDER BY created_at"
        );
        let raws: Vec<SessionRaw> =
            sqlx::query_as(&sql).bind(user.id).bind(&participant).fetch_all(&self.pool).await?;
        let sessions = raws
            .into_iter()
            .map(SessionRow::try_from)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .map(|s| PersonSession {
                created_by_them: s.created_by == Some(user.id),
                id: s.id,
                title: s.title,
                status: s.status.as_str().to_owned(),
                created_at: s.created_at,
                content_removed_at: s.content_removed_at,
            })
            .collect();
        let events: Vec<(String, i64, String, i64, Json<Value>)> = sqlx::query_as(
            "SELECT session_id, seq, kind, created_at, payload FROM session_events \
             WHERE actor = $1 OR (kind = 'participant_joined' AND CAST(payload AS TEXT) LIKE $2) \
             ORDER BY created_at, session_id, seq",
        )
        .bind(&participant)
        .bind(format!("%\"{participant}\"%"))
        .fetch_all(&self.pool)
        .await?;
        let events = events
            .into_iter()
            .filter(|(_, _, kind, _, Json(payload))| {
                // A join event found by text must name them as the one joining.
                kind != "participant_joined"
                    || payload.get("participant").and_then(Value::as_str) == Some(participant.as_str())
            })
            .map(|(session_id, seq, kind, at, Json(payload))| PersonEvent {
                session_id,
                seq,
                kind,
                at,
                payload,
            })
            .collect();
        let web: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT created_at, last_seen_at, client_addr FROM web_sessions WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(user.id)
        .fetch_all(&self.pool)
        .await?;
        let web_sessions = web
            .into_iter()
            .map(|(created_at, last_seen_at, client_addr)| PersonWebSession {
                created_at,
                last_seen_at,
                client_addr,
            })
            .collect();
        let tokens: Vec<(String, Option<String>, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT kind, role, created_at, expires_at, used_at FROM account_tokens \
             WHERE email = $1 OR user_id = $2 ORDER BY created_at",
        )
        .bind(&user.email)
        .bind(user.id)
        .fetch_all(&self.pool)
        .await?;
        let invites = tokens
            .into_iter()
            .map(|(kind, role, created_at, expires_at, used_at)| PersonInvite {
                kind,
                role,
                created_at,
                expires_at,
                used_at,
            })
            .collect();
        Ok(PersonData { sessions, events, web_sessions, invites })
    }

    async fn audit_about(&self, user_id: i64) -> Result<Vec<AuditEntry>> {
        let name = crate::audit::user_actor(user_id);
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE actor = $1 OR target LIKE $2 ORDER BY seq");
        let rows: Vec<AuditRaw> =
            sqlx::query_as(&sql).bind(&name).bind(format!("%{name}%")).fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(AuditEntry::from)
            .filter(|e| e.fact.actor == name || crate::audit::names(&e.fact.subject, &name))
            .collect())
    }

    async fn pseudonymise_audit(&self, now_ms: i64) -> Result<Option<u64>> {
        let mut tx = self.begin_write().await?;
        let (head_seq, head_hash): (i64, String) =
            sqlx::query_as(DB::LOCK_AUDIT_HEAD).fetch_one(&mut *tx).await?;
        let first: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE target LIKE '%@%'")
            .fetch_one(&mut *tx)
            .await?;
        let Some(first) = first else { return Ok(None) };
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq");
        let rows: Vec<AuditRaw> = sqlx::query_as(&sql).bind(first).fetch_all(&mut *tx).await?;
        let entries: Vec<AuditEntry> = rows.into_iter().map(AuditEntry::from).collect();
        let mut prev_hash = entries.first().map(|e| e.prev_hash.clone()).unwrap_or_default();
        let mut changed = 0;
        for mut entry in entries {
            let mut target = Vec::new();
            for word in entry.fact.subject.split(' ') {
                if !word.contains('@') {
                    target.push(word.to_owned());
                    continue;
                }
                let address = word.to_lowercase();
                let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                    .bind(&address)
                    .fetch_optional(&mut *tx)
                    .await?;
                let invite: Option<String> = sqlx::query_scalar(
                    "SELECT token_hash FROM account_tokens WHERE email = $1 ORDER BY created_at DESC LIMIT 1",
                )
                .bind(&address)
                .fetch_optional(&mut *tx)
                .await?;
                target.push(match (user, invite) {
                    (Some(id), _) => crate::audit::user_actor(id),
                    (None, Some(hash)) => crate::audit::invite_ref(&hash),
                    (None, None) => "address-removed".to_owned(),
                });
                changed += 1;
            }
            entry.fact.subject = target.join(" ");
            entry.hash = entry_hash(&prev_hash, entry.seq, &entry.fact);
            sqlx::query("UPDATE audit_log SET target = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
                .bind(&entry.fact.subject)
                .bind(&prev_hash)
                .bind(&entry.hash)
                .bind(entry.seq as i64)
                .execute(&mut *tx)
                .await?;
            prev_hash = entry.hash;
        }
        let fact = AuditFact {
            at_ms: now_ms,
            actor: "system".into(),
            action: crate::audit::action::AUDIT_RESEALED.into(),
            subject: format!("from_seq={first} previous_head={head_seq}:{head_hash} addresses={changed}"),
            result: crate::audit::result::OK.into(),
            origin: "migration".into(),
        };
        let seq = head_seq + 1;
        let hash = entry_hash(&prev_hash, seq as u64, &fact);
        let entry = AuditEntry { seq: seq as u64, fact, prev_hash, hash };
        append_entry::<DB>(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(changed))
    }
}
