//! The admin API with an API token, as a script would use it (docs/api.md): an admin makes a
//! token at /beheer (shown once), a script without cookies creates a team and puts people in
//! it, invites someone, takes someone out again; the token reaches nothing outside its scope
//! (403), no page (it is for /api/v1 only), and nothing once revoked (401). The same rules and
//! audit entries as the /beheer forms.

use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp, TestUser};
use crate::teams::form;
use crate::teams::onboarding::follow;

/// Makes a token at /beheer with `scopes`; the token as shown once, and its id.
pub(crate) async fn make_token(
    app: &TestApp,
    admin: &TestUser,
    name: &str,
    scopes: &[&str],
) -> (String, i64) {
    let mut body = format!("name={name}");
    for s in scopes {
        body.push_str(&format!("&scope={s}"));
    }
    let res = form(admin, app, "/admin/api-tokens", &body).send().await.unwrap();
    let page = follow(admin, app, res).await;
    let start = page.find("value=\"beraad_").expect("the token is shown once") + 7;
    let token = page[start..].split('"').next().unwrap().to_owned();
    let org = crate::harness::organisation_on(&app.store()).await;
    let id = app.store().api_tokens_of(org).await.unwrap().into_iter().find(|t| t.name == name).unwrap().id;
    // Shown once: the page again has no token in it.
    let again = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains(&token), "the token is not shown again");
    (token, id)
}

