//! Query shapes several store concerns share, written once as plain generic functions: a row
//! set of one team, a capped row set, a text column of an organisation's row, and "did the
//! write find its row".

use sqlx::Pool;

use super::backend::Backend;
use super::statement::{Arg, On, StoreRow};
use super::{Result, StoreError};

/// `NotFound(what)` unless a write changed a row (`changed`: the rows it changed).
pub(super) fn found(changed: u64, what: impl FnOnce() -> String) -> Result<()> {
    match changed {
        0 => Err(StoreError::NotFound(what())),
        _ => Ok(()),
    }
}

/// The rows of one team: `sql` binds the team as `$1`.
pub(super) async fn team_rows<DB: Backend, T: StoreRow>(
    pool: &Pool<DB>,
    sql: &str,
    team_id: i64,
) -> Result<Vec<T>> {
    DB::fetch_all(pool, sql, &[team_id.into()]).await
}

/// A statement and its binds.
pub(super) type Bound<'a> = (&'a str, &'a [Arg<'a>]);

/// Whether a capped row set takes a row: the row is there already (`exists` finds it, and it
/// is replaced), or the set holds fewer than `max` (`count`, asked only then).
pub(super) async fn room_for<DB: Backend>(
    conn: &mut DB::Connection,
    (exists, exists_args): Bound<'_>,
    (count, count_args): Bound<'_>,
    max: usize,
) -> Result<bool> {
    if DB::scalar_optional::<i64>(&mut *conn, exists, exists_args).await?.is_some() {
        return Ok(true);
    }
    Ok((DB::scalar::<i64>(&mut *conn, count, count_args).await? as usize) < max)
}

/// Sets one text column of a row that belongs to an organisation: `sql` binds the value as
/// `$1`, the row's id as `$2` and the organisation as `$3` (so no other organisation's row);
/// `NotFound(what)` when the organisation has no such row.
pub(super) async fn set_in_organisation<DB: Backend>(
    pool: &Pool<DB>,
    sql: &str,
    (value, id, organisation_id): (&str, i64, i64),
    what: impl FnOnce() -> String,
) -> Result<()> {
    found(DB::execute(pool, sql, &[value.into(), id.into(), organisation_id.into()]).await?, what)
}

/// The row whose `key` column holds `value`: `SELECT {columns} FROM {table} WHERE {key} = $1`.
pub(super) async fn row_where<'e, DB: Backend, T: StoreRow>(
    on: impl Into<On<'e, DB>>,
    (columns, table, key): (&str, &str, &str),
    value: Arg<'_>,
) -> Result<Option<T>> {
    let sql = format!("SELECT {columns} FROM {table} WHERE {key} = $1");
    DB::fetch_optional(on.into(), &sql, &[value]).await
}
