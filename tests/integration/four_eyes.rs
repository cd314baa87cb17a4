//! Four-eyes adoption (issue 13, point 7), on both backends: with the organisation's setting
//! on, "Vaststellen" puts the draft in "awaiting approval" (locked for edits); the author cannot
//! approve their own, a member cannot approve at all; a colleague moderator sends it back with a
//! reason, and after a new request approves it: adopted with its citation id. Every step is
//! audited; the published precedent names who checked it.

use reqwest::header::LOCATION;
use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp, TestUser};
use crate::precedent_lifecycle::{concluded_session_by, ready_draft};
use beraad::store::PrecedentStatus;

pub(crate) fn form(user: &TestUser, app: &TestApp, path: &str, body: &str) -> reqwest::RequestBuilder {
    user.http
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
}

pub(crate) async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let res = app.http.request(method, app.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

on_both_backends! {
    async fn a_colleague_approves_what_the_author_put_forward(app) {
        let store = app.store();
        let admin = app.user("admin").await;
        let author = app.user("moderator").await;
        let colleague = app.user("moderator").await;
        let member = app.user("member").await;

        // The admin turns the rule on at /beheer.
        let res = form(&admin, &app, "/admin/settings", "archive_readers=organisation&four_eyes=on").send().await.unwrap();
        assert_eq!(res.status(), 303);
        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"name="four_eyes" value="on" checked"#), "the setting shows as on");

        let (session, token, _) = concluded_session_by(&app, &author).await;
        let id = ready_draft(&app, &session, &token).await;
        let adopt = format!("/api/v1/precedents/{id}/adopt");
        let (status, body) = api(&app, reqwest::Method::POST, &adopt, &token, json!({})).await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["status"], "awaiting_approval");
        let author_name = store.user(author.id).await.unwrap().unwrap().display_name;
        assert_eq!(body["approval"]["requested_by"], author_name.as_str());
        assert!(body["citation_id"].is_null(), "not adopted yet");
        // Locked while it awaits approval, and not asked twice.
        let record = body["record"].clone();
        let (status, body) = api(&app, reqwest::Method::PUT, &format!("/api/v1/precedents/{id}"), &token, record.clone()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("approval_locked")));
        let (status, body) = api(&app, reqwest::Method::POST, &adopt, &token, json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("approval_already_awaiting")));

        // The author cannot approve their own: the page says so and the post is refused.
        let path = format!("/goedkeuren/{id}");
        let own = author.http.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(own.contains(r#"id="approval-refusal""#) && !own.contains(r#"id="approve""#), "{own}");
        let res = form(&author, &app, &path, "decision=approve").send().await.unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(store.precedent(id).await.unwrap().unwrap().status, PrecedentStatus::Draft);
        // A member may not approve at all.
        assert_eq!(member.http.get(app.url("/goedkeuren")).send().await.unwrap().status(), 403);
        assert_eq!(form(&member, &app, &path, "decision=approve").send().await.unwrap().status(), 403);

        // The colleague sees it waiting (dashboard and list), and sends it back with a reason.
        let home = colleague.http.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains(r#"id="awaiting-approval""#), "{home}");
        let list = colleague.http.get(app.url("/goedkeuren")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains(&format!("/goedkeuren/{id}")), "{list}");
        let page = colleague.http.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"id="approve""#) && page.contains("Geen verlaging zonder eerst een gesprek."), "the draft in full");
        let res = form(&colleague, &app, &path, "decision=send_back&reason=+").send().await.unwrap();
        assert_eq!(res.status(), 422, "a reason is needed");
        let res = form(&colleague, &app, &path, "decision=send_back&reason=De+onderbouwing+ontbreekt").send().await.unwrap();
        assert_eq!(res.status(), 303);
        let (_, view) = api(&app, reqwest::Method::GET, &format!("/api/v1/precedents/{id}"), &token, Value::Null).await;
        assert_eq!(view["status"], "draft");
        assert_eq!(view["approval"]["state"], "sent_back");
        assert_eq!(view["approval"]["reason"], "De onderbouwing ontbreekt");

        // Edited and put forward again; the colleague approves: adopted, with its citation.
        let mut record = record;
        record["reasoning"] = json!("Bestaanszekerheid weegt zwaarder dan een verlaging.");
        let (status, _) = api(&app, reqwest::Method::PUT, &format!("/api/v1/precedents/{id}"), &token, record).await;
        assert_eq!(status, 200);
        let (status, _) = api(&app, reqwest::Method::POST, &adopt, &token, json!({})).await;
        assert_eq!(status, 202);
        let res = form(&colleague, &app, &path, "decision=approve").send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[LOCATION], format!("/precedenten/{id}").as_str());
        let row = store.precedent(id).await.unwrap().unwrap();
        assert_eq!(row.status, PrecedentStatus::Adopted);
        assert!(row.citation_id.as_deref().is_some_and(|c| c.starts_with("MB:")), "{:?}", row.citation_id);
        assert_eq!(store.approval(id).await.unwrap(), None);
        // "Gecontroleerd door" names a person; the status history names the approver.
        assert_eq!(row.record["anonymisation_review"]["reviewer"], author_name.as_str());
        let colleague_name = store.user(colleague.id).await.unwrap().unwrap().display_name;
        assert_eq!(row.record["status_history"].as_array().unwrap().last().unwrap()["by"], colleague_name.as_str());
        assert_eq!(form(&colleague, &app, &path, "decision=approve").send().await.unwrap().status(), 404, "once");

        let log: Vec<(String, String)> =
            store.audit_log().await.unwrap().into_iter().map(|e| (e.fact.action, e.fact.result)).collect();
        for (action, result) in [
            ("precedent_approval_requested", "ok"),
            ("precedent_approved", "denied"),
            ("precedent_sent_back", "ok"),
            ("precedent_approved", "ok"),
            ("precedent_adopted", "ok"),
        ] {
            assert!(log.contains(&(action.into(), result.into())), "{action} {result} in {log:?}");
        }
    }

    async fn without_the_rule_adoption_is_direct(app) {
        let author = app.user("moderator").await;
        let (session, token, _) = concluded_session_by(&app, &author).await;
        let id = ready_draft(&app, &session, &token).await;
        let (status, body) = api(&app, reqwest::Method::POST, &format!("/api/v1/precedents/{id}/adopt"), &token, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "adopted");
        assert_eq!(body["approval"], json!({}));
    }
}
