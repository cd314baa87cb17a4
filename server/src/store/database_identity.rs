//! The database's identity (migration 0017): a random id made once, when the database was
//! created or first migrated to it. What is derived from the database and kept outside it —
//! the search index on disk (`search::engine`) — records the identity it was built from, so
//! it recognises a database it was not built from and is rebuilt instead of caught up.

use sqlx::Pool;

use super::backend::Backend;
use super::Result;

/// The identity, as migration 0017 stored it.
pub(super) async fn database_identity<DB: Backend>(pool: &Pool<DB>) -> Result<String> {
    DB::scalar(pool, "SELECT identity FROM database_identity WHERE id = 1", &[]).await
}
