//! No working secret reaches a log line: every route whose path carries a secret (the route
//! table's `{token}` parameters) is used, and the captured log output is searched for it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use beraad::http::authz::routes::ROUTES;
use beraad::http::log_path::SECRET_PARAMS;

use crate::harness::TestApp;

/// Log output written to memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

// A current-thread runtime: the server's tasks run on this thread, under its default subscriber.
#[tokio::test(flavor = "current_thread")]
async fn secret_path_segments_never_reach_the_log() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = TestApp::sqlite().await;
    let user = app.user("admin").await;

    let mut secrets = Vec::new();
    for (i, (method, template, _)) in ROUTES.iter().enumerate() {
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
        // As a visitor and signed in; also mistyped (trailing slash), which matches no route.
        for url in [app.url(&path), app.url(&format!("{path}/"))] {
            for client in [&app.http, &user.http] {
                let res = client.request(method.clone(), &url).form(&[("name", "x")]).send().await.unwrap();
                let _ = res.text().await;
            }
        }
        secrets.push((template, secret));
    }
    assert!(secrets.len() >= 4, "the set-up and invite links are in the route table");
    let text = log.text();
    assert!(text.contains("/uitnodiging/{token}"), "requests were logged: {text}");
    for (template, secret) in &secrets {
        assert!(!text.contains(secret.as_str()), "{template}: its secret is in the log:\n{text}");
    }
}
