//! The database's identity (migration 0017): a random id made once, when the database was
//! created or first migrated to it. What is derived from the database and kept outside it —
//! the search index on disk (`search::engine`) — records the identity it was built from, so
//! it recognises a database it was not built from and is rebuilt instead of caught up.

use sqlx::{Decode, Executor, IntoArguments, Pool, Type};

use super::backend::Backend;
use super::Result;

/// The identity, as migration 0017 stored it.
pub(super) async fn database_identity<DB: Backend>(pool: &Pool<DB>) -> Result<String>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> String: Decode<'a, DB> + Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    Ok(sqlx::query_scalar("SELECT identity FROM database_identity WHERE id = 1").fetch_one(pool).await?)
}
