//! Who is using a SQLite database file: an advisory `flock(2)` on `<database>.lock` beside it.
//! A server (and `beraad backup`) holds it shared for as long as it runs; `beraad restore`
//! takes it exclusively, so it refuses while a server uses the file, and a server refuses to
//! start while a restore is replacing it. The kernel drops the lock when the process ends,
//! however it ends, so a crashed server never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// A held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// Shared (servers, backups) or exclusive (restore).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockMode {
    Shared,
    Exclusive,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock in a conflicting mode.
    #[error("{} is in use by another process", .0.display())]
    Busy(PathBuf),
    #[error(
        "cannot open the SQLite database {} (is its folder there and writable?): cannot use its lock file {}: {source}",
        database.display(),
        path.display()
    )]
    Io { database: PathBuf, path: PathBuf, source: std::io::Error },
}

/// The lock file of the database at `database`.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    database.with_file_name(name)
}

/// Takes the lock without waiting.
pub fn try_lock(database: &Path, mode: LockMode) -> Result<InstanceLock, LockError> {
    let path = lock_path(database);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| LockError::Io { database: database.to_owned(), path: path.clone(), source })?;
    let operation = match mode {
        LockMode::Shared => libc::LOCK_SH,
        LockMode::Exclusive => libc::LOCK_EX,
    } | libc::LOCK_NB;
    // SAFETY: flock(2) on a descriptor this function owns (kept open in the returned value).
    let done = unsafe { libc::flock(file.as_raw_fd(), operation) };
    if done == 0 {
        return Ok(InstanceLock { _file: file });
    }
    let error = std::io::Error::last_os_error();
    if error.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Err(LockError::Busy(database.to_owned()))
    } else {
        Err(LockError::Io { database: database.to_owned(), path, source: error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_locks_coexist_and_exclude_an_exclusive_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("beraad.db");
        let a = try_lock(&db, LockMode::Shared).unwrap();
        let b = try_lock(&db, LockMode::Shared).unwrap();
        assert!(matches!(try_lock(&db, LockMode::Exclusive), Err(LockError::Busy(_))));
        drop((a, b));
        let exclusive = try_lock(&db, LockMode::Exclusive).unwrap();
        assert!(matches!(try_lock(&db, LockMode::Shared), Err(LockError::Busy(_))));
        drop(exclusive);
        assert!(try_lock(&db, LockMode::Shared).is_ok());
        assert_eq!(lock_path(&db), dir.path().join("beraad.db.lock"));
    }
}
