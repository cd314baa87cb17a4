//! An organisation gets its teams from its admins: a new team, people added to it, and then
//! sessions for that team. Both steps are audited; bad input is refused with nothing changed.

use serde_json::json;

use crate::harness::on_both_backends;

pub(crate) fn form(
    user: &crate::harness::TestUser,
    app: &crate::harness::TestApp,
    path: &str,
    body: &str,
) -> reqwest::RequestBuilder {
    user.http
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
}

on_both_backends! {
    async fn an_admin_makes_a_team_adds_a_moderator_and_the_moderator_opens_a_session_for_it(app) {
        let store = app.store();
        let admin = app.user("admin").await;
        let moderator = app.user("moderator").await;
        assert_eq!(form(&admin, &app, "/admin/teams", "name=").send().await.unwrap().status(), 422);
        assert_eq!(form(&moderator, &app, "/admin/teams", "name=Team+Noord").send().await.unwrap().status(), 403);
        assert_eq!(form(&admin, &app, "/admin/teams", "name=Team++Noord").send().await.unwrap().status(), 303);
        assert_eq!(form(&admin, &app, "/admin/teams", "name=Team+Noord").send().await.unwrap().status(), 409, "one name once");
        let org = store.organisation_by_code(beraad::config::DEFAULT_ORG_CODE).await.unwrap().unwrap();
        let teams = store.teams_of_organisation(org.id).await.unwrap();
        let noord = teams.iter().find(|t| t.name == "Team Noord").expect("white space folded");

        // The moderator is not in it yet: a session for it is refused.
        let create = |team: i64| {
            moderator.http.post(app.url("/api/v1/sessions")).json(&json!({
                "method": "cura", "title": "Casus", "case_text": "Een casus.", "moderator_name": "M", "team_id": team
            }))
        };
        assert_eq!(create(noord.id).send().await.unwrap().status(), 422);
        let path = format!("/admin/users/{}/teams", moderator.id);
        assert_eq!(form(&admin, &app, &path, "team=999999").send().await.unwrap().status(), 422);
        assert_eq!(form(&admin, &app, &path, &format!("team={}", noord.id)).send().await.unwrap().status(), 303);
        assert!(store.teams_of_user(moderator.id).await.unwrap().iter().any(|t| t.id == noord.id));
        assert_eq!(create(noord.id).send().await.unwrap().status(), 201);

        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Team Noord"), "{page}");
        let log = store.audit_log().await.unwrap();
        assert!(log.iter().any(|e| e.fact.action == "team_created"));
        assert!(log.iter().any(|e| e.fact.action == "team_member_added"));
    }
}

/// The admin's onboarding (issue 13.13): a success message after each change, shown once after
/// a redirect (a reload posts nothing again); names of teams and people can be changed; an
/// open invite can be revoked; an admin without a team is told to make one, not to ask the admin.
pub(crate) mod onboarding {
    use super::form;
    use crate::accounts::unescape;
    use crate::harness::{on_both_backends, TestUser};
    use reqwest::header::{LOCATION, SET_COOKIE};

