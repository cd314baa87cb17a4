//! Accounts on the web, on both backends: sign-in and its cookie, the generic error, throttling,
//! new session ids, sign-out, idle and absolute timeouts, invites (single use, expiry), CSRF and
//! origin checks, role changes, the audit trail and the security headers.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{redirect, Response, StatusCode};

use crate::harness::{on_both_backends, TestApp};
use beraad::config::DatabaseConfig;
use beraad::store::{NewOrganisation, NewTeam, NewUser, User, UserRole};

pub const PASSWORD: &str = "een lange zin als wachtwoord";

/// A browser without a cookie jar: the test sees and sets cookies itself.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub cookie: Option<String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        let client = reqwest::Client::builder().redirect(redirect::Policy::none()).build().unwrap();
        Browser { base: app.base.clone(), client, cookie: None }
    }

    fn with_cookie(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(c) => req.header(COOKIE, c),
            None => req,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.with_cookie(self.client.get(format!("{}{path}", self.base))).send().await.unwrap()
    }

    /// A form post with the given fields (add `csrf_token` yourself).
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.post_with(path, form, &[]).await
    }

    pub async fn post_with(&self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
        let mut req = self.with_cookie(self.client.post(format!("{}{path}", self.base))).form(form);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send().await.unwrap()
    }

    /// Signs in (already signed in: with the session's CSRF token, as the page's form does); on
    /// success keeps the session cookie (`name=value`).
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        let token = match &self.cookie {
            Some(_) => token_in(&self.get("/inloggen").await.text().await.unwrap()),
            None => None,
        };
        let mut form = vec![("email", email), ("password", password), ("next", "")];
        if let Some(t) = &token {
            form.push(("csrf_token", t));
        }
        let resp = self.post("/inloggen", &form).await;
        if let Some(c) = session_cookie(&resp) {
            self.cookie = Some(c);
        }
        resp
    }

    /// Follows the redirect after a form post as a browser does: to its location, with the
    /// flash cookie it set (the page shows its message once).
    pub async fn follow(&self, resp: Response) -> Response {
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "a form post answers with a redirect");
        let to = resp.headers()[LOCATION].to_str().unwrap().to_owned();
        let mut cookies: Vec<String> = self.cookie.iter().cloned().collect();
        cookies.extend(
            resp.headers()
                .get_all(SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter(|c| c.starts_with("beraad_flash="))
                .map(|c| c.split(';').next().unwrap().to_owned()),
        );
        let mut req = self.client.get(format!("{}{to}", self.base));
        if !cookies.is_empty() {
            req = req.header(COOKIE, cookies.join("; "));
        }
        req.send().await.unwrap()
    }

    /// The CSRF token of the current session, read from a page's forms.
    pub async fn csrf_token(&self) -> String {
        let body = self.get("/beheer").await.text().await.unwrap();
        token_in(&body).expect("a signed-in page carries the CSRF token")
    }
}

/// An HTML page's text with minijinja's escaping of `/` undone.
pub fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
}

pub fn token_in(html: &str) -> Option<String> {
    let re = regex_lite::Regex::new(r#"name="csrf_token" value="([A-Za-z0-9_-]+)""#).unwrap();
    re.captures(html).map(|c| c[1].to_owned())
}

/// The raw `Set-Cookie` of the session cookie, if the response sets one.
pub fn set_cookie_header(resp: &Response) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("beraad_session=") || v.starts_with("__Host-beraad_session="))
        .map(str::to_owned)
}

/// `name=value` of a session cookie being set (not cleared).
pub fn session_cookie(resp: &Response) -> Option<String> {
    let header = set_cookie_header(resp)?;
    let pair = header.split(';').next()?.to_owned();
    (!pair.ends_with('=')).then_some(pair)
}

/// An organisation with a team and an admin (password `PASSWORD`), made through the store.
pub async fn admin(app: &TestApp, email: &str) -> User {
    let store = app.store();
    let org = match store.organisation_by_code("GEM").await.unwrap() {
        Some(o) => o,
        None => store
            .create_organisation(
                &beraad::guard::screen(NewOrganisation {
                    code: "GEM".into(),
                    name: "Gemeente".into(),
                    now_ms: 1,
                })
                .unwrap(),
            )
            .await
            .unwrap(),
    };
    let hash = beraad::passwords::hash(PASSWORD.into()).await;
    store
        .create_user(
            &beraad::guard::screen(NewUser {
                organisation_id: org.id,
                email: email.into(),
                display_name: "Ada Admin".into(),
                role: UserRole::Admin,
                password_hash: Some(hash),
                now_ms: 1,
            })
            .unwrap(),
        )
        .await
        .unwrap()
}