/// A script's client: no cookies, the token on every request.
pub(crate) fn script(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

on_both_backends! {
    async fn a_script_with_a_token_sets_up_a_team_within_its_scope_until_revoked(app) {
        let store = app.store();
        let admin = app.user("admin").await;
        let ada = app.user_in("member", "Team A").await;
        let bram = app.user_in("moderator", "Team A").await;
        let (token, token_id) = make_token(&app, &admin, "HR-koppeling", &["manage_people"]).await;
        assert!(token.starts_with("beraad_") && token.len() > 40);
        let script = script(&token);

        // The people, with their ids.
        let people: Vec<Value> = script.get(app.url("/api/v1/admin/users")).send().await.unwrap().json().await.unwrap();
        assert!(people.iter().any(|p| p["id"] == json!(ada.id) && p["role"] == "member"));

        // A team, and two people in it.
        let res = script.post(app.url("/api/v1/admin/teams")).json(&json!({"name": "Team Zuid"})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let team: Value = res.json().await.unwrap();
        let team_id = team["id"].as_i64().unwrap();
        assert_eq!((team["name"].as_str(), team["members"].as_array().unwrap().len()), (Some("Team Zuid"), 0));
        for person in [ada.id, bram.id] {
            let url = app.url(&format!("/api/v1/admin/teams/{team_id}/members"));
            let res = script.post(url).json(&json!({"user_id": person})).send().await.unwrap();
            assert_eq!(res.status(), 200);
        }
        let teams: Vec<Value> = script.get(app.url("/api/v1/admin/teams")).send().await.unwrap().json().await.unwrap();
        let zuid = teams.iter().find(|t| t["id"] == json!(team_id)).unwrap();
        let mut members: Vec<i64> = zuid["members"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
        members.sort();
        assert_eq!(members, vec![ada.id, bram.id]);
        // The same rules as the form: a second team of that name is refused, in the caller's language.
        let res = script.post(app.url("/api/v1/admin/teams?lang=en")).json(&json!({"name": "Team  Zuid"})).send().await.unwrap();
        assert_eq!(res.status(), 409);
        let error: Value = res.json().await.unwrap();
        assert_eq!(error["error"]["code"], "team_exists");
        assert!(error["error"]["message"].as_str().unwrap().contains("already"), "{error}");
        // BSN refused as on the form.
        let res = script.post(app.url("/api/v1/admin/teams")).json(&json!({"name": "Team 111222333"})).send().await.unwrap();
        assert_eq!(res.status(), 422);

        // A role, an invite (its link in this answer only) and its revocation; someone leaves.
        let url = app.url(&format!("/api/v1/admin/users/{}/role", ada.id));
        let res = script.put(url).json(&json!({"role": "moderator"})).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(store.user(ada.id).await.unwrap().unwrap().role, beraad::store::UserRole::Moderator);
        let body = json!({"email": "nieuw@example.org", "role": "member", "team_id": team_id});
        let res = script.post(app.url("/api/v1/admin/invites")).json(&body).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let invite: Value = res.json().await.unwrap();
        assert!(invite["link"].as_str().unwrap().contains("/uitnodiging/"));
        let url = app.url(&format!("/api/v1/admin/invites/{}", invite["invite"].as_str().unwrap()));
        assert_eq!(script.delete(&url).send().await.unwrap().status(), 204);
        assert_eq!(script.delete(&url).send().await.unwrap().status(), 404, "revoked already");
        let url = app.url(&format!("/api/v1/admin/teams/{team_id}/members/{}", bram.id));
        let res = script.delete(&url).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["members"].as_array().unwrap().len(), 1);
        assert_eq!(script.delete(&url).send().await.unwrap().status(), 404, "not a member any more");

        // Audited as the admin who made the token, like the forms.
        let actor = format!("user:{}", admin.id);
        let log = store.audit_log().await.unwrap();
        for (act, target) in [
            ("team_created", format!("team:{team_id}")),
            ("team_member_added", format!("team:{team_id} user:{}", ada.id)),
            ("team_member_removed", format!("team:{team_id} user:{}", bram.id)),
            ("role_changed", format!("user:{} role=moderator", ada.id)),
        ] {
            assert!(log.iter().any(|e| e.fact.actor == actor && e.fact.action == act && e.fact.subject == target), "{act} {target}");
        }
        assert!(log.iter().any(|e| e.fact.action == "api_token_created" && e.fact.subject == format!("api_token:{token_id} scopes=manage_people")));

        // Outside its scope: 403; not on pages (no sign-in there); no CSRF needed, no cookie made.
        let res = script.get(app.url("/api/v1/admin/settings")).send().await.unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "token_scope");
        let res = script.post(app.url("/api/v1/sessions")).json(&json!({"method": "cura"})).send().await.unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(script.get(app.url("/beheer")).send().await.unwrap().status(), 303, "pages take no token");
        // The list at /beheer shows its last use.
        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        let row = page.split("HR-koppeling").nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
        assert!(!row.contains("nooit"), "last use shown: {row}");
        assert!(row.contains("manage_people"));

        // A token with the settings scope reads and changes them, as the form does.
        let (settings_token, _) = make_token(&app, &admin, "Instellingen", &["manage_settings"]).await;
        let settings = script_settings(&app, &settings_token).await;
        assert_eq!(settings["archive_readers"], "team");

        // Revoked: 401 at once.
        let res = form(&admin, &app, &format!("/admin/api-tokens/{token_id}/revoke"), "").send().await.unwrap();
        assert_eq!(res.status(), 303);
        let res = script.get(app.url("/api/v1/admin/users")).send().await.unwrap();
        assert_eq!(res.status(), 401);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "invalid_api_token");
        // A made-up token too; an unscoped token cannot be made.
        let res = super::script("beraad_verzonnen").get(app.url("/api/v1/admin/users")).send().await.unwrap();
        assert_eq!(res.status(), 401);
        let res = form(&admin, &app, "/admin/api-tokens", "name=Leeg").send().await.unwrap();
        assert_eq!(res.status(), 422);
        // Only admins make tokens.
        let res = form(&bram, &app, "/admin/api-tokens", "name=X&scope=manage_people").send().await.unwrap();
        assert_eq!(res.status(), 403);
    }
}

/// Changes the settings with a settings token; the answer.
async fn script_settings(app: &TestApp, token: &str) -> Value {
    let body = json!({"archive_readers": "team", "four_eyes": true, "retention_days": 400});
    let res = script(token).put(app.url("/api/v1/admin/settings")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let got: Value =
        script(token).get(app.url("/api/v1/admin/settings")).send().await.unwrap().json().await.unwrap();
    assert_eq!((got["four_eyes"].as_bool(), got["retention_days"].as_i64()), (Some(true), Some(400)));
    got
}
