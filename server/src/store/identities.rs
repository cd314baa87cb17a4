//! Single sign-on: people at an OpenID provider (issuer + subject) linked to accounts, the
//! sign-ins on their way through the provider (state, nonce, PKCE verifier; used once), and
//! which web sessions began there (for the provider's logout). Migration 0016; the rules are in
//! `http/auth/oidc*.rs` and docs/sso.md.

use async_trait::async_trait;

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
impl<DB: Backend> SingleSignOn for SqlStore<DB> {
    async fn start_oidc_login(&self, l: &NewOidcLogin) -> Result<()> {
        // A day's margin: used rows are kept that long so a replay meets a used state.
        let sql = "DELETE FROM oidc_logins WHERE expires_at < $1";
        DB::execute(&self.pool, sql, &[(l.now_ms - 24 * 60 * 60 * 1000).into()]).await?;
        let sql = "INSERT INTO oidc_logins (state_hash, browser_hash, nonce, pkce_verifier, next_path, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        DB::execute(
            &self.pool,
            sql,
            &[
                (&l.state_hash).into(),
                (&l.browser_hash).into(),
                (&l.nonce).into(),
                (&l.pkce_verifier).into(),
                (&l.next_path).into(),
                l.now_ms.into(),
                l.expires_at_ms.into(),
            ],
        )
        .await?;
        Ok(())
    }

    async fn take_oidc_login(&self, state_hash: &str, now_ms: i64) -> Result<Option<OidcLogin>> {
        let sql = "UPDATE oidc_logins SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING browser_hash, nonce, pkce_verifier, next_path";
        let found: Option<OidcLogin> =
            DB::fetch_optional(&self.pool, sql, &[state_hash.into(), now_ms.into()]).await?;
        Ok(found)
    }

    async fn oidc_user(&self, issuer: &str, subject: &str, now_ms: i64) -> Result<Option<i64>> {
        let sql = "UPDATE oidc_identities SET last_used_at = $3 WHERE issuer = $1 AND subject = $2 RETURNING user_id";
        let user: Option<i64> =
            DB::scalar_optional(&self.pool, sql, &[issuer.into(), subject.into(), now_ms.into()]).await?;
        Ok(user)
    }

    async fn link_oidc_identity(&self, issuer: &str, subject: &str, user_id: i64, now_ms: i64) -> Result<()> {
        let sql = "INSERT INTO oidc_identities (issuer, subject, user_id, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $4)";
        DB::execute(&self.pool, sql, &[issuer.into(), subject.into(), user_id.into(), now_ms.into()]).await?;
        Ok(())
    }

    async fn has_oidc_identity(&self, issuer: &str, user_id: i64) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM oidc_identities WHERE issuer = $1 AND user_id = $2";
        let n: i64 = DB::scalar(&self.pool, sql, &[issuer.into(), user_id.into()]).await?;
        Ok(n > 0)
    }

    async fn forget_oidc_identities(&self, user_id: i64) -> Result<u64> {
        let sql = "DELETE FROM oidc_identities WHERE user_id = $1";
        let done = DB::execute(&self.pool, sql, &[user_id.into()]).await?;
        Ok(done)
    }

    async fn note_oidc_session(&self, session_id_hash: &str, issuer: &str, now_ms: i64) -> Result<()> {
        // Sessions live 12 hours at most: older notes are of sessions long gone.
        let sql = "DELETE FROM oidc_sessions WHERE created_at < $1";
        DB::execute(&self.pool, sql, &[(now_ms - 24 * 60 * 60 * 1000).into()]).await?;
        let sql = "INSERT INTO oidc_sessions (session_id_hash, issuer, created_at) VALUES ($1, $2, $3)";
        DB::execute(&self.pool, sql, &[session_id_hash.into(), issuer.into(), now_ms.into()]).await?;
        Ok(())
    }

    async fn end_oidc_session(&self, session_id_hash: &str) -> Result<Option<String>> {
        let sql = "DELETE FROM oidc_sessions WHERE session_id_hash = $1 RETURNING issuer";
        let issuer: Option<String> = DB::scalar_optional(&self.pool, sql, &[session_id_hash.into()]).await?;
        Ok(issuer)
    }
}
