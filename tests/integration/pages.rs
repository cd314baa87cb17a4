//! The start page, static assets, unknown routes and the response headers.

use crate::harness::on_both_backends;

on_both_backends! {
    async fn start_page_is_dutch_by_default(app) {
        let res = app.get("/").await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = res.text().await.unwrap();
        assert!(html.contains("<html lang=\"nl\">"), "{html}");
        assert!(html.contains("intervisie en moreel beraad"));
        assert!(html.contains("/static/css/beraad.css"));
    }
}

#[tokio::test]
async fn english_on_request_and_remembered() {
    let app = crate::harness::TestApp::sqlite().await;
    let res = app.get("/?lang=en").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("moral case deliberation"));
    let again = app.http.get(app.url("/")).header("cookie", "lang=en").send().await.unwrap();
    assert!(again.text().await.unwrap().contains("<html lang=\"en\">"));
    // An unknown language falls back to Dutch rather than failing.
    let odd = app.get("/?lang=xx").await.text().await.unwrap();
    assert!(odd.contains("<html lang=\"nl\">"));
}

#[tokio::test]
async fn static_assets_are_served_from_the_binary() {
    let app = crate::harness::TestApp::sqlite().await;
    let css = app.get("/static/css/beraad.css").await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css");
    assert!(css.headers().contains_key("etag"));
    assert!(css.text().await.unwrap().contains("--accent"));
    assert_eq!(app.get("/static/nope.js").await.status(), 404);
    assert_eq!(app.get("/static/../Cargo.toml").await.status(), 404);
}

#[tokio::test]
async fn unknown_pages_get_a_dutch_404() {
    let app = crate::harness::TestApp::sqlite().await;
    let res = app.get("/bestaat-niet").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("Pagina niet gevonden"), "{html}");
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = crate::harness::TestApp::sqlite().await;
    for path in ["/", "/healthz", "/static/css/beraad.css", "/bestaat-niet"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
    }
}

#[tokio::test]
async fn nothing_but_static_assets_may_be_cached_and_hsts_only_over_https() {
    let mut app = crate::harness::TestApp::sqlite().await;
    let anonymous = ["/", "/healthz", "/methoden", "/api/v1/methods", "/inloggen", "/bestaat-niet"];
    for path in anonymous {
        let res = app.get(path).await;
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        assert!(!res.headers().contains_key("strict-transport-security"), "{path}: not over http");
    }
    // Pages and answers with case and precedent content, and downloads.
    app.sign_in("admin").await;
    for path in ["/archief", "/api/v1/precedents", "/beheer", "/beheer/audit"] {
        let res = app.http.get(app.url(path)).send().await.unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let css = app.get("/static/css/beraad.css").await;
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("max-age"), "static assets are cached");

    let https = crate::harness::TestApp::with_base_url("https://beraad.example/", false).await.unwrap();
    for path in ["/", "/healthz", "/static/css/beraad.css"] {
        let res = https.get(path).await;
        let hsts = res.headers()["strict-transport-security"].to_str().unwrap();
        assert!(hsts.contains("max-age=31536000"), "{path}: {hsts}");
    }
}

#[tokio::test]
async fn the_method_library_lists_every_method_with_its_rounds_and_rules() {
    let app = crate::harness::TestApp::sqlite().await;
    let res = app.get("/methoden").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    for method in beraad::domain::method::builtin_methods() {
        let name = method.name.get(beraad::domain::method::Lang::Nl);
        assert!(html.contains(&name.replace('\'', "&#x27;")) || html.contains(name), "{name} is listed");
        for round in &method.rounds {
            let title = round.title.get(beraad::domain::method::Lang::Nl);
            assert!(html.contains(title) || html.contains(&title.replace('\'', "&#x27;")), "{name}: {title}");
        }
    }
    assert!(html.to_lowercase().contains("alleen vragen"), "a round's rule is shown");
    let en = app.get("/methoden?lang=en").await.text().await.unwrap();
    assert!(en.contains("Method library"));
}

crate::harness::on_both_backends! {
    async fn a_signed_in_colleague_sees_their_teams_and_sessions(app) {
        use beraad::store::{NewSession, NewTeam};
        let store = app.store();
        let user = crate::accounts::admin(&app, "lid@gemeente.example").await;
        let team = store.create_team(&beraad::guard::screen(NewTeam { organisation_id: user.organisation_id, name: "Team Noord".into(), now_ms: 1 }).unwrap()).await.unwrap();
        let other = store.create_team(&beraad::guard::screen(NewTeam { organisation_id: user.organisation_id, name: "Team Zuid".into(), now_ms: 1 }).unwrap()).await.unwrap();
        store.add_team_member(team.id, user.id, 1).await.unwrap();
        for (id, team_id, title) in [("s-noord", team.id, "Casus in Noord"), ("s-zuid", other.id, "Casus in Zuid")] {
            store.create_session(&beraad::guard::screen(NewSession {
                header: beraad::store::SessionHeader {
                    id: id.into(), team_id: Some(team_id), title: title.into(), method_key: "dilemma".into(),
                    status: beraad::store::SessionStatus::Lobby, created_by: Some(user.id),
                },
                events: vec![], review: None, now_ms: 1_764_000_000_000,
            }).unwrap()).await.unwrap();
        }
        let anonymous = app.get("/").await.text().await.unwrap();
        assert!(!anonymous.contains("Mijn teams"));
        let mut browser = crate::accounts::Browser::new(&app);
        browser.sign_in("lid@gemeente.example", crate::accounts::PASSWORD).await;
        let page = browser.get("/").await.text().await.unwrap();
        assert!(page.contains("Mijn teams") && page.contains("Team Noord"), "{page}");
        assert!(page.contains("Casus in Noord") && page.contains("/sessies/s-noord"), "{page}");
        assert!(!page.contains("Casus in Zuid"), "another team's session is not listed");
    }
}

/// The header knows who is signed in on every page (issue 13.12): the method library, a 404 and
/// a refusal show the person and "Uitloggen", never "Inloggen"; "Nieuwe sessie" only for those
/// who may create sessions.
#[tokio::test]
async fn the_header_knows_who_is_signed_in_on_every_page() {
    let app = crate::harness::TestApp::sqlite().await;
    let member = app.user("member").await;
    let moderator = app.user("moderator").await;
    let page = |user: &crate::harness::TestUser, path: &str| {
        let req = user.http.get(app.url(path));
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let header = |html: &str| html.split("</header>").next().unwrap().to_owned();
    for path in ["/methoden", "/bestaat-niet", "/beheer", "/precedenten/424242", "/archief"] {
        let head = header(&page(&member, path).await);
        assert!(head.contains("Uitloggen") && head.contains("member "), "{path}: {head}");
        assert!(!head.contains(r#"href="/inloggen""#), "{path}: {head}");
        assert!(!head.contains(r#"href="/sessions/new""#), "a member may not create sessions ({path})");
    }
    let head = header(&page(&moderator, "/methoden").await);
    assert!(head.contains(r#"href="/sessions/new""#), "{head}");
    // Signed out: the way in.
    let head = header(&app.get("/methoden").await.text().await.unwrap());
    assert!(head.contains(r#"href="/inloggen""#) && !head.contains("Uitloggen"), "{head}");
}
