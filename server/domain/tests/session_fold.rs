//! Property-style checks over many seeded random sessions: the fold of the log equals the
//! incrementally applied state, `decide` is deterministic and never panics, and the visibility
//! invariants hold after every event for every viewer.

mod session_support;

use beraad_domain::method::{builtin_methods, Anonymity, Method, RoundKind};
use beraad_domain::session::*;
use session_support::*;

/// SplitMix64: a small deterministic generator for the test's choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const ACTORS: [&str; 9] = ["mod", "pres", "p1", "p2", "p3", "p4", "obs", "late", "nobody"];

fn random_content(rng: &mut Rng, h: &Harness) -> Content {
    let kind =
        h.state.current_round().map(|i| h.state.method().rounds[i].kind).unwrap_or(RoundKind::Dialogue);
    let fitting = rng.chance(80);
    let some_id =
        || -> ContributionId { h.state.contributions().last().map(|c| c.id).unwrap_or(ContributionId(1)) };
    let pick_kind = if fitting {
        kind
    } else {
        *rng.pick(&[RoundKind::Questions, RoundKind::Matrix, RoundKind::Evaluation])
    };
    let n = rng.next() % 1000;
    match pick_kind {
        RoundKind::Questions => {
            if rng.chance(40) {
                let question = h
                    .state
                    .contributions()
                    .iter()
                    .rev()
                    .find(|c| matches!(c.content, Content::Question { .. }))
                    .map(|c| c.id)
                    .unwrap_or_else(some_id);
                Content::Answer { question_id: question, text: format!("antwoord {n}") }
            } else {
                Content::Question { text: format!("vraag {n}") }
            }
        }
        RoundKind::Matrix => Content::MatrixRow {
            stakeholder: format!("betrokkene {n}"),
            perspective: "p".into(),
            value: "v".into(),
            norm: String::new(),
        },
        RoundKind::Options => Content::Option { label: format!("optie {n}"), damage: "schade".into() },
        RoundKind::Choice => Content::Choice {
            option: format!("keuze {n}"),
            supporting_value: "a".into(),
            harmed_value: "b".into(),
            damage_limitation: String::new(),
            needs: String::new(),
        },
        RoundKind::Selection if rng.chance(50) => Content::Selection {
            target: h
                .state
                .contributions()
                .iter()
                .rev()
                .find(|c| matches!(c.content, Content::Text { .. }))
                .map(|c| c.id)
                .unwrap_or_else(some_id),
        },
        RoundKind::Conclusion if rng.chance(50) => Content::Action(ActionItem {
            what: format!("actie {n}"),
            who: "iemand".into(),
            when: if rng.chance(90) { "2026-01-31" } else { "2026-02-31" }.into(),
        }),
        RoundKind::Evaluation => Content::Evaluation { text: format!("evaluatie {n}") },
        _ => text(&format!("tekst {n}")),
    }
}

fn random_command(rng: &mut Rng, h: &mut Harness) -> Command {
    let rounds = h.state.method().rounds.len();
    let someone = || pid(ACTORS[(h.state.seq() as usize * 7) % ACTORS.len()]);
    match rng.below(22) {
        0 | 1 => Command::Join {
            display_name: format!("Naam {}", rng.below(100)),
            role: *rng.pick(&[
                Role::Participant,
                Role::Participant,
                Role::Presenter,
                Role::Observer,
                Role::Moderator,
            ]),
        },
        2 => Command::Leave,
        3 => Command::Start,
        4 | 5 => Command::NextRound { unrevealed: None },
        6 => Command::PreviousRound,
        7 => Command::ReopenRound { index: rng.below(rounds + 1) },
        8 => Command::SkipRound { index: rng.below(rounds + 1) },
        9 => Command::Reveal,
        10 => Command::ExtendTimebox { by_ms: rng.below(10) as i64 * MINUTE },
        11 => Command::HandModeration { to: someone() },
        12 => Command::SetPresenter { who: someone() },
        13 if rng.chance(30) => Command::RemoveParticipant { who: someone() },
        14 => Command::PassTurn,
        15 => Command::Conclude {
            conclusion: "conclusie".into(),
            reasoning: "omdat".into(),
            dissent: String::new(),
            actions: vec![],
        },
        16 if rng.chance(10) => Command::End,
        17 if rng.chance(20) && !h.state.contributions().is_empty() => {
            // A resend of an earlier contribution.
            let c = &h.state.contributions()[rng.below(h.state.contributions().len())];
            Command::Contribute { client_id: c.client_id.clone(), content: c.content.clone() }
        }
        _ => Command::Contribute { client_id: h.client_id(), content: random_content(rng, h) },
    }
}

