//! A whole dilemma session — moderator, presenter, six participants and an observer — through
//! all ten rounds to conclusion and close, driven only through `decide` + `apply`.

mod session_support;

use beraad_domain::method::builtin;
use beraad_domain::session::*;
use session_support::*;

fn choice(option: &str, value: &str) -> Content {
    Content::Choice {
        option: option.into(),
        supporting_value: value.into(),
        harmed_value: "rechtszekerheid".into(),
        damage_limitation: "uitleggen waarom".into(),
        needs: "steun van de teamleider".into(),
    }
}

#[test]
fn whole_dilemma_session() {
    let mut h = Harness::new(builtin("dilemma", Some("question_first")).unwrap(), false);
    full_group(&mut h);
    assert_eq!(h.state.phase(), Phase::Lobby);
    h.run("mod", Command::Start);
    assert_eq!(h.current_key().as_deref(), Some("introduction"));
    assert_eq!(h.state.deadline_ms(), Some(T0 + 5 * MINUTE));

    // 1. Introduction: the moderator only.
    h.say("mod", text("Doel: samen onderzoeken wat goed is. Vertrouwelijk."));
    assert_eq!(h.say_code("p1", text("mag ik?")), "moderator_only");
    h.tick(5 * MINUTE);
    h.next();

    // 2. Case: the presenter tells.
    assert_eq!(h.current_key().as_deref(), Some("case"));
    h.say("pres", text("Maandag: afspraak gemist. Dinsdag: ziekmelding. Hittepunt: de verlaging."));
    assert_eq!(h.say_code("p2", text("Ik weet nog iets")), "presenter_only");
    h.tick(10 * MINUTE);
    h.next();

    // 3. Moral question and dilemma.
    assert_eq!(h.current_key().as_deref(), Some("moral_question"));
    h.say("pres", text("Moet ik de verlaging opleggen?"));
    h.say(
        "pres",
        Content::Option { label: "A: verlagen".into(), damage: "de cliënt raakt in geldnood".into() },
    );
    h.say(
        "pres",
        Content::Option { label: "B: niet verlagen".into(), damage: "ongelijke behandeling".into() },
    );
    h.next();

    // 4. Clarifying questions: participants ask, the presenter answers.
    assert_eq!(h.current_key().as_deref(), Some("clarifying_questions"));
    let q = h.say("p1", Content::Question { text: "Was de ziekmelding eerder ook zo laat?".into() });
    assert_eq!(
        h.say_code("p2", Content::Answer { question_id: q, text: "ja".into() }),
        "only_presenter_answers"
    );
    assert_eq!(h.say_code("pres", Content::Question { text: "?".into() }), "presenter_excluded");
    h.say("pres", Content::Answer { question_id: q, text: "Nee, het was de eerste keer.".into() });
    h.next();

    // 5. Perspectives, values, norms.
    for (who, stakeholder) in [("p3", "cliënt"), ("p4", "consulent"), ("pres", "gemeente")] {
        h.say(who, matrix_row(stakeholder));
    }
    h.next();

    // 6. Alternatives.
    h.say("p5", Content::Option { label: "Eerst een gesprek".into(), damage: "vertraging".into() });
    h.next();

    // 7. Individual judgement: silent-write, revealed when all seven have submitted.
    assert_eq!(h.current_key().as_deref(), Some("individual_judgement"));
    let index = h.state.current_round().unwrap();
    assert_eq!(h.say_code("mod", choice("A", "x")), "moderator_neutral");
    assert_eq!(h.say_code("obs", choice("A", "x")), "observer_cannot_contribute");
    let writers = ["pres", "p1", "p2", "p3", "p4", "p5"];
    for (n, who) in writers.iter().enumerate() {
        h.say(who, choice(if n % 2 == 0 { "A" } else { "B" }, "gelijkheid"));
        let view = view_for(&h.state, &pid("p6")).unwrap();
        let progress = view.progress.expect("counts while hidden");
        assert_eq!((progress.submitted, progress.eligible), (n + 1, 7));
        assert!(!h.state.rounds()[index].revealed);
        assert!(view.contributions.iter().all(|c| c.round_index != index));
    }
    let events = h.contribute("p6", choice("B", "menselijkheid")).unwrap();
    assert_eq!(events.len(), 2, "the last submission reveals in the same transaction");
    assert_eq!(events[1].body, EventBody::RoundRevealed { index });
    let view = view_for(&h.state, &pid("obs")).unwrap();
    assert_eq!(view.contributions.iter().filter(|c| c.round_index == index).count(), 7);
    assert!(view.progress.is_none());
    h.next();

    // 8. Dialogue: everyone, the moderator as scribe too.
    h.say("p2", text("Wij verschillen vooral over de waarde van gelijkheid."));
    h.say("mod", text("Genoteerd: minderheid kiest A."));
    h.next();

    // 9. Conclusion and actions.
    assert_eq!(h.current_key().as_deref(), Some("conclusion"));
    h.say(
        "p1",
        Content::Action(ActionItem {
            what: "Werkinstructie aanpassen".into(),
            who: "Pieter".into(),
            when: "2025-07-01".into(),
        }),
    );
    assert_eq!(
        h.code(
            "p1",
            Command::Conclude {
                conclusion: "x".into(),
                reasoning: String::new(),
                dissent: String::new(),
                actions: vec![]
            }
        ),
        "not_moderator"
    );
    h.run(
        "mod",
        Command::Conclude {
            conclusion: "Geen verlaging zonder eerst een gesprek.".into(),
            reasoning: "Bestaanszekerheid weegt hier zwaarder; maatwerk is kenbaar gemaakt.".into(),
            dissent: "Twee deelnemers kiezen voor gelijke behandeling (A).".into(),
            actions: vec![ActionItem {
                what: "Werkinstructie aanpassen".into(),
                who: "Pieter".into(),
                when: "2025-07-01".into(),
            }],
        },
    );
    h.next();

    // 10. Evaluation, round-robin in join order: presenter, p1..p6.
    assert_eq!(h.current_key().as_deref(), Some("evaluation"));
    let eval = |s: &str| Content::Evaluation { text: s.into() };
    assert_eq!(h.say_code("p3", eval("te vroeg")), "not_your_turn");
    let turn = view_for(&h.state, &pid("p3")).unwrap().turn.unwrap();
    assert_eq!(turn.waiting, 7);
    assert!(matches!(turn.holder, AuthorView::Named { ref id, .. } if id == &pid("pres")));
    let pres_view = view_for(&h.state, &pid("pres")).unwrap();
    assert_eq!(pres_view.turn.unwrap().holder, AuthorView::You);
    assert!(pres_view.you.may_contribute);
    assert_eq!(view_for(&h.state, &pid("p3")).unwrap().you.refusal, Some("not_your_turn"));
    h.say("pres", eval("Fijn dat mijn dilemma serieus werd genomen."));
    h.say("p1", eval("Goed getimed."));
    assert_eq!(h.code("p3", Command::PassTurn), "not_your_turn");
    h.run("p2", Command::PassTurn);
    h.run("mod", Command::PassTurn); // passes p3, who is not responding
    for who in ["p4", "p5", "p6"] {
        h.say(who, eval("Prima."));
    }
    assert!(view_for(&h.state, &pid("p3")).unwrap().turn.is_none());
    h.say("p3", eval("Sorry, was even weg. Goed beraad."));
    h.next();

    // Concluding, then closed.
    assert_eq!(h.state.phase(), Phase::Concluding);
    assert_eq!(h.code("p1", Command::End), "not_moderator");
    h.run("mod", Command::End);
    assert_eq!(h.state.phase(), Phase::Closed);
    assert_eq!(h.say_code("p1", text("nog iets")), "session_closed");
    assert!(h.state.rounds().iter().all(|r| r.status == RoundStatus::Held));

    let conclusion = h.state.conclusion().unwrap();
    assert_eq!(conclusion.actions.len(), 1);
    let final_view = view_for(&h.state, &pid("obs")).unwrap();
    assert_eq!(final_view.contributions.len(), h.state.contributions().len());
    assert!(final_view.conclusion.is_some());
    h.assert_fold_matches();
}

#[test]
fn clarify_first_swaps_steps_three_and_four() {
    let mut h = Harness::new(builtin("dilemma", Some("clarify_first")).unwrap(), false);
    full_group(&mut h);
    h.run("mod", Command::Start);
    h.next();
    h.next();
    assert_eq!(h.current_key().as_deref(), Some("clarifying_questions"));
    h.next();
    assert_eq!(h.current_key().as_deref(), Some("moral_question"));
}

#[test]
fn every_round_gets_its_suggested_time_box() {
    let mut h = started_with_full_group("dilemma");
    let mut total = 0;
    loop {
        let index = h.state.current_round().unwrap();
        let minutes = i64::from(h.state.method().rounds[index].minutes);
        assert_eq!(h.state.deadline_ms(), Some(h.now + minutes * MINUTE));
        total += minutes;
        h.tick(minutes * MINUTE);
        h.next();
        if h.state.phase() == Phase::Concluding {
            break;
        }
    }
    assert_eq!(total, 90);
}
