//! API tokens for scripts: made by an admin at `/beheer`, scoped to actions, shown once and
//! stored as their SHA-256 only, with the time of their last use; revoked tokens stay listed.
//! Migration 0016; the rules are in `http/auth/api_token.rs` and docs/security.md.

use async_trait::async_trait;

use super::backend::{Backend, SqlStore};
use super::Result;
use crate::guard::Screened;

/// A token before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApiToken {
    pub organisation_id: i64,
    pub token_hash: String,
    pub name: String,
    /// Action names (`beraad_domain::access::Action`, snake case), space-separated.
    pub scopes: String,
    pub created_by: i64,
    pub now_ms: i64,
}

/// A stored token (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub scopes: String,
    pub created_by: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, organisation_id, name, scopes, created_by, created_at, last_used_at, revoked_at";

#[async_trait]
pub trait ApiTokens: Send + Sync {
    async fn create_api_token(&self, new: &Screened<NewApiToken>) -> Result<ApiToken>;
    /// An organisation's tokens, newest first (revoked ones too).
    async fn api_tokens_of(&self, organisation_id: i64) -> Result<Vec<ApiToken>>;
    /// The unrevoked token with this hash; its last use becomes `now_ms`.
    async fn use_api_token(&self, token_hash: &str, now_ms: i64) -> Result<Option<ApiToken>>;
    /// Revokes a token of the organisation; false when there is no such unrevoked token.
    async fn revoke_api_token(&self, organisation_id: i64, id: i64, now_ms: i64) -> Result<bool>;
}

#[async_trait]
impl<DB: Backend> ApiTokens for SqlStore<DB> {
    async fn create_api_token(&self, new: &Screened<NewApiToken>) -> Result<ApiToken> {
        let sql = format!(
            "INSERT INTO api_tokens (organisation_id, token_hash, name, scopes, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
        );
        let token: ApiToken = DB::fetch_one(
            &self.pool,
            &sql,
            &[
                new.organisation_id.into(),
                (&new.token_hash).into(),
                (&new.name).into(),
                (&new.scopes).into(),
                new.created_by.into(),
                new.now_ms.into(),
            ],
        )
        .await?;
        Ok(token)
    }

    async fn api_tokens_of(&self, organisation_id: i64) -> Result<Vec<ApiToken>> {
        let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE organisation_id = $1 ORDER BY id DESC");
        DB::fetch_all(&self.pool, &sql, &[organisation_id.into()]).await
    }

    async fn use_api_token(&self, token_hash: &str, now_ms: i64) -> Result<Option<ApiToken>> {
        let sql = format!(
            "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL \
             RETURNING {COLUMNS}"
        );
        DB::fetch_optional(&self.pool, &sql, &[token_hash.into(), now_ms.into()]).await
    }

    async fn revoke_api_token(&self, organisation_id: i64, id: i64, now_ms: i64) -> Result<bool> {
        let sql = "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND organisation_id = $2 AND revoked_at IS NULL";
        let done = DB::execute(&self.pool, sql, &[id.into(), organisation_id.into(), now_ms.into()]).await?;
        Ok(done > 0)
    }
}
