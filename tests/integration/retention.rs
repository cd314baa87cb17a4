//! Retention and erasure (AVG, docs/privacy.md), on both backends: the retention job removes
//! exactly the expired sessions' content and audits counts, adopted precedents stay; erasing an
//! account keeps its contributions anonymous and the audit chain verifying; an access request's
//! export holds the person's data and nobody else's; audit entries written with e-mail
//! addresses before are pseudonymised once, with the chain resealed.

use beraad::audit::{verify, Verified};
use beraad::domain::audit::AuditFact;
use beraad::privacy::retention_job::{expire_all, run_if_due};
use beraad::store::*;
use serde_json::{json, Value};

use crate::harness::{on_both_backends, organisation_on, team_on, PASSWORD};

const DAY: i64 = 24 * 60 * 60 * 1000;

fn new_event(actor: Option<&str>, payload: Value) -> NewEvent {
    let kind = payload["type"].as_str().unwrap().to_owned();
    NewEvent::new(actor.map(Into::into), kind, &payload)
}

/// A session with a case, two people joined and one contribution each, stored as if it had run.
async fn session(
    store: &DynStore,
    id: &str,
    team: Option<i64>,
    status: SessionStatus,
    at: i64,
    people: [(&str, &str, &str); 2],
) {
    let mut events = vec![new_event(
        None,
        json!({ "type": "session_created", "title": format!("Titel {id}"), "case_text": format!("CASUS-{id}") }),
    )];
    for (participant, name, text) in people {
        events.push(new_event(
            Some(participant),
            json!({ "type": "participant_joined", "participant": participant, "display_name": name, "role": "participant" }),
        ));
        events.push(new_event(
            Some(participant),
            json!({ "type": "contribution_added", "author": participant, "content": { "type": "text", "text": text } }),
        ));
    }
    store
        .create_session(
            &beraad::guard::screen(NewSession {
                header: beraad::store::SessionHeader {
                    id: id.into(),
                    team_id: team,
                    title: format!("Titel {id}"),
                    method_key: "dilemma".into(),
                    status,
                    created_by: None,
                },
                events,
                review: Some(json!({ "case": format!("CASUS-{id}") })),
                now_ms: at,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let token = beraad::store::NewSessionToken {
        session_id: id,
        token_hash: &format!("token-{id}"),
        participant_id: "u-0",
    };
    store.create_session_token(&token, at).await.unwrap();
}

fn precedent(org: i64, session: &str, status: PrecedentStatus) -> NewPrecedent {
    NewPrecedent {
        organisation_id: org,
        team_id: None,
        session_id: Some(session.into()),
        import_ref: None,
        status,
        title: format!("Precedent van {session}"),
        decided_on: Some("2025-10-01".into()),
        method_key: Some("dilemma".into()),
        record: json!({ "title": format!("Precedent van {session}") }),
        index: PrecedentIndex {
            body: "geanonimiseerd".into(),
            law_keys: vec![],
            themes: vec![],
            tags: vec![],
            values: vec![],
        },
        now_ms: beraad::clock::now_ms(),
    }
}

async fn log_text(store: &DynStore, session: &str) -> String {
    let events = store.events_since(session, 0, 1000).await.unwrap();
    events.iter().map(|e| e.payload.to_string()).collect::<Vec<_>>().join("\n")
}

async fn audit_text(store: &DynStore) -> String {
    let entries = store.audit_log().await.unwrap();
    entries.iter().map(|e| serde_json::to_string(e).unwrap()).collect::<Vec<_>>().join("\n")
}

async fn assert_chain_verifies(store: &DynStore) {
    match verify(store.as_ref()).await.unwrap() {
        Verified::Intact { .. } => {}
        Verified::Broken(e) => panic!("the audit chain is broken: {e}"),
    }
}

const ANN: (&str, &str, &str) = ("u-1", "Ann", "BIJDRAGE-ANN");
const BOB: (&str, &str, &str) = ("g-2", "Bob", "BIJDRAGE-BOB");

on_both_backends! {
    async fn expiry_removes_exactly_the_expired_content_and_audits_counts(app) {
        let store = app.store();
        let org = organisation_on(&store).await;
        let team = team_on(&store, "Team A").await;
        let other = store
            .create_organisation(&beraad::guard::screen(NewOrganisation { code: "LANG".into(), name: "Lang bewaard".into(), now_ms: 0 }).unwrap())
            .await
            .unwrap();
        store.set_organisation_settings(other.id, &beraad::guard::screen(json!({ "retention_days": 365 })).unwrap()).await.unwrap();
        let other_team =
            store.create_team(&beraad::guard::screen(NewTeam { organisation_id: other.id, name: "Team B".into(), now_ms: 0 }).unwrap()).await.unwrap();
        let now = beraad::clock::now_ms();
        let old = now - 100 * DAY;
        let people = [ANN, BOB];
        session(&store, "oud-gesloten", Some(team), SessionStatus::Closed, old, people).await;
        session(&store, "oud-concept", Some(team), SessionStatus::Closed, old, people).await;
        session(&store, "oud-zonder-team", None, SessionStatus::Closed, old, people).await;
        session(&store, "recent-gesloten", Some(team), SessionStatus::Closed, now - 10 * DAY, people).await;
        session(&store, "oud-lopend", Some(team), SessionStatus::Running, old, people).await;
        session(&store, "oud-andere-org", Some(other_team.id), SessionStatus::Closed, old, people).await;
        let adopted = store.upsert_precedent(&beraad::guard::screen(precedent(org, "oud-gesloten", PrecedentStatus::Adopted)).unwrap()).await.unwrap();
        let draft = store.upsert_precedent(&beraad::guard::screen(precedent(org, "oud-concept", PrecedentStatus::Draft)).unwrap()).await.unwrap();

        let expired = expire_all(store.as_ref(), beraad::config::DEFAULT_ORG_CODE, now).await.unwrap();
        let ours = expired.iter().find(|e| e.organisation_id == org).unwrap().removed;
        assert_eq!((ours.sessions, ours.events, ours.drafts), (3, 15, 1), "{ours:?}");
        let theirs = expired.iter().find(|e| e.organisation_id == other.id).unwrap().removed;
        assert_eq!(theirs.sessions, 0, "365 days have not passed there");

        for id in ["oud-gesloten", "oud-concept", "oud-zonder-team"] {
            let events = store.events_since(id, 0, 1000).await.unwrap();
            // The log stays gap-free and keeps what happened, not what was said.
            assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5], "{id}");
            assert_eq!(events[4].kind, "contribution_added");
            assert!(events.iter().all(|e| e.payload == redacted_payload()), "{id}");
            let row = store.session(id).await.unwrap().unwrap();
            assert!(row.content_removed_at.is_some() && row.header.title.is_empty(), "{id}");
            assert_eq!(store.anonymisation_review(id).await.unwrap(), None, "{id}");
            assert_eq!(store.participant_for_token(id, &format!("token-{id}")).await.unwrap(), None);
        }
        for id in ["recent-gesloten", "oud-lopend", "oud-andere-org"] {
            let text = log_text(&store, id).await;
            assert!(text.contains(&format!("CASUS-{id}")) && text.contains("BIJDRAGE-ANN"), "{id} is kept");
            assert_eq!(store.session(id).await.unwrap().unwrap().content_removed_at, None);
            assert!(store.anonymisation_review(id).await.unwrap().is_some());
        }
        // The adopted precedent stays; the never-adopted draft went with its session.
        assert_eq!(store.precedent(adopted.id).await.unwrap().unwrap().title, "Precedent van oud-gesloten");
        assert_eq!(store.precedent(draft.id).await.unwrap(), None);

        // Counts in the audit log, no content; the chain verifies.
        let log = store.audit_log().await.unwrap();
        let entry = log.iter().find(|e| e.fact.action == "retention_expired").expect("audited");
        assert_eq!(entry.fact.subject, format!("organisation:{org} sessions=3 events=15 drafts=1"));
        assert_eq!(entry.fact.actor, "system");
        let text = audit_text(&store).await;
        assert!(!text.contains("CASUS") && !text.contains("BIJDRAGE"), "{text}");
        assert_chain_verifies(&store).await;

        // Again: nothing left to remove, nothing audited.
        let again = expire_all(store.as_ref(), beraad::config::DEFAULT_ORG_CODE, now).await.unwrap();
        assert!(again.iter().all(|e| e.removed.sessions == 0));
        assert_eq!(store.audit_log().await.unwrap().len(), log.len());

        // The page of a removed session says so; the API answers 410 with the same reason.
        let page = app.http.get(app.url("/sessies/oud-gesloten")).send().await.unwrap();
        assert_eq!(page.status(), 410);
        assert!(page.text().await.unwrap().contains("Inhoud verwijderd"));
        let api = app
            .http
            .get(app.url("/api/v1/sessions/oud-gesloten/precedent"))
            .header("authorization", "Bearer token-oud-gesloten")
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 410);
        assert!(api.text().await.unwrap().contains("session_content_removed"));
    }

    async fn one_run_a_day_however_many_processes(app) {
        let store = app.store();
        organisation_on(&store).await;
        // A day far from today, so the server's own job never claims it.
        let day = beraad::clock::now_ms() + 3650 * DAY;
        let code = beraad::config::DEFAULT_ORG_CODE;
        let (a, b) = tokio::join!(run_if_due(store.as_ref(), code, day), run_if_due(store.as_ref(), code, day));
        let ran = [a.unwrap(), b.unwrap()].iter().filter(|r| r.is_some()).count();
        assert_eq!(ran, 1, "exactly one of two concurrent callers runs the day's job");
        assert!(run_if_due(store.as_ref(), code, day).await.unwrap().is_none());
        assert!(run_if_due(store.as_ref(), code, day + DAY).await.unwrap().is_some(), "the next day runs");
    }

    async fn the_admin_sets_the_period_within_bounds(app) {
        let admin = app.user("admin").await;
        let store = app.store();
        let org = organisation_on(&store).await;
        let post = |days: &'static str| {
            let http = admin.http.clone();
            let url = app.url("/admin/settings");
            async move {
                http.post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("archive_readers=organisation&retention_days={days}"))
                    .send()
                    .await
                    .unwrap()
            }
        };
        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(r#"name="retention_days""#) && page.contains(r#"value="90""#), "the default shows");
        assert_eq!(post("30").await.status(), 303);
        let settings = store.organisation(org).await.unwrap().unwrap().settings;
        assert_eq!(beraad::domain::retention::days_of(&settings), 30);
        for bad in ["3", "99999", "dertig"] {
            let res = post(bad).await;
            assert_eq!(res.status(), 422, "{bad}");
            assert!(res.text().await.unwrap().contains("tussen 7 en 3650"));
        }
        let settings = store.organisation(org).await.unwrap().unwrap().settings;
        assert_eq!(beraad::domain::retention::days_of(&settings), 30, "a refused value changes nothing");
    }

    async fn erasure_keeps_contributions_anonymous_and_the_chain_verifies(app) {
        let admin = app.user("admin").await;
        let member = app.browser_user("member").await;
        let store = app.store();
        let before = store.user(member.id).await.unwrap().unwrap();
        let participant = format!("u-{}", member.id);
        let team = team_on(&store, "Team A").await;
        session(&store, "met-lid", Some(team), SessionStatus::Closed, beraad::clock::now_ms(),
            [(participant.as_str(), before.display_name.as_str(), "BIJDRAGE-VAN-LID"), BOB]).await;
        // Audit entries about them: a sign-in and a role change.
        let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let signed_in = anon
            .post(app.url("/inloggen"))
            .form(&[("email", member.email.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 303, "the member signs in");
        let res = admin
            .http
            .post(app.url(&format!("/admin/users/{}/role", member.id)))
            .form(&[("role", "moderator")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);

        // Not without the confirmation (the dialog sets it), and never oneself.
        let erase = |id: i64, confirm: &'static str| {
            let http = admin.http.clone();
            let url = app.url(&format!("/admin/users/{id}/erase"));
            async move { http.post(url).form(&[("confirm", confirm)]).send().await.unwrap() }
        };
        assert_eq!(erase(member.id, "").await.status(), 422);
        assert_eq!(store.user(member.id).await.unwrap().unwrap().email, member.email, "nothing erased yet");
        assert_eq!(erase(admin.id, "erase").await.status(), 422);
        let res = erase(member.id, "erase").await;
        assert_eq!(res.status(), 303, "redirected after the post");
        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("voormalig deelnemer"), "the people list says so");

        let after = store.user(member.id).await.unwrap().unwrap();
        assert!(after.erased_at.is_some() && after.disabled_at.is_some());
        assert_eq!((after.email.as_str(), after.display_name.as_str()), (erased_email(member.id).as_str(), ""));
        assert_eq!(after.password_hash, None);
        assert_eq!(store.user_by_email(&member.email).await.unwrap(), None);
        assert!(store.teams_of_user(member.id).await.unwrap().is_empty());
        assert_eq!(store.web_session(&beraad::secrets::hash(&member.cookie)).await.unwrap(), None);
        // Signing in is impossible.
        let refused = anon
            .post(app.url("/inloggen"))
            .form(&[("email", member.email.as_str()), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);

        // The contribution stays, without the name; the other participant keeps theirs.
        let events = store.events_since("met-lid", 0, 100).await.unwrap();
        let joined = events.iter().find(|e| e.payload["participant"] == json!(participant)).unwrap();
        assert_eq!(joined.payload["display_name"], json!(""));
        let text = log_text(&store, "met-lid").await;
        assert!(text.contains("BIJDRAGE-VAN-LID") && text.contains("Bob"), "{text}");
        assert!(!text.contains(&before.display_name), "{text}");

        // The audit log never held their address or name, and its chain verifies.
        let audit = audit_text(&store).await;
        assert!(!audit.contains(&member.email) && !audit.contains(&before.display_name), "{audit}");
        assert!(audit.contains("person_erased"));
        assert_chain_verifies(&store).await;
        assert_eq!(erase(member.id, "erase").await.status(), 404, "erased once");
    }

    async fn the_export_holds_the_person_and_nobody_else(app) {
        let admin = app.user("admin").await;
        let ann = app.user("member").await;
        let bob = app.user("member").await;
        let store = app.store();
        let team = team_on(&store, "Team A").await;
        let (ann_user, bob_user) =
            (store.user(ann.id).await.unwrap().unwrap(), store.user(bob.id).await.unwrap().unwrap());
        let (pa, pb) = (format!("u-{}", ann.id), format!("u-{}", bob.id));
        session(&store, "samen", Some(team), SessionStatus::Closed, beraad::clock::now_ms(),
            [(pa.as_str(), ann_user.display_name.as_str(), "ANN-ZEGT-DIT"), (pb.as_str(), bob_user.display_name.as_str(), "BOB-ZEGT-DAT")]).await;
        session(&store, "zonder-ann", Some(team), SessionStatus::Closed, beraad::clock::now_ms(), [BOB, BOB]).await;
        for id in [ann.id, bob.id] {
            let res = admin
                .http
                .post(app.url(&format!("/admin/users/{id}/role")))
                .form(&[("role", "moderator")])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303);
        }

        let export = beraad::privacy::export::export(store.as_ref(), &ann.email.to_uppercase(), "test")
            .await
            .unwrap()
            .expect("Ann has an account");
        let json = serde_json::to_value(&export).unwrap();
        let text = json.to_string();
        assert_eq!(json["account"]["email"], json!(ann.email));
        assert_eq!(json["account"]["display_name"], json!(ann_user.display_name));
        assert_eq!(json["teams"][0]["name"], json!("Team A"));
        let sessions: Vec<&str> = json["sessions"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(sessions, vec!["samen"]);
        assert!(text.contains("ANN-ZEGT-DIT"), "her contribution: {text}");
        assert!(json["web_sessions"].as_array().unwrap().len() == 1);
        let audit = json["audit"].as_array().unwrap();
        assert!(audit.iter().any(|e| e["action"] == "role_changed"
            && e["subject"] == json!(format!("user:{} role=moderator", ann.id))), "{text}");
        // Nobody else's.
        for other in [bob.email.as_str(), bob_user.display_name.as_str(), "BOB-ZEGT-DAT", "zonder-ann"] {
            assert!(!text.contains(other), "{other} is in Ann's export: {text}");
        }
        assert!(!text.contains(&format!("user:{} ", bob.id)) && !text.contains(&format!("\"user:{}\"", bob.id)));
        // The request itself is audited.
        let log = store.audit_log().await.unwrap();
        assert!(log.iter().any(|e| e.fact.action == "person_exported" && e.fact.subject == format!("user:{}", ann.id)));
        assert!(beraad::privacy::export::export(store.as_ref(), "niemand@example.org", "test").await.unwrap().is_none());
    }

    async fn addresses_in_older_audit_entries_become_pseudonyms_and_the_chain_is_resealed(app) {
        let store = app.store();
        let user = app.user("member").await;
        let fact = |action: &str, subject: String| AuditFact {
            at_ms: 1,
            actor: "user:1".into(),
            action: action.into(),
            subject,
            result: "ok".into(),
            origin: "127.0.0.1".into(),
        };
        // As the server wrote them before: the address in the target.
        store.append_audit(&fact("team_created", "team:1".into())).await.unwrap();
        store.append_audit(&fact("invite_created", format!("{} role=member", user.email))).await.unwrap();
        store.append_audit(&fact("sign_in", "onbekend@example.org".into())).await.unwrap();
        store.append_audit(&fact("team_created", "team:2".into())).await.unwrap();
        let before = store.audit_log().await.unwrap();
        assert_chain_verifies(&store).await;

        assert_eq!(store.pseudonymise_audit(5).await.unwrap(), Some(2));
        let after = store.audit_log().await.unwrap();
        assert_eq!(after.len(), before.len() + 1);
        let text = audit_text(&store).await;
        assert!(!text.contains('@'), "{text}");
        let subject = |action: &str| after.iter().find(|e| e.fact.action == action).unwrap().fact.subject.clone();
        assert_eq!(subject("invite_created"), format!("user:{} role=member", user.id));
        assert_eq!(subject("sign_in"), "address-removed");
        // Entries before the first change keep their hashes; the last names the old head.
        assert_eq!(after[0], before[0]);
        let last = after.last().unwrap();
        assert_eq!(last.fact.action, "audit_resealed");
        let old_head = before.last().unwrap();
        assert!(last.fact.subject.contains(&format!("previous_head={}:{}", old_head.seq, old_head.hash)), "{last:?}");
        assert_chain_verifies(&store).await;
        // Once.
        assert_eq!(store.pseudonymise_audit(6).await.unwrap(), None);
    }
}

/// `beraad export-person` and `beraad erase-person` against the real binary.
#[tokio::test]
async fn the_person_commands_export_and_erase() {
    let (database, _dir) = crate::harness::fresh_sqlite();
    let url = crate::cli::url_of(&database);
    let store = crate::harness::store_on(&database).await;
    let ann = crate::harness::make_user(&store, "member", "Team A").await;
    let bob = crate::harness::make_user(&store, "member", "Team A").await;
    store.close().await;

    let out = crate::cli::beraad(&["export-person", "--email", &ann.email, "--database-url", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON on standard output");
    assert_eq!(json["account"]["email"], json!(ann.email));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&bob.email));
    let missing =
        crate::cli::beraad(&["export-person", "--email", "niemand@example.org", "--database-url", &url]);
    crate::cli::assert_one_line_error(&missing, "no account has that e-mail address");

    let unconfirmed = crate::cli::beraad(&["erase-person", "--email", &ann.email, "--database-url", &url]);
    crate::cli::assert_one_line_error(&unconfirmed, "--yes");
    let out = crate::cli::beraad(&["erase-person", "--email", &ann.email, "--yes", "--database-url", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verified = crate::cli::beraad(&["audit", "verify", "--database-url", &url]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    let store = crate::harness::store_on(&database).await;
    assert_eq!(store.user(ann.id).await.unwrap().unwrap().email, erased_email(ann.id));
    assert_eq!(store.user(bob.id).await.unwrap().unwrap().email, bob.email, "only Ann");
    store.close().await;
    let gone = crate::cli::beraad(&["export-person", "--email", &ann.email, "--database-url", &url]);
    crate::cli::assert_one_line_error(&gone, "no account has that e-mail address");
}
