//! Tests in headless Chromium through chromedriver (Debian's `chromium` and `chromium-driver`).
//! Without chromedriver they are skipped with a note, unless `BERAAD_REQUIRE_BROWSER` is set
//! (as `.ci/run` does after installing both).

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::harness::TestApp;
use crate::processes::ProcessGroup;

/// A running chromedriver; each [`Context`] it opens is a separate browser profile (its own
/// cookies and local storage), like a separate person's browser.
///
/// Dropping it (when the test ends, passes, fails or panics) ends chromedriver and every
/// Chromium it started: first politely (chromedriver's `/shutdown` closes its browsers), then
/// by killing its process group, which its Chromium processes share. Chromium's profiles and
/// temporary files live in the driver's own temporary directory (its `TMPDIR`), removed after.
pub struct Driver {
    port: u16,
    group: ProcessGroup,
    /// `TMPDIR` of chromedriver and Chromium, and the parent of every context's profile.
    tmp: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.shutdown();
        self.group.end(Duration::from_secs(5));
    }
}

pub struct Context {
    pub client: Client,
}

/// A driver and one context.
pub struct Browser {
    pub client: Client,
    _driver: Driver,
}

/// chromedriver, or `None` (after saying so) when it is not installed.
pub fn driver() -> Option<Driver> {
    if Command::new("chromedriver").arg("--version").output().is_err() {
        if std::env::var_os("BERAAD_REQUIRE_BROWSER").is_some() {
            panic!("BERAAD_REQUIRE_BROWSER is set but chromedriver is not installed");
        }
        let _ = writeln!(
            std::io::stderr(),
            "\nnote: browser tests skipped: install chromium and chromium-driver\n"
        );
        return None;
    }
    crate::processes::sweep_orphans();
    let tmp = crate::harness::temp_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = Command::new("chromedriver");
    command
        .arg(format!("--port={port}"))
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    Some(Driver { port, group: ProcessGroup::spawn(command), tmp })
}

impl Driver {
    /// A new headless Chromium with its own empty profile, `width` × `height` pixels.
    pub async fn context(&self, width: u32, height: u32) -> Context {
        self.context_with(width, height, None).await
    }

    /// A phone: Chromium's mobile emulation with a viewport of exactly `width` × `height` CSS
    /// pixels (a desktop window cannot be made narrower than about 500 px).
    pub async fn phone_context(&self, width: u32, height: u32) -> Context {
        let metrics =
            json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": true}});
        self.context_with(width.max(500), height, Some(metrics)).await
    }

    async fn context_with(&self, width: u32, height: u32, mobile: Option<Value>) -> Context {
        let profile = tempfile::Builder::new().prefix("profile").tempdir_in(self.tmp.path()).unwrap();
        // Removed with the driver's directory, after Chromium has gone.
        let profile = profile.keep();
        let caps = json!({"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.display())
        ]}});
        let mut caps: serde_json::Map<String, Value> = caps.as_object().unwrap().clone();
        if let Some(mobile) = mobile {
            caps["goog:chromeOptions"]["mobileEmulation"] = mobile;
        }
        // Two TLS back-ends are linked into the tests (ring through the server's mail client,
        // aws-lc-rs through this WebDriver client), so rustls cannot pick one by itself; the
        // WebDriver speaks plain HTTP on 127.0.0.1, and either would do.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::rustls()
                .unwrap()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("chromedriver did not answer: {e}"),
            }
        };
        Context { client }
    }

    /// chromedriver's process group (its Chromium processes are in it too).
    pub fn process_group(&self) -> &ProcessGroup {
        &self.group
    }

    /// Asks chromedriver to close its browsers and exit (`GET /shutdown`), and waits briefly
    /// for it. Blocking, as it runs in `drop`; failures are left to the kill that follows.
    fn shutdown(&self) {
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else { return };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
        let request = "GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.read_to_end(&mut Vec::new());
        }
    }
}

/// A headless Chromium, or `None` (after saying so) when chromedriver is not installed.
pub async fn browser() -> Option<Browser> {
    let driver = driver()?;
    let Context { client } = driver.context(1280, 1000).await;
    Some(Browser { client, _driver: driver })
}

