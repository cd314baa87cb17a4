//! No working secret reaches a log line: every route whose path carries a secret (the route
//! table's `{token}` parameters) is used, and the captured log output is searched for it.

use std::process::{Command, Stdio};
use std::time::Duration;

use beraad::http::log_path::SECRET_PARAMS;

const BIN: &str = env!("CARGO_BIN_EXE_beraad");

/// Kills the server when the test ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// The real binary, with its own log set-up, writing to a file that is searched afterwards.
#[tokio::test]
async fn secret_path_segments_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log_path = dir.path().join("server.log");
    let log_file = std::fs::File::create(&log_path).unwrap();
    let child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--database-url")
        .arg(format!("sqlite://{}", dir.path().join("beraad.db").display()))
        .env("RUST_LOG", "debug,sqlx=warn")
        .env_remove("BERAAD_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log_file))
        .spawn()
        .expect("the server starts");
    let mut child = Child(child);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(std::time::Instant::now() < deadline, "the server answers");
        assert!(child.0.try_wait().unwrap().is_none(), "the server exited");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut secrets = Vec::new();
    for (i, route) in beraad::http::routes::table().into_iter().enumerate() {
        let (method, template) = (route.method, route.path);
        if !SECRET_PARAMS.iter().any(|p| template.contains(p)) {
            continue;
        }
        let secret = format!("Gehe1mToken{i:02}x{}", "q".repeat(28));
        let mut path = template.to_string();
        for p in SECRET_PARAMS {
            path = path.replace(p, &secret);
        }
        // Parameters that are not secret ({id} …) get a plain value.
        let path = regex_lite::Regex::new(r"\{[^}]+\}").unwrap().replace_all(&path, "1").into_owned();
        // Also mistyped (a trailing slash, an extra segment), which matches no route.
        for url in [format!("{base}{path}"), format!("{base}{path}/"), format!("{base}{path}/x")] {
            let res = http.request(method.clone(), &url).form(&[("name", "x")]).send().await.unwrap();
            let _ = res.text().await;
        }
        secrets.push((template, secret));
    }
    assert!(secrets.len() >= 4, "the set-up and invite links are in the route table");
    drop(child);
    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(text.contains("/uitnodiging/{token}"), "requests were logged: {text}");
    for (template, secret) in &secrets {
        assert!(!text.contains(secret.as_str()), "{template}: its secret is in the log:\n{text}");
    }
}
