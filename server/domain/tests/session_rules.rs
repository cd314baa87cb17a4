//! Every rule `decide` enforces, refused with the right code and without changing the state;
//! and the lifecycle controls (previous, reopen, skip, time boxes, hand-over, removal, resends).

mod session_support;

use beraad_domain::method::{builtin, validate_custom};
use beraad_domain::session::*;
use session_support::*;

fn dilemma_started() -> Harness {
    started_with_full_group("dilemma")
}

fn conclude() -> Command {
    Command::Conclude {
        conclusion: "c".into(),
        reasoning: String::new(),
        dissent: String::new(),
        actions: vec![],
    }
}

#[test]
fn only_the_moderator_controls() {
    let mut h = dilemma_started();
    let controls = [
        Command::NextRound { unrevealed: None },
        Command::PreviousRound,
        Command::ReopenRound { index: 0 },
        Command::SkipRound { index: 5 },
        Command::Reveal,
        Command::SetTimebox { deadline_ms: Some(T0 + MINUTE) },
        Command::ExtendTimebox { by_ms: MINUTE },
        Command::HandModeration { to: pid("p1") },
        Command::SetPresenter { who: pid("p1") },
        Command::RemoveParticipant { who: pid("p2") },
        conclude(),
        Command::End,
    ];
    for who in ["pres", "p1", "obs"] {
        for cmd in controls.clone() {
            assert_eq!(h.code(who, cmd.clone()), "not_moderator", "{who} {cmd:?}");
        }
    }
    let mut lobby = Harness::new(builtin("gossip", None).unwrap(), false);
    full_group(&mut lobby);
    assert_eq!(lobby.code("p1", Command::Start), "not_moderator");
}

#[test]
fn who_is_asking() {
    let mut h = dilemma_started();
    assert_eq!(h.code("stranger", Command::NextRound { unrevealed: None }), "unknown_participant");
    assert_eq!(h.say_code("stranger", text("hoi")), "unknown_participant");
    h.run("p6", Command::Leave);
    assert_eq!(h.say_code("p6", text("hoi")), "not_present");
    assert_eq!(h.code("p6", Command::Leave), "not_present");
    h.run("mod", Command::RemoveParticipant { who: pid("p5") });
    assert_eq!(h.say_code("p5", text("hoi")), "removed");
    for (who, name, role, code) in [
        ("p5", "Eva", Role::Participant, "removed"),
        ("p1", "Anna", Role::Participant, "already_joined"),
        ("new", "Nico", Role::Moderator, "cannot_join_as_moderator"),
        ("new", "Nico", Role::Presenter, "presenter_taken"),
    ] {
        assert_eq!(h.code(who, Command::Join { display_name: name.into(), role }), code, "{who} as {role:?}");
    }
    for name in ["", "   ", "a\nb", &"x".repeat(MAX_DISPLAY_NAME + 1)] {
        assert_eq!(
            h.code("new", Command::Join { display_name: name.into(), role: Role::Participant }),
            "invalid_display_name"
        );
    }
    assert_eq!(
        h.code("", Command::Join { display_name: "Leeg".into(), role: Role::Participant }),
        "invalid_participant_id"
    );
    assert_eq!(h.code("mod", Command::Leave), "moderator_must_hand_over");
}

#[test]
fn rejoining_keeps_role_and_pseudonym() {
    let mut h = dilemma_started();
    let before = h.state.participant(&pid("p2")).unwrap().clone();
    h.run("p2", Command::Leave);
    h.run("p2", Command::Join { display_name: "Bram S.".into(), role: Role::Observer });
    let after = h.state.participant(&pid("p2")).unwrap();
    assert_eq!(after.role, Role::Participant);
    assert_eq!(after.pseudonym_no, before.pseudonym_no);
    assert_eq!(after.display_name, "Bram S.");
    // A late joiner gets the next pseudonym number; observers get none.
    h.join("late", "Lotte", Role::Participant);
    h.join("late-obs", "Lars", Role::Observer);
    assert_eq!(h.state.participant(&pid("late")).unwrap().pseudonym_no, Some(9));
    assert_eq!(h.state.participant(&pid("late-obs")).unwrap().pseudonym_no, None);
}

