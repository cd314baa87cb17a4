//! Single sign-on against a real OpenID provider: `tests/oidc/provider.mjs` runs the certified
//! `oidc-provider` package under Node on 127.0.0.1, plus a stub provider of our own that signs
//! ID tokens wrong on purpose (a tampered signature, another audience, expired), which the
//! real provider cannot be made to do. `beraad serve` runs as a process pointed at one of them;
//! the flow is driven with an HTTP client that keeps cookies and follows the redirects by hand
//! (the provider's login is answered without a form for the chosen test account).
//!
//! Skipped with a message when `node` or `tests/oidc/node_modules` is missing, unless
//! `BERAAD_REQUIRE_OIDC` is set (`.ci/run` installs it with `npm ci --prefix tests/oidc`).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::cli::spawn_serve_on;
use crate::harness::{fresh_sqlite, organisation_on, store_on};
use crate::processes::{KillOnDrop, ProcessGroup};
use beraad::config::DatabaseConfig;
use beraad::store::{DynStore, NewUser, UserRole};

const REQUIRE_OIDC_ENV: &str = "BERAAD_REQUIRE_OIDC";
const SECRET: &str = "beraad-test-client-secret";
const CALLBACK: &str = "/inloggen/oidc/terug";

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// Whether node and the provider's packages are there; else skip (or fail under CI).
fn available() -> bool {
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let installed = provider_dir().join("node_modules/oidc-provider").is_dir();
    if node && installed {
        return true;
    }
    let why = if node {
        "tests/oidc/node_modules is missing (npm ci --prefix tests/oidc)"
    } else {
        "node is not installed"
    };
    if std::env::var_os(REQUIRE_OIDC_ENV).is_some() {
        panic!("{REQUIRE_OIDC_ENV} is set but {why}");
    }
    eprintln!("skipping the single sign-on tests: {why}");
    false
}

/// The two providers, for a Beraad at `base` (its redirect URI and start page registered).
struct Providers {
    _node: ProcessGroup,
    issuer: String,
    stub: String,
}

fn providers(base: &str) -> Providers {
    let mut command = Command::new("node");
    command
        .current_dir(provider_dir())
        .args(["provider.mjs", &format!("{base}{CALLBACK}"), &format!("{base}/"), SECRET])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut node = ProcessGroup::spawn(command);
    let mut line = String::new();
    let mut out = std::io::BufReader::new(node.take_stdout().unwrap());
    out.read_line(&mut line).unwrap();
    // Keep reading what it writes later (its development warnings), so it never meets a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let started: Value =
        serde_json::from_str(&line).unwrap_or_else(|_| panic!("the provider started: {line:?}"));
    let issuer = started["issuer"].as_str().unwrap().to_owned();
    let stub = started["stub"].as_str().unwrap().to_owned();
    Providers { _node: node, issuer, stub }
}

