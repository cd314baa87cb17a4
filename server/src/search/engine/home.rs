//! Where a process keeps its index: a directory of its own, so each process writes its own
//! copy while the database stays the one truth.
//!
//! Beside a SQLite database `beraad.db` the indexes live in `beraad.db.index/`: a process takes
//! the first of `0/`, `1/`, … `7/` whose lock (`N.lock`, an advisory `flock(2)` held for the
//! process's life) is free, so a restarted server and a later `beraad archive search` reopen an
//! index that is already built and only catch up with what changed. Without a database file
//! (PostgreSQL, an in-memory database) or when every slot is taken, the index goes to a fresh
//! directory under the system's temporary directory, removed when the process lets go of it.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Index directories beside one database.
pub const SLOTS: usize = 8;

/// The directory one index lives in, held for this process.
#[derive(Debug)]
pub struct IndexHome {
    pub path: PathBuf,
    /// The slot's lock; `None` for a temporary directory.
    _lock: Option<File>,
    temporary: bool,
}

impl Drop for IndexHome {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The index directory of the database at `database` (`None`: a temporary one).
pub fn take(beside: Option<&Path>) -> std::io::Result<IndexHome> {
    if let Some(home) = beside {
        std::fs::create_dir_all(home)?;
        for slot in 0..SLOTS {
            let lock_path = home.join(format!("{slot}.lock"));
            let file = OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
            // SAFETY: flock(2) on a descriptor this function owns (kept open in the result).
            let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
            if locked {
                let path = home.join(slot.to_string());
                std::fs::create_dir_all(&path)?;
                return Ok(IndexHome { path, _lock: Some(file), temporary: false });
            }
        }
    }
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "beraad-index-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path)?;
    Ok(IndexHome { path, _lock: None, temporary: true })
}

/// Removes every index beside a database (a restore replaces the database they were built from).
pub fn remove_all(home: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(home) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_slot_sends_the_next_process_to_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("beraad.db.index");
        let a = take(Some(&home)).unwrap();
        let b = take(Some(&home)).unwrap();
        assert_eq!(a.path, home.join("0"));
        assert_eq!(b.path, home.join("1"));
        drop(a);
        assert_eq!(take(Some(&home)).unwrap().path, home.join("0"));
        let t = take(None).unwrap();
        let p = t.path.clone();
        assert!(p.exists());
        drop(t);
        assert!(!p.exists());
    }
}
