//! The published contract, `GET /api/v1/openapi.json` (OpenAPI 3.1, generated from the API's
//! types): it lists exactly the `/api/v1/` routes of the route table, and real answers — success
//! and error, cookie and API token, admin and team routes — validate against its schemas (with
//! the `jsonschema` crate). A renamed field fails validation, so the check can fail.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::admin_api::{make_token, script};
use crate::harness::{on_both_backends, TestApp};
use crate::precedent_lifecycle::concluded_session_by;

/// The document as the server serves it.
async fn document(app: &TestApp) -> Value {
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    res.json().await.unwrap()
}

/// The schema of the answer `status` of `method path`: the status's own, else `default` (every
/// route's error answer). `None` when the document names no JSON body for it.
fn answer_schema(doc: &Value, method: &str, path: &str, status: u16) -> Option<Value> {
    let operation = &doc["paths"][path][method.to_lowercase()];
    assert!(operation.is_object(), "{method} {path} is not in the document");
    let responses = &operation["responses"];
    let response = responses.get(status.to_string()).unwrap_or(&responses["default"]);
    let schema = response.pointer("/content/application~1json/schema")?;
    // The answer's schema with the document's components beside it, so its `$ref`s resolve.
    let mut schema = schema.clone();
    schema.as_object_mut()?.insert("components".into(), doc["components"].clone());
    Some(schema)
}

/// Validates `body` as the answer `status` of `method path` (JSON Schema 2020-12, as OpenAPI
/// 3.1 uses); the errors as text.
pub fn validate(doc: &Value, method: &str, path: &str, status: u16, body: &Value) -> Result<(), String> {
    let Some(schema) = answer_schema(doc, method, path, status) else {
        return Err(format!("{method} {path} {status}: the document names no JSON answer"));
    };
    let validator =
        jsonschema::draft202012::new(&schema).map_err(|e| format!("schema of {method} {path}: {e}"))?;
    let errors: Vec<String> =
        validator.iter_errors(body).map(|e| format!("{e} at {}", e.instance_path())).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{method} {path} {status}: {}\nbody: {body}", errors.join("; ")))
    }
}

/// `body` with its key `from` renamed to `to` (in the object, or in each element of an array).
fn renamed(body: &Value, from: &str, to: &str) -> Value {
    fn rename(v: &mut Value, from: &str, to: &str) {
        if let Some(o) = v.as_object_mut() {
            if let Some(x) = o.remove(from) {
                o.insert(to.into(), x);
            }
        }
    }
    let mut body = body.clone();
    match body.as_array_mut() {
        Some(items) => items.iter_mut().for_each(|i| rename(i, from, to)),
        None => rename(&mut body, from, to),
    }
    body
}

/// The `/api/v1/` routes of the route table, as (method, path).
fn table_api_routes() -> BTreeSet<(String, String)> {
    beraad::http::routes::table()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| (r.method.as_str().to_owned(), r.path.to_owned()))
        .collect()
}

fn document_routes(doc: &Value) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "head", "options", "trace"] {
            if item.get(method).is_some() {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn the_document_lists_exactly_the_api_routes_of_the_route_table() {
    let app = TestApp::sqlite().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "OpenAPI 3.1: {}", doc["openapi"]);
    let table = table_api_routes();
    let documented = document_routes(&doc);
    let missing: Vec<_> = table.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&table).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from the document: {missing:?}\nnot in the route table: {extra:?}"
    );
    assert!(table.len() > 50, "the table has its API routes ({})", table.len());
    // Every route documents its error answer, `{"error": {"code", "message"}}`.
    for (method, path) in &table {
        if path == "/api/v1/openapi.json" || path == "/api/v1/sessions/{id}/invite-qr" {
            continue;
        }
        let error = json!({"error": {"code": "forbidden", "message": "Je rol staat dit niet toe."}});
        validate(&doc, method, path, 403, &error).unwrap();
    }
}

