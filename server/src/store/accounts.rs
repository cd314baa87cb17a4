//! The store side of accounts: web sessions, one-time account tokens (set-up links and
//! invites), failed sign-ins and the audit log. A supertrait of `Store`, implemented for both
//! backends by `accounts_store!` (invoked in `sqlite.rs` and `postgres.rs`), so this feature's
//! queries live in one file.
//!
//! The backend module must define `begin_write(&self)` (a transaction holding the write lock)
//! and pass `LOCK_AUDIT_HEAD`: the query that reads `audit_head` and, on PostgreSQL, locks its
//! row (`FOR UPDATE`) so concurrent appends are serialised and the hash chain never forks. On
//! SQLite, `BEGIN IMMEDIATE` already holds the database's write lock.

use async_trait::async_trait;

use super::model::{User, UserRole};
use super::Result;
use crate::domain::audit::head::Head;
use crate::domain::audit::{AuditEntry, AuditFact};

/// A signed-in browser, as stored (the cookie's id only as its hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSession {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_addr: String,
}

/// Which one-time link an account token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountTokenKind {
    /// Sets the password of an existing user (the first admin, `beraad admin create --setup-link`).
    Setup,
    /// Makes a new user in an organisation.
    Invite,
}

impl AccountTokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Setup => "setup",
            Self::Invite => "invite",
        }
    }
}

/// A one-time link before it is stored.
#[derive(Clone, Debug)]
pub struct NewAccountToken {
    pub token_hash: String,
    pub kind: AccountTokenKind,
    pub organisation_id: i64,
    /// Setup: whose password is set.
    pub user_id: Option<i64>,
    /// Invite: the address, role and (optional) team of the new user.
    pub email: Option<String>,
    pub role: Option<UserRole>,
    pub team_id: Option<i64>,
    pub created_by: Option<i64>,
    pub now_ms: i64,
    pub expires_at_ms: i64,
}

