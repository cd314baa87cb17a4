//! The BSN/IBAN guard at the entry points that take a person's own words besides a case: the
//! synonym groups an admin adds at /beheer, the reasons given for keeping an anonymisation
//! finding (creating a session, adopting a precedent) and for sending a draft back under the
//! four-eyes rule, and the names `beraad admin create` is given. Each is refused with a clear
//! message in the UI's language (English on the command line), and nothing of the number is
//! stored, on both backends.

use serde_json::{json, Value};

use crate::four_eyes::{api, form};
use crate::guard_writing::{beraad, database_text, url_of};
use crate::harness::on_both_backends;
use crate::precedent_lifecycle::{concluded_session_by, ready_draft};
use beraad::store::PrecedentStatus;

/// Fictitious: 123456782 passes the 11-proef, NL91ABNA0417164300 mod 97.
const BSN: &str = "123456782";
const IBAN: &str = "NL91ABNA0417164300";

/// A case with a name and a phone number, both findings to replace or keep with a reason.
const CASE: &str = "Mevrouw Jansen belde op 06-12345678 over haar aanvraag (artikel 18 lid 2).";

/// Every finding of `details` (an `unresolved_findings` answer) kept, the first with `reason`.
fn kept_with(details: &[Value], reason: &str) -> Value {
    let kept: Vec<Value> = details
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let why = if i == 0 { reason } else { "fictieve oefencasus" };
            json!({"kind": d["kind"], "text": d["text"], "reason": why})
        })
        .collect();
    json!({ "kept": kept })
}

on_both_backends! {
    async fn reasons_names_and_synonyms_with_a_bsn_or_iban_are_refused_and_never_stored(app) {
        let store = app.store();
        let admin = app.user("admin").await;

        // (a) Synonym groups at /beheer: refused by line, in Dutch and in English; nothing saved.
        let synonyms = |text: String, lang: &str| {
            admin.http.post(app.url(&format!("/admin/synonyms?lang={lang}"))).form(&[("synonyms", text)])
        };
        let res = synonyms(format!("zorg, hulp\nrekening, {IBAN}"), "nl").send().await.unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(page.contains("Regel 2: bevat een IBAN-rekeningnummer"), "{page}");
        let res = synonyms(format!("bsn {BSN}, nummer"), "en").send().await.unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(page.contains("Line 1: holds a citizen service number (BSN)"), "{page}");
        let org = store.organisation_by_code(beraad::config::DEFAULT_ORG_CODE).await.unwrap().unwrap();
        assert!(org.settings.get("synonyms").is_none(), "nothing saved: {}", org.settings);
        let res = synonyms("zorg, hulp".into(), "nl").send().await.unwrap();
        assert_eq!(res.status(), 303, "a clean text is saved");

        // (b) Keeping a finding with a reason that holds a number: refused before anything else.
        let moderator = app.user("moderator").await;
        let body = |review: Value| json!({"method":"cura","title":"Verlaging","case_text":CASE,"moderator_name":"Gespreksleider","review":review});
        let res = moderator.http.post(app.url("/api/v1/sessions")).json(&body(json!({}))).send().await.unwrap();
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "unresolved_findings", "{err}");
        let details = err["error"]["details"].as_array().unwrap().clone();
        let res = moderator
            .http
            .post(app.url("/api/v1/sessions"))
            .json(&body(kept_with(&details, &format!("staat zo in het dossier bij {BSN}"))))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["code"], "bsn_refused", "{err}");
        assert_eq!(err["error"]["details"]["field"], "review.kept[0].reason");
        assert!(err["error"]["message"].as_str().unwrap().contains("burgerservicenummer"), "{err}");
        let res = moderator.http.post(app.url("/api/v1/sessions")).json(&body(kept_with(&details, "fictieve oefencasus"))).send().await.unwrap();
        assert_eq!(res.status(), 201, "the same with a clean reason is accepted");

        // ... and when adopting a precedent (the review given with "Vaststellen").
        let author = app.user("moderator").await;
        let (session, token, _) = concluded_session_by(&app, &author).await;
        let id = ready_draft(&app, &session, &token).await;
        let adopt = format!("/api/v1/precedents/{id}/adopt");
        let review = json!({"review": {"kept": [{"kind": "name", "text": "Jansen", "reason": format!("rekening {IBAN}")}]}});
        let (status, body) = api(&app, reqwest::Method::POST, &adopt, &token, review).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("iban_refused")), "{body}");
        assert_eq!(store.precedent(id).await.unwrap().unwrap().status, PrecedentStatus::Draft);

        // ... and the reason a colleague gives for sending a draft back (four-eyes rule).
        let res = form(&admin, &app, "/admin/settings", "archive_readers=organisation&four_eyes=on").send().await.unwrap();
        assert_eq!(res.status(), 303);
        let (status, body) = api(&app, reqwest::Method::POST, &adopt, &token, json!({})).await;
        assert_eq!(status, 202, "{body}");
        let colleague = app.user("moderator").await;
        let res = form(&colleague, &app, &format!("/goedkeuren/{id}"), &format!("decision=send_back&reason=zie+{BSN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        assert!(page.contains("burgerservicenummer"), "{page}");
        let approval = store.approval(id).await.unwrap().unwrap();
        assert!(approval.approval.is_awaiting(), "not sent back: {approval:?}");

        // (c) `beraad admin create`: the admin's name and the organisation's name.
        let url = url_of(&app.database);
        let create = |name_arg: &str, name: &str| {
            beraad(&url, &["admin", "create", "--email", "nieuw@gemeente.nl", "--org", "NIEUW", name_arg, name, "--setup-link"])
        };
        for (arg, name, said) in [
            ("--name", format!("Ada {BSN}"), "--name holds a citizen service number (BSN) at character 4"),
            ("--org-name", format!("Gemeente {IBAN}"), "--org-name holds an IBAN account number at character 9"),
        ] {
            let out = create(arg, &name);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(!out.status.success(), "{arg}: {stdout}");
            assert!(stderr.contains(said) && stderr.contains("nothing was stored"), "{arg}: {stderr}");
            assert!(!stderr.contains(BSN) && !stderr.contains(IBAN) && !stdout.contains(BSN), "never echoed: {stderr}");
        }
        assert!(store.user_by_email("nieuw@gemeente.nl").await.unwrap().is_none(), "no admin made");
        assert!(store.organisation_by_code("NIEUW").await.unwrap().is_none(), "no organisation made");
        let out = create("--name", "Ada");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

        // Nothing of either number reached the database.
        let stored = database_text(&app.database);
        assert!(stored.contains("fictieve oefencasus"), "the accepted reason was stored, so the check reads the data");
        for needle in [BSN, IBAN, "0417164300"] {
            assert!(!stored.contains(needle), "{needle} was stored");
        }
    }
}