#[test]
fn a_renamed_or_missing_field_fails_validation() {
    let doc: Value = serde_json::from_str(beraad::http::api::openapi::document_json()).unwrap();
    let team = json!({"id": 7, "name": "Team Noord", "members": [{"id": 12, "name": "Ada"}]});
    validate(&doc, "POST", "/api/v1/admin/teams", 201, &team).unwrap();
    assert!(validate(&doc, "POST", "/api/v1/admin/teams", 201, &renamed(&team, "name", "title")).is_err());
    let mut wrong_type = team.clone();
    wrong_type["id"] = json!("7");
    assert!(validate(&doc, "POST", "/api/v1/admin/teams", 201, &wrong_type).is_err());
    let mut nested = team.clone();
    nested["members"][0] = json!({"id": 12, "naam": "Ada"});
    assert!(validate(&doc, "POST", "/api/v1/admin/teams", 201, &nested).is_err());
    let error = json!({"error": {"code": "team_exists", "message": "Er is al een team met die naam."}});
    validate(&doc, "POST", "/api/v1/admin/teams", 409, &error).unwrap();
    let kode = json!({"error": {"kode": "team_exists", "message": "Er is al een team met die naam."}});
    assert!(validate(&doc, "POST", "/api/v1/admin/teams", 409, &kode).is_err());
    let actions = json!({"acties": []});
    assert!(validate(&doc, "GET", "/api/v1/teams/{id}/actions", 200, &actions).is_err());
}

/// One request of the walk below: who sends it, what, and the status it should get.
struct Call {
    client: reqwest::Client,
    method: Method,
    /// The route's pattern (as in the route table and the document).
    pattern: &'static str,
    path: String,
    body: Option<Value>,
    expect: u16,
}

fn call(
    client: &reqwest::Client,
    method: Method,
    pattern: &'static str,
    path: String,
    body: Option<Value>,
    expect: u16,
) -> Call {
    Call { client: client.clone(), method, pattern, path, body, expect }
}

