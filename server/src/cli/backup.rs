//! `beraad backup FILE` and `beraad restore FILE` for the SQLite store.
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is a consistent snapshot of
//! everything committed when it began (every acknowledged contribution up to then), taken
//! while the server keeps running. It is written beside its destination as `FILE.partial`,
//! checked (`PRAGMA integrity_check`), synced and only then renamed to `FILE`.
//!
//! A restore refuses while a server uses the target (the instance lock,
//! `crate::instance_lock`), checks the backup on a copy, keeps the database it replaces as
//! `<database>.before-restore-<local time>` and renames the copy into place.
//!
//! PostgreSQL has its own tools; both commands say which (docs/operations.md).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use super::DatabaseArgs;
use crate::config::DatabaseConfig;
use crate::instance_lock::{self, LockError, LockMode};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy; must not exist yet (a backup never overwrites).
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `beraad backup`.
    pub file: PathBuf,
    /// The database to replace (the server must be stopped).
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// What to use for PostgreSQL instead.
fn postgres_advice(database: &DatabaseConfig, command: &str) -> String {
    match command {
        "backup" => format!(
            "beraad backup copies SQLite databases; for PostgreSQL use pg_dump while the server runs: \
             pg_dump --format=custom --file=beraad.dump '{database}' (see docs/operations.md)"
        ),
        _ => format!(
            "beraad restore restores SQLite databases; for PostgreSQL stop the server and use pg_restore: \
             pg_restore --clean --if-exists --no-owner --dbname='{database}' beraad.dump (see docs/operations.md)"
        ),
    }
}

fn sqlite_path(args: &DatabaseArgs, command: &str) -> anyhow::Result<PathBuf> {
    match DatabaseConfig::parse(&args.database_url)? {
        DatabaseConfig::Sqlite { path } => Ok(path),
        postgres @ DatabaseConfig::Postgres { .. } => bail!("{}", postgres_advice(&postgres, command)),
    }
}

async fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
        .with_context(|| format!("cannot open the SQLite database {}", path.display()))
}

/// `PRAGMA integrity_check` and the migrations table: is this a Beraad database?
async fn check(path: &Path) -> anyhow::Result<()> {
    let mut conn = open(path).await?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a readable SQLite database", path.display()))?;
    if integrity != "ok" {
        bail!("{} is damaged: {integrity}", path.display());
    }
    let migrations: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    if migrations == 0 {
        bail!("{} is a SQLite database but not a Beraad one", path.display());
    }
    Ok(())
}

fn sync_file(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot sync {}", path.display()))
}

fn sync_dir_of(path: &Path) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Best effort: some file systems refuse to sync a directory.
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// `beraad backup FILE`.
pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let database = sqlite_path(&args.database, "backup")?;
    if !database.exists() {
        bail!("there is no database at {} (check --database-url)", database.display());
    }
    if args.file.exists() {
        bail!("{} already exists; a backup never overwrites a file: choose a new name", args.file.display());
    }
    let _lock = instance_lock::try_lock(&database, LockMode::Shared).map_err(|e| match e {
        LockError::Busy(_) => anyhow::anyhow!(
            "beraad restore is replacing {}; take the backup when it has finished",
            database.display()
        ),
        other => other.into(),
    })?;
    let started = Instant::now();
    let partial = with_suffix(&args.file, ".partial");
    let _ = std::fs::remove_file(&partial);
    let written = async {
        let target = partial.to_str().context("the backup file name is not valid UTF-8")?;
        let mut conn = open(&database).await?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&mut conn)
            .await
            .with_context(|| format!("cannot write {}", args.file.display()))?;
        conn.close().await?;
        check(&partial).await?;
        sync_file(&partial)?;
        std::fs::rename(&partial, &args.file)
            .with_context(|| format!("cannot rename {} to {}", partial.display(), args.file.display()))?;
        sync_dir_of(&args.file);
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    let bytes = std::fs::metadata(&args.file)?.len();
    eprintln!(
        "beraad: backup of sqlite://{} written to {} ({bytes} bytes, {} ms)",
        database.display(),
        args.file.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}

/// `beraad restore FILE`.
pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let database = sqlite_path(&args.database, "restore")?;
    if !args.file.is_file() {
        bail!("there is no backup file at {}", args.file.display());
    }
    let _lock = instance_lock::try_lock(&database, LockMode::Exclusive).map_err(|e| match e {
        LockError::Busy(_) => anyhow::anyhow!(
            "a running server (or a backup) uses {}; stop it first (e.g. systemctl stop beraad), then run \
             beraad restore again",
            database.display()
        ),
        other => other.into(),
    })?;
    // Checked on a copy beside the target, so the backup file is never touched and the final
    // step is a rename on one file system.
    let incoming = with_suffix(&database, ".restoring");
    let _ = std::fs::remove_file(&incoming);
    let prepared = async {
        std::fs::copy(&args.file, &incoming)
            .with_context(|| format!("cannot copy {} to {}", args.file.display(), incoming.display()))?;
        check(&incoming).await?;
        // The server runs in WAL mode; set it now so the first start needs no write.
        let mut conn = open(&incoming).await?;
        let _: String = sqlx::query_scalar("PRAGMA journal_mode = WAL").fetch_one(&mut conn).await?;
        // The restored database gets an identity of its own (migration 0017): a search index
        // built from the database it replaces, wherever kept (`--index-dir`), is rebuilt
        // rather than caught up. (A backup made before 0017 gets one when it is migrated.)
        let identity: Option<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'database_identity'",
        )
        .fetch_optional(&mut conn)
        .await?;
        if identity.is_some() {
            sqlx::query("UPDATE database_identity SET identity = lower(hex(randomblob(16))) WHERE id = 1")
                .execute(&mut conn)
                .await?;
        }
        conn.close().await?;
        sync_file(&incoming)
    }
    .await;
    if let Err(e) = prepared {
        let _ = std::fs::remove_file(&incoming);
        return Err(e);
    }
    let kept = if database.exists() {
        // Fold the old database's write-ahead log into it, so the kept copy is one whole file.
        let mut conn = open(&database).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
        conn.close().await?;
        let stamp = beraad_domain::local_time::minute_of(crate::clock::now_ms()).replace([' ', ':', '-'], "");
        let mut kept = with_suffix(&database, &format!(".before-restore-{stamp}"));
        let mut n = 1;
        while kept.exists() {
            n += 1;
            kept = with_suffix(&database, &format!(".before-restore-{stamp}-{n}"));
        }
        std::fs::rename(&database, &kept)
            .with_context(|| format!("cannot move {} aside", database.display()))?;
        Some(kept)
    } else {
        None
    };
    for stale in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&database, stale));
    }
    std::fs::rename(&incoming, &database)
        .with_context(|| format!("cannot rename {} to {}", incoming.display(), database.display()))?;
    sync_dir_of(&database);
    // The search indexes beside it were built from the database replaced: the next start
    // builds them again from the one restored.
    let indexes = crate::search::index_home_of(&database);
    crate::search::engine::home::remove_all(&indexes)
        .with_context(|| format!("cannot remove the old search indexes {}", indexes.display()))?;
    match kept {
        Some(kept) => eprintln!(
            "beraad: restored {} to sqlite://{}; the database it replaced is kept as {}",
            args.file.display(),
            database.display(),
            kept.display()
        ),
        None => eprintln!("beraad: restored {} to sqlite://{}", args.file.display(), database.display()),
    }
    Ok(())
}
