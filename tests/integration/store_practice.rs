//! The `TeamPractice` store contract, identical on both backends: proposals and their marks,
//! claiming a proposal once, prepared sessions, harvests that add each agreed action once and
//! settle only open actions, look-back items in order, and team members.

use beraad::guard::{screen, Screened};
use beraad::store::*;
use serde_json::json;

use crate::harness::on_both_backends;

const NOW: i64 = 1_764_000_000_000;

async fn world(store: &DynStore) -> (Team, User, User) {
    let org = store
        .create_organisation(
            &beraad::guard::screen(NewOrganisation {
                code: "ARN".into(),
                name: "Gemeente".into(),
                now_ms: NOW,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let team = store
        .create_team(
            &beraad::guard::screen(NewTeam { organisation_id: org.id, name: "Team".into(), now_ms: NOW })
                .unwrap(),
        )
        .await
        .unwrap();
    let mut users = Vec::new();
    for (email, name) in [("a@example.org", "Anna de Vries"), ("b@example.org", "Bram Smit")] {
        let user = store
            .create_user(
                &beraad::guard::screen(NewUser {
                    organisation_id: org.id,
                    email: email.into(),
                    display_name: name.into(),
                    role: UserRole::Member,
                    password_hash: None,
                    now_ms: NOW,
                })
                .unwrap(),
            )
            .await
            .unwrap();
        store.add_team_member(team.id, user.id, NOW).await.unwrap();
        users.push(user);
    }
    let b = users.pop().unwrap();
    let a = users.pop().unwrap();
    (team, a, b)
}

fn proposal(team: &Team, user: &User) -> Screened<NewProposal> {
    let case = ProposedCase {
        title: "Casus".into(),
        summary: "Eén regel".into(),
        case_text: "Een cliënt miste een afspraak.".into(),
        method_key: "dilemma".into(),
        method_variant: Some("question_first".into()),
        review: json!({"kept": [], "replaced": {"name": 1}}),
    };
    screen(NewProposal { team_id: team.id, proposer_id: user.id, case, now_ms: NOW }).unwrap()
}

async fn session(store: &DynStore, team: &Team, id: &str) {
    store
        .create_session(
            &beraad::guard::screen(NewSession {
                header: beraad::store::SessionHeader {
                    id: id.into(),
                    team_id: Some(team.id),
                    title: "Casus".into(),
                    method_key: "cura".into(),
                    status: SessionStatus::Lobby,
                    created_by: None,
                },
                events: vec![NewEvent::new(None, "session_created", &json!({}))],
                review: None,
                now_ms: NOW,
            })
            .unwrap(),
        )
        .await
        .unwrap();
}

fn harvest(
    team: &Team,
    session: &str,
    seq: i64,
    actions: Vec<NewTeamAction>,
    settlements: Vec<ActionSettlement>,
) -> Screened<Harvest> {
    let session = PracticeSession {
        session_id: session.into(),
        harvested_seq: seq,
        held: true,
        attendance: 4,
        held_on: "2026-01-05".into(),
        method_key: "cura".into(),
    };
    screen(Harvest { team_id: team.id, session, actions, settlements, now_ms: NOW }).unwrap()
}

fn action(i: i64, what: &str, owner: Option<i64>) -> NewTeamAction {
    NewTeamAction {
        item_index: i,
        what: what.into(),
        who: "Anna de Vries".into(),
        due_on: "2026-01-10".into(),
        owner_id: owner,
    }
}

on_both_backends! {
    async fn proposals_marks_and_picking(app) {
        let store = app.store();
        let (team, a, b) = world(&store).await;
        let p = store.create_proposal(&proposal(&team, &a)).await.unwrap();
        assert_eq!((p.status.as_str(), p.case.method_variant.as_deref()), ("open", Some("question_first")));
        assert_eq!(p.case.review["replaced"]["name"], 1);
        assert_eq!(store.proposal(p.id).await.unwrap(), Some(p.clone()));
        store.create_proposal(&proposal(&team, &b)).await.unwrap();
        assert_eq!(store.open_proposal_counts(team.id, a.id).await.unwrap(), (2, 1));
        // Marks: one per person, idempotent, and the viewer's own mark.
        assert!(store.set_interest(p.id, b.id, true, NOW).await.unwrap());
        assert!(store.set_interest(p.id, b.id, true, NOW).await.unwrap());
        assert!(store.set_interest(p.id, a.id, true, NOW).await.unwrap());
        assert!(store.set_interest(p.id, a.id, false, NOW).await.unwrap());
        let q = store.queue(team.id, b.id).await.unwrap();
        let row = q.iter().find(|r| r.id == p.id).unwrap();
        assert_eq!((row.interest, row.marked, row.proposer_name.as_str()), (1, true, "Anna de Vries"));
        assert!(!store.queue(team.id, a.id).await.unwrap().iter().find(|r| r.id == p.id).unwrap().marked);
        // Claimed once: a second claim, a withdrawal and a mark fail; released, it is open again.
        assert!(store.claim_proposal(p.id, NOW).await.unwrap());
        assert!(!store.claim_proposal(p.id, NOW).await.unwrap());
        assert!(!store.withdraw_proposal(p.id, NOW).await.unwrap());
        assert!(!store.set_interest(p.id, a.id, true, NOW).await.unwrap());
        assert_eq!(store.queue(team.id, a.id).await.unwrap().len(), 1, "picked: out of the queue");
        store.release_proposal(p.id, NOW).await.unwrap();
        assert_eq!(store.queue(team.id, a.id).await.unwrap().len(), 2);
        assert!(store.claim_proposal(p.id, NOW).await.unwrap());
        session(&store, &team, "s-prepared").await;
        let prepared = Preparation { proposal_id: p.id, session_id: "s-prepared", planned_at: NOW + 86_400_000 };
        store.link_prepared_session(&prepared, NOW).await.unwrap();
        let prepared = store.prepared_sessions(team.id).await.unwrap();
        assert_eq!(prepared.len(), 1);
        assert_eq!((prepared[0].session_id.as_str(), prepared[0].planned_at), ("s-prepared", Some(NOW + 86_400_000)));
        assert_eq!(prepared[0].session_status, "lobby");
        let stored = store.proposal(p.id).await.unwrap().unwrap();
        assert_eq!((stored.status.as_str(), stored.session_id.as_deref()), ("picked", Some("s-prepared")));
    }

    async fn harvests_add_actions_once_and_settle_open_ones(app) {
        let store = app.store();
        let (team, a, _) = world(&store).await;
        session(&store, &team, "s1").await;
        session(&store, &team, "s2").await;
        let first = harvest(&team, "s1", 5, vec![action(0, "Bellen", Some(a.id)), action(1, "Mailen", None)], vec![]);
        store.record_harvest(&first).await.unwrap();
        store.record_harvest(&first).await.unwrap();
        let actions = store.team_actions(team.id, true, 100).await.unwrap();
        assert_eq!(actions.len(), 2, "each agreed action once");
        assert_eq!(store.actions_of_session("s1").await.unwrap().len(), 2);
        assert_eq!(actions[0].owner_id, Some(a.id));
        // The facts move forward only.
        store.record_harvest(&harvest(&team, "s1", 3, vec![], vec![])).await.unwrap();
        assert_eq!(store.practice_sessions(team.id).await.unwrap()[0].harvested_seq, 5);
        // Look-back items keep their order; a look-back harvest settles open actions only.
        let ids: Vec<i64> = actions.iter().map(|x| x.id).rev().collect();
        store.set_look_back_items("s2", &ids).await.unwrap();
        assert_eq!(store.look_back_items("s2").await.unwrap(), ids);
        let settle = |id: i64, status: &str| ActionSettlement {
            action_id: id,
            status: status.into(),
            settled_on: "2026-01-12".into(),
            drop_reason: (status == "dropped").then(|| "Niet meer nodig".into()),
            settled_by: None,
            in_session: Some("s2".into()),
            now_ms: NOW,
        };
        let settled = |id: i64, status: &str| screen(settle(id, status)).unwrap();
        assert!(store.settle_action(&settled(actions[0].id, "done")).await.unwrap());
        assert!(!store.settle_action(&settled(actions[0].id, "dropped")).await.unwrap(), "settled once");
        store.record_harvest(&harvest(&team, "s2", 9, vec![], vec![settle(actions[0].id, "dropped"), settle(actions[1].id, "dropped")])).await.unwrap();
        let done = store.team_action(actions[0].id).await.unwrap().unwrap();
        assert_eq!((done.status.as_str(), done.settled_on.as_deref()), ("done", Some("2026-01-12")));
        let dropped = store.team_action(actions[1].id).await.unwrap().unwrap();
        assert_eq!((dropped.status.as_str(), dropped.drop_reason.as_deref()), ("dropped", Some("Niet meer nodig")));
        assert_eq!(dropped.settled_in_session.as_deref(), Some("s2"));
        assert!(store.team_actions(team.id, true, 100).await.unwrap().is_empty());
        assert_eq!(store.team_actions(team.id, false, 100).await.unwrap().len(), 2);
        assert!(store.settle_action(&settled(actions[0].id, "open")).await.is_err(), "only done or dropped");
        let members = store.member_names(team.id).await.unwrap();
        assert_eq!(members.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), vec!["Anna de Vries", "Bram Smit"]);
        assert!(store.adopted_precedents_of_team(team.id).await.unwrap().is_empty());
    }
}