on_both_backends! {
    async fn real_answers_validate_against_the_document(app) {
        let doc = document(&app).await;
        let admin = app.user("admin").await;
        let moderator = app.user("moderator").await;
        let member = app.user("member").await;
        let team = moderator.team_id;
        let (token, _) = make_token(&app, &admin, "contract", &["manage_people", "manage_settings"]).await;
        let hr = script(&token);
        let bad_token = script("beraad_not_a_token");
        let anonymous = reqwest::Client::new();

        // A session (its answer is validated too), a guest's join and a precedent draft.
        let res = moderator.http.post(app.url("/api/v1/sessions")).json(&json!({
            "method": "dilemma", "title": "Verlaging na een gemiste afspraak",
            "case_text": "Cliënt miste een afspraak.", "moderator_name": "Gespreksleider"
        })).send().await.unwrap();
        let status = res.status().as_u16();
        let created: Value = res.json().await.unwrap();
        validate(&doc, "POST", "/api/v1/sessions", status, &created).unwrap();
        assert_eq!(status, 201, "{created}");
        let session = created["session_id"].as_str().unwrap().to_owned();
        let session_token = created["token"].as_str().unwrap().to_owned();
        let invite = created["invite_code"].as_str().unwrap().to_owned();
        let with_session = {
            let mut h = reqwest::header::HeaderMap::new();
            h.insert("authorization", format!("Bearer {session_token}").parse().unwrap());
            reqwest::Client::builder().default_headers(h).build().unwrap()
        };

        let g = Method::GET;
        let p = Method::POST;
        let calls = vec![
            // the admin API with a token
            call(&hr, g.clone(), "/api/v1/admin/teams", "/api/v1/admin/teams".into(), None, 200),
            call(&hr, p.clone(), "/api/v1/admin/teams", "/api/v1/admin/teams".into(), Some(json!({"name": "Team Contract"})), 201),
            call(&hr, p.clone(), "/api/v1/admin/teams", "/api/v1/admin/teams?lang=en".into(), Some(json!({"name": "Team Contract"})), 409),
            call(&hr, p.clone(), "/api/v1/admin/teams", "/api/v1/admin/teams".into(), Some(json!({"naam": "x"})), 400),
            call(&hr, p.clone(), "/api/v1/admin/teams/{id}/members", format!("/api/v1/admin/teams/{team}/members"), Some(json!({"user_id": member.id})), 200),
            call(&hr, Method::DELETE, "/api/v1/admin/teams/{id}/members/{user}", format!("/api/v1/admin/teams/{team}/members/999999"), None, 404),
            call(&hr, g.clone(), "/api/v1/admin/users", "/api/v1/admin/users".into(), None, 200),
            call(&hr, Method::PUT, "/api/v1/admin/users/{id}/role", format!("/api/v1/admin/users/{}/role", member.id), Some(json!({"role": "moderator"})), 200),
            call(&hr, Method::PUT, "/api/v1/admin/users/{id}/role", format!("/api/v1/admin/users/{}/role", member.id), Some(json!({"role": "keizer"})), 422),
            call(&hr, p.clone(), "/api/v1/admin/invites", "/api/v1/admin/invites".into(), Some(json!({"email": "nieuw@example.org", "role": "member", "team_id": team})), 201),
            call(&hr, Method::DELETE, "/api/v1/admin/invites/{invite}", "/api/v1/admin/invites/nope".into(), None, 404),
            call(&hr, g.clone(), "/api/v1/admin/settings", "/api/v1/admin/settings".into(), None, 200),
            call(&hr, Method::PUT, "/api/v1/admin/settings", "/api/v1/admin/settings".into(), Some(json!({"archive_readers": "organisation", "four_eyes": false})), 200),
            // outside the token's scope, and no token at all
            call(&hr, g.clone(), "/api/v1/teams/{id}/queue", format!("/api/v1/teams/{team}/queue"), None, 403),
            call(&bad_token, g.clone(), "/api/v1/admin/users", "/api/v1/admin/users".into(), None, 401),
            call(&anonymous, g.clone(), "/api/v1/admin/users", "/api/v1/admin/users".into(), None, 401),
            // methods, scan, law references, the archive
            call(&anonymous, g.clone(), "/api/v1/methods", "/api/v1/methods".into(), None, 200),
            call(&admin.http, p.clone(), "/api/v1/methods/validate", "/api/v1/methods/validate".into(), Some(json!({"key": "x", "rounds": []})), 422),
            call(&moderator.http, p.clone(), "/api/v1/scan", "/api/v1/scan".into(), Some(json!({"text": "Mevrouw Jansen, geboren 12-03-1985, IBAN NL91ABNA0417164300."})), 200),
            call(&anonymous, g.clone(), "/api/v1/law-refs/check", "/api/v1/law-refs/check?q=art.%2018%20lid%204%20PW".into(), None, 200),
            call(&anonymous, g.clone(), "/api/v1/law-refs/check", "/api/v1/law-refs/check?q=zomaar".into(), None, 422),
            call(&admin.http, g.clone(), "/api/v1/precedents", "/api/v1/precedents?q=afspraak".into(), None, 200),
            call(&admin.http, g.clone(), "/api/v1/precedents", "/api/v1/precedents?from=gisteren".into(), None, 400),
            call(&admin.http, p.clone(), "/api/v1/precedents/similar", "/api/v1/precedents/similar".into(), Some(json!({"text": "een gemiste afspraak en een verlaging"})), 200),
            call(&admin.http, g.clone(), "/api/v1/precedents/{id}", "/api/v1/precedents/999999".into(), None, 404),
            // the session's routes
            call(&anonymous, p.clone(), "/api/v1/sessions/{id}/join", format!("/api/v1/sessions/{session}/join"), Some(json!({"invite_code": invite, "display_name": "Gast"})), 201),
            call(&with_session, p.clone(), "/api/v1/sessions/{id}/invite", format!("/api/v1/sessions/{session}/invite"), Some(json!({"keep_earlier": true})), 201),
            call(&with_session, g.clone(), "/api/v1/sessions/{id}/links", format!("/api/v1/sessions/{session}/links"), None, 200),
            call(&with_session, g.clone(), "/api/v1/sessions/{id}/precedent", format!("/api/v1/sessions/{session}/precedent"), None, 404),
            // a team's practice and rhythm
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/queue", format!("/api/v1/teams/{team}/queue"), None, 200),
            call(&moderator.http, p.clone(), "/api/v1/teams/{id}/queue", format!("/api/v1/teams/{team}/queue"), Some(json!({"title": "Een dilemma", "summary": "Kort", "method": "dilemma"})), 201),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/actions", format!("/api/v1/teams/{team}/actions?status=all"), None, 200),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/actions", format!("/api/v1/teams/{team}/actions?status=raar"), None, 400),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/history", format!("/api/v1/teams/{team}/history"), None, 200),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/schedule", format!("/api/v1/teams/{team}/schedule"), None, 200),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/rotation", format!("/api/v1/teams/{team}/rotation"), None, 200),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/meetings", format!("/api/v1/teams/{team}/meetings"), None, 200),
            call(&moderator.http, g.clone(), "/api/v1/teams/{id}/schedule", "/api/v1/teams/999999/schedule".into(), None, 404),
            call(&moderator.http, p.clone(), "/api/v1/me/feed", "/api/v1/me/feed".into(), None, 201),
        ];
        let mut failures = Vec::new();
        let mut checked = BTreeSet::new();
        for c in calls {
            let mut req = c.client.request(c.method.clone(), app.url(&c.path));
            if let Some(body) = &c.body {
                req = req.json(body);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            if status != c.expect {
                failures.push(format!("{} {}: expected {}, got {status}: {text}", c.method, c.path, c.expect));
                continue;
            }
            let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} {}: not JSON ({e}): {text}", c.method, c.path));
            if let Err(e) = validate(&doc, c.method.as_str(), c.pattern, status, &body) {
                failures.push(e);
            }
            checked.insert((c.method.to_string(), c.pattern, status));
            // The check can fail: the same answer with a field renamed does not validate.
            let object = body.as_object().or_else(|| body.as_array().and_then(|a| a.first()).and_then(Value::as_object));
            let first = object.and_then(|o| o.iter().find(|(_, v)| !v.is_null()).map(|(k, _)| k.clone()));
            if let Some(first) = first {
                let wrong = renamed(&body, &first, &format!("{first}_renamed"));
                if validate(&doc, c.method.as_str(), c.pattern, status, &wrong).is_ok() {
                    failures.push(format!("{} {} {status}: renaming `{first}` still validates", c.method, c.path));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
        assert!(checked.len() >= 35, "answers checked: {}", checked.len());
    }
}

// The domain's own wire types are described field by field: a precedent's record, a slot and
// the meetings it plans validate, and a renamed field deep inside them does not.
on_both_backends! {
    async fn a_precedent_record_and_a_planned_schedule_validate_field_by_field(app) {
        let doc = document(&app).await;
        let moderator = app.user("moderator").await;
        let team = moderator.team_id;

        let (session, token, _) = concluded_session_by(&app, &moderator).await;
        let res = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/sessions/{session}/precedent")))
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let draft: Value = res.json().await.unwrap();
        validate(&doc, "POST", "/api/v1/sessions/{id}/precedent", 201, &draft).unwrap();
        let id = draft["id"].as_i64().unwrap();
        // A draft is read with the session's token (the archive shows adopted precedents only).
        let res = reqwest::Client::new()
            .get(app.url(&format!("/api/v1/precedents/{id}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let view: Value = res.json().await.unwrap();
        validate(&doc, "GET", "/api/v1/precedents/{id}", 200, &view).unwrap();
        for (field, inner) in [("record", "moral_question"), ("record", "options")] {
            let mut wrong = view.clone();
            wrong[field] = renamed(&view[field], inner, &format!("{inner}_renamed"));
            assert!(
                validate(&doc, "GET", "/api/v1/precedents/{id}", 200, &wrong).is_err(),
                "renaming record.{inner} still validates"
            );
        }
        let mut wrong = view.clone();
        wrong["record"]["options"][0] = renamed(&view["record"]["options"][0], "damage", "harm");
        assert!(validate(&doc, "GET", "/api/v1/precedents/{id}", 200, &wrong).is_err());

        let slot = json!({"recurrence": "weekly", "weekday": "tuesday", "start": "19:30",
                          "minutes": 90, "first_date": "2026-01-06"});
        let res = moderator.http.put(app.url(&format!("/api/v1/teams/{team}/schedule"))).json(&slot).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let schedule: Value = res.json().await.unwrap();
        validate(&doc, "PUT", "/api/v1/teams/{id}/schedule", 200, &schedule).unwrap();
        assert_eq!(schedule["slot"]["weekday"], "tuesday", "{schedule}");
        let mut wrong = schedule.clone();
        wrong["slot"] = renamed(&schedule["slot"], "weekday", "day");
        assert!(validate(&doc, "PUT", "/api/v1/teams/{id}/schedule", 200, &wrong).is_err());

        let res = moderator.http.get(app.url(&format!("/api/v1/teams/{team}/meetings"))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let meetings: Value = res.json().await.unwrap();
        validate(&doc, "GET", "/api/v1/teams/{id}/meetings", 200, &meetings).unwrap();
        let first = &meetings["meetings"][0];
        assert!(first.is_object(), "the slot plans meetings: {meetings}");
        let mut wrong = meetings.clone();
        wrong["meetings"][0] = renamed(first, "start_ms", "begin_ms");
        assert!(validate(&doc, "GET", "/api/v1/teams/{id}/meetings", 200, &wrong).is_err());
    }
}