/// Invariants after each event, for each viewer.
fn check_invariants(state: &SessionState, event: &Event) {
    for viewer in state.participants() {
        let view = view_for(state, &viewer.id);
        let fanout = visible_event_for(state, event, &viewer.id);
        let Some(view) = view else {
            continue;
        };
        assert_eq!(view.seq, state.seq());
        for c in &view.contributions {
            let stored = state.contribution(c.id).unwrap();
            let (round, rs) = state.round(stored.round_index).unwrap();
            let own = stored.author == viewer.id;
            assert_eq!(own, c.author == AuthorView::You);
            if !own {
                assert!(!round.is_hidden() || rs.revealed, "hidden contribution shown");
                if round.anonymity == Anonymity::Pseudonymous {
                    assert!(!matches!(c.author, AuthorView::Named { .. }));
                }
                assert!(c.client_id.is_none());
            }
        }
        if let Some(v) = fanout {
            let text = serde_json::to_string(&v).unwrap();
            assert!(!text.contains("\"seed\""));
            if let EventBody::ContributionAdded { author, content, .. } = &event.body {
                let c = state.contribution_by_client_id(event.body.client_id().unwrap());
                let c = c.unwrap();
                let (round, rs) = state.round(c.round_index).unwrap();
                if author != &viewer.id && round.is_hidden() && !rs.revealed {
                    let content_json = serde_json::to_string(content).unwrap();
                    assert!(!text.contains(&content_json[8..content_json.len() - 1]));
                    assert!(matches!(v.body, VisibleBody::SubmissionCounted { .. }));
                }
            }
        }
    }
}

fn run_random_session(seed: u64, method: Method, steps: usize) -> Harness {
    let mut rng = Rng(seed);
    let mut h = Harness::with_seed(method, rng.chance(50), seed);
    let group = [
        ("pres", "Pieter"),
        ("p1", "Anna"),
        ("p2", "Bram"),
        ("p3", "Carla"),
        ("p4", "Daan"),
        ("obs", "Olga"),
    ];
    for (id, name) in group {
        h.join(
            id,
            name,
            if id == "pres" {
                Role::Presenter
            } else if id == "obs" {
                Role::Observer
            } else {
                Role::Participant
            },
        );
    }
    if rng.chance(85) {
        h.run("mod", Command::Start);
    }
    for _ in 0..steps {
        if rng.chance(10) {
            h.tick(rng.below(20) as i64 * MINUTE);
            let before = h.events.len();
            h.auto();
            for (state, event) in h.replay().into_iter().skip(before) {
                check_invariants(&state, &event);
            }
            continue;
        }
        let actor = *rng.pick(&ACTORS);
        let cmd = random_command(&mut rng, &mut h);
        let first = decide(&h.state, &pid(actor), cmd.clone(), h.now);
        let second = decide(&h.state, &pid(actor), cmd.clone(), h.now);
        assert_eq!(first, second, "decide is deterministic");
        if let Ok(bodies) = first {
            let events = h.state.stamp(bodies, Some(&pid(actor)), h.now);
            for event in &events {
                h.state.apply(event).expect("decided events apply");
                check_invariants(&h.state, event);
            }
            h.events.extend(events);
        }
        h.tick(1000);
    }
    h
}

#[test]
fn fold_equals_incremental_state_in_random_sessions() {
    let methods = builtin_methods();
    let mut total_events = 0;
    let mut closed = 0;
    let mut contributions = 0;
    let mut reveals = 0;
    for seed in 0..200u64 {
        let method = methods[seed as usize % methods.len()].clone();
        let h = run_random_session(seed, method, 250);
        h.assert_fold_matches();
        // Folding any prefix gives the state a server would have had at that point.
        let cut = (seed as usize * 13) % h.events.len() + 1;
        let prefix = SessionState::fold(&h.events[..cut]).unwrap();
        assert_eq!(prefix.seq(), cut as u64);
        total_events += h.events.len();
        closed += usize::from(h.state.phase() == Phase::Closed);
        contributions += h.state.contributions().len();
        reveals += h.events.iter().filter(|e| matches!(e.body, EventBody::RoundRevealed { .. })).count();
    }
    assert!(contributions > 2000, "{contributions}");
    assert!(reveals > 30, "{reveals}");
    assert!(total_events > 5000, "{total_events}");
    assert!(closed > 0);
}

#[test]
fn fold_matches_for_a_long_auto_advancing_session() {
    let h =
        run_random_session(4242, builtin_methods().into_iter().find(|m| m.key == "balint").unwrap(), 1500);
    h.assert_fold_matches();
}