/// A Beraad server (a process) with single sign-on at `issuer`, and its database.
struct Beraad {
    store: DynStore,
    _server: KillOnDrop,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn beraad(port: u16, issuer: &str, extra: &[&str]) -> Beraad {
    let (database, dir) = fresh_sqlite();
    let DatabaseConfig::Sqlite { path } = &database else { unreachable!() };
    let secret = dir.path().join("client-secret");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut args = vec![
        "--base-url".to_owned(),
        format!("{base}/"),
        "--oidc-issuer".into(),
        issuer.into(),
        "--oidc-client-id".into(),
        "beraad".into(),
        "--oidc-client-secret-file".into(),
        secret.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let url = format!("sqlite://{}", path.display());
    let (server, _) = spawn_serve_on(&format!("127.0.0.1:{port}"), &url, dir.path(), &args);
    let store = store_on(&database).await;
    Beraad { store, _server: server, _dir: dir }
}

/// A browser: keeps cookies (Beraad's and the provider's), follows no redirect by itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn location(res: &reqwest::Response) -> String {
    let to = res.headers().get("location").expect("a redirect").to_str().unwrap();
    res.url().join(to).unwrap().to_string()
}

/// Begins a sign-in and follows the redirects through the provider until it sends the browser
/// back to Beraad: the callback URL (with code and state), not yet opened.
async fn to_callback(browser: &reqwest::Client, base: &str) -> String {
    let mut res = browser.get(format!("{base}/inloggen/oidc?next=/methoden")).send().await.unwrap();
    for _ in 0..12 {
        if !res.status().is_redirection() {
            let url = res.url().clone();
            panic!("{url}: {} {}", res.status(), res.text().await.unwrap());
        }
        let to = location(&res);
        if to.starts_with(&format!("{base}{CALLBACK}")) {
            return to;
        }
        res = browser.get(&to).send().await.unwrap();
    }
    panic!("the provider did not send the browser back");
}

/// A whole sign-in: the callback's answer.
async fn sign_in(browser: &reqwest::Client, base: &str) -> reqwest::Response {
    let callback = to_callback(browser, base).await;
    browser.get(callback).send().await.unwrap()
}

/// Chooses who the real provider signs in next.
async fn choose(p: &Providers, account: Value) {
    let res = reqwest::Client::new()
        .post(format!("{}/test/account", p.issuer))
        .json(&account)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

/// Tells the stub how to sign its next ID token.
async fn stub_mode(p: &Providers, mode: &str, sub: &str, email: &str) {
    let body = json!({"mode": mode, "sub": sub, "email": email});
    let res = reqwest::Client::new().post(format!("{}/test/mode", p.stub)).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 204);
}

/// Asserts a signed-in answer: to `next`, and the start page greets `name`.
async fn assert_signed_in(browser: &reqwest::Client, base: &str, res: reqwest::Response, name: &str) {
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    assert_eq!(location(&res), format!("{base}/methoden"));
    let page = browser.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(name), "signed in as {name}");
}

/// Asserts a refused sign-in: `status`, the message in Dutch, no session cookie.
async fn assert_refused(res: reqwest::Response, status: u16, message: &str) {
    assert_eq!(res.status(), status);
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("beraad_session="));
    assert!(!session, "no session for a refused sign-in");
    let page = res.text().await.unwrap();
    assert!(page.contains(message), "{message:?} in {page}");
}

async fn existing_user(store: &DynStore, email: &str, role: UserRole) -> i64 {
    let org = organisation_on(store).await;
    let new = NewUser {
        organisation_id: org,
        email: email.into(),
        display_name: "Bestaande Collega".into(),
        role,
        password_hash: None,
        now_ms: beraad::clock::now_ms(),
    };
    store.create_user(&beraad::guard::screen(new).unwrap()).await.unwrap().id
}

/// The audit log's `action target result` lines.
async fn audit(store: &DynStore) -> Vec<String> {
    store
        .audit_log()
        .await
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e.fact.action, e.fact.subject, e.fact.result))
        .collect()
}

