//! An organisation gets its teams from its admins: a new team, people added to it, and then
//! sessions for that team. Both steps are audited; bad input is refused with nothing changed.

use serde_json::json;

use crate::harness::on_both_backends;

fn form(
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
