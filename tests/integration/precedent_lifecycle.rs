//! From session to precedent, on both backends: a real dilemma session over websockets is
//! concluded, drafted, edited, adopted (citation ids numbered per organisation and year),
//! corrected (a new version, the old one kept), withdrawn (the id stays), and linked to a later
//! session; only the session's moderator may change anything, and a BSN is refused.

use serde_json::{json, Value};

use crate::harness::{on_both_backends, TestApp};
use crate::ws_client::{create_session, create_session_as, join, WsClient};

const BSN: &str = "111222333";

fn cmd(t: &str) -> Value {
    json!({ "type": t })
}

fn text(t: &str) -> Value {
    json!({ "type": "contribute", "content": { "type": "text", "text": t } })
}

/// A dilemma session run to its end over websockets: (session id, moderator token, a
/// participant's token).
pub(crate) async fn concluded_session(app: &TestApp) -> (String, String, String) {
    let moderator = app.user("moderator").await;
    concluded_session_by(app, &moderator).await
}

/// [`concluded_session`], moderated by `moderator` (a signed-in user of the session's team).
pub(crate) async fn concluded_session_by(
    app: &TestApp,
    moderator: &crate::harness::TestUser,
) -> (String, String, String) {
    let (session, token, invite) = create_session_as(app, moderator, "dilemma", Some("question_first")).await;
    let mut m = WsClient::connect(app, &session, "mod", &token, None).await;
    let (_, t) = join(app, &session, &invite, "Inbrenger", "presenter").await;
    let mut pres = WsClient::connect(app, &session, "pres", &t, None).await;
    let mut ps = Vec::new();
    let mut participant_token = String::new();
    for i in 1..=2 {
        let (_, t) = join(app, &session, &invite, &format!("Anna Jansen {i}"), "participant").await;
        ps.push(WsClient::connect(app, &session, &format!("p{i}"), &t, None).await);
        participant_token = t;
    }
    m.ok(cmd("start")).await;
    // A later session of the team opens with the look-back on the earlier one's actions
    // (docs/team-practice.md): past it first.
    let created = app.store().events_since(&session, 0, 1).await.unwrap();
    if created[0].payload["method"]["rounds"][0]["kind"] == "look_back" {
        m.ok(cmd("next_round")).await;
    }
    m.ok(cmd("next_round")).await; // introduction → case
    pres.ok(text("Maandag afspraak gemist, dinsdag ziek gemeld. Hittepunt: de verlaging.")).await;
    m.ok(cmd("next_round")).await;
    pres.ok(text("Moet ik de verlaging opleggen?")).await;
    for (label, damage) in [("A: verlagen", "geldnood"), ("B: niet verlagen", "ongelijkheid")] {
        pres.ok(json!({"type":"contribute","content":{"type":"option","label":label,"damage":damage}})).await;
    }
    m.ok(cmd("next_round")).await; // clarifying questions
    m.ok(cmd("next_round")).await; // perspectives
    ps[0]
        .ok(json!({"type":"contribute","content":{"type":"matrix_row","stakeholder":"cliënt",
            "perspective":"wil zekerheid","value":"bestaanszekerheid","norm":"geen verlaging zonder gesprek"}}))
        .await;
    m.ok(cmd("next_round")).await; // alternatives
    m.ok(cmd("next_round")).await; // individual judgement
    for (i, p) in ps.iter_mut().enumerate() {
        let option = if i == 0 { "A" } else { "B" };
        p.ok(json!({"type":"contribute","content":{"type":"choice","option":option,
            "supporting_value":"gelijkheid","harmed_value":"bestaanszekerheid"}}))
            .await;
    }
    // Not everyone chose (the presenter did not): moving on asks to reveal first (issue 13.6).
    assert_eq!(m.refused(cmd("next_round")).await, "round_not_revealed");
    m.ok(json!({"type":"next_round","unrevealed":"reveal"})).await; // dialogue
    m.ok(cmd("next_round")).await; // conclusion
    m.ok(json!({"type":"conclude","conclusion":"Geen verlaging zonder eerst een gesprek.",
        "reasoning":"Bestaanszekerheid weegt zwaarder.","dissent":"Eén deelnemer kiest A.",
        "actions":[{"what":"Werkinstructie aanpassen","who":"teamleider","when":"2026-12-15"}]}))
        .await;
    m.ok(cmd("next_round")).await; // evaluation
    m.ok(cmd("next_round")).await; // concluding
    m.ok(cmd("end")).await;
    (session, token, participant_token)
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.http.request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A GET by a signed-in archive reader of the organisation (the archive needs a sign-in).
async fn read(app: &TestApp, path: &str) -> (u16, Value) {
    let reader = app.user("archive_reader").await;
    let res = reader.http.get(app.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    send(app, reqwest::Method::POST, path, token, Some(body)).await
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    send(app, reqwest::Method::GET, path, token, None).await
}

async fn put(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    send(app, reqwest::Method::PUT, path, token, Some(body)).await
}

/// Drafts and completes the precedent of a concluded session; returns its id.
pub(crate) async fn ready_draft(app: &TestApp, session: &str, token: &str) -> i64 {
    let (status, draft) =
        post(app, &format!("/api/v1/sessions/{session}/precedent"), Some(token), json!({})).await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_i64().unwrap();
    let mut record = draft["record"].clone();
    record["summary"] = json!("Geen verlaging bij een eerste verzuim met ziekmelding; eerst een gesprek.");
    let (status, body) = put(app, &format!("/api/v1/precedents/{id}"), Some(token), record).await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn adopt(app: &TestApp, id: i64, token: &str) -> Value {
    let (status, body) = post(app, &format!("/api/v1/precedents/{id}/adopt"), Some(token), json!({})).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Drafts, completes and adopts the precedent of a concluded session; returns its view.
pub(crate) async fn adopted(app: &TestApp, session: &str, token: &str) -> Value {
    let id = ready_draft(app, session, token).await;
    adopt(app, id, token).await
}

on_both_backends! {
    async fn a_session_becomes_an_adopted_corrected_and_withdrawn_precedent(app) {
        let (session, token, participant) = concluded_session(&app).await;
        let draft_path = format!("/api/v1/sessions/{session}/precedent");

        // Only the moderator drafts.
        let (status, body) = post(&app, &draft_path, Some(&participant), json!({})).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["error"]["code"], "not_session_moderator");
        assert!(body["error"]["message"].as_str().unwrap().contains("gespreksleider"));
        let (status, body) = post(&app, &draft_path, None, json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (401, Some("missing_token")));

        let (status, draft) = post(&app, &draft_path, Some(&token), json!({})).await;
        assert_eq!(status, 201, "{draft}");
        assert_eq!(draft["status"], "draft");
        assert!(draft["citation_id"].is_null());
        let record = &draft["record"];
        assert_eq!(record["title"], "Verlaging na een gemiste afspraak");
        assert_eq!(record["moral_question"], "Moet ik de verlaging opleggen?");
        assert_eq!(record["options"].as_array().unwrap().len(), 2);
        assert_eq!(record["positions"][0]["pseudonym"], "deelnemer 1");
        assert_eq!(record["positions"][1]["pseudonym"], "deelnemer 2");
        assert_eq!(record["conclusion"], "Geen verlaging zonder eerst een gesprek.");
        assert_eq!(record["actions"][0]["when"], "2026-12-15");
        assert_eq!(record["organisation"], "GEM");
        assert!(!draft.to_string().contains("Anna Jansen"), "no display names in the draft: {draft}");
        let id = draft["id"].as_i64().unwrap();
        let path = format!("/api/v1/precedents/{id}");

        // A second draft answers 409 with the existing one.
        let (status, again) = post(&app, &draft_path, Some(&token), json!({})).await;
        assert_eq!(status, 409);
        assert_eq!(again["error"]["code"], "precedent_exists");
        assert_eq!(again["error"]["details"]["precedent"]["id"], id);

        // A draft is not public, and not searchable.
        assert_eq!(get(&app, &path, None).await.0, 401);
        assert_eq!(get(&app, &path, Some(&participant)).await.0, 403);
        assert_eq!(get(&app, &path, Some(&token)).await.0, 200);
        let (_, found) = read(&app, "/api/v1/precedents?q=verlaging").await;
        assert_eq!(found["paging"]["total"], 0, "{found}");

        // Editing: a BSN anywhere is refused and nothing is saved.
        let mut edited = record.clone();
        edited["summary"] = json!(format!("Cliënt met BSN {BSN}."));
        let (status, body) = put(&app, &path, Some(&token), edited).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("bsn_refused")), "{body}");
        assert!(!body.to_string().contains(BSN));
        let mut edited = record.clone();
        edited["positions"][0]["needs"] = json!(format!("steun {BSN}"));
        let (status, _) = put(&app, &path, Some(&token), edited).await;
        assert_eq!(status, 422);
        let (_, now) = get(&app, &path, Some(&token)).await;
        assert_eq!(now["record"], draft["record"], "nothing saved");
        assert!(!now.to_string().contains(BSN));

        // Invalid fields are named; a participant may not edit.
        let mut edited = record.clone();
        edited["title"] = json!("  ");
        let (status, body) = put(&app, &path, Some(&token), edited).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_record")));
        assert_eq!(body["error"]["details"][0]["field"], "title");
        assert_eq!(put(&app, &path, Some(&participant), record.clone()).await.0, 403);

        // Adoption needs a summary.
        let (status, body) = post(&app, &format!("{path}/adopt"), Some(&token), json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_record")), "{body}");
        assert_eq!(body["error"]["details"][0]["field"], "summary");

        // A valid edit: a name in it is shown as a finding, and blocks adoption until resolved.
        let mut edited = record.clone();
        edited["summary"] = json!("Geen verlaging bij een eerste verzuim; Jan de Vries was het er niet mee eens.");
        edited["themes"] = json!(["verlaging"]);
        edited["tags"] = json!(["Ziekmelding"]);
        edited["law_refs"] = json!(["art. 18 lid 2"]);
        edited["outcome"] = json!("sanction_waived");
        edited["status"] = json!("adopted"); // managed fields are not editable
        let (status, saved) = put(&app, &path, Some(&token), edited.clone()).await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["status"], "draft");
        assert_eq!(saved["record"]["tags"], json!(["ziekmelding"]));
        let findings = saved["anonymisation_findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["field"] == "summary" && f["kind"] == "name"), "{saved}");
        let (status, body) = post(&app, &format!("{path}/adopt"), Some(&token), json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("unresolved_findings")), "{body}");
        edited["summary"] = json!("Geen verlaging bij een eerste verzuim met ziekmelding; eerst een gesprek.");
        assert_eq!(put(&app, &path, Some(&token), edited).await.0, 200);

        // Adoption: citation id MB:GEM:<year>:1, searchable, readable by anyone.
        assert_eq!(post(&app, &format!("{path}/adopt"), Some(&participant), json!({})).await.0, 403);
        let (status, adopted) = post(&app, &format!("{path}/adopt"), Some(&token), json!({})).await;
        assert_eq!(status, 200, "{adopted}");
        let year = adopted["record"]["session_date"].as_str().unwrap()[..4].to_string();
        let citation = format!("MB:GEM:{year}:1");
        assert_eq!(adopted["citation_id"], citation);
        assert_eq!(adopted["record"]["citation"], citation);
        assert_eq!((adopted["status"].as_str(), adopted["version"].as_i64()), (Some("adopted"), Some(1)));
        assert_eq!(adopted["versions"].as_array().unwrap().len(), 1);
        assert!(adopted["record"]["anonymisation_review"]["reviewer"].is_string());
        let (status, public) = read(&app, &path).await;
        assert_eq!((status, public["citation_id"].as_str()), (200, Some(citation.as_str())));
        let (_, found) = read(&app, "/api/v1/precedents?q=verlaging").await;
        assert_eq!(found["paging"]["total"], 1, "{found}");
        let (_, found) = read(&app, "/api/v1/precedents?law=art.%2018").await;
        assert_eq!(found["paging"]["total"], 1, "{found}");

        // Adopted is immutable: no edit, no second adoption.
        let (status, body) = put(&app, &path, Some(&token), adopted["record"].clone()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("precedent_not_draft")));
        let (status, _) = post(&app, &format!("{path}/adopt"), Some(&token), json!({})).await;
        assert_eq!(status, 409);

        // A correction: version 2 under the same citation id, version 1 kept.
        let mut corrected = adopted["record"].clone();
        corrected["reasoning"] = json!("Bestaanszekerheid weegt zwaarder dan gelijke behandeling.");
        let (status, body) = post(&app, &format!("{path}/corrections"), Some(&token),
            json!({"record": corrected, "reason": ""})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("reason_required")));
        let (status, v2) = post(&app, &format!("{path}/corrections"), Some(&token),
            json!({"record": corrected, "reason": "onderbouwing aangevuld"})).await;
        assert_eq!(status, 201, "{v2}");
        assert_eq!((v2["version"].as_i64(), v2["citation_id"].as_str()), (Some(2), Some(citation.as_str())));
        assert_eq!(v2["record"]["reasoning"], "Bestaanszekerheid weegt zwaarder dan gelijke behandeling.");
        let versions = v2["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!((versions[0]["version"].as_i64(), versions[0]["kind"].as_str()), (Some(1), Some("adopted")));
        assert_eq!(versions[1]["reason"], "onderbouwing aangevuld");
        let (status, v1) = read(&app, &format!("{path}/versions/1")).await;
        assert_eq!(status, 200);
        assert_eq!(v1["record"]["reasoning"], "Bestaanszekerheid weegt zwaarder.");
        assert_eq!(v1["current"], false);
        assert_eq!(read(&app, &format!("{path}/versions/3")).await.0, 404);
        // The precedent page shows the history.
        let (_, page) = read(&app, &format!("/precedenten/{id}")).await;
        let page = page.as_str().unwrap_or_default().to_owned();
        assert!(page.contains("Versies") && page.contains("Versie 2") && page.contains("onderbouwing aangevuld"), "{page}");

        // Withdrawal keeps the id and the citation id, and says so; no longer searchable.
        let (status, body) = post(&app, &format!("{path}/withdraw"), Some(&token), json!({"reason": " "})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("reason_required")));
        let (status, w) = post(&app, &format!("{path}/withdraw"), Some(&token),
            json!({"reason": "achterhaald door nieuw beleid"})).await;
        assert_eq!(status, 200, "{w}");
        assert_eq!((w["status"].as_str(), w["withdrawn"].as_bool()), (Some("withdrawn"), Some(true)));
        let (status, by_citation) = read(&app, &format!("/api/v1/precedents/by-citation/{citation}")).await;
        assert_eq!(status, 200);
        assert_eq!((by_citation["id"].as_i64(), by_citation["status"].as_str()), (Some(id), Some("withdrawn")));
        let history = by_citation["record"]["status_history"].as_array().unwrap();
        assert_eq!(history.last().unwrap()["reason"], "achterhaald door nieuw beleid");
        let (_, found) = read(&app, "/api/v1/precedents?q=verlaging").await;
        assert_eq!(found["paging"]["total"], 0, "{found}");
        assert_eq!(post(&app, &format!("{path}/corrections"), Some(&token),
            json!({"record": corrected, "reason": "x"})).await.0, 409);
        assert_eq!(read(&app, "/api/v1/precedents/by-citation/MB:GEM:1999:99").await.0, 404);
        assert_eq!(read(&app, "/api/v1/precedents/by-citation/nonsense").await.0, 400);
    }

    async fn citation_numbers_count_up_and_links_show_on_both_sides(app) {
        let (first, first_token, _) = concluded_session(&app).await;
        let one = adopted(&app, &first, &first_token).await;
        let (second, second_token, participant) = concluded_session(&app).await;

        // A running session cannot be drafted yet.
        let (running, running_token, _) = create_session(&app, "dilemma", None).await;
        let (status, body) = post(&app, &format!("/api/v1/sessions/{running}/precedent"), Some(&running_token), json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("session_not_concluded")));

        // The second session links to the first precedent before drafting.
        let links = format!("/api/v1/sessions/{second}/links");
        let link = json!({"precedent_id": one["id"], "kind": "deviates_from", "note": "andere gezinssituatie"});
        assert_eq!(post(&app, &links, Some(&participant), link.clone()).await.0, 403);
        // Another session's token is not valid here: 401, as an unknown token.
        assert_eq!(post(&app, &links, Some(&first_token), link.clone()).await.0, 401, "another session's moderator");
        let (status, body) = post(&app, &links, Some(&second_token),
            json!({"precedent_id": one["id"], "kind": "ignores"})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_link_kind")));
        let (status, body) = post(&app, &links, Some(&second_token), link).await;
        assert_eq!(status, 201, "{body}");
        let (status, listed) = get(&app, &links, Some(&participant)).await;
        assert_eq!(status, 200);
        assert_eq!(listed["links"][0]["kind"], "deviates_from");
        assert_eq!(listed["links"][0]["citation_id"], one["citation_id"]);
        assert_eq!(listed["links"][0]["note"], "andere gezinssituatie");
        assert_eq!(get(&app, &links, None).await.0, 401);

        // The second adoption in the same organisation and year gets number 2; its record
        // names the precedent it deviates from.
        let two = adopted(&app, &second, &second_token).await;
        let c1 = one["citation_id"].as_str().unwrap();
        let c2 = two["citation_id"].as_str().unwrap();
        assert!(c1.ends_with(":1") && c2.ends_with(":2"), "{c1} {c2}");
        assert_eq!(c1[..c1.len() - 2], c2[..c2.len() - 2]);
        assert_eq!(two["record"]["related_precedents"], json!([{"relation": "deviates_from", "citation": c1}]));
        assert_eq!(two["session_links"][0]["citation_id"], c1);

        // The link shows on the first precedent too.
        let (_, first_view) = read(&app, &format!("/api/v1/precedents/{}", one["id"])).await;
        let linked = first_view["linked_sessions"].as_array().unwrap();
        assert_eq!(linked.len(), 1);
        assert_eq!((linked[0]["session_id"].as_str(), linked[0]["kind"].as_str()), (Some(second.as_str()), Some("deviates_from")));
        let (_, page) = read(&app, &format!("/precedenten/{}", one["id"])).await;
        let page = page.as_str().unwrap_or_default().to_owned();
        assert!(page.contains("Een beraad week hiervan af") && page.contains("andere gezinssituatie"), "{page}");

        // A session cannot link to its own precedent, nor to a draft.
        let own = json!({"precedent_id": two["id"], "kind": "follows"});
        let (status, body) = post(&app, &links, Some(&second_token), own).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("cannot_link_own")));
    }

    async fn a_link_reaches_only_precedents_the_caller_may_read(app) {
        use beraad::store::PrecedentStatus;
        use crate::archive_pages::store_full_in;
        let store = app.store();
        let (session, token, _) = create_session(&app, "dilemma", None).await;
        let ours = beraad::config::DEFAULT_ORG_CODE;
        let theirs = store_full_in(&store, PrecedentStatus::Adopted, None, None, "AND").await;
        let draft = store_full_in(&store, PrecedentStatus::Draft, None, None, ours).await;
        let missing = theirs.max(draft) + 1000;
        let links = format!("/api/v1/sessions/{session}/links");
        // Another organisation's adopted precedent, a draft of our own, an id nobody has: one
        // and the same answer, so it tells nothing about what exists elsewhere.
        let mut answers = Vec::new();
        for id in [theirs, draft, missing] {
            answers.push(post(&app, &links, Some(&token), json!({"precedent_id": id, "kind": "follows"})).await);
        }
        assert_eq!((answers[0].0, answers[0].1["error"]["code"].as_str()), (404, Some("no_such_precedent")), "{answers:?}");
        assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
        assert!(!answers[0].1.to_string().contains("Gemeente"), "no title or organisation in the answer");
        // Nothing stored, on either side.
        assert!(store.links_of_session(&session).await.unwrap().is_empty());
        assert!(store.links_of_precedent(theirs).await.unwrap().is_empty());
        assert!(store.links_of_precedent(draft).await.unwrap().is_empty());
        // An adopted precedent of the caller's own organisation links.
        let readable = store_full_in(&store, PrecedentStatus::Adopted, None, None, ours).await;
        let (status, body) = post(&app, &links, Some(&token), json!({"precedent_id": readable, "kind": "follows"})).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(store.links_of_precedent(readable).await.unwrap().len(), 1);
    }

    async fn concurrent_adoptions_never_share_a_citation_number(app) {
        let mut drafts = Vec::new();
        for _ in 0..3 {
            let (session, token, _) = concluded_session(&app).await;
            let id = ready_draft(&app, &session, &token).await;
            drafts.push((id, token));
        }
        let (a, b, c) = tokio::join!(
            adopt(&app, drafts[0].0, &drafts[0].1),
            adopt(&app, drafts[1].0, &drafts[1].1),
            adopt(&app, drafts[2].0, &drafts[2].1),
        );
        let mut numbers: Vec<String> = [a, b, c]
            .iter()
            .map(|v| v["citation_id"].as_str().unwrap().rsplit(':').next().unwrap().to_string())
            .collect();
        numbers.sort();
        assert_eq!(numbers, ["1", "2", "3"]);
    }

    async fn a_withdrawn_draft_stays_private(app) {
        let (session, token, _) = concluded_session(&app).await;
        let id = ready_draft(&app, &session, &token).await;
        let path = format!("/api/v1/precedents/{id}");
        let (status, w) = post(&app, &format!("{path}/withdraw"), Some(&token), json!({"reason": "dubbel"})).await;
        assert_eq!(status, 200, "{w}");
        assert_eq!((w["status"].as_str(), w["citation_id"].as_str()), (Some("withdrawn"), None));
        assert_eq!(get(&app, &path, None).await.0, 401);
        assert_eq!(get(&app, &format!("/api/v1/sessions/{session}/precedent"), None).await.0, 401);
        assert_eq!(get(&app, &path, Some(&token)).await.0, 200);
        // Never adopted: not on the archive's pages either.
        assert_eq!(read(&app, &format!("/precedenten/{id}")).await.0, 404);
        assert_eq!(read(&app, &format!("/precedenten/{id}.md")).await.0, 404);
        let (status, body) = post(&app, &format!("{path}/adopt"), Some(&token), json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("precedent_status_conflict")));
    }

    async fn citation_numbers_are_per_organisation_and_year_and_stale_steps_write_nothing(app) {
        use beraad::store::*;
        let store = app.store();
        let now = 1_764_000_000_000;
        let mut orgs = Vec::new();
        for code in ["AAA", "BBB"] {
            let new = NewOrganisation { code: code.into(), name: code.into(), now_ms: now };
            orgs.push(store.create_organisation(&beraad::guard::screen(new).unwrap()).await.unwrap());
        }
        let draft = |org: i64, n: usize| NewPrecedent {
            organisation_id: org,
            team_id: None,
            session_id: None,
            import_ref: Some(format!("r{n}")),
            status: PrecedentStatus::Draft,
            title: format!("Concept {n}"),
            decided_on: None,
            method_key: None,
            record: json!({}),
            index: PrecedentIndex::default(),
            now_ms: now,
        };
        // (organisation, year) per draft, in order of adoption, with the number expected.
        let plan = [(0, 2025, 1), (0, 2025, 2), (1, 2025, 1), (0, 2026, 1), (1, 2025, 2)];
        for (n, (org, year, expected)) in plan.into_iter().enumerate() {
            let row = store.upsert_precedent(&beraad::guard::screen(draft(orgs[org].id, n)).unwrap()).await.unwrap();
            let code = orgs[org].code.clone();
            let make = move |number: i64| -> Result<beraad::guard::Screened<PrecedentWrite>, String> {
                beraad::guard::screen(PrecedentWrite {
                    status: PrecedentStatus::Adopted,
                    version: 1,
                    citation_id: Some(format!("MB:{code}:{year}:{number}")),
                    title: "Vastgesteld".into(),
                    decided_on: None,
                    method_key: None,
                    record: json!({"n": number}),
                    index: PrecedentIndex::default(),
                    keep_version: Some(VersionNote { kind: VersionKind::Adopted, changed_by: "gespreksleider".into(), reason: None }),
                })
                .map_err(|r| r.to_string())
            };
            // A caller that read an older state changes nothing and spends no number.
            let mut stale = Expected::of(&row);
            stale.updated_at -= 1;
            let adoption = |expected| Adoption { id: row.id, expected, year, make: &make, now_ms: now };
            let outcome = store.adopt_precedent(&adoption(&stale)).await.unwrap();
            assert_eq!(outcome, ChangeOutcome::Stale);
            let current = Expected::of(&row);
            let ChangeOutcome::Changed(adopted) = store.adopt_precedent(&adoption(&current)).await.unwrap() else {
                panic!("adopted")
            };
            assert_eq!(adopted.citation_id, Some(format!("MB:{}:{year}:{expected}", orgs[org].code)));
            assert_eq!(adopted.status, PrecedentStatus::Adopted);
            let versions = store.precedent_versions(row.id).await.unwrap();
            assert_eq!((versions.len(), versions[0].record["n"].as_i64()), (1, Some(expected)));
            // Adopting again from the old state is stale: the citation id stays.
            let again = store.adopt_precedent(&adoption(&current)).await.unwrap();
            assert_eq!(again, ChangeOutcome::Stale);
        }
        let found = store.precedent_by_citation("MB:AAA:2025:2").await.unwrap().unwrap();
        assert_eq!(found.title, "Vastgesteld");
    }
}