#[tokio::test]
async fn sign_in_through_a_real_openid_provider() {
    if !available() {
        return;
    }
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let p = providers(&base);
    let role_args = [
        "--oidc-default-role",
        "member",
        "--oidc-role-claim",
        "groups",
        "--oidc-role-map",
        "beraad-moderators=moderator",
        "--oidc-scopes",
        "openid email profile groups",
    ];
    let b = beraad(port, &p.issuer, &role_args).await;
    let store = &b.store;

    // The sign-in page offers the organisation's account and (still) the password form.
    let res = reqwest::get(format!("{base}/inloggen")).await.unwrap();
    // The sign-out form may lead on to the provider's logout (CSP form-action).
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains(&format!("form-action 'self' {}", p.issuer)), "{csp}");
    let page = res.text().await.unwrap();
    assert!(page.contains("Inloggen met je organisatieaccount"));
    assert!(page.contains("name=\"password\""));
    let en = reqwest::get(format!("{base}/inloggen?lang=en")).await.unwrap().text().await.unwrap();
    assert!(en.contains("Sign in with your organisation account"));

    // 1. An existing account is linked once, by its verified address, and signed in.
    let existing = existing_user(store, "bestaand@example.org", UserRole::Member).await;
    let person = json!({"sub": "sub-bestaand", "email": "Bestaand@example.org", "email_verified": true,
                        "name": "Bestaande Collega", "groups": []});
    choose(&p, person.clone()).await;
    let first = browser();
    assert_signed_in(&first, &base, sign_in(&first, &base).await, "Bestaande Collega").await;
    assert_eq!(store.oidc_user(&p.issuer, "sub-bestaand", 0).await.unwrap(), Some(existing));
    let log = audit(store).await;
    assert!(log.contains(&format!("oidc_linked user:{existing} issuer:{} ok", p.issuer)), "{log:?}");
    assert!(log.contains(&"sign_in oidc linked ok".to_owned()), "{log:?}");
    // Again, with another browser: matched by sub now; the role stays (no group mapped).
    let again = browser();
    assert_signed_in(&again, &base, sign_in(&again, &base).await, "Bestaande Collega").await;
    assert_eq!(store.user(existing).await.unwrap().unwrap().role, UserRole::Member);

    // 2. Someone unknown is made on first sign-in, in the default role.
    choose(
        &p,
        json!({"sub": "sub-nieuw", "email": "nieuw@example.org", "email_verified": true,
                      "name": "Nieuwe Collega", "groups": ["iets-anders"]}),
    )
    .await;
    let new = browser();
    assert_signed_in(&new, &base, sign_in(&new, &base).await, "Nieuwe Collega").await;
    let made = store.user_by_email("nieuw@example.org").await.unwrap().expect("made");
    assert_eq!(
        (made.role, made.display_name.as_str(), made.password_hash),
        (UserRole::Member, "Nieuwe Collega", None)
    );
    assert!(audit(store)
        .await
        .contains(&format!("oidc_account_created user:{} issuer:{} ok", made.id, p.issuer)));

    // 3. The role mapping: a new moderator from the group, and the existing member promoted.
    choose(
        &p,
        json!({"sub": "sub-mod", "email": "mod@example.org", "email_verified": true,
                      "name": "Gespreks Leider", "groups": ["beraad-moderators", "iets-anders"]}),
    )
    .await;
    let moderator = browser();
    assert_signed_in(&moderator, &base, sign_in(&moderator, &base).await, "Gespreks Leider").await;
    assert_eq!(store.user_by_email("mod@example.org").await.unwrap().unwrap().role, UserRole::Moderator);
    let mut promoted = person.clone();
    promoted["groups"] = json!(["beraad-moderators"]);
    choose(&p, promoted).await;
    let third = browser();
    assert_signed_in(&third, &base, sign_in(&third, &base).await, "Bestaande Collega").await;
    assert_eq!(store.user(existing).await.unwrap().unwrap().role, UserRole::Moderator);
    assert!(audit(store).await.contains(&format!("role_changed user:{existing} role:moderator via:oidc ok")));

    // 4. A replayed state: the same answer from the provider opened twice signs in once.
    choose(&p, person.clone()).await;
    let replayer = browser();
    let callback = to_callback(&replayer, &base).await;
    assert_eq!(replayer.get(&callback).send().await.unwrap().status(), 303);
    let replay = replayer.get(&callback).send().await.unwrap();
    assert_refused(replay, 400, "al gebruikt").await;
    // The provider's answer opened in another browser (no binding cookie) is refused too.
    let victim = browser();
    let stolen = to_callback(&victim, &base).await;
    assert_refused(reqwest::Client::new().get(&stolen).send().await.unwrap(), 400, "andere browser").await;
    // A state nobody made.
    let made_up = format!("{base}{CALLBACK}?code=x&state=verzonnen");
    assert_refused(victim.get(&made_up).send().await.unwrap(), 400, "Begin opnieuw").await;
    assert!(audit(store).await.contains(&"sign_in oidc:state failed".to_owned()));

    // 5. An address the provider does not vouch for is not linked to the account that has it.
    choose(&p, json!({"sub": "sub-ander", "email": "bestaand@example.org", "email_verified": false, "name": "Iemand"})).await;
    let other = browser();
    assert_refused(sign_in(&other, &base).await, 403, "bevestigt niet").await;
    assert_eq!(store.oidc_user(&p.issuer, "sub-ander", 0).await.unwrap(), None);

    // 6. Signing out ends the session and goes on to the provider's logout.
    let res = first
        .post(format!("{base}/uitloggen"))
        .header("origin", &base)
        .header("x-csrf-token", csrf(&first, &base).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.starts_with(&format!("{}/session/end?", p.issuer)), "{to}");
    assert!(to.contains("client_id=beraad") && to.contains("post_logout_redirect_uri="), "{to}");
    let page = first.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Bestaande Collega"), "signed out");
    // The provider's logout page answers (it asks the person to confirm).
    assert_eq!(first.get(&to).send().await.unwrap().status(), 200);
}

