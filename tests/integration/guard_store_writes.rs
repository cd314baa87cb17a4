//! The BSN/IBAN guard at the writes whose store methods were the last to take `Screened`
//! values: renaming a team or a person and naming an API token at /beheer, proposing a case
//! for a team's meeting, and the note on a session's link to a precedent. Each is refused with
//! a clear message in Dutch and in English, and nothing of the number is stored, on both
//! backends. (The reason for dropping a team action: `team_practice.rs`.)

use serde_json::{json, Value};

use crate::four_eyes::{api, form};
use crate::guard_writing::database_text;
use crate::harness::{on_both_backends, TestApp, TestUser};
use crate::precedent_lifecycle::{adopted, concluded_session};

/// Fictitious: 123456782 passes the 11-proef, NL91ABNA0417164300 mod 97.
const BSN: &str = "123456782";
const IBAN: &str = "NL91ABNA0417164300";

/// Posts a /beheer form; the status and the page.
async fn page(app: &TestApp, user: &TestUser, path: &str, body: &str) -> (u16, String) {
    let res = form(user, app, path, body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts JSON as a signed-in user; the status and the answer.
async fn post(app: &TestApp, user: &TestUser, path: &str, body: Value) -> (u16, Value) {
    let res = user.http.post(app.url(path)).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

/// Asserts a refused API answer: the code, the field, and the message in the asked language.
fn refused_as(answer: &(u16, Value), code: &str, field: &str, said: &str) {
    let (status, body) = answer;
    assert_eq!(*status, 422, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["details"]["field"], field, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(said), "{message}");
    assert!(!message.contains(BSN) && !message.contains("0417164300"), "never echoed: {message}");
}

on_both_backends! {
    async fn names_proposals_and_link_notes_with_a_bsn_or_iban_are_refused_and_never_stored(app) {
        let store = app.store();
        let admin = app.user("admin").await;
        let member = app.user("member").await;
        let team = member.team_id;

        // (a) Renaming a team: refused in Dutch and in English; the name stays.
        let before = store.team(team).await.unwrap().unwrap().name;
        let rename_team = format!("/admin/teams/{team}/name");
        let (status, nl) = page(&app, &admin, &format!("{rename_team}?lang=nl"), &format!("name=Team+{BSN}")).await;
        assert_eq!(status, 422);
        assert!(nl.contains("zonder BSN of IBAN. Er is niets gewijzigd."), "{nl}");
        let (status, en) = page(&app, &admin, &format!("{rename_team}?lang=en"), &format!("name=Team+{IBAN}")).await;
        assert_eq!(status, 422);
        assert!(en.contains("without a BSN or IBAN. Nothing was changed."), "{en}");
        assert_eq!(store.team(team).await.unwrap().unwrap().name, before);

        // (b) Renaming a person.
        let before = store.user(member.id).await.unwrap().unwrap().display_name;
        let rename_user = format!("/admin/users/{}/name", member.id);
        let (status, nl) = page(&app, &admin, &format!("{rename_user}?lang=nl"), &format!("name=Anna+{IBAN}")).await;
        assert_eq!(status, 422);
        assert!(nl.contains("zonder BSN of IBAN. Er is niets gewijzigd."), "{nl}");
        let (status, en) = page(&app, &admin, &format!("{rename_user}?lang=en"), &format!("name=Anna+{BSN}")).await;
        assert_eq!(status, 422);
        assert!(en.contains("without BSN or IBAN. Nothing was changed."), "{en}");
        assert_eq!(store.user(member.id).await.unwrap().unwrap().display_name, before);

        // (c) Naming an API token.
        let token = |name: &str| format!("name={name}&scope=manage_people");
        let (status, nl) = page(&app, &admin, "/admin/api-tokens?lang=nl", &token(&format!("Script+{BSN}"))).await;
        assert_eq!(status, 422);
        assert!(nl.contains("zonder BSN of IBAN. Er is niets aangemaakt."), "{nl}");
        let (status, en) = page(&app, &admin, "/admin/api-tokens?lang=en", &token(&format!("Script+{IBAN}"))).await;
        assert_eq!(status, 422);
        assert!(en.contains("without BSN or IBAN. Nothing was created."), "{en}");
        let org = crate::harness::organisation_on(&store).await;
        assert!(store.api_tokens_of(org).await.unwrap().is_empty(), "no token made");

        // (d) Proposing a case for the team's meeting, a number in any of its texts.
        let queue = format!("/api/v1/teams/{team}/queue");
        let proposal = |field: &str, text: String| {
            let mut body = json!({"title": "Verlaging", "summary": "Mag dat?", "case_text": "Een casus.", "method": "cura"});
            body[field] = json!(text);
            body
        };
        let answer = post(&app, &member, &queue, proposal("summary", format!("Zie {BSN}"))).await;
        refused_as(&answer, "bsn_refused", "summary", "burgerservicenummer");
        let answer = post(&app, &member, &format!("{queue}?lang=en"), proposal("title", format!("Rekening {IBAN}"))).await;
        refused_as(&answer, "iban_refused", "title", "IBAN account number");
        let answer = post(&app, &member, &format!("{queue}?lang=en"), proposal("case_text", format!("BSN {BSN}."))).await;
        refused_as(&answer, "bsn_refused", "case_text", "citizen service number");
        let listed: Value = member.http.get(app.url(&queue)).send().await.unwrap().json().await.unwrap();
        assert_eq!(listed["queue"].as_array().map(Vec::len), Some(0), "nothing proposed: {listed}");

        // (e) The note on a session's link to an adopted precedent.
        let (first, first_token, _) = concluded_session(&app).await;
        let one = adopted(&app, &first, &first_token).await;
        let (second, second_token, _) = concluded_session(&app).await;
        let links = format!("/api/v1/sessions/{second}/links");
        let link = |note: String| json!({"precedent_id": one["id"], "kind": "deviates_from", "note": note});
        let answer = api(&app, reqwest::Method::POST, &links, &second_token, link(format!("zie {BSN}"))).await;
        refused_as(&answer, "bsn_refused", "note", "burgerservicenummer");
        let path = format!("{links}?lang=en");
        let answer = api(&app, reqwest::Method::POST, &path, &second_token, link(format!("rekening {IBAN}"))).await;
        refused_as(&answer, "iban_refused", "note", "IBAN account number");
        assert!(store.links_of_session(&second).await.unwrap().is_empty(), "no link made");
        let (status, body) =
            api(&app, reqwest::Method::POST, &links, &second_token, link("andere gezinssituatie".into())).await;
        assert_eq!(status, 201, "the same link with a clean note is made: {body}");

        // Nothing of either number reached the database.
        let stored = database_text(&app.database);
        assert!(stored.contains("andere gezinssituatie"), "the accepted note was stored, so the check reads the data");
        for needle in [BSN, IBAN, "0417164300"] {
            assert!(!stored.contains(needle), "{needle} was stored");
        }
    }
}
