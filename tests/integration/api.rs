//! The JSON API: methods, scan, session creation and joining, with errors in the caller's language.

use serde_json::{json, Value};

use crate::harness::TestApp;

#[tokio::test]
async fn methods_are_listed_and_custom_ones_validated() {
    let mut app = TestApp::sqlite().await;
    app.sign_in("admin").await;
    let methods: Vec<Value> = app.get("/api/v1/methods").await.json().await.unwrap();
    assert!(methods.len() >= 9);
    let res = app
        .http
        .post(app.url("/api/v1/methods/validate"))
        .body(r#"{"key":"x","rounds":[]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_method");
    assert!(!body["error"]["details"].as_array().unwrap().is_empty());
}

fn custom_method(key: &str) -> Value {
    json!({"key": key, "name": {"nl": "Korte check", "en": "Short check"}, "description": "Eigen werkvorm",
           "family": "intervision", "output": "advice",
           "rounds": [{"key": "open", "kind": "dialogue", "title": "Gesprek", "prompt": "Praat samen",
                       "minutes": 10, "contributors": "everyone"}]})
}

crate::harness::on_both_backends! {
    async fn a_custom_method_is_added_listed_and_used(app) {
        app.sign_in("admin").await;
        let res = app.http.post(app.url("/api/v1/methods")).json(&custom_method("korte_check")).send().await.unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let methods: Vec<Value> = app.get("/api/v1/methods").await.json().await.unwrap();
        assert!(methods.iter().any(|m| m["key"] == "korte_check"));
        // The same key again, or a built-in's key: refused.
        let again = app.http.post(app.url("/api/v1/methods")).json(&custom_method("korte_check")).send().await.unwrap();
        assert_eq!(again.status(), 409);
        let builtin = app.http.post(app.url("/api/v1/methods")).json(&custom_method("dilemma")).send().await.unwrap();
        assert_eq!(builtin.status(), 422);
        let body: Value = builtin.json().await.unwrap();
        assert_eq!(body["error"]["details"][0]["code"], "reserved_key", "{body}");
        // A session runs it.
        let (session, token, _) = crate::ws_client::create_session(&app, "korte_check", None).await;
        let mut m = crate::ws_client::WsClient::connect(&app, &session, "mod", &token, None).await;
        let welcome = m.frames.last().unwrap().clone();
        assert_eq!(welcome["view"]["method"]["key"], "korte_check", "{welcome}");
        m.ok(json!({"type": "start"})).await;
        // A method with a BSN in it is refused before validation.
        let mut bad = custom_method("met_bsn");
        bad["description"] = json!("zie BSN 111222333");
        let res = app.http.post(app.url("/api/v1/methods")).json(&bad).send().await.unwrap();
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "bsn_refused");
    }
}