/// The CSRF token of the browser's session (from the page's meta tag).
async fn csrf(browser: &reqwest::Client, base: &str) -> String {
    let page = browser.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    let start = page.find("name=\"csrf-token\" content=\"").expect("a signed-in page") + 27;
    page[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn id_tokens_that_are_tampered_for_another_client_or_expired_are_refused() {
    if !available() {
        return;
    }
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let p = providers(&base);
    let b = beraad(port, &p.stub, &["--password-sign-in", "off", "--oidc-default-role", "none"]).await;
    let store = &b.store;

    // Password sign-in is off: the page offers the provider only, and the form post is refused.
    let page = reqwest::get(format!("{base}/inloggen")).await.unwrap().text().await.unwrap();
    assert!(page.contains("Inloggen met je organisatieaccount"));
    assert!(!page.contains("name=\"password\""));
    let res = reqwest::Client::new()
        .post(format!("{base}/inloggen"))
        .form(&[("email", "iemand@example.org"), ("password", "een lang genoeg wachtwoord")])
        .send()
        .await
        .unwrap();
    assert_refused(res, 403, "staat uit").await;

    // Unknown, and no default role: refused with a clear message, nothing made.
    stub_mode(&p, "good", "sub-onbekend", "onbekend@example.org").await;
    let stranger = browser();
    assert_refused(sign_in(&stranger, &base).await, 403, "nog geen toegang").await;
    assert!(store.user_by_email("onbekend@example.org").await.unwrap().is_none());

    // The stub's good token signs a known person in (so the refusals below are the token's).
    let known = existing_user(store, "stub@example.org", UserRole::Member).await;
    stub_mode(&p, "good", "stub-subject", "stub@example.org").await;
    let good = browser();
    assert_signed_in(&good, &base, sign_in(&good, &base).await, "Bestaande Collega").await;
    assert_eq!(store.oidc_user(&p.stub, "stub-subject", 0).await.unwrap(), Some(known));

    for (mode, message, code) in [
        ("tampered", "handtekening klopt niet", "signature"),
        ("wrong_aud", "andere toepassing", "audience"),
        ("expired", "is verlopen", "expired"),
    ] {
        stub_mode(&p, mode, "stub-subject", "stub@example.org").await;
        let b = browser();
        assert_refused(sign_in(&b, &base).await, 401, message).await;
        let page = b.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("Bestaande Collega"), "{mode}: not signed in");
        assert!(audit(store).await.contains(&format!("sign_in oidc:{code} failed")), "{mode}");
    }
    // The English page says it in English.
    stub_mode(&p, "expired", "stub-subject", "stub@example.org").await;
    let english = browser();
    let callback = to_callback(&english, &base).await;
    let res = english.get(format!("{callback}&lang=en")).send().await.unwrap();
    assert_refused(res, 401, "proof of identity has expired").await;
}
