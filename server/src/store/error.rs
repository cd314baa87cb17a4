//! What can go wrong in the store, in terms the rest of the server can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or opened.
    #[error("{context}: {source}")]
    Unavailable {
        context: String,
        #[source]
        source: sqlx::Error,
    },
    /// A uniqueness rule was broken, e.g. an e-mail address or team name that exists already.
    #[error("already exists: {0}")]
    AlreadyExists(String),
    /// A referenced row does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be read back (e.g. invalid JSON).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A task of the store's own failed (e.g. a panic while searching).
    #[error("internal error: {0}")]
    Internal(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::AlreadyExists(db.message().to_owned());
            }
            if db.is_foreign_key_violation() {
                return StoreError::NotFound(db.message().to_owned());
            }
        }
        match e {
            // A stored value the model cannot hold (an unknown role or status, invalid JSON).
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => StoreError::Corrupt(e.to_string()),
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                StoreError::Unavailable { context: "the database does not answer".into(), source: e }
            }
            other => StoreError::Database(other),
        }
    }
}