/// Runs one SQL statement on the test's database, behind the server's back.
pub async fn exec(database: &DatabaseConfig, sql: &str) {
    use sqlx::Connection;
    match database {
        DatabaseConfig::Sqlite { path } => {
            let mut c =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        DatabaseConfig::Postgres { url } => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }
}

/// The text column of every row `sql` selects.
async fn strings(database: &DatabaseConfig, sql: &str) -> Vec<String> {
    use sqlx::Connection;
    match database {
        DatabaseConfig::Sqlite { path } => {
            let mut c =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap()
        }
        DatabaseConfig::Postgres { url } => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap()
        }
    }
}

fn location(resp: &Response) -> String {
    resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The actions and results in the audit log, oldest first.
async fn audit_trail(app: &TestApp) -> Vec<(String, String)> {
    let store = app.store();
    store.audit_log().await.unwrap().into_iter().map(|e| (e.fact.action, e.fact.result)).collect()
}

on_both_backends! {
    async fn sign_in_sets_an_http_only_lax_cookie_and_opens_admin_pages(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        // Not signed in: the admin page sends to the sign-in page, remembering where to return.
        let resp = b.get("/beheer").await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&resp), "/inloggen?next=%2Fbeheer");
        let resp = b.sign_in("Ada@Gemeente.nl", PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let set = set_cookie_header(&resp).expect("a session cookie");
        assert!(set.starts_with("beraad_session="), "{set}");
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(flag), "{flag} missing: {set}");
        }
        assert!(!set.contains("Secure"), "not over plain http: {set}");
        let id = set.split(';').next().unwrap().split_once('=').unwrap().1;
        assert!(id.len() >= 22, "at least 128 bits: {id}");
        let page = b.get("/beheer").await;
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("ada@gemeente.nl") && html.contains("Ada Admin"), "{html}");
        // `next` goes back to a local path only.
        let token = b.csrf_token().await;
        let resp = b
            .post("/inloggen", &[("email", "ada@gemeente.nl"), ("password", PASSWORD), ("next", "//evil.example/"), ("csrf_token", &token)])
            .await;
        assert_eq!(location(&resp), "/");
        assert!(audit_trail(&app).await.contains(&("sign_in".into(), "ok".into())));
    }

    async fn wrong_password_and_unknown_account_get_the_same_generic_message(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        let wrong = b.sign_in("ada@gemeente.nl", "niet het wachtwoord").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(set_cookie_header(&wrong).is_none());
        let wrong = wrong.text().await.unwrap();
        let unknown = b.sign_in("niemand@gemeente.nl", "niet het wachtwoord").await;
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        let unknown = unknown.text().await.unwrap();
        assert!(wrong.contains("E-mailadres of wachtwoord onjuist."), "{wrong}");
        let message = |html: &str| {
            regex_lite::Regex::new(r#"id="sign-in-error">([^<]*)<"#).unwrap().captures(html).unwrap()[1].to_owned()
        };
        assert_eq!(message(&wrong), message(&unknown));
        assert!(b.cookie.is_none());
        let trail = audit_trail(&app).await;
        assert_eq!(trail.iter().filter(|(a, r)| a == "sign_in" && r == "failed").count(), 2);
    }

    async fn failures_slow_an_account_down_but_never_lock_a_colleague_out(app) {
        admin(&app, "ada@gemeente.nl").await;
        // Someone else types Ada's address with wrong passwords.
        let mut mallory = Browser::new(&app);
        for _ in 0..6 {
            let resp = mallory.sign_in("ada@gemeente.nl", "fout fout fout").await;
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        }
        // Ada still gets in with her password (after a short wait), also after a restart.
        let app = app.restart().await;
        let mut b = Browser::new(&app);
        let started = std::time::Instant::now();
        let resp = b.sign_in("ada@gemeente.nl", PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "a colleague cannot lock Ada out");
        assert!(set_cookie_header(&resp).is_some());
        // The failures are counted in the database, so the wait survived the restart.
        assert!(started.elapsed() >= std::time::Duration::from_millis(1500), "attempts are slowed down");
    }

    async fn a_failed_sign_in_stores_a_hash_of_what_was_typed_never_the_text(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        // A password typed into the address field.
        let typed = "Zomer2026!Geheim";
        assert_eq!(b.sign_in(typed, "fout fout fout").await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(b.sign_in("Ada@Gemeente.nl", "fout fout fout").await.status(), StatusCode::UNAUTHORIZED);
        let stored = strings(&app.database, "SELECT account FROM sign_in_failures").await;
        assert_eq!(stored.len(), 2);
        for account in &stored {
            assert!(account.starts_with("sha256:") && account.len() == 7 + 64, "{account}");
            assert!(!account.to_lowercase().contains("zomer") && !account.contains("gemeente"), "{account}");
        }
        let targets = strings(&app.database, "SELECT target FROM audit_log").await;
        assert!(!targets.iter().any(|t| t.to_lowercase().contains("zomer")), "{targets:?}");
        // Counted per account all the same: the lowercased address gives the same key.
        for _ in 0..4 {
            b.sign_in("ada@gemeente.nl", "fout fout fout").await;
        }
        let started = std::time::Instant::now();
        assert_eq!(b.sign_in("ADA@gemeente.nl", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        assert!(started.elapsed() >= std::time::Duration::from_millis(900), "the sixth attempt waited");
    }

    async fn a_session_name_over_the_limit_gets_a_message_with_the_real_limit(app) {
        let (session, _, invite) = crate::ws_client::create_session(&app, "dilemma", None).await;
        let max = beraad::domain::session::MAX_DISPLAY_NAME;
        let res = app
            .http
            .post(app.url(&format!("/api/v1/sessions/{session}/join")))
            .json(&serde_json::json!({ "invite_code": invite, "display_name": "N".repeat(max + 1), "role": "participant" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body.to_string().contains(&format!("1 tot {max} tekens")), "{body}");
    }

    async fn one_address_trying_many_accounts_is_throttled(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        for i in 0..20 {
            let email = format!("gok{i}@gemeente.nl");
            assert_eq!(b.sign_in(&email, "fout fout fout").await.status(), StatusCode::UNAUTHORIZED);
        }
        // A 21st attempt from the same address, on an account without failures: refused.
        assert_eq!(b.sign_in("ada@gemeente.nl", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    async fn concurrent_audit_appends_keep_one_chain(app) {
        let store = app.store();
        let writers: Vec<_> = (0..24)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let entry = beraad::audit::Entry {
                        actor: format!("user:{i}"),
                        action: "sign_in",
                        target: String::new(),
                        result: "ok",
                        client: "127.0.0.1".into(),
                    };
                    beraad::audit::record(store.as_ref(), entry).await.unwrap()
                })
            })
            .collect();
        let mut seqs = Vec::new();
        for w in writers {
            seqs.push(w.await.unwrap().seq);
        }
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=24).collect::<Vec<u64>>(), "every append got its own place");
        match beraad::audit::verify(store.as_ref()).await.unwrap() {
            beraad::audit::Verified::Intact { entries } => assert_eq!(entries, 24),
            broken => panic!("{broken:?}"),
        }
    }

    async fn every_sign_in_gets_a_new_session_id_and_ends_the_old_one(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let first = b.cookie.clone().unwrap();
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let second = b.cookie.clone().unwrap();
        assert_ne!(first, second);
        assert_eq!(b.get("/beheer").await.status(), StatusCode::OK);
        b.cookie = Some(first);
        assert_eq!(b.get("/beheer").await.status(), StatusCode::SEE_OTHER, "the session presented at sign-in ended");
    }

    async fn sign_out_ends_the_session(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let mut sign_outs = app.server.as_ref().unwrap().state.sign_outs.subscribe();
        let token = b.csrf_token().await;
        // Without the token the session stays.
        assert_eq!(b.post("/uitloggen", &[]).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(b.get("/beheer").await.status(), StatusCode::OK);
        let resp = b.post("/uitloggen", &[("csrf_token", &token)]).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let cleared = set_cookie_header(&resp).expect("the cookie is cleared");
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert_eq!(b.get("/beheer").await.status(), StatusCode::SEE_OTHER, "the old cookie no longer works");
        let ended = sign_outs.try_recv().expect("websockets are told to close");
        assert!(ended.user_id > 0);
        assert!(audit_trail(&app).await.contains(&("sign_out".into(), "ok".into())));
    }

    async fn idle_and_absolute_timeouts_end_a_session(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        // Seven hours idle: still valid.
        exec(&app.database, "UPDATE web_sessions SET last_seen_at = last_seen_at - 7 * 3600 * 1000, created_at = created_at - 7 * 3600 * 1000").await;
        assert_eq!(b.get("/beheer").await.status(), StatusCode::OK);
        // Eight hours idle: ended.
        exec(&app.database, "UPDATE web_sessions SET last_seen_at = last_seen_at - 8 * 3600 * 1000").await;
        assert_eq!(b.get("/beheer").await.status(), StatusCode::SEE_OTHER);
        // Active all along, but signed in twelve hours ago: ended.
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        exec(&app.database, "UPDATE web_sessions SET created_at = created_at - 12 * 3600 * 1000").await;
        assert_eq!(b.get("/beheer").await.status(), StatusCode::SEE_OTHER);
    }

    async fn an_invite_link_works_once_and_expires(app) {
        let ada = admin(&app, "ada@gemeente.nl").await;
        let team = app
            .store()
            .create_team(&beraad::guard::screen(NewTeam { organisation_id: ada.organisation_id, name: "Team Noord".into(), now_ms: 1 }).unwrap())
            .await
            .unwrap();
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let token = b.csrf_token().await;
        let team_id = team.id.to_string();
        let resp = b
            .post("/admin/invites", &[("csrf_token", &token), ("email", "Bo@Gemeente.nl"), ("role", "moderator"), ("team", &team_id)])
            .await;
        // Redirect after the post (a reload makes no second invite); the page shows the link once.
        let page = b.follow(resp).await;
        let html = unescape(&page.text().await.unwrap());
        assert!(html.contains("Uitnodiging gemaakt voor bo@gemeente.nl"), "a success message: {html}");
        assert!(html.contains(r#"data-copy="invite-link""#), "a copy button");
        let link = regex_lite::Regex::new(r#"id="invite-link" readonly value="http://127\.0\.0\.1/uitnodiging/([A-Za-z0-9_-]{43})""#)
            .unwrap()
            .captures(&html)
            .unwrap_or_else(|| panic!("no link in {html}"))[1]
            .to_owned();
        let listed = b.get("/beheer").await.text().await.unwrap();
        assert!(listed.contains("bo@gemeente.nl") && listed.contains("Team Noord"), "pending invite listed");
        assert!(!listed.contains("/uitnodiging/"), "the link is shown once, not on a reload");

        let bo = Browser::new(&app);
        let path = format!("/uitnodiging/{link}");
        let form = bo.get(&path).await;
        assert_eq!(form.status(), StatusCode::OK);
        // The invite page says which team, role and inviter.
        let text = form.text().await.unwrap();
        assert!(text.contains("bo@gemeente.nl"));
        let facts = text.split(r#"id="invite-facts""#).nth(1).unwrap();
        for expected in ["Team Noord", "Gespreksleider", "Ada"] {
            assert!(facts.contains(expected), "{expected} in {facts}");
        }
        let short = bo.post(&path, &[("name", "Bo"), ("password", "te kort")]).await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.text().await.unwrap().contains("minstens 12 tekens"));
        // Names have the same limit as in a live session (where the account's name is used), and
        // the message states it.
        let max = beraad::domain::session::MAX_DISPLAY_NAME;
        let long = "B".repeat(max + 1);
        let refused = bo.post(&path, &[("name", long.as_str()), ("password", PASSWORD)]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains(&format!("hoogstens {max} tekens")));
        let resp = bo.post(&path, &[("name", "Bo Moderator"), ("password", PASSWORD)]).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert!(session_cookie(&resp).is_some(), "signed in at once");
        let bo_user = app.store().user_by_email("bo@gemeente.nl").await.unwrap().unwrap();
        assert_eq!(bo_user.role, UserRole::Moderator);
        assert_eq!(app.store().teams_of_user(bo_user.id).await.unwrap()[0].id, team.id);
        // Single use.
        let again = Browser::new(&app);
        assert_eq!(again.get(&path).await.status(), StatusCode::GONE);
        assert_eq!(again.post(&path, &[("name", "Eve"), ("password", PASSWORD)]).await.status(), StatusCode::GONE);
        let mut bo_signs_in = Browser::new(&app);
        assert_eq!(bo_signs_in.sign_in("bo@gemeente.nl", PASSWORD).await.status(), StatusCode::SEE_OTHER);

        // Expiry: an invite past its date opens nothing.
        let resp = b.post("/admin/invites", &[("csrf_token", &token), ("email", "cas@gemeente.nl"), ("role", "member"), ("team", "")]).await;
        let html = unescape(&b.follow(resp).await.text().await.unwrap());
        let cas = regex_lite::Regex::new(r"/uitnodiging/([A-Za-z0-9_-]{43})").unwrap().captures(&html).unwrap()[1].to_owned();
        exec(&app.database, "UPDATE account_tokens SET expires_at = created_at + 1 WHERE email = 'cas@gemeente.nl'").await;
        let path = format!("/uitnodiging/{cas}");
        assert_eq!(again.get(&path).await.status(), StatusCode::GONE);
        assert_eq!(again.post(&path, &[("name", "Cas"), ("password", PASSWORD)]).await.status(), StatusCode::GONE);
        assert!(app.store().user_by_email("cas@gemeente.nl").await.unwrap().is_none());
        let trail = audit_trail(&app).await;
        assert!(trail.contains(&("invite_created".into(), "ok".into())));
        assert!(trail.contains(&("invite_accepted".into(), "ok".into())));
    }

    async fn state_changing_requests_need_the_csrf_token(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let token = b.csrf_token().await;
        let invite = [("email", "dirk@gemeente.nl"), ("role", "member"), ("team", "")];
        let refused = b.post("/admin/invites", &invite).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert!(refused.text().await.unwrap().contains("Verzoek geweigerd"));
        let mut wrong = invite.to_vec();
        wrong.push(("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assert_eq!(b.post("/admin/invites", &wrong).await.status(), StatusCode::FORBIDDEN);
        let mut right = invite.to_vec();
        right.push(("csrf_token", &token));
        assert_eq!(b.post("/admin/invites", &right).await.status(), StatusCode::SEE_OTHER);
        // The same token in the header works too.
        let other = [("email", "eva@gemeente.nl"), ("role", "member"), ("team", "")];
        assert_eq!(b.post_with("/admin/invites", &other, &[("x-csrf-token", &token)]).await.status(), StatusCode::SEE_OTHER);

        // JSON API: with a session cookie the header is required; without a cookie nothing changes.
        let scan = |cookie: Option<&str>, csrf: Option<&str>| {
            let mut req = b.client.post(format!("{}/api/v1/scan", b.base)).json(&serde_json::json!({ "text": "hallo" }));
            if let Some(c) = cookie { req = req.header(COOKIE, c); }
            if let Some(t) = csrf { req = req.header("x-csrf-token", t); }
            req.send()
        };
        let cookie = b.cookie.clone().unwrap();
        let refused = scan(Some(&cookie), None).await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "csrf");
        assert_eq!(scan(Some(&cookie), Some(&token)).await.unwrap().status(), StatusCode::OK);
        // Without a cookie there is no CSRF check; the route still needs a sign-in.
        let anonymous = scan(None, None).await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(anonymous.json::<serde_json::Value>().await.unwrap()["error"]["code"], "sign_in_required");
    }

    async fn cross_origin_posts_are_refused(app) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let token = b.csrf_token().await;
        let invite = [("csrf_token", token.as_str()), ("email", "fa@gemeente.nl"), ("role", "member"), ("team", "")];
        let evil = b.post_with("/admin/invites", &invite, &[("origin", "http://evil.example")]).await;
        assert_eq!(evil.status(), StatusCode::FORBIDDEN);
        assert!(evil.text().await.unwrap().contains("andere website"));
        let cross = b.post_with("/admin/invites", &invite, &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross.status(), StatusCode::FORBIDDEN);
        // Login CSRF: a sign-in form posted from another site is refused too.
        let anon = Browser::new(&app);
        let login = anon
            .post_with("/inloggen", &[("email", "ada@gemeente.nl"), ("password", PASSWORD)], &[("origin", "http://evil.example")])
            .await;
        assert_eq!(login.status(), StatusCode::FORBIDDEN);
        // The configured origin passes.
        let same = b.post_with("/admin/invites", &invite, &[("origin", "http://127.0.0.1"), ("sec-fetch-site", "same-origin")]).await;
        assert_eq!(same.status(), StatusCode::SEE_OTHER);
        assert!(app.store().user_by_email("fa@gemeente.nl").await.unwrap().is_none());
    }

    async fn an_admin_changes_a_role_and_it_is_audited(app) {
        let ada = admin(&app, "ada@gemeente.nl").await;
        let hash = beraad::passwords::hash(PASSWORD.into()).await;
        let gerrit = app
            .store()
            .create_user(&beraad::guard::screen(NewUser {
                organisation_id: ada.organisation_id,
                email: "gerrit@gemeente.nl".into(),
                display_name: "Gerrit".into(),
                role: UserRole::Member,
                password_hash: Some(hash),
                now_ms: 1,
            }).unwrap())
            .await
            .unwrap();
        // A member may not open the admin page.
        let mut g = Browser::new(&app);
        g.sign_in("gerrit@gemeente.nl", PASSWORD).await;
        assert_eq!(g.get("/beheer").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(g.get("/beheer/audit").await.status(), StatusCode::FORBIDDEN);

        let mut b = Browser::new(&app);
        b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let token = b.csrf_token().await;
        let path = format!("/admin/users/{}/role", gerrit.id);
        let resp = b.post(&path, &[("csrf_token", &token), ("role", "moderator")]).await;
        let page = b.follow(resp).await.text().await.unwrap();
        assert!(page.contains("De rol van Gerrit is gewijzigd."), "{page}");
        let changed = app.store().user_by_email("gerrit@gemeente.nl").await.unwrap().unwrap();
        assert_eq!(changed.role, UserRole::Moderator);
        let own = format!("/admin/users/{}/role", ada.id);
        assert_eq!(b.post(&own, &[("csrf_token", &token), ("role", "member")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(audit_trail(&app).await.contains(&("role_changed".into(), "ok".into())));
        let audit_page = b.get("/beheer/audit").await;
        assert_eq!(audit_page.status(), StatusCode::OK);
        let html = audit_page.text().await.unwrap();
        // In Dutch, with names instead of ids.
        assert!(html.contains("rol gewijzigd") && html.contains("Gerrit (Gespreksleider)"), "{html}");
        assert!(!html.contains(&format!("user:{}", gerrit.id)), "{html}");
        assert!(html.contains(r#"class="ok" id="audit-state""#), "the chain is intact");
    }

    async fn security_headers_on_account_pages(app) {
        for path in ["/inloggen", "/beheer", "/uitnodiging/onbekend"] {
            let resp = Browser::new(&app).get(path).await;
            let h = resp.headers();
            let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
            let script = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap();
            assert_eq!(script, "script-src 'self'", "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
            assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
            assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
        }
        // Refusals carry them too.
        let resp = Browser::new(&app)
            .post_with("/inloggen", &[("email", "x@y.nl")], &[("origin", "http://evil.example")])
            .await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert!(resp.headers().get("content-security-policy").is_some());
    }
}

mod https {
    use super::*;

    async fn secure_cookie(app: TestApp) {
        admin(&app, "ada@gemeente.nl").await;
        let mut b = Browser::new(&app);
        let resp = b.sign_in("ada@gemeente.nl", PASSWORD).await;
        let set = set_cookie_header(&resp).expect("a session cookie");
        assert!(set.starts_with("__Host-beraad_session="), "{set}");
        for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(flag), "{flag} missing: {set}");
        }
        assert!(!set.contains("Domain="), "__Host- cookies have no Domain");
        assert_eq!(b.get("/beheer").await.status(), StatusCode::OK);
        // The plain name is not accepted on an https site.
        b.cookie = Some(b.cookie.unwrap().replace("__Host-", ""));
        assert_eq!(b.get("/beheer").await.status(), StatusCode::SEE_OTHER);
    }

    #[tokio::test]
    async fn sqlite() {
        secure_cookie(TestApp::with_base_url("https://beraad.example/", false).await.unwrap()).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(app) = TestApp::with_base_url("https://beraad.example/", true).await {
            secure_cookie(app).await;
        }
    }
}
