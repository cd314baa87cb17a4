//! The `Store` contract, identical on both backends: organisations, teams, users, the session
//! event log (gap-free, deduplicated, optimistic), precedents, and data surviving a restart.

use beraad::guard::screen;
use beraad::store::*;
use serde_json::json;

use crate::harness::on_both_backends;

const NOW: i64 = 1_764_000_000_000;

/// A name the guard has read (the store's renames take nothing else).
fn named(name: &str) -> beraad::guard::Screened<String> {
    beraad::guard::screen_text("name", name.into()).unwrap()
}

async fn org_team_user(store: &DynStore) -> (Organisation, Team, User) {
    let org = store
        .create_organisation(
            &beraad::guard::screen(NewOrganisation {
                code: "ARN".into(),
                name: "Gemeente Voorbeeld".into(),
                now_ms: NOW,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let team = store
        .create_team(
            &screen(NewTeam { organisation_id: org.id, name: "Team Inkomen Oost".into(), now_ms: NOW })
                .unwrap(),
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            &beraad::guard::screen(NewUser {
                organisation_id: org.id,
                email: "Gespreksleider@Voorbeeld.example".into(),
                display_name: "Gespreksleider".into(),
                role: UserRole::Moderator,
                password_hash: None,
                now_ms: NOW,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    (org, team, user)
}

fn event(kind: &str, n: i64) -> NewEvent {
    NewEvent::new(Some("p1".into()), kind, &json!({ "n": n, "tekst": "één" }))
}

async fn new_session(store: &DynStore, team: &Team, id: &str) -> SessionRow {
    store
        .create_session(
            &screen(NewSession {
                header: beraad::store::SessionHeader {
                    id: id.into(),
                    team_id: Some(team.id),
                    title: "Casus".into(),
                    method_key: "dilemma".into(),
                    status: SessionStatus::Lobby,
                    created_by: None,
                },
                events: vec![event("session_created", 0)],
                review: None,
                now_ms: NOW,
            })
            .unwrap(),
        )
        .await
        .unwrap()
}

fn append(session: &str, expected: i64, client_id: Option<&str>, events: Vec<NewEvent>) -> Append {
    Append {
        session_id: session.into(),
        expected_last_seq: expected,
        client_id: client_id.map(Into::into),
        events,
        status: None,
        revoke_access_of: Vec::new(),
        now_ms: NOW + 1,
    }
}

on_both_backends! {
    async fn organisations_teams_and_users(app) {
        let store = app.store();
        let (org, team, user) = org_team_user(&store).await;
        assert_eq!(store.organisation_by_code("ARN").await.unwrap(), Some(org.clone()));
        assert_eq!(store.organisation_by_code("XXX").await.unwrap(), None);
        assert_eq!(store.teams_of_organisation(org.id).await.unwrap(), vec![team.clone()]);
        // E-mail addresses are stored and found case-insensitively.
        assert_eq!(user.email, "gespreksleider@voorbeeld.example");
        let found = store.user_by_email("GESPREKSLEIDER@voorbeeld.example").await.unwrap().unwrap();
        assert_eq!(found, user);
        assert_eq!(found.role, UserRole::Moderator);
        store.add_team_member(team.id, user.id, NOW).await.unwrap();
        store.add_team_member(team.id, user.id, NOW).await.unwrap(); // idempotent
        assert_eq!(store.teams_of_user(user.id).await.unwrap(), vec![team.clone()]);
        // Uniqueness is reported as such.
        let dup = store.create_team(&screen(NewTeam { organisation_id: org.id, name: team.name.clone(), now_ms: NOW }).unwrap()).await;
        assert!(matches!(dup, Err(StoreError::AlreadyExists(_))), "{dup:?}");
        let missing_org = store.create_team(&screen(NewTeam { organisation_id: 999_999, name: "X".into(), now_ms: NOW }).unwrap()).await;
        assert!(matches!(missing_org, Err(StoreError::NotFound(_))), "{missing_org:?}");
    }

    async fn event_log_is_gap_free_and_ordered(app) {
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        let session = new_session(&store, &team, "s-1").await;
        assert_eq!(session.last_seq, 1);
        let out = store.append_events(append("s-1", 1, Some("c-1"), vec![event("a", 1), event("b", 2)])).await.unwrap();
        assert_eq!(out, AppendOutcome::Appended { first_seq: 2, last_seq: 3 });
        let out = store.append_events(append("s-1", 3, Some("c-2"), vec![event("c", 3)])).await.unwrap();
        assert_eq!(out, AppendOutcome::Appended { first_seq: 4, last_seq: 4 });
        let all = store.events_since("s-1", 0, 100).await.unwrap();
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
        assert_eq!(all.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), vec!["session_created", "a", "b", "c"]);
        assert_eq!(all[1].client_id.as_deref(), Some("c-1"));
        assert_eq!(all[2].client_id, None, "the client id marks the first event of its command only");
        assert_eq!(all[1].payload, json!({ "n": 1, "tekst": "één" }));
        let tail = store.events_since("s-1", 2, 100).await.unwrap();
        assert_eq!(tail.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3, 4]);
        assert_eq!(store.events_since("s-1", 0, 2).await.unwrap().len(), 2);
        assert_eq!(store.session("s-1").await.unwrap().unwrap().last_seq, 4);
    }

    async fn the_events_after_each_of_several_sessions_are_read_at_once(app) {
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        for id in ["m-1", "m-2", "m-3"] {
            new_session(&store, &team, id).await;
            store.append_events(append(id, 1, None, vec![event("a", 1), event("b", 2)])).await.unwrap();
        }
        let after = |pairs: &[(&str, i64)]| pairs.iter().map(|(s, a)| (s.to_string(), *a)).collect::<Vec<_>>();
        let read = store.events_after_each(&after(&[("m-3", 2), ("m-1", 0), ("nope", 0)]), 100).await.unwrap();
        let got: Vec<(String, i64)> = read.iter().map(|e| (e.session_id.clone(), e.seq)).collect();
        assert_eq!(got, after(&[("m-1", 1), ("m-1", 2), ("m-1", 3), ("m-3", 3)]), "by session, then seq");
        assert_eq!(read[1].payload, json!({ "n": 1, "tekst": "één" }));
        assert_eq!(read[1].kind, "a");
        // At most `limit` in all; a session already up to date gives nothing.
        let read = store.events_after_each(&after(&[("m-1", 0), ("m-2", 0)]), 4).await.unwrap();
        assert_eq!(read.len(), 4);
        assert!(store.events_after_each(&after(&[("m-2", 3)]), 10).await.unwrap().is_empty());
        assert!(store.events_after_each(&[], 10).await.unwrap().is_empty());
    }

    async fn a_resent_client_id_gets_the_original_ack(app) {
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        new_session(&store, &team, "s-2").await;
        let first = store.append_events(append("s-2", 1, Some("same"), vec![event("x", 1)])).await.unwrap();
        assert_eq!(first, AppendOutcome::Appended { first_seq: 2, last_seq: 2 });
        // Resent, even with a stale expected seq: the original ack, nothing appended.
        let again = store.append_events(append("s-2", 1, Some("same"), vec![event("x", 1)])).await.unwrap();
        assert_eq!(again, AppendOutcome::Duplicate { seq: 2 });
        let again = store.append_events(append("s-2", 2, Some("same"), vec![event("x", 1)])).await.unwrap();
        assert_eq!(again, AppendOutcome::Duplicate { seq: 2 });
        assert_eq!(store.events_since("s-2", 0, 100).await.unwrap().len(), 2);
        // Client ids are per session: the same id in another session is new there.
        new_session(&store, &team, "s-3").await;
        let other = store.append_events(append("s-3", 1, Some("same"), vec![event("x", 1)])).await.unwrap();
        assert_eq!(other, AppendOutcome::Appended { first_seq: 2, last_seq: 2 });
    }

    async fn a_stale_writer_gets_a_conflict(app) {
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        new_session(&store, &team, "s-4").await;
        store.append_events(append("s-4", 1, None, vec![event("x", 1)])).await.unwrap();
        let stale = store.append_events(append("s-4", 1, None, vec![event("y", 2)])).await.unwrap();
        assert_eq!(stale, AppendOutcome::Conflict { last_seq: 2 });
        assert_eq!(store.events_since("s-4", 0, 100).await.unwrap().len(), 2);
        let missing = store.append_events(append("nope", 0, None, vec![event("y", 2)])).await;
        assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
    }

    async fn concurrent_writers_never_leave_gaps_or_duplicates(app) {
        // 8 writers race to append 10 events each, retrying on conflict, as several server
        // processes would. The log must end with exactly 81 events numbered 1..=81.
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        new_session(&store, &team, "s-5").await;
        let mut tasks = Vec::new();
        for w in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..10 {
                    let client_id = format!("w{w}-{i}");
                    loop {
                        let last = store.session("s-5").await.unwrap().unwrap().last_seq;
                        let out = store
                            .append_events(append("s-5", last, Some(&client_id), vec![event("x", i)]))
                            .await
                            .unwrap();
                        match out {
                            AppendOutcome::Appended { .. } | AppendOutcome::Duplicate { .. } => break,
                            AppendOutcome::Conflict { .. } => tokio::task::yield_now().await,
                        }
                    }
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let all = store.events_since("s-5", 0, 1000).await.unwrap();
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=81).collect::<Vec<_>>());
        let mut ids: Vec<_> = all.iter().filter_map(|e| e.client_id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 80);
    }

    async fn concurrent_appends_to_many_sessions_each_get_their_own_answer(app) {
        // Appends that arrive together may share a transaction (SQLite's group commit); each
        // still gets its own outcome, and one that fails does not take the others with it.
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        for i in 0..40 {
            new_session(&store, &team, &format!("g-{i}")).await;
        }
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let session = format!("g-{i}");
                let expected = if i % 10 == 3 { 7 } else { 1 }; // every tenth is stale
                let ok = store.append_events(append(&session, expected, Some("c"), vec![event("x", i)])).await;
                let missing = store.append_events(append(&format!("none-{i}"), 1, None, vec![event("x", i)])).await;
                (i, ok.unwrap(), missing)
            }));
        }
        for t in tasks {
            let (i, ok, missing) = t.await.unwrap();
            if i % 10 == 3 {
                assert_eq!(ok, AppendOutcome::Conflict { last_seq: 1 });
            } else {
                assert_eq!(ok, AppendOutcome::Appended { first_seq: 2, last_seq: 2 });
            }
            assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
        }
        for i in 0..40 {
            let n = store.events_since(&format!("g-{i}"), 0, 10).await.unwrap().len();
            assert_eq!(n, if i % 10 == 3 { 1 } else { 2 }, "session g-{i}");
        }
    }

    async fn session_status_follows_appends(app) {
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        new_session(&store, &team, "s-6").await;
        let mut a = append("s-6", 1, None, vec![event("session_started", 1)]);
        a.status = Some(SessionStatus::Running);
        store.append_events(a).await.unwrap();
        let row = store.session("s-6").await.unwrap().unwrap();
        assert_eq!(row.header.status, SessionStatus::Running);
        assert_eq!(row.updated_at, NOW + 1);
        assert_eq!(store.sessions_of_team(team.id).await.unwrap().len(), 1);
        assert_eq!(store.session("none").await.unwrap(), None);
    }

    async fn precedents_upsert_by_import_ref(app) {
        let store = app.store();
        let (org, team, _) = org_team_user(&store).await;
        let mut p = NewPrecedent {
            organisation_id: org.id,
            team_id: Some(team.id),
            session_id: None,
            import_ref: Some("S1".into()),
            status: PrecedentStatus::Draft,
            title: "Afzien van terugvordering".into(),
            decided_on: Some("2025-04-22".into()),
            method_key: Some("dilemma".into()),
            record: json!({ "outcome": "Gedeeltelijke terugvordering" }),
            index: PrecedentIndex::default(),
            now_ms: NOW,
        };
        let first = store.upsert_precedent(&screen(p.clone()).unwrap()).await.unwrap();
        p.title = "Afzien van terugvordering bij fout van de gemeente".into();
        p.now_ms = NOW + 5;
        let second = store.upsert_precedent(&screen(p.clone()).unwrap()).await.unwrap();
        assert_eq!(first.id, second.id, "same ref updates instead of duplicating");
        assert_eq!(second.title, p.title);
        assert_eq!(second.created_at, NOW);
        assert_eq!(second.updated_at, NOW + 5);
        assert_eq!(store.count_precedents(org.id).await.unwrap(), 1);
        let loaded = store.precedent(first.id).await.unwrap().unwrap();
        assert_eq!(loaded.record, json!({ "outcome": "Gedeeltelijke terugvordering" }));
        assert_eq!(loaded.status, PrecedentStatus::Draft);
        assert_eq!(loaded.citation_id, None);
    }

    async fn a_draft_awaits_approval_is_sent_back_and_adoption_clears_it(app) {
        use beraad::domain::precedent::Approval;
        let store = app.store();
        let (org, team, user) = org_team_user(&store).await;
        let draft = store
            .upsert_precedent(&screen(NewPrecedent {
                organisation_id: org.id,
                team_id: Some(team.id),
                session_id: None,
                import_ref: Some("S9".into()),
                status: PrecedentStatus::Draft,
                title: "Verlaging bij ziekte".into(),
                decided_on: None,
                method_key: Some("dilemma".into()),
                record: json!({}),
                index: PrecedentIndex::default(),
                now_ms: NOW,
            })
            .unwrap())
            .await
            .unwrap();
        assert_eq!(store.approval(draft.id).await.unwrap(), None);
        let awaiting = StoredApproval {
            precedent_id: draft.id,
            approval: Approval::Awaiting { requested_by: user.id, requested_at_ms: NOW + 1 },
            draft_updated_at: draft.updated_at,
            review: Some(json!({"kept": []})),
        };
        // Written only while the draft is as the caller read it.
        let mut stale = Expected::of(&draft);
        stale.updated_at += 1;
        let awaiting_write = screen(awaiting.clone()).unwrap();
        assert!(!store.set_approval(&stale, &awaiting_write).await.unwrap());
        assert!(store.set_approval(&Expected::of(&draft), &awaiting_write).await.unwrap());
        assert_eq!(store.approval(draft.id).await.unwrap(), Some(awaiting.clone()));
        let listed = store.awaiting_approval(org.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].0.id, &listed[0].1), (draft.id, &awaiting));
        assert!(store.awaiting_approval(org.id + 1).await.unwrap().is_empty(), "one organisation's only");

        let back = StoredApproval {
            approval: Approval::SentBack { requested_by: user.id, by: user.id, reason: "Onderbouwing ontbreekt".into(), at_ms: NOW + 2 },
            ..awaiting.clone()
        };
        assert!(store.set_approval(&Expected::of(&draft), &screen(back.clone()).unwrap()).await.unwrap());
        assert_eq!(store.approval(draft.id).await.unwrap(), Some(back));
        assert!(store.awaiting_approval(org.id).await.unwrap().is_empty(), "sent back awaits nobody");

        // Asked again, then adopted: the approval goes in the same transaction.
        assert!(store.set_approval(&Expected::of(&draft), &awaiting_write).await.unwrap());
        let make = |n: i64| {
            screen(PrecedentWrite {
                status: PrecedentStatus::Adopted,
                version: 1,
                citation_id: Some(format!("MB:ARN:2026:{n}")),
                title: "Verlaging bij ziekte".into(),
                decided_on: None,
                method_key: Some("dilemma".into()),
                record: json!({}),
                index: PrecedentIndex::default(),
                keep_version: None,
            })
            .map_err(|r| r.to_string())
        };
        let adoption = Adoption { id: draft.id, expected: &Expected::of(&draft), year: 2026, make: &make, now_ms: NOW + 3 };
        let outcome = store.adopt_precedent(&adoption).await.unwrap();
        assert!(matches!(outcome, ChangeOutcome::Changed(_)));
        assert_eq!(store.approval(draft.id).await.unwrap(), None);
    }

    async fn names_change_and_invites_are_revoked(app) {
        let store = app.store();
        let (org, team, user) = org_team_user(&store).await;
        store.rename_user(org.id, user.id, &named("Gespreksleider Oost")).await.unwrap();
        assert_eq!(store.user(user.id).await.unwrap().unwrap().display_name, "Gespreksleider Oost");
        assert!(matches!(store.rename_user(org.id + 1, user.id, &named("X")).await, Err(StoreError::NotFound(_))));
        store.rename_team(org.id, team.id, &named("Team Inkomen West")).await.unwrap();
        assert_eq!(store.team(team.id).await.unwrap().unwrap().name, "Team Inkomen West");
        let other = store
            .create_team(&screen(NewTeam { organisation_id: org.id, name: "Team Noord".into(), now_ms: NOW }).unwrap())
            .await
            .unwrap();
        assert!(matches!(store.rename_team(org.id, other.id, &named("Team Inkomen West")).await, Err(StoreError::AlreadyExists(_))));
        assert!(matches!(store.rename_team(org.id + 1, team.id, &named("Y")).await, Err(StoreError::NotFound(_))));

        store
            .create_account_token(&NewAccountToken {
                token_hash: "hash-1".into(),
                token: AccountToken {
                    kind: AccountTokenKind::Invite,
                    organisation_id: org.id,
                    user_id: None,
                    email: Some("nieuw@voorbeeld.example".into()),
                    role: Some(UserRole::Member),
                    team_id: Some(team.id),
                    created_by: Some(user.id),
                    expires_at: NOW + 1000,
                },
                now_ms: NOW,
            })
            .await
            .unwrap();
        let pending = store.pending_invites(org.id, NOW + 1).await.unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!((pending[0].token_hash.as_str(), pending[0].token.created_by), ("hash-1", Some(user.id)));
        let token = store.account_token("hash-1", AccountTokenKind::Invite, NOW + 1).await.unwrap().unwrap();
        assert_eq!(token.created_by, Some(user.id));
        assert!(!store.revoke_invite(org.id + 1, "hash-1", NOW + 2).await.unwrap(), "another organisation's");
        assert!(store.revoke_invite(org.id, "hash-1", NOW + 2).await.unwrap());
        assert!(store.pending_invites(org.id, NOW + 3).await.unwrap().is_empty());
        assert_eq!(store.account_token("hash-1", AccountTokenKind::Invite, NOW + 3).await.unwrap(), None);
        assert!(!store.revoke_invite(org.id, "hash-1", NOW + 4).await.unwrap(), "once");
    }

    async fn data_survives_a_restart(app) {
        let store = app.store();
        let (_, team, _) = org_team_user(&store).await;
        new_session(&store, &team, "s-7").await;
        store.append_events(append("s-7", 1, Some("k"), vec![event("x", 1)])).await.unwrap();
        let app = app.restart().await;
        let store = app.store();
        assert!(store.organisation_by_code("ARN").await.unwrap().is_some());
        assert_eq!(store.events_since("s-7", 0, 10).await.unwrap().len(), 2);
        let again = store.append_events(append("s-7", 2, Some("k"), vec![event("x", 1)])).await.unwrap();
        assert_eq!(again, AppendOutcome::Duplicate { seq: 2 }, "dedup survives the restart");
        assert_eq!(app.get("/readyz").await.status(), 200);
    }
}