#[test]
fn contributors_rules() {
    // gossip: 0 introduction (presenter only), 1 questions, 2 gossip (presenter listen-only).
    let mut h = Harness::new(builtin("gossip", None).unwrap(), false);
    full_group(&mut h);
    assert_eq!(h.say_code("p1", text("te vroeg")), "not_started");
    h.run("mod", Command::Start);
    assert_eq!(h.say_code("p1", text("x")), "presenter_only");
    assert_eq!(h.say_code("obs", text("x")), "observer_cannot_contribute");
    h.say("mod", text("Leervraag genoteerd")); // scribe
    h.next();
    assert_eq!(h.say_code("pres", Content::Question { text: "?".into() }), "presenter_excluded");
    assert_eq!(h.say_code("p1", text("geen vraag")), "wrong_content_for_round");
    h.next();
    assert_eq!(h.current_key().as_deref(), Some("gossip"));
    assert_eq!(h.say_code("pres", text("mag ik reageren?")), "presenter_listen_only");
    let view = view_for(&h.state, &pid("pres")).unwrap();
    assert!(!view.you.may_contribute);
    assert_eq!(view.you.refusal, Some("presenter_listen_only"));
    h.say("p1", text("Ik denk dat de inbrenger te streng was."));
    // listen-only: the presenter sees it.
    assert_eq!(view_for(&h.state, &pid("pres")).unwrap().contributions.len(), 2);

    // incident_short: the analysis round has the presenter absent.
    let mut h = started_with_full_group("incident_short");
    h.go_to("analysis");
    assert_eq!(h.say_code("pres", text("x")), "presenter_absent");
    h.say("p1", text("analyse zonder inbrenger"));
    let during = view_for(&h.state, &pid("pres")).unwrap();
    assert!(during.contributions.is_empty(), "absent: sees nothing");
    assert!(view_for(&h.state, &pid("p2")).unwrap().contributions.len() == 1);
    h.next();
    let after = view_for(&h.state, &pid("pres")).unwrap();
    assert_eq!(after.contributions.len(), 1, "sees the round once it has ended");
    // advice round: round-robin, presenter listen-only.
    assert_eq!(h.current_key().as_deref(), Some("advice"));
    assert_eq!(h.say_code("pres", text("x")), "presenter_listen_only");
    assert_eq!(h.code("pres", Command::PassTurn), "not_your_turn");
}

