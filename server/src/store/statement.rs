//! Running one statement, the same way for every store concern: its bind values ([`Arg`]),
//! where it runs ([`On`]: the pool, or a connection inside a transaction) and the rows it
//! answers ([`StoreRow`]).
//!
//! [`Statements`] is written once, for every sqlx database that has what it needs; the sqlx
//! capabilities it uses (an executor for connections, the encoders of the bind types) are
//! named in one `where` clause, on its implementation below. The store's generic code calls
//! `DB::execute`, `DB::fetch_all`, … with `DB: Backend` alone: a `Backend` is a `Statements`,
//! and a supertrait is what Rust carries to a trait's users (bounds on other types, such as
//! `i64: Encode<DB>`, it does not: rust-lang/rust#20671). Rows decode per backend
//! ([`Driver`], two lines in `sqlite.rs` and `postgres.rs`), where the row type is concrete.
//!
//! Each function does what the sqlx call it stands for does (`query(sql).bind(…)….execute`,
//! `query_as(sql)….fetch_all`, `query_scalar`, which is `query_as` of a one-column tuple):
//! the SQL, the bound values and their types are the same.

use std::borrow::Cow;
use std::future::Future;

use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::query::Query;
use sqlx::sqlite::SqliteRow;
use sqlx::types::Json;
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Pool, Type};

use super::Result;

/// A value bound to a statement's next `$n`.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    Int(i64),
    MaybeInt(Option<i64>),
    Text(Cow<'a, str>),
    MaybeText(Option<Cow<'a, str>>),
    /// Bound as JSON (`jsonb` on PostgreSQL, text on SQLite).
    Json(&'a Value),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::MaybeInt(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::Text(Cow::Owned(v))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::MaybeText(v.map(Cow::Borrowed))
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::MaybeText(v.as_deref().map(Cow::Borrowed))
    }
}

impl From<Option<String>> for Arg<'_> {
    fn from(v: Option<String>) -> Self {
        Arg::MaybeText(v.map(Cow::Owned))
    }
}

impl<'a> From<&'a Value> for Arg<'a> {
    fn from(v: &'a Value) -> Self {
        Arg::Json(v)
    }
}

/// Where a statement runs: on the pool (a connection of its own), or on a connection the
/// caller holds (`&mut *tx` inside a transaction).
pub enum On<'e, DB: Database> {
    Pool(&'e Pool<DB>),
    Conn(&'e mut DB::Connection),
}

impl<'e, DB: Database> From<&'e Pool<DB>> for On<'e, DB> {
    fn from(pool: &'e Pool<DB>) -> Self {
        On::Pool(pool)
    }
}

impl<'e, DB: Database> From<&'e mut DB::Connection> for On<'e, DB> {
    fn from(conn: &'e mut DB::Connection) -> Self {
        On::Conn(conn)
    }
}

/// A row type both backends decode (a model type deriving `FromRow`, a tuple of columns).
pub trait StoreRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static
{
}

impl<T> StoreRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static
{
}

/// What each backend answers for itself: a row decoded, the rows a write changed.
pub trait Driver: Database {
    fn decode<T: StoreRow>(row: &Self::Row) -> sqlx::Result<T>;
    fn rows_affected(done: &Self::QueryResult) -> u64;
}

/// One statement with its binds, on the pool or a connection.
pub trait Statements: Driver {
    /// Runs a statement; the rows it changed.
    fn execute<'e>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<u64>> + Send + 'e;

    fn fetch_all<'e, T: StoreRow>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<Vec<T>>> + Send + 'e;

    fn fetch_optional<'e, T: StoreRow>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<Option<T>>> + Send + 'e;

    /// The first row; `RowNotFound` when there is none.
    fn fetch_one<'e, T: StoreRow>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<T>> + Send + 'e;

    /// The first column of the first row (`query_scalar(…).fetch_one`).
    fn scalar<'e, T: Send + 'static>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<T>> + Send + 'e
    where
        (T,): StoreRow,
    {
        let row = Self::fetch_one::<(T,)>(on, sql, args);
        async move { Ok(row.await?.0) }
    }

