//! The git commit a build is made from, for `beraad --version`. Shared by `build.rs` and its
//! test (tests/integration/version.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(dir).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The short commit id of `dir`'s checkout; `None` without git or outside a repository (a
/// source archive, a container build without `.git`).
pub fn git_commit(dir: &Path) -> Option<String> {
    git(dir, &["rev-parse", "--short=12", "HEAD"])
}

/// Files whose change means another commit: HEAD, the branch it points to, packed refs.
pub fn git_watch_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        paths.push(branch);
    }
    paths
        .iter()
        .filter_map(|p| git(dir, &["rev-parse", "--path-format=absolute", "--git-path", p]))
        .map(PathBuf::from)
        .collect()
}