/// Waits until `count(css)` satisfies `ok`.
pub async fn wait_count(c: &Client, css: &str, ok: impl Fn(usize) -> bool) -> usize {
    let started = Instant::now();
    loop {
        let n = c.find_all(Locator::Css(css)).await.unwrap().len();
        if ok(n) {
            return n;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{css}: {n} elements");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Signs `user` in through the sign-in page (`/inloggen`) and waits until it is done.
pub async fn sign_in(c: &Client, app: &TestApp, user: &crate::harness::TestUser) {
    c.goto(&app.url("/inloggen")).await.unwrap();
    c.find(Locator::Id("email")).await.unwrap().send_keys(&user.email).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(crate::harness::PASSWORD).await.unwrap();
    c.find(Locator::Css("form.account-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let started = Instant::now();
    while c.current_url().await.unwrap().path() == "/inloggen" {
        assert!(started.elapsed() < Duration::from_secs(10), "signed in");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn the_case_editor_highlights_replaces_and_keeps_findings_before_a_session_exists() {
    let Some(browser) = browser().await else { return };
    let c = &browser.client;
    let app = TestApp::sqlite_same_origin().await;
    // The moderator signs in first: only a signed-in moderator creates sessions.
    let moderator = app.browser_user("moderator").await;
    sign_in(c, &app, &moderator).await;
    c.goto(&app.url("/sessions/new")).await.unwrap();
    assert_eq!(text_of(c, "h1").await, "Nieuwe sessie");
    c.find(Locator::Id("title")).await.unwrap().send_keys("Verlaging na een gemiste afspraak").await.unwrap();
    c.find(Locator::Id("moderator_name")).await.unwrap().send_keys("Gespreksleider").await.unwrap();
    let case = "Mevrouw Jansen miste de afspraak. Ze belde later vanaf 06-12345678. Mevrouw Jansen vroeg om uitstel.";
    c.find(Locator::Id("case_text")).await.unwrap().send_keys(case).await.unwrap();

    // Creating before resolving is refused on the page, and nothing is stored.
    c.find(Locator::Id("create")).await.unwrap().click().await.unwrap();
    let started = Instant::now();
    while text_of(c, "#form-error").await.is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10), "an error is shown");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(text_of(c, "#form-error").await.contains("open"), "{}", text_of(c, "#form-error").await);

    // Highlighted: both mentions of the name and the phone number.
    let marks = wait_count(c, "#preview mark", |n| n >= 3).await;
    assert_eq!(marks, 3);
    // One click replaces both mentions of the same person with one label.
    let replace = c.find(Locator::Css("#findings li .replace")).await.unwrap();
    assert!(replace.text().await.unwrap().contains("(2×)"), "{}", replace.text().await.unwrap());
    replace.click().await.unwrap();
    wait_count(c, "#preview mark", |n| n == 1).await;
    // Keeping without a reason is refused; with a reason it is accepted.
    c.find(Locator::Css("#findings li .keep")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(c, "#findings-status").await, "Geef een reden om dit gegeven aan te houden.");
    c.find(Locator::Css("#findings li .reason"))
        .await
        .unwrap()
        .send_keys("nummer van de gemeente zelf")
        .await
        .unwrap();
    c.find(Locator::Css("#findings li .keep")).await.unwrap().click().await.unwrap();
    wait_count(c, "#findings li.kept", |n| n == 1).await;

    c.find(Locator::Id("create")).await.unwrap().click().await.unwrap();
    // Created: straight into the room, as its moderator, with the invite link and its QR code.
    let started = Instant::now();
    let session_id = loop {
        let url = c.current_url().await.unwrap();
        if let Some(id) = url.path().strip_prefix("/sessies/") {
            break id.to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "error: {}", text_of(c, "#form-error").await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    wait_count(c, "#invite-qr svg", |n| n == 1).await;
    let link =
        c.find(Locator::Id("invite-link")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert!(link.contains(&format!("/sessies/{session_id}/deelnemen#")), "{link}");
    assert_eq!(link.split('#').nth(1).unwrap().len(), 43, "the invite code is in the link's fragment");

    // What was stored: the case without the name, the review with what was replaced and kept.
    let store = app.store();
    let events = store.events_since(&session_id, 0, 10).await.unwrap();
    let case_text = events[0].payload["case_text"].as_str().unwrap().to_owned();
    assert!(!case_text.contains("Jansen"), "{case_text}");
    assert!(case_text.contains("06-12345678"), "kept with a reason: {case_text}");
    let review = store.anonymisation_review(&session_id).await.unwrap().unwrap();
    assert_eq!(review["replaced"]["name"], 2, "{review}");
    assert_eq!(review["kept"][0]["kind"], "phone");
    assert_eq!(review["kept"][0]["reason"], "nummer van de gemeente zelf");
    assert_eq!(review["reviewer"], "Gespreksleider");
}

/// A browser test that panics leaves nothing behind: not chromedriver, not a Chromium process
/// (browser, zygotes, renderers, crash handler), not its profile or temporary files.
#[test]
fn a_panicking_browser_test_leaves_no_process_and_no_files() {
    if driver_missing() {
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let driver = driver().expect("chromedriver");
            let ctx = driver.context(800, 600).await;
            ctx.client.goto("about:blank").await.unwrap();
            let members = driver.process_group().members();
            tx.send((driver.process_group().pgid(), members, driver.tmp.path().to_owned())).unwrap();
            panic!("the test fails while its browser runs");
        })
    })
    .join();
    assert!(outcome.is_err(), "the test thread panicked");
    let (pgid, members, tmp) = rx.recv().unwrap();
    assert!(members.len() > 2, "chromedriver and Chromium's processes were running: {members:?}");
    let left: Vec<i32> = members.into_iter().filter(|pid| crate::processes::is_alive(*pid)).collect();
    assert!(left.is_empty(), "left running after the panic: {left:?} (group {pgid})");
    let group = crate::processes::live_in_group(pgid);
    assert!(group.is_empty(), "chromedriver's process group {pgid} still has {group:?}");
    assert!(!tmp.exists(), "{} (profiles, Chromium's temporary files) is removed", tmp.display());
}

/// `true` (after saying so) when chromedriver is not installed and the browser tests are skipped.
fn driver_missing() -> bool {
    Command::new("chromedriver").arg("--version").output().is_err() && driver().is_none()
}

/// Saves a screenshot of `c` as `docs/screenshots/<name>` when `BERAAD_SCREENSHOTS` is set.
pub async fn screenshot(c: &Client, name: &str) {
    if std::env::var_os("BERAAD_SCREENSHOTS").is_none() {
        return;
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), c.screenshot().await.unwrap()).unwrap();
}

/// Asserts that the page in `c` fits `width` px (a phone's): no sideways scrolling, and no box
/// whose content sticks out of it or out of that width (inside a scrolling box, such as
/// a wide table's wrapper, is fine).
pub async fn assert_fits_width(c: &Client, what: &str, width: u32) {
    const CHECK: &str = r#"
        const width = arguments[0];
        const scrolls = (e) => {
            for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
            }
            return false;
        };
        const out = [];
        if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth} px`);
        for (const e of document.body.querySelectorAll("*")) {
            const style = getComputedStyle(e);
            if (style.display === "none" || style.visibility === "hidden" || e.closest("[hidden]")) continue;
            const rect = e.getBoundingClientRect();
            if (rect.width === 0 || scrolls(e)) continue;
            const spills = e.clientWidth > 0 && style.overflowX === "visible" && e.scrollWidth > e.clientWidth + 1;
            if (rect.right > width + 1 || spills) {
                out.push(`${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent || "").trim().slice(0, 40)}`);
            }
        }
        return out;
    "#;
    let offenders = c.execute(CHECK, vec![json!(width)]).await.unwrap();
    assert_eq!(offenders, json!([]), "{what} does not fit {width} px");
}