    /// The first column of the first row, if there is one (`query_scalar(…).fetch_optional`).
    fn scalar_optional<'e, T: Send + 'static>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<Option<T>>> + Send + 'e
    where
        (T,): StoreRow,
    {
        let row = Self::fetch_optional::<(T,)>(on, sql, args);
        async move { Ok(row.await?.map(|(v,)| v)) }
    }

    /// The first column of every row (`query_scalar(…).fetch_all`).
    fn scalars<'e, T: Send + 'static>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<Vec<T>>> + Send + 'e
    where
        (T,): StoreRow,
    {
        let rows = Self::fetch_all::<(T,)>(on, sql, args);
        async move { Ok(rows.await?.into_iter().map(|(v,)| v).collect()) }
    }
}

impl<DB> Statements for DB
where
    DB: Driver,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    for<'a> Option<i64>: Encode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB>,
    for<'a> Option<&'a str>: Encode<'a, DB> + Type<DB>,
    for<'a> Json<&'a Value>: Encode<'a, DB> + Type<DB>,
{
    fn execute<'e>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<u64>> + Send + 'e {
        let (on, query) = (on.into(), bound(sqlx::query(sql), args));
        async move {
            let done = match on {
                On::Pool(pool) => query.execute(pool).await?,
                On::Conn(conn) => query.execute(conn).await?,
            };
            Ok(DB::rows_affected(&done))
        }
    }

    fn fetch_all<'e, T: StoreRow>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<Vec<T>>> + Send + 'e {
        let (on, query) = (on.into(), bound(sqlx::query(sql), args));
        async move {
            let rows = match on {
                On::Pool(pool) => query.fetch_all(pool).await?,
                On::Conn(conn) => query.fetch_all(conn).await?,
            };
            Ok(rows.iter().map(DB::decode).collect::<sqlx::Result<_>>()?)
        }
    }

    fn fetch_optional<'e, T: StoreRow>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<Option<T>>> + Send + 'e {
        let (on, query) = (on.into(), bound(sqlx::query(sql), args));
        async move {
            let row = match on {
                On::Pool(pool) => query.fetch_optional(pool).await?,
                On::Conn(conn) => query.fetch_optional(conn).await?,
            };
            Ok(row.as_ref().map(DB::decode).transpose()?)
        }
    }

    fn fetch_one<'e, T: StoreRow>(
        on: impl Into<On<'e, Self>>,
        sql: &'e str,
        args: &'e [Arg<'e>],
    ) -> impl Future<Output = Result<T>> + Send + 'e {
        let (on, query) = (on.into(), bound(sqlx::query(sql), args));
        async move {
            let row = match on {
                On::Pool(pool) => query.fetch_one(pool).await?,
                On::Conn(conn) => query.fetch_one(conn).await?,
            };
            Ok(DB::decode(&row)?)
        }
    }
}

/// `query` with `args` bound in order, each as the type it stood for.
fn bound<'q, DB: Database>(
    mut query: Query<'q, DB, DB::Arguments<'q>>,
    args: &'q [Arg<'q>],
) -> Query<'q, DB, DB::Arguments<'q>>
where
    for<'a> i64: Encode<'a, DB> + Type<DB>,
    for<'a> Option<i64>: Encode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB>,
    for<'a> Option<&'a str>: Encode<'a, DB> + Type<DB>,
    for<'a> Json<&'a Value>: Encode<'a, DB> + Type<DB>,
{
    for arg in args {
        query = match arg {
            Arg::Int(v) => query.bind(*v),
            Arg::MaybeInt(v) => query.bind(*v),
            Arg::Text(v) => query.bind(v.as_ref()),
            Arg::MaybeText(v) => query.bind(v.as_deref()),
            Arg::Json(v) => query.bind(Json(*v)),
        };
    }
    query
}
