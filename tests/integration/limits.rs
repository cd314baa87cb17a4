//! Hard limits on what one request may ask of the server (docs/security.md, "Limits"): counts
//! are refused before any other work with a 422 that names the limit, at most 50 problems are
//! listed, and CPU-heavy requests never stop `/healthz` from answering.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::TestApp;
use crate::ws_client::create_session_as;
use beraad::http::MAX_BODY_BYTES;
use beraad::store::PrecedentStatus;

/// The largest answer a refusal may have: a short message and at most 51 problems.
const MAX_ANSWER_BYTES: usize = 16 * 1024;

fn method_with_rounds(rounds: Vec<Value>) -> Value {
    json!({"key": "lang", "name": "Lang", "description": "Lang", "family": "intervision",
           "output": "advice", "rounds": rounds})
}

/// A method body of about 1 MiB: 340,000 empty rounds.
fn one_mib_of_rounds() -> String {
    let body = method_with_rounds(vec![json!({}); 340_000]).to_string();
    assert!(body.len() > 1_000_000 && body.len() <= MAX_BODY_BYTES, "{}", body.len());
    body
}

/// A method body of about 1 MiB within the rounds limit: 30 rounds with 2,200 unknown fields
/// each, so every part is read and 66,000 problems are found.
fn one_mib_of_problems() -> String {
    let mut round = serde_json::Map::new();
    for f in 0..2200 {
        round.insert(format!("veld{f:05}"), json!(0));
    }
    let body = method_with_rounds(vec![Value::Object(round); 30]).to_string();
    assert!(body.len() > 500_000 && body.len() <= MAX_BODY_BYTES, "{}", body.len());
    body
}

async fn post_method(http: &reqwest::Client, url: String, body: String) -> (u16, Value, usize) {
    let res =
        http.post(url).header("content-type", "application/json").body(body).send().await.expect("an answer");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), text.len())
}

#[tokio::test]
async fn a_method_of_one_mib_with_too_many_rounds_is_refused_by_its_count() {
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    let (status, body, size) =
        post_method(&moderator.http, app.url("/api/v1/methods/validate"), one_mib_of_rounds()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "too_many_rounds");
    assert_eq!(body["error"]["message"], "Een werkvorm heeft hoogstens 30 rondes; deze heeft er 340000.");
    assert_eq!(body["error"]["details"].as_array().unwrap().len(), 1);
    assert!(size < MAX_ANSWER_BYTES, "{size} bytes");
    let (status, body, _) =
        post_method(&moderator.http, app.url("/api/v1/methods?lang=en"), one_mib_of_rounds()).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["message"], "A method has at most 30 rounds; this one has 340000.");

    // Only signed-in people who may add methods validate them.
    let (status, body, _) =
        post_method(&reqwest::Client::new(), app.url("/api/v1/methods/validate"), one_mib_of_rounds()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("sign_in_required")));
    let member = app.user("member").await;
    let (status, _, _) = post_method(&member.http, app.url("/api/v1/methods/validate"), "{}".into()).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn at_most_fifty_method_problems_are_listed_with_a_count_of_the_rest() {
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    let (status, body, size) =
        post_method(&moderator.http, app.url("/api/v1/methods/validate"), one_mib_of_problems()).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid_method");
    let details = body["error"]["details"].as_array().unwrap();
    assert_eq!(details.len(), 51);
    let last = details.last().unwrap();
    assert_eq!(last["code"], "more_problems");
    let rest = details.len() - 1;
    assert!(last["message"].as_str().unwrap().starts_with("En nog "), "{last}");
    assert!(last["message"].as_str().unwrap().ends_with(&format!("alleen de eerste {rest} staan hier.")));
    assert!(size < MAX_ANSWER_BYTES, "{size} bytes");
}

#[tokio::test]
async fn healthz_answers_while_four_huge_bodies_are_validated() {
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    let attacks: Vec<_> = (0..4)
        .map(|i| {
            let http = moderator.http.clone();
            let url = app.url("/api/v1/methods/validate");
            let body = if i % 2 == 0 { one_mib_of_rounds() } else { one_mib_of_problems() };
            tokio::spawn(async move { post_method(&http, url, body).await })
        })
        .collect();
    // Give the bodies time to arrive, then ask for health while they are worked on.
    tokio::time::sleep(Duration::from_millis(50)).await;
    for _ in 0..3 {
        let health = reqwest::Client::new()
            .get(app.url("/healthz"))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .expect("/healthz answers within 5 s during the attack");
        assert_eq!(health.status(), 200);
    }
    for attack in attacks {
        let (status, _, size) = tokio::time::timeout(Duration::from_secs(60), attack)
            .await
            .expect("every attack is answered")
            .unwrap();
        assert_eq!(status, 422);
        assert!(size < MAX_ANSWER_BYTES);
    }
}

#[tokio::test]
async fn a_scan_longer_than_a_case_is_refused() {
    let app = TestApp::sqlite().await;
    let member = app.user("member").await;
    let text = "woord ".repeat(10_000);
    let res = member.http.post(app.url("/api/v1/scan")).json(&json!({ "text": text })).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "text_too_long");
    assert_eq!(body["error"]["message"], "De tekst is te lang: 60000 tekens, hoogstens 20000.");
}

crate::harness::on_both_backends! {
    async fn a_precedent_with_64k_tags_is_refused_by_its_count_and_nothing_is_saved(app) {
        let moderator = app.user("moderator").await;
        let (session, _, _) = create_session_as(&app, &moderator, "dilemma", None).await;
        let draft = crate::archive_pages::store_full_in(
            &app.store(),
            PrecedentStatus::Draft,
            Some(&session),
            Some(moderator.team_id),
            "GEM",
        )
        .await;
        let path = app.url(&format!("/api/v1/precedents/{draft}"));
        let before: Value = moderator.http.get(&path).send().await.unwrap().json().await.unwrap();
        let mut record = before["record"].clone();
        record["tags"] = json!((0..65_536).map(|i| format!("t{i:010}")).collect::<Vec<_>>());
        let body = record.to_string();
        assert!(body.len() > 900_000 && body.len() <= MAX_BODY_BYTES, "{}", body.len());
        let res = moderator
            .http
            .put(&path)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let text = res.text().await.unwrap();
        assert!(text.len() < MAX_ANSWER_BYTES, "{} bytes", text.len());
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(answer["error"]["code"], "too_many_items", "{answer}");
        assert_eq!(answer["error"]["message"], "tags heeft te veel onderdelen: 65536, hoogstens 100.");
        assert_eq!(answer["error"]["details"], json!({"field": "tags", "max": 100, "count": 65_536}));
        let after: Value = moderator.http.get(&path).send().await.unwrap().json().await.unwrap();
        assert_eq!(after["record"], before["record"], "nothing saved");
    }
}