#[test]
fn content_rules() {
    let mut h = dilemma_started();
    h.go_to("clarifying_questions");
    let index = h.state.current_round().unwrap();
    assert_eq!(h.say_code("p1", Content::Question { text: " ".into() }), "empty_field");
    assert_eq!(h.say_code("p1", Content::Question { text: "x".repeat(MAX_QUESTION + 1) }), "field_too_long");
    assert_eq!(h.say_code("p1", Content::Question { text: "a\u{7}b".into() }), "control_characters");
    let q = h.say("p1", Content::Question { text: "Hoe oud?".into() });
    let not_a_question = ContributionId(q.0 ^ 1);
    assert_eq!(
        h.say_code("pres", Content::Answer { question_id: not_a_question, text: "?".into() }),
        "unknown_question"
    );
    h.say("pres", Content::Answer { question_id: q, text: "43".into() });
    assert_eq!(h.say_code("pres", Content::Answer { question_id: q, text: "44".into() }), "already_answered");
    assert_eq!(h.say_code("p1", text("mijn advies")), "wrong_content_for_round");
    let e = h.refuse(
        "p1",
        Command::Contribute {
            client_id: ClientId::new("c-x"),
            content: Content::Evaluation { text: "x".into() },
        },
    );
    assert_eq!(
        e,
        CommandError::WrongContentForRound {
            kind: h.state.method().rounds[index].kind,
            content: "evaluation"
        }
    );
    // The per-person limit in one round.
    for n in 0..MAX_CONTRIBUTIONS_PER_ROUND {
        h.say("p2", Content::Question { text: format!("vraag {n}") });
    }
    assert_eq!(h.say_code("p2", Content::Question { text: "nog één".into() }), "contribution_limit");

    h.go_to("conclusion");
    let action = |when: &str| {
        Content::Action(ActionItem { what: "Bellen".into(), who: "Anna".into(), when: when.into() })
    };
    assert_eq!(h.say_code("p1", action("1 juli")), "invalid_date");
    h.say("p1", action("2025-07-01"));
    let too_many = Command::Conclude {
        conclusion: "c".into(),
        reasoning: String::new(),
        dissent: String::new(),
        actions: vec![
            ActionItem { what: "a".into(), who: "b".into(), when: "2025-01-01".into() };
            MAX_ACTIONS + 1
        ],
    };
    assert_eq!(h.code("mod", too_many), "too_many_items");
    let bad_action = Command::Conclude {
        conclusion: "c".into(),
        reasoning: String::new(),
        dissent: String::new(),
        actions: vec![ActionItem { what: "a".into(), who: String::new(), when: "2025-01-01".into() }],
    };
    match h.refuse("mod", bad_action) {
        CommandError::EmptyField { field } => assert_eq!(field, "actions[0].who"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn selection_votes_need_a_visible_proposal() {
    let mut h = started_with_full_group("incident_short");
    h.next(); // submit_cases
    let case_a = h.say("p1", text("Casus A: de huisbezoeken"));
    let case_b = h.say("p2", text("Casus B: de boete"));
    h.next(); // choose_case
    assert_eq!(h.say_code("p3", Content::Selection { target: ContributionId(7) }), "unknown_candidate");
    h.say("p3", Content::Selection { target: case_b });
    h.say("p4", Content::Selection { target: case_b });
    h.say("p5", Content::Selection { target: case_a });
    h.say("p5", Content::Selection { target: case_b }); // changes her vote
    let view = view_for(&h.state, &pid("p1")).unwrap();
    let tally = &view.rounds[h.state.current_round().unwrap()].tally;
    assert_eq!(tally.len(), 1);
    assert_eq!((tally[0].target, tally[0].votes), (case_b, 3));
    // The moderator makes the winner's author the presenter: the old one becomes a participant.
    h.run("mod", Command::SetPresenter { who: pid("p2") });
    assert_eq!(h.state.presenter().unwrap().id, pid("p2"));
    assert_eq!(h.state.participant(&pid("pres")).unwrap().role, Role::Participant);
}

#[test]
fn role_changes() {
    let mut h = dilemma_started();
    assert_eq!(h.code("mod", Command::HandModeration { to: pid("mod") }), "cannot_hand_to_self");
    assert_eq!(h.code("mod", Command::HandModeration { to: pid("obs") }), "cannot_moderate");
    assert_eq!(h.code("mod", Command::HandModeration { to: pid("pres") }), "cannot_moderate");
    assert_eq!(h.code("mod", Command::HandModeration { to: pid("nobody") }), "unknown_target");
    assert_eq!(h.code("mod", Command::SetPresenter { who: pid("obs") }), "cannot_present");
    assert_eq!(h.code("mod", Command::SetPresenter { who: pid("pres") }), "already_presenter");
    assert_eq!(h.code("mod", Command::RemoveParticipant { who: pid("mod") }), "cannot_remove_self");
    assert_eq!(h.code("mod", Command::RemoveParticipant { who: pid("nobody") }), "unknown_target");
    h.run("mod", Command::HandModeration { to: pid("p1") });
    assert_eq!(h.code("mod", Command::NextRound { unrevealed: None }), "not_moderator");
    h.run("p1", Command::NextRound { unrevealed: None });
    assert_eq!(h.state.moderator().unwrap().id, pid("p1"));
    assert_eq!(h.state.participant(&pid("mod")).unwrap().role, Role::Participant);
    h.run("mod", Command::Leave); // no longer the moderator
                                  // Removing the presenter leaves the session without one.
    h.run("p1", Command::RemoveParticipant { who: pid("pres") });
    assert!(h.state.presenter().is_none());
    assert_eq!(h.code("p1", Command::RemoveParticipant { who: pid("pres") }), "unknown_target");
    h.join("newpres", "Nina", Role::Presenter);
    assert_eq!(h.state.presenter().unwrap().id, pid("newpres"));
    h.assert_fold_matches();
}

#[test]
fn phase_rules() {
    let mut h = Harness::new(builtin("dilemma", None).unwrap(), false);
    full_group(&mut h);
    for cmd in [
        Command::NextRound { unrevealed: None },
        Command::PreviousRound,
        Command::Reveal,
        Command::ExtendTimebox { by_ms: MINUTE },
        Command::ReopenRound { index: 0 },
    ] {
        assert_eq!(h.code("mod", cmd.clone()), "not_started", "{cmd:?}");
    }
    assert_eq!(h.code("mod", conclude()), "not_conclusion_time");
    h.run("mod", Command::Start);
    assert_eq!(h.code("mod", Command::Start), "already_started");
    assert_eq!(h.code("mod", Command::PreviousRound), "no_previous_round");
    assert_eq!(h.code("mod", Command::Reveal), "nothing_to_reveal");
    assert_eq!(h.code("mod", conclude()), "not_conclusion_time");
    assert_eq!(h.code("mod", Command::ReopenRound { index: 0 }), "round_not_reopenable");
    assert_eq!(h.code("mod", Command::ReopenRound { index: 5 }), "round_not_reopenable");
    assert_eq!(h.code("mod", Command::ReopenRound { index: 99 }), "unknown_round");
    assert_eq!(h.code("mod", Command::SkipRound { index: 99 }), "unknown_round");
    assert_eq!(h.code("p1", Command::PassTurn), "no_turn");
    h.go_to("individual_judgement");
    h.run("mod", Command::Reveal);
    assert_eq!(h.code("mod", Command::Reveal), "already_revealed");
    assert_eq!(h.code("mod", Command::SkipRound { index: 0 }), "round_not_skippable");
    while h.state.phase() != Phase::Concluding {
        h.next();
    }
    assert_eq!(h.code("mod", Command::NextRound { unrevealed: None }), "no_open_round");
    assert_eq!(h.say_code("p1", text("x")), "no_open_round");
    assert_eq!(h.code("mod", Command::SkipRound { index: 9 }), "round_not_skippable");
    h.run("mod", conclude()); // allowed after the last round
    h.run("mod", Command::End);
    for cmd in [Command::NextRound { unrevealed: None }, Command::End, Command::Start, Command::Leave] {
        assert_eq!(h.code("mod", cmd.clone()), "session_closed", "{cmd:?}");
    }
    assert_eq!(
        h.code("late", Command::Join { display_name: "Laat".into(), role: Role::Participant }),
        "session_closed"
    );
}

#[test]
fn minimum_participants_and_skipped_rounds() {
    let mut h = Harness::new(builtin("balint", None).unwrap(), false);
    h.join("pres", "Pieter", Role::Presenter);
    h.join("p1", "Anna", Role::Participant);
    h.join("obs", "Olga", Role::Observer);
    let e = h.refuse("mod", Command::Start);
    assert_eq!(e, CommandError::TooFewParticipants { needed: 5, present: 2 });

    let one_round = validate_custom(
        r#"{"key":"kort","name":"Kort","description":"Eén ronde","family":"intervision",
            "output":"advice","rounds":[{"key":"praten","kind":"dialogue","title":"Praten",
            "prompt":"Praat","minutes":10,"contributors":"everyone"}]}"#,
    )
    .unwrap();
    let mut h = Harness::new(one_round, false);
    h.run("mod", Command::SkipRound { index: 0 });
    assert_eq!(h.code("mod", Command::Start), "no_rounds_left");
    h.run("mod", Command::End); // ending from the lobby cancels the session
    assert_eq!(h.state.phase(), Phase::Closed);
}

#[test]
fn going_back_reopening_and_skipping() {
    let mut h = dilemma_started();
    h.go_to("perspectives");
    // Skip a later round: "next" jumps over it.
    h.run("mod", Command::SkipRound { index: 5 });
    h.next();
    assert_eq!(h.current_key().as_deref(), Some("individual_judgement"));
    h.say("p1", text_choice());
    // Going back does not reveal the silent round, and it stays hidden while away.
    h.run("mod", Command::PreviousRound);
    assert_eq!(h.current_key().as_deref(), Some("perspectives"));
    assert!(!h.state.rounds()[6].revealed);
    assert!(view_for(&h.state, &pid("p2")).unwrap().contributions.iter().all(|c| c.round_index != 6));
    // Reopen the skipped round, then skip the current one.
    h.run("mod", Command::ReopenRound { index: 5 });
    assert_eq!(h.current_key().as_deref(), Some("alternatives"));
    h.run("mod", Command::SkipRound { index: 5 });
    assert_eq!(h.current_key().as_deref(), Some("individual_judgement"));
    assert_eq!(h.state.rounds()[5].status, RoundStatus::Skipped);
    // "Next" never reveals silently: the moderator chooses to reveal first (or to discard).
    assert_eq!(h.code("mod", Command::NextRound { unrevealed: None }), "round_not_revealed");
    h.run("mod", Command::NextRound { unrevealed: Some(Unrevealed::Reveal) });
    assert!(h.state.rounds()[6].revealed);
    assert_eq!(h.state.rounds()[6].status, RoundStatus::Held);
    h.assert_fold_matches();
}

fn text_choice() -> Content {
    Content::Choice {
        option: "B".into(),
        supporting_value: "menselijkheid".into(),
        harmed_value: "gelijkheid".into(),
        damage_limitation: String::new(),
        needs: String::new(),
    }
}

#[test]
fn time_boxes() {
    let mut h = dilemma_started();
    assert_eq!(h.code("mod", Command::SetTimebox { deadline_ms: Some(T0) }), "deadline_in_past");
    assert_eq!(
        h.code("mod", Command::SetTimebox { deadline_ms: Some(T0 + MAX_TIMEBOX_MS + 1) }),
        "deadline_too_far"
    );
    h.run("mod", Command::SetTimebox { deadline_ms: Some(T0 + 20 * MINUTE) });
    assert_eq!(h.state.deadline_ms(), Some(T0 + 20 * MINUTE));
    for by_ms in [0, -MINUTE, MAX_EXTENSION_MS + 1] {
        assert_eq!(h.code("mod", Command::ExtendTimebox { by_ms }), "invalid_extension");
    }
    h.run("mod", Command::ExtendTimebox { by_ms: 5 * MINUTE });
    assert_eq!(h.state.deadline_ms(), Some(T0 + 25 * MINUTE));
    // Extending after the deadline passed counts from now.
    h.tick(30 * MINUTE);
    h.run("mod", Command::ExtendTimebox { by_ms: 2 * MINUTE });
    assert_eq!(h.state.deadline_ms(), Some(h.now + 2 * MINUTE));
    h.run("mod", Command::SetTimebox { deadline_ms: None });
    assert_eq!(h.state.deadline_ms(), None);
    // Without auto-advance, nothing happens by itself.
    h.tick(60 * MINUTE);
    assert!(due_transitions(&h.state, h.now).is_empty());
    assert_eq!(next_wake_ms(&h.state), None);
}

#[test]
fn auto_advance_moves_on_at_the_deadline() {
    let mut h = Harness::new(builtin("dilemma", None).unwrap(), true);
    full_group(&mut h);
    h.run("mod", Command::Start);
    assert_eq!(next_wake_ms(&h.state), Some(T0 + 5 * MINUTE));
    h.tick(5 * MINUTE - 1);
    assert!(h.auto().is_empty());
    h.tick(1);
    let events = h.auto();
    assert!(events.iter().all(|e| e.actor.is_none()));
    assert_eq!(h.current_key().as_deref(), Some("case"));
    assert_eq!(h.state.deadline_ms(), Some(h.now + 10 * MINUTE));
    // A silent round whose time runs out is revealed as it closes.
    h.go_to("individual_judgement");
    h.say("p1", text_choice());
    h.tick(10 * MINUTE);
    let events = h.auto();
    assert!(matches!(events[0].body, EventBody::RoundRevealed { .. }));
    assert_eq!(h.current_key().as_deref(), Some("dialogue"));
    // The moderator's word still counts.
    h.next();
    assert_eq!(h.current_key().as_deref(), Some("conclusion"));
    h.go_to("evaluation");
    h.tick(5 * MINUTE);
    h.auto();
    assert_eq!(h.state.phase(), Phase::Concluding);
    assert!(h.auto().is_empty());
    assert_eq!(next_wake_ms(&h.state), None);
    h.assert_fold_matches();
}

#[test]
fn a_writer_leaving_never_triggers_the_reveal() {
    let mut h = dilemma_started();
    h.go_to("individual_judgement");
    for who in ["pres", "p1", "p2", "p3", "p4", "p5"] {
        h.say(who, text_choice());
    }
    assert!(!h.state.rounds()[6].revealed);
    // Everyone still present has submitted, but only a submission reveals; the moderator can.
    let events = h.run("p6", Command::Leave);
    assert_eq!(events.len(), 1);
    assert!(!h.state.rounds()[6].revealed);
    h.run("mod", Command::Reveal);
    assert!(h.state.rounds()[6].revealed);
}

#[test]
fn resends_are_recognised() {
    let mut h = dilemma_started();
    h.go_to("dialogue");
    let client_id = ClientId::new("a1b2-c3");
    let first = h.run("p1", Command::Contribute { client_id: client_id.clone(), content: text("Eén keer") });
    let ack = h.state.ack_for(&client_id).unwrap();
    assert_eq!(ack.seq, first[0].seq);
    let e = h.refuse("p1", Command::Contribute { client_id: client_id.clone(), content: text("Eén keer") });
    assert_eq!(e, CommandError::AlreadyApplied { seq: ack.seq, contribution_id: ack.contribution_id });
    assert_eq!(h.code("p2", Command::Contribute { client_id, content: text("kaping") }), "client_id_taken");
    for bad in ["", "met spatie", &"x".repeat(65), "ü"] {
        assert_eq!(
            h.code("p1", Command::Contribute { client_id: ClientId::new(bad), content: text("x") }),
            "invalid_client_id"
        );
    }
    // Even after the session closed, a resend gets its original ack.
    h.run("mod", Command::End);
    let e = h
        .refuse("p1", Command::Contribute { client_id: ClientId::new("a1b2-c3"), content: text("Eén keer") });
    assert_eq!(e.code(), "already_applied");
}

#[test]
fn create_validates_its_input() {
    let base = || NewSession {
        method: builtin("cura", None).unwrap(),
        title: "Titel".into(),
        case_text: String::new(),
        auto_advance: false,
        moderator: pid("mod"),
        moderator_name: "Mira".into(),
        seed: 1,
        previous_actions: vec![],
    };
    assert!(create(base()).is_ok());
    let mut s = base();
    s.title = "  ".into();
    assert_eq!(create(s).unwrap_err().code(), "empty_field");
    let mut s = base();
    s.case_text = "x".repeat(MAX_CASE_TEXT + 1);
    assert_eq!(create(s).unwrap_err().code(), "field_too_long");
    let mut s = base();
    s.method.rounds.clear();
    let e = create(s).unwrap_err();
    assert_eq!(e.code(), "invalid_method");
    assert!(e.to_string().contains("at least one round"), "{e}");
    let mut s = base();
    s.previous_actions = vec![ActionItem { what: "x".into(), who: "y".into(), when: "gisteren".into() }];
    assert_eq!(create(s).unwrap_err().code(), "invalid_date");
}

#[test]
fn fold_refuses_a_broken_log() {
    let h = dilemma_started();
    let mut events = h.events.clone();
    assert!(matches!(SessionState::fold(&events[1..]), Err(FoldError::NotCreatedFirst { .. })));
    events.remove(3);
    assert!(matches!(SessionState::fold(&events), Err(FoldError::SeqGap { expected: 4, got: 5 })));
    let mut state = h.state.clone();
    let dup = Event { seq: state.next_seq(), at_ms: T0, actor: None, body: h.events[0].body.clone() };
    assert!(matches!(state.apply(&dup), Err(FoldError::Inconsistent { .. })));
    assert_eq!(state, h.state);
    assert_eq!(SessionState::fold(&[]), Err(FoldError::Empty));
}