/// A pending (unused, unexpired) invite, for the admin page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingInvite {
    pub email: String,
    pub role: UserRole,
    pub team_id: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// What an unused, unexpired token holds (shown before it is used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountToken {
    pub kind: AccountTokenKind,
    pub organisation_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub role: Option<UserRole>,
    pub team_id: Option<i64>,
    pub expires_at: i64,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    // --- users -------------------------------------------------------------------------------
    async fn user(&self, id: i64) -> Result<Option<User>>;
    async fn users_of_organisation(&self, organisation_id: i64) -> Result<Vec<User>>;
    async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()>;
    /// Changes a user's role; `NotFound` when the user is not in that organisation.
    async fn set_user_role(&self, organisation_id: i64, user_id: i64, role: UserRole) -> Result<()>;

    // --- web sessions ------------------------------------------------------------------------
    async fn create_web_session(&self, session: &WebSession) -> Result<()>;
    async fn web_session(&self, id_hash: &str) -> Result<Option<WebSession>>;
    async fn touch_web_session(&self, id_hash: &str, now_ms: i64) -> Result<()>;
    /// Ends a session; true when there was one.
    async fn delete_web_session(&self, id_hash: &str) -> Result<bool>;
    /// Deletes sessions created before `created_before` or unused since `seen_before`.
    async fn delete_expired_web_sessions(&self, created_before: i64, seen_before: i64) -> Result<u64>;

    // --- one-time account tokens -------------------------------------------------------------
    async fn create_account_token(&self, token: &NewAccountToken) -> Result<()>;
    /// The token if it is of `kind`, unused and not expired at `now_ms`.
    async fn account_token(
        &self,
        token_hash: &str,
        kind: AccountTokenKind,
        now_ms: i64,
    ) -> Result<Option<AccountToken>>;
    /// Uses an invite: marks it used and creates its user (and team membership) in one
    /// transaction. `None` when the invite is unknown, used or expired; `AlreadyExists` when
    /// the address has an account already.
    async fn accept_invite(
        &self,
        token_hash: &str,
        display_name: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>>;
    /// Uses a set-up link: marks it used and sets the user's password, in one transaction.
    async fn complete_setup(
        &self,
        token_hash: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<User>>;
    async fn pending_invites(&self, organisation_id: i64, now_ms: i64) -> Result<Vec<PendingInvite>>;

    // --- failed sign-ins ---------------------------------------------------------------------
    async fn record_sign_in_failure(&self, account: &str, client_addr: &str, now_ms: i64) -> Result<()>;
    /// Failures since `since_ms` for the account and for the address.
    async fn sign_in_failures_since(
        &self,
        account: &str,
        client_addr: &str,
        since_ms: i64,
    ) -> Result<(i64, i64)>;
    /// Forgets an account's failures (after a successful sign-in).
    async fn clear_sign_in_failures(&self, account: &str) -> Result<()>;

    // --- audit log ---------------------------------------------------------------------------
    /// Appends one fact, chained to the newest entry under a lock (see the module note).
    async fn append_audit(&self, fact: &AuditFact) -> Result<AuditEntry>;
    /// The whole log, oldest first (for verification).
    async fn audit_log(&self) -> Result<Vec<AuditEntry>>;
    /// The newest `limit` entries, newest first.
    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>>;
    /// The seq and hash recorded beside the log.
    async fn audit_head(&self) -> Result<Head>;
}

#[derive(sqlx::FromRow)]
pub(super) struct WebSessionRaw {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_addr: String,
}

impl From<WebSessionRaw> for WebSession {
    fn from(r: WebSessionRaw) -> Self {
        WebSession {
            id_hash: r.id_hash,
            user_id: r.user_id,
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            client_addr: r.client_addr,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AccountTokenRaw {
    pub kind: String,
    pub organisation_id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub team_id: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
}

impl From<AccountTokenRaw> for AccountToken {
    fn from(r: AccountTokenRaw) -> Self {
        AccountToken {
            kind: if r.kind == "setup" { AccountTokenKind::Setup } else { AccountTokenKind::Invite },
            organisation_id: r.organisation_id,
            user_id: r.user_id,
            email: r.email,
            role: r.role.as_deref().and_then(UserRole::parse),
            team_id: r.team_id,
            expires_at: r.expires_at,
        }
    }
}

pub(super) const ACCOUNT_TOKEN_COLUMNS: &str =
    "kind, organisation_id, user_id, email, role, team_id, created_at, expires_at";
pub(super) const WEB_SESSION_COLUMNS: &str =
    "id_hash, user_id, csrf_token, created_at, last_seen_at, client_addr";
pub(super) const AUDIT_COLUMNS: &str = "seq, at, actor, action, target, result, client_addr, prev_hash, hash";

#[derive(sqlx::FromRow)]
pub(super) struct AuditRaw {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub result: String,
    pub client_addr: String,
    pub prev_hash: String,
    pub hash: String,
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

/// Implements `AccountStore` for `$store` (database `$db`); `$lock_audit_head` reads (and on
/// PostgreSQL locks) the audit head row.
macro_rules! accounts_store {
    ($store:ty, $db:ty, $lock_audit_head:expr) => {
        #[async_trait::async_trait]
        impl $crate::store::accounts::AccountStore for $store {
            async fn user(&self, id: i64) -> Result<Option<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
                let raw: Option<UserRaw> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
                raw.map(TryInto::try_into).transpose()
            }

            async fn users_of_organisation(&self, organisation_id: i64) -> Result<Vec<User>> {
                let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY email");
                let raws: Vec<UserRaw> = sqlx::query_as(&sql).bind(organisation_id).fetch_all(&self.pool).await?;
                raws.into_iter().map(TryInto::try_into).collect()
            }

            async fn set_password_hash(&self, user_id: i64, password_hash: &str) -> Result<()> {
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_user_role(&self, organisation_id: i64, user_id: i64, role: UserRole) -> Result<()> {
                let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2 AND organisation_id = $3")
                    .bind(role.as_str())
                    .bind(user_id)
                    .bind(organisation_id)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound(format!("user {user_id}")));
                }
                Ok(())
            }

            async fn create_web_session(&self, s: &$crate::store::accounts::WebSession) -> Result<()> {
                sqlx::query(
                    "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, client_addr) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&s.id_hash)
                .bind(s.user_id)
                .bind(&s.csrf_token)
                .bind(s.created_at)
                .bind(s.last_seen_at)
                .bind(&s.client_addr)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn web_session(&self, id_hash: &str) -> Result<Option<$crate::store::accounts::WebSession>> {
                let sql = format!(
                    "SELECT {} FROM web_sessions WHERE id_hash = $1",
                    $crate::store::accounts::WEB_SESSION_COLUMNS
                );
                let raw: Option<$crate::store::accounts::WebSessionRaw> =
                    sqlx::query_as(&sql).bind(id_hash).fetch_optional(&self.pool).await?;
                Ok(raw.map(Into::into))
            }

            async fn touch_web_session(&self, id_hash: &str, now_ms: i64) -> Result<()> {
                sqlx::query("UPDATE web_sessions SET last_seen_at = $1 WHERE id_hash = $2")
                    .bind(now_ms)
                    .bind(id_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_web_session(&self, id_hash: &str) -> Result<bool> {
                let done =
                    sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1").bind(id_hash).execute(&self.pool).await?;
                Ok(done.rows_affected() > 0)
            }

            async fn delete_expired_web_sessions(&self, created_before: i64, seen_before: i64) -> Result<u64> {
                let done = sqlx::query("DELETE FROM web_sessions WHERE created_at < $1 OR last_seen_at < $2")
                    .bind(created_before)
                    .bind(seen_before)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn create_account_token(&self, t: &$crate::store::accounts::NewAccountToken) -> Result<()> {
                sqlx::query(
                    "INSERT INTO account_tokens (token_hash, kind, organisation_id, user_id, email, role, team_id, \
                     created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&t.token_hash)
                .bind(t.kind.as_str())
                .bind(t.organisation_id)
                .bind(t.user_id)
                .bind(t.email.as_ref().map(|e| e.to_lowercase()))
                .bind(t.role.map(UserRole::as_str))
                .bind(t.team_id)
                .bind(t.created_by)
                .bind(t.now_ms)
                .bind(t.expires_at_ms)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn account_token(
                &self,
                token_hash: &str,
                kind: $crate::store::accounts::AccountTokenKind,
                now_ms: i64,
            ) -> Result<Option<$crate::store::accounts::AccountToken>> {
                let sql = format!(
                    "SELECT {} FROM account_tokens WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL \
                     AND expires_at > $3",
                    $crate::store::accounts::ACCOUNT_TOKEN_COLUMNS
                );
                let raw: Option<$crate::store::accounts::AccountTokenRaw> = sqlx::query_as(&sql)
                    .bind(token_hash)
                    .bind(kind.as_str())
                    .bind(now_ms)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(raw.map(Into::into))
            }

            async fn accept_invite(
                &self,
                token_hash: &str,
                display_name: &str,
                password_hash: &str,
                now_ms: i64,
            ) -> Result<Option<User>> {
                let mut tx = self.begin_write().await?;
                let sql = format!(
                    "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'invite' \
                     AND used_at IS NULL AND expires_at > $1 RETURNING {}",
                    $crate::store::accounts::ACCOUNT_TOKEN_COLUMNS
                );
                let raw: Option<$crate::store::accounts::AccountTokenRaw> =
                    sqlx::query_as(&sql).bind(now_ms).bind(token_hash).fetch_optional(&mut *tx).await?;
                let Some(raw) = raw else { return Ok(None) };
                let (Some(email), Some(role)) = (raw.email.clone(), raw.role.clone()) else {
                    return Err(StoreError::Corrupt("an invite without address or role".into()));
                };
                let sql = format!(
                    "INSERT INTO users (organisation_id, email, display_name, role, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
                );
                let user: UserRaw = sqlx::query_as(&sql)
                    .bind(raw.organisation_id)
                    .bind(email.to_lowercase())
                    .bind(display_name)
                    .bind(role)
                    .bind(password_hash)
                    .bind(now_ms)
                    .fetch_one(&mut *tx)
                    .await?;
                let user: User = user.try_into()?;
                if let Some(team_id) = raw.team_id {
                    sqlx::query("INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3)")
                        .bind(team_id)
                        .bind(user.id)
                        .bind(now_ms)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(Some(user))
            }

            async fn complete_setup(&self, token_hash: &str, password_hash: &str, now_ms: i64) -> Result<Option<User>> {
                let mut tx = self.begin_write().await?;
                let user_id: Option<Option<i64>> = sqlx::query_scalar(
                    "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND kind = 'setup' \
                     AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
                )
                .bind(now_ms)
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(Some(user_id)) = user_id else { return Ok(None) };
                let sql = format!("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING {USER_COLUMNS}");
                let user: Option<UserRaw> =
                    sqlx::query_as(&sql).bind(password_hash).bind(user_id).fetch_optional(&mut *tx).await?;
                let Some(user) = user else { return Ok(None) };
                tx.commit().await?;
                user.try_into().map(Some)
            }

            async fn pending_invites(
                &self,
                organisation_id: i64,
                now_ms: i64,
            ) -> Result<Vec<$crate::store::accounts::PendingInvite>> {
                let sql = format!(
                    "SELECT {} FROM account_tokens WHERE organisation_id = $1 AND kind = 'invite' \
                     AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
                    $crate::store::accounts::ACCOUNT_TOKEN_COLUMNS
                );
                let raws: Vec<$crate::store::accounts::AccountTokenRaw> =
                    sqlx::query_as(&sql).bind(organisation_id).bind(now_ms).fetch_all(&self.pool).await?;
                Ok(raws
                    .into_iter()
                    .filter_map(|r| {
                        Some($crate::store::accounts::PendingInvite {
                            email: r.email?,
                            role: UserRole::parse(r.role.as_deref()?)?,
                            team_id: r.team_id,
                            created_at: r.created_at,
                            expires_at: r.expires_at,
                        })
                    })
                    .collect())
            }

            async fn record_sign_in_failure(&self, account: &str, client_addr: &str, now_ms: i64) -> Result<()> {
                sqlx::query("INSERT INTO sign_in_failures (account, client_addr, at) VALUES ($1, $2, $3)")
                    .bind(account.to_lowercase())
                    .bind(client_addr)
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await?;
                // Old failures no longer count; drop them now and then.
                sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
                    .bind(now_ms - 24 * 60 * 60 * 1000)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn sign_in_failures_since(
                &self,
                account: &str,
                client_addr: &str,
                since_ms: i64,
            ) -> Result<(i64, i64)> {
                let by_account: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE account = $1 AND at >= $2")
                        .bind(account.to_lowercase())
                        .bind(since_ms)
                        .fetch_one(&self.pool)
                        .await?;
                let by_address: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE client_addr = $1 AND at >= $2")
                        .bind(client_addr)
                        .bind(since_ms)
                        .fetch_one(&self.pool)
                        .await?;
                Ok((by_account, by_address))
            }

            async fn clear_sign_in_failures(&self, account: &str) -> Result<()> {
                sqlx::query("DELETE FROM sign_in_failures WHERE account = $1")
                    .bind(account.to_lowercase())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn append_audit(&self, fact: &$crate::domain::audit::AuditFact) -> Result<$crate::domain::audit::AuditEntry> {
                use $crate::domain::audit::{chain, AuditEntry};
                let mut tx = self.begin_write().await?;
                let (seq, hash): (i64, String) = sqlx::query_as($lock_audit_head).fetch_one(&mut *tx).await?;
                // Only seq and hash of the previous entry matter to the chain.
                let prev = (seq > 0).then(|| AuditEntry {
                    seq: seq as u64,
                    fact: fact.clone(),
                    prev_hash: String::new(),
                    hash,
                });
                let entry = chain(prev.as_ref(), fact.clone());
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor, action, target, result, client_addr, prev_hash, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(entry.seq as i64)
                .bind(entry.fact.at_ms)
                .bind(&entry.fact.actor)
                .bind(&entry.fact.action)
                .bind(&entry.fact.subject)
                .bind(&entry.fact.result)
                .bind(&entry.fact.origin)
                .bind(&entry.prev_hash)
                .bind(&entry.hash)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                    .bind(entry.seq as i64)
                    .bind(&entry.hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(entry)
            }

            async fn audit_log(&self) -> Result<Vec<$crate::domain::audit::AuditEntry>> {
                let sql = format!("SELECT {} FROM audit_log ORDER BY seq", $crate::store::accounts::AUDIT_COLUMNS);
                let raws: Vec<$crate::store::accounts::AuditRaw> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
                Ok(raws.into_iter().map(Into::into).collect())
            }

            async fn recent_audit(&self, limit: i64) -> Result<Vec<$crate::domain::audit::AuditEntry>> {
                let sql = format!(
                    "SELECT {} FROM audit_log ORDER BY seq DESC LIMIT $1",
                    $crate::store::accounts::AUDIT_COLUMNS
                );
                let raws: Vec<$crate::store::accounts::AuditRaw> =
                    sqlx::query_as(&sql).bind(limit).fetch_all(&self.pool).await?;
                Ok(raws.into_iter().map(Into::into).collect())
            }

            async fn audit_head(&self) -> Result<$crate::domain::audit::head::Head> {
                let (seq, hash): (i64, String) =
                    sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
                Ok($crate::domain::audit::head::Head { seq: seq as u64, hash })
            }
        }
    };
}
pub(super) use accounts_store;
