//! Single sign-on: people at an OpenID provider (issuer + subject) linked to accounts, the
//! sign-ins on their way through the provider (state, nonce, PKCE verifier; used once), and
//! which web sessions began there (for the provider's logout). Migration 0016; the rules are in
//! `http/auth/oidc*.rs` and docs/sso.md.

use async_trait::async_trait;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::backend::{Backend, SqlStore};
use super::Result;

/// A sign-in sent to the provider, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOidcLogin {
    /// SHA-256 of the `state` sent to the provider.
    pub state_hash: String,
    /// SHA-256 of the cookie that binds the sign-in to the browser that began it.
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go after signing in (a local path).
    pub next_path: String,
    pub now_ms: i64,
    pub expires_at_ms: i64,
}

/// A sign-in taken back (once) when the provider sends the browser back.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OidcLogin {
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
}

#[async_trait]
pub trait SingleSignOn: Send + Sync {
    /// Stores a sign-in on its way to the provider (and drops those expired before `now_ms`).
    async fn start_oidc_login(&self, login: &NewOidcLogin) -> Result<()>;
    /// Takes a sign-in by its state's hash: marks it used and returns it, once, while it has
    /// not expired; `None` for an unknown, used or expired state.
    async fn take_oidc_login(&self, state_hash: &str, now_ms: i64) -> Result<Option<OidcLogin>>;
    /// The account linked to a person at a provider.
    async fn oidc_user(&self, issuer: &str, subject: &str, now_ms: i64) -> Result<Option<i64>>;
    /// Links a person at a provider to an account; `AlreadyExists` when that person is linked.
    async fn link_oidc_identity(&self, issuer: &str, subject: &str, user_id: i64, now_ms: i64) -> Result<()>;
    /// Whether an account is linked to anyone at `issuer`.
    async fn has_oidc_identity(&self, issuer: &str, user_id: i64) -> Result<bool>;
    /// Forgets every link of an account to people at providers (when the account is erased).
    async fn forget_oidc_identities(&self, user_id: i64) -> Result<u64>;
    /// Notes that a web session began at `issuer`.
    async fn note_oidc_session(&self, session_id_hash: &str, issuer: &str, now_ms: i64) -> Result<()>;
    /// Forgets a web session; the issuer it began at, if it began at one.
    async fn end_oidc_session(&self, session_id_hash: &str) -> Result<Option<String>>;
}

#[async_trait]
impl<DB: Backend> SingleSignOn for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> String: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB> + ColumnIndex<DB::Row>,
    usize: ColumnIndex<DB::Row>,
{
    async fn start_oidc_login(&self, l: &NewOidcLogin) -> Result<()> {
        // A day's margin: used rows are kept that long so a replay meets a used state.
        sqlx::query("DELETE FROM oidc_logins WHERE expires_at < $1")
            .bind(l.now_ms - 24 * 60 * 60 * 1000)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO oidc_logins (state_hash, browser_hash, nonce, pkce_verifier, next_path, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&l.state_hash)
        .bind(&l.browser_hash)
        .bind(&l.nonce)
        .bind(&l.pkce_verifier)
        .bind(&l.next_path)
        .bind(l.now_ms)
        .bind(l.expires_at_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn take_oidc_login(&self, state_hash: &str, now_ms: i64) -> Result<Option<OidcLogin>> {
        let found: Option<OidcLogin> = sqlx::query_as(
            "UPDATE oidc_logins SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING browser_hash, nonce, pkce_verifier, next_path",
        )
        .bind(state_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found)
    }

    async fn oidc_user(&self, issuer: &str, subject: &str, now_ms: i64) -> Result<Option<i64>> {
        let user: Option<i64> = sqlx::query_scalar(
            "UPDATE oidc_identities SET last_used_at = $3 WHERE issuer = $1 AND subject = $2 RETURNING user_id",
        )
        .bind(issuer)
        .bind(subject)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(user)
    }

    async fn link_oidc_identity(&self, issuer: &str, subject: &str, user_id: i64, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO oidc_identities (issuer, subject, user_id, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(issuer)
        .bind(subject)
        .bind(user_id)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn has_oidc_identity(&self, issuer: &str, user_id: i64) -> Result<bool> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM oidc_identities WHERE issuer = $1 AND user_id = $2")
                .bind(issuer)
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    async fn forget_oidc_identities(&self, user_id: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM oidc_identities WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done))
    }

    async fn note_oidc_session(&self, session_id_hash: &str, issuer: &str, now_ms: i64) -> Result<()> {
        // Sessions live 12 hours at most: older notes are of sessions long gone.
        sqlx::query("DELETE FROM oidc_sessions WHERE created_at < $1")
            .bind(now_ms - 24 * 60 * 60 * 1000)
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO oidc_sessions (session_id_hash, issuer, created_at) VALUES ($1, $2, $3)")
            .bind(session_id_hash)
            .bind(issuer)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_oidc_session(&self, session_id_hash: &str) -> Result<Option<String>> {
        let issuer: Option<String> =
            sqlx::query_scalar("DELETE FROM oidc_sessions WHERE session_id_hash = $1 RETURNING issuer")
                .bind(session_id_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(issuer)
    }
}
