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

    /// How the connection pool is used now (for the metrics).
    fn pool_use(&self) -> PoolUse;
}

/// Connections of the pool: handed out, idle, and the most it opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolUse {
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
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

    fn pool_use(&self) -> PoolUse {
        let size = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        PoolUse { in_use: size.saturating_sub(idle), idle, max: self.pool.options().get_max_connections() }
    }
}
