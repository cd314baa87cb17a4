//! Build script: puts the git commit into `beraad --version` (`BERAAD_GIT_COMMIT`). Without a
//! checkout the `BERAAD_GIT_COMMIT` environment variable is used (the Containerfile passes it
//! as a build argument), and without that "unknown".

#[path = "server/build/git_commit.rs"]
mod git_commit;

fn main() {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let commit = git_commit::git_commit(&dir)
        .or_else(|| std::env::var("BERAAD_GIT_COMMIT").ok().filter(|c| !c.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=BERAAD_GIT_COMMIT={commit}");
    println!("cargo:rerun-if-env-changed=BERAAD_GIT_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=server/build/git_commit.rs");
    for path in git_commit::git_watch_files(&dir) {
        // Only files that exist: a missing one would rerun the script on every build.
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}