    /// Follows a redirect with the flash cookie it set; the page's text.
    pub(crate) async fn follow(
        user: &TestUser,
        app: &crate::harness::TestApp,
        res: reqwest::Response,
    ) -> String {
        assert_eq!(res.status(), 303);
        let to = res.headers()[LOCATION].to_str().unwrap().to_owned();
        let flash = res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("beraad_flash="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .expect("a flash message");
        // Both cookies: a request's own Cookie header replaces the client's default one.
        let cookies = format!("{}; {flash}", user.cookie_header());
        let page = user.http.get(app.url(&to)).header("cookie", cookies).send().await.unwrap();
        assert_eq!(page.status(), 200);
        unescape(&page.text().await.unwrap())
    }

    fn flash(html: &str) -> String {
        html.split(r#"id="flash">"#)
            .nth(1)
            .map(|s| s.split('<').next().unwrap().to_owned())
            .unwrap_or_default()
    }

    on_both_backends! {
        async fn an_admin_is_told_what_happened_and_can_rename_and_revoke(app) {
            let store = app.store();
            let admin = app.user("admin").await;
            let res = form(&admin, &app, "/admin/teams", "name=Team+Zuid").send().await.unwrap();
            assert_eq!(flash(&follow(&admin, &app, res).await), "Team „Team Zuid” is aangemaakt.");
            // A reload of /beheer shows no message again.
            let again = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
            assert!(!again.contains(r#"id="flash""#));
            let org = store.organisation_by_code(beraad::config::DEFAULT_ORG_CODE).await.unwrap().unwrap();
            let zuid = store.teams_of_organisation(org.id).await.unwrap().into_iter().find(|t| t.name == "Team Zuid").unwrap();

            let res = form(&admin, &app, &format!("/admin/teams/{}/name", zuid.id), "name=Team+Zuid-Oost").send().await.unwrap();
            assert_eq!(flash(&follow(&admin, &app, res).await), "Het team heet nu „Team Zuid-Oost”.");
            assert_eq!(store.team(zuid.id).await.unwrap().unwrap().name, "Team Zuid-Oost");

            let member = app.user("member").await;
            let res = form(&admin, &app, &format!("/admin/users/{}/name", member.id), "name=Noor+de+Vries").send().await.unwrap();
            assert_eq!(flash(&follow(&admin, &app, res).await), "De naam is gewijzigd in „Noor de Vries”.");
            assert_eq!(store.user(member.id).await.unwrap().unwrap().display_name, "Noor de Vries");
            let bsn = form(&admin, &app, &format!("/admin/users/{}/name", member.id), "name=111222333").send().await.unwrap();
            assert_eq!(bsn.status(), 422);

            let res = form(&admin, &app, &format!("/admin/users/{}/teams", member.id), &format!("team={}", zuid.id)).send().await.unwrap();
            assert_eq!(flash(&follow(&admin, &app, res).await), "Toegevoegd: Noor de Vries → Team Zuid-Oost.");

            // An invite: the link once, with a copy button; then revoked, it opens nothing.
            let res = form(&admin, &app, "/admin/invites", "email=kim%40example.org&role=member&team=").send().await.unwrap();
            let page = follow(&admin, &app, res).await;
            assert!(page.contains(r#"data-copy="invite-link""#), "{page}");
            let link = regex_lite::Regex::new(r"/uitnodiging/([A-Za-z0-9_-]{43})").unwrap().captures(&page).unwrap()[1].to_owned();
            let handle = regex_lite::Regex::new(r#"name="invite" value="([0-9a-f]{64})""#).unwrap().captures(&page).unwrap()[1].to_owned();
            let res = form(&admin, &app, "/admin/invites/revoke", &format!("invite={handle}")).send().await.unwrap();
            assert!(flash(&follow(&admin, &app, res).await).contains("kim@example.org"));
            assert_eq!(app.get(&format!("/uitnodiging/{link}")).await.status(), 410);
            let log: Vec<String> = store.audit_log().await.unwrap().into_iter().map(|e| e.fact.action).collect();
            for action in ["team_renamed", "user_renamed", "invite_revoked"] {
                assert!(log.iter().any(|a| a == action), "{action}");
            }
        }

        async fn an_admin_without_a_team_is_told_to_make_one(app) {
            let store = app.store();
            let admin = app.user("admin").await;
            // Out of the harness's team.
            crate::accounts::exec(&app.database, &format!("DELETE FROM team_members WHERE user_id = {}", admin.id)).await;
            let home = admin.http.get(app.url("/")).send().await.unwrap().text().await.unwrap();
            let note = home.split(r#"id="no-teams">"#).nth(1).unwrap().split("</p>").next().unwrap();
            assert!(note.contains("Maak een team aan") && note.contains(r#"href="/beheer"#), "{note}");
            assert!(!note.contains("Vraag de beheerder"), "{note}");
            drop(store);
        }
    }
}