#[tokio::test]
async fn scan_endpoint_returns_findings() {
    let mut app = TestApp::sqlite().await;
    app.sign_in("admin").await;
    let res = app
        .http
        .post(app.url("/api/v1/scan"))
        .json(&json!({"text": "Bel 06-24681357 of mail a.b@voorbeeld.nl"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let findings: Vec<Value> = res.json().await.unwrap();
    let kinds: Vec<_> = findings.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"phone") && kinds.contains(&"email"), "{kinds:?}");
    let bad = app.http.post(app.url("/api/v1/scan")).json(&json!({"tekst": "x"})).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn creating_a_session_refuses_a_bsn_in_the_case_and_stores_nothing() {
    let mut app = TestApp::sqlite().await;
    app.sign_in("admin").await;
    let res = app
        .http
        .post(app.url("/api/v1/sessions?lang=en"))
        .json(&json!({"method":"dilemma","title":"Casus","case_text":"BSN 111222333 van cliënt","moderator_name":"M"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bsn_refused");
    assert_eq!(body["error"]["details"]["field"], "case_text");
    assert!(body["error"]["message"].as_str().unwrap().contains("citizen service number"));
    assert!(!body.to_string().contains("111222333"), "the number is not echoed");
}

#[tokio::test]
async fn joining_needs_the_right_invite_and_errors_are_dutch() {
    let mut app = TestApp::sqlite().await;
    app.sign_in("admin").await;
    let (session, _, invite) = crate::ws_client::create_session(&app, "dilemma", None).await;
    let wrong = app
        .http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({"invite_code":"fout","display_name":"Anna"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
    let body: Value = wrong.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("bestaat niet"), "{body}");
    crate::ws_client::join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let second = app
        .http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({"invite_code":invite,"display_name":"Nog een","role":"presenter"}))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 422);
    let body: Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "presenter_taken");
}

#[test]
fn every_refusal_code_has_a_text_in_both_languages() {
    // The domain's codes, read from its source so a new variant cannot slip by untranslated.
    let source = include_str!("../../server/domain/src/session/error.rs");
    let body = source.split("pub fn code(&self)").nth(1).expect("CommandError::code exists");
    let body = &body[..body.find("\n    }\n").unwrap()];
    let codes: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
    assert!(codes.len() > 40, "found {} codes", codes.len());
    let protocol = [
        "invalid_json",
        "invalid_message",
        "already_greeted",
        "invalid_cid",
        "invalid_command",
        "rate_limited",
        "binary_not_supported",
        "hello_expected",
        "unsupported_protocol",
        "invalid_token",
        "not_saved",
        "internal",
        "busy",
        "bsn_refused",
        "iban_refused",
    ];
    for code in codes.iter().chain(protocol.iter()) {
        for lang in beraad::i18n::Lang::ALL {
            assert!(
                beraad::i18n::text(lang, &format!("live.error.{code}")).is_some(),
                "live.error.{code} missing in {}",
                lang.code()
            );
        }
    }
}

crate::harness::on_both_backends! {
    async fn a_case_is_not_presented_while_a_finding_is_unresolved(app) {
        app.sign_in("admin").await;
        let case = "Mevrouw Jansen belde op 06-12345678 over haar aanvraag (artikel 18 lid 2).";
        let body = |review: Value| json!({"method":"cura","title":"Verlaging","case_text":case,"moderator_name":"Gespreksleider","review":review});
        let res = app.http.post(app.url("/api/v1/sessions")).json(&body(json!({}))).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "unresolved_findings");
        assert!(err["error"]["message"].as_str().unwrap().contains("herleidbare gegevens"));
        let details = err["error"]["details"].as_array().unwrap().clone();
        let kinds: Vec<_> = details.iter().map(|d| d["kind"].as_str().unwrap().to_owned()).collect();
        assert!(kinds.contains(&"name".to_owned()) && kinds.contains(&"phone".to_owned()), "{details:?}");
        assert!(details.iter().all(|d| d["field"] == "case_text" && d["suggestion"].is_string()));

        // Kept without a reason: still refused.
        let kept: Vec<Value> = details.iter().map(|d| json!({"kind": d["kind"], "text": d["text"], "reason": ""})).collect();
        let res = app.http.post(app.url("/api/v1/sessions")).json(&body(json!({"kept": kept}))).send().await.unwrap();
        assert_eq!(res.status(), 422);

        // Every finding kept with a reason (and two replaced earlier in the editor): accepted, review stored.
        let kept: Vec<Value> = details.iter().map(|d| json!({"kind": d["kind"], "text": d["text"], "reason": "fictieve oefencasus"})).collect();
        let res = app
            .http
            .post(app.url("/api/v1/sessions"))
            .json(&body(json!({"kept": kept, "replaced": {"address": 2}})))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let created: Value = res.json().await.unwrap();
        let review = app.store().anonymisation_review(created["session_id"].as_str().unwrap()).await.unwrap().unwrap();
        assert_eq!(review["reviewer"], "Gespreksleider");
        assert_eq!(review["replaced"]["address"], 2);
        assert_eq!(review["kept_counts"]["name"], 1);
        assert_eq!(review["kept_counts"]["phone"], 1);
        assert_eq!(review["kept"][0]["reason"], "fictieve oefencasus");
        assert!(review["at_ms"].as_i64().unwrap() > 0);
    }
}
