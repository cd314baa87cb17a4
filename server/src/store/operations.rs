//! Looking after the store itself: migrations, readiness, closing.

use async_trait::async_trait;
use sqlx::Connection;

use super::backend::{Backend, SqlStore};
use super::Result;

#[async_trait]
pub trait Operations: Send + Sync {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    /// Applies pending migrations.
    async fn migrate(&self) -> Result<()>;

    /// Answers when the database does (for `/readyz`).
    async fn ping(&self) -> Result<()>;

    /// Closes the pool, waiting for connections to be returned.
    async fn close(&self);
}

#[async_trait]
impl<DB: Backend> Operations for SqlStore<DB> {
    fn backend(&self) -> &'static str {
        DB::ID
    }

    async fn migrate(&self) -> Result<()> {
        DB::migrate(&self.pool).await
    }

    async fn ping(&self) -> Result<()> {
        self.pool.acquire().await?.ping().await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
