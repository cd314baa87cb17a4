//! Query shapes several store concerns share, written once as plain generic functions (each
//! names only the sqlx capabilities it uses): a row set of one team, a capped row set, a text
//! column of an organisation's row, and "did the write find its row".

use sqlx::query::QueryScalar;
use sqlx::{Decode, Encode, Executor, FromRow, IntoArguments, Pool, Type};

use super::backend::Backend;
use super::{Result, StoreError};

/// `NotFound(what)` unless a write changed a row.
pub(super) fn found<DB: Backend>(done: &DB::QueryResult, what: impl FnOnce() -> String) -> Result<()> {
    match DB::rows_affected(done) {
        0 => Err(StoreError::NotFound(what())),
        _ => Ok(()),
    }
}

/// The rows of one team: `sql` binds the team as `$1`.
pub(super) async fn team_rows<DB: Backend, T>(pool: &Pool<DB>, sql: &str, team_id: i64) -> Result<Vec<T>>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    T: for<'r> FromRow<'r, DB::Row> + Send + Unpin,
{
    Ok(sqlx::query_as(sql).bind(team_id).fetch_all(pool).await?)
}

/// Whether a capped row set takes a row: the row is there already (`exists` finds it, and it
/// is replaced), or the set holds fewer than `max` (`count`, asked only then).
pub(super) async fn room_for<'q, DB: Backend>(
    conn: &mut DB::Connection,
    exists: QueryScalar<'q, DB, i64, DB::Arguments<'q>>,
    count: QueryScalar<'q, DB, i64, DB::Arguments<'q>>,
    max: usize,
) -> Result<bool>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> i64: Decode<'a, DB> + Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    if exists.fetch_optional(&mut *conn).await?.is_some() {
        return Ok(true);
    }
    Ok((count.fetch_one(&mut *conn).await? as usize) < max)
}

/// Sets one text column of a row that belongs to an organisation: `sql` binds the value as
/// `$1`, the row's id as `$2` and the organisation as `$3` (so no other organisation's row);
/// `NotFound(what)` when the organisation has no such row.
pub(super) async fn set_in_organisation<DB: Backend>(
    pool: &Pool<DB>,
    sql: &str,
    (value, id, organisation_id): (&str, i64, i64),
    what: impl FnOnce() -> String,
) -> Result<()>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB>,
{
    let done = sqlx::query(sql).bind(value).bind(id).bind(organisation_id).execute(pool).await?;
    found::<DB>(&done, what)
}
