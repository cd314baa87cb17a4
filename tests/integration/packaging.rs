//! Packaging: `beraad --version` names the version and the git commit of the build (without a
//! checkout the commit is not guessed); `beraad health`, the container's health check, tells
//! a healthy server from none; the systemd unit and the Containerfile keep their hardening.

#[path = "../../server/build/git_commit.rs"]
mod git_commit;

const BIN: &str = env!("CARGO_BIN_EXE_beraad");

#[test]
fn version_shows_the_package_version_and_the_commit() {
    let out = std::process::Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    // The build script sets BERAAD_GIT_COMMIT for every target of the package, this test too.
    let built_from = env!("BERAAD_GIT_COMMIT");
    assert_eq!(said.trim(), format!("beraad {} (commit {built_from})", env!("CARGO_PKG_VERSION")));
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(head) = git_commit::git_commit(repo) {
        assert_eq!(built_from, head, "built from the checked-out commit");
    }
}

#[test]
fn outside_a_checkout_there_is_no_commit() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(git_commit::git_commit(dir.path()), None);
    assert!(git_commit::git_watch_files(dir.path()).is_empty());
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(commit) = git_commit::git_commit(repo) {
        assert_eq!(commit.len(), 12);
        assert!(commit.chars().all(|c| c.is_ascii_hexdigit()));
    }
}

#[tokio::test]
async fn health_answers_for_a_running_server_and_fails_without_one() {
    let (database, dir) = crate::harness::fresh_sqlite();
    let (server, addr) = crate::cli::spawn_serve(&crate::cli::url_of(&database), dir.path());
    let healthy = crate::cli::beraad(&["health", "--listen", &addr]);
    assert!(healthy.status.success(), "{}", String::from_utf8_lossy(&healthy.stderr));
    assert_eq!(String::from_utf8_lossy(&healthy.stdout).trim(), "ok");
    drop(server);
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    crate::cli::assert_one_line_error(
        &crate::cli::beraad(&["health", "--listen", &free]),
        "no server answers",
    );
}

#[test]
fn the_systemd_unit_and_the_container_keep_their_hardening() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let unit = std::fs::read_to_string(root.join("deploy/beraad.service")).unwrap();
    let settings: Vec<&str> = unit.lines().filter(|l| !l.starts_with('#')).collect();
    for needed in [
        "DynamicUser=yes",
        "StateDirectory=beraad",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "EnvironmentFile=/etc/beraad/beraad.env",
    ] {
        assert!(settings.contains(&needed), "the unit sets {needed}");
    }
    let env = std::fs::read_to_string(root.join("deploy/beraad.env")).unwrap();
    for line in env.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (name, _) = line.split_once('=').expect("NAME=value");
        assert!(name.starts_with("BERAAD_") || name == "RUST_LOG", "{name}");
    }
    let containerfile = std::fs::read_to_string(root.join("deploy/Containerfile")).unwrap();
    assert!(containerfile.lines().filter(|l| l.starts_with("FROM ")).count() >= 2, "multi-stage");
    assert!(containerfile.lines().any(|l| l.starts_with("USER ") && !l.contains("root")), "not root");
    assert!(containerfile.lines().any(|l| l.starts_with("HEALTHCHECK ") && l.contains("beraad\", \"health")));
}
