//! Issue 13: one judgement per person in a silent round; what removal and moving on do to
//! hidden writing; the moral question of step 3; roles set by the moderator.

mod session_support;

use beraad_domain::session::*;
use session_support::*;

fn dilemma_started() -> Harness {
    started_with_full_group("dilemma")
}

/// Every text `viewer` can see in the round, as JSON.
fn seen(h: &Harness, viewer: &str, round: usize) -> String {
    let view = view_for(&h.state, &pid(viewer)).unwrap();
    serde_json::to_string(&view.contributions.iter().filter(|c| c.round_index == round).collect::<Vec<_>>())
        .unwrap()
}

#[test]
fn a_new_judgement_replaces_the_earlier_one_until_the_reveal() {
    let (mut h, round) = in_silent_round();
    assert!(h.state.method().rounds[round].one_each, "the method data says: one each");
    h.say("p1", choice("EERSTE"));
    let events = h.contribute("p1", choice("TWEEDE")).unwrap();
    assert!(
        matches!(&events[0].body, EventBody::ContributionsWithdrawn { reason: WithdrawalReason::Replaced, contributions, .. } if contributions.len() == 1),
        "{events:?}"
    );
    // Still one submission of seven; the author sees only the new one, marked revised.
    let view = view_for(&h.state, &pid("p1")).unwrap();
    let progress = view.progress.unwrap();
    assert_eq!((progress.submitted, progress.eligible), (1, 7));
    let mine: Vec<_> = view.contributions.iter().filter(|c| c.round_index == round).collect();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].revised);
    assert!(seen(&h, "p1", round).contains("TWEEDE") && !seen(&h, "p1", round).contains("EERSTE"));
    // Nobody else hears about the replacement.
    let last = h.state.seq() - 1;
    let withdrawn = h.replay().into_iter().find(|(_, e)| e.seq == last).unwrap();
    assert!(visible_event_for(&withdrawn.0, &withdrawn.1, &pid("p2")).is_none());
    assert!(visible_event_for(&withdrawn.0, &withdrawn.1, &pid("p1")).is_some());
    for who in ["pres", "p2", "p3", "p4", "p5", "p6"] {
        h.say(who, choice("ANDER"));
    }
    // Revealed when the last one submitted; the replaced judgement is never shown.
    assert!(h.state.rounds()[round].revealed);
    for viewer in ["mod", "p2", "obs"] {
        let s = seen(&h, viewer, round);
        assert!(s.contains("TWEEDE") && !s.contains("EERSTE"), "{viewer}: {s}");
        assert_eq!(s.matches("\"type\":\"choice\"").count(), 7, "one judgement per person");
    }
    // After the reveal what was revealed stands, and the view says so before anyone tries.
    let you = view_for(&h.state, &pid("p1")).unwrap().you;
    assert!(!you.may_contribute);
    assert_eq!(you.refusal, Some("already_submitted"));
    assert_eq!(h.say_code("p1", choice("DERDE")), "already_submitted");
    h.assert_fold_matches();
}

#[test]
fn rounds_that_allow_several_keep_every_contribution() {
    let mut h = started_with_full_group("incident");
    h.go_to("write_questions");
    let round = h.state.current_round().unwrap();
    assert!(!h.state.method().rounds[round].one_each);
    h.say("p1", text("Vraag een"));
    h.say("p1", text("Vraag twee"));
    assert_eq!(h.state.contributions_in(round).count(), 2);
}

#[test]
fn a_removed_participants_hidden_judgement_is_withdrawn_not_revealed() {
    let (mut h, round) = in_silent_round();
    h.say("p1", choice("VERWIJDERD"));
    h.say("p2", choice("BLIJFT"));
    let events = h.run("mod", Command::RemoveParticipant { who: pid("p1") });
    assert!(matches!(
        &events[0].body,
        EventBody::ContributionsWithdrawn { reason: WithdrawalReason::AuthorRemoved, .. }
    ));
    assert!(matches!(&events[1].body, EventBody::ParticipantRemoved { .. }));
    // Removal does not reveal either, even if everyone left has now submitted.
    assert!(!h.state.rounds()[round].revealed);
    h.run("mod", Command::Reveal);
    for viewer in ["mod", "p2", "pres"] {
        let s = seen(&h, viewer, round);
        assert!(s.contains("BLIJFT") && !s.contains("VERWIJDERD"), "{viewer}: {s}");
    }
    // Visible contributions of a removed person stay.
    let mut h = dilemma_started();
    h.go_to("dialogue");
    h.say("p1", text("ZICHTBAAR"));
    h.run("mod", Command::RemoveParticipant { who: pid("p1") });
    assert!(seen(&h, "p2", h.state.current_round().unwrap()).contains("ZICHTBAAR"));
    h.assert_fold_matches();
}

#[test]
fn moving_on_from_an_unrevealed_round_asks_reveal_or_discard() {
    let (mut h, round) = in_silent_round();
    h.say("p1", choice("WEGGOOIEN"));
    assert_eq!(h.code("mod", Command::NextRound { unrevealed: None }), "round_not_revealed");
    assert_eq!(h.code("mod", Command::End), "round_not_revealed");
    let events = h.run("mod", Command::NextRound { unrevealed: Some(Unrevealed::Discard) });
    assert!(matches!(
        &events[0].body,
        EventBody::ContributionsWithdrawn { reason: WithdrawalReason::RoundDiscarded, .. }
    ));
    assert_eq!(h.current_key().as_deref(), Some("dialogue"));
    assert!(!h.state.rounds()[round].revealed);
    // Reopened and revealed later: the discarded writing stays gone, for its author too.
    h.run("mod", Command::ReopenRound { index: round });
    h.run("mod", Command::Reveal);
    for viewer in ["mod", "p1", "p2"] {
        assert!(!seen(&h, viewer, round).contains("WEGGOOIEN"), "{viewer}");
    }
    // A hidden round with nothing in it needs no choice.
    let mut h = dilemma_started();
    h.go_to("individual_judgement");
    h.run("mod", Command::NextRound { unrevealed: None });
    assert_eq!(h.current_key().as_deref(), Some("dialogue"));
    h.assert_fold_matches();
}

#[test]
fn the_moral_question_is_written_in_step_three_and_shown_to_everyone() {
    let mut h = dilemma_started();
    h.go_to("case");
    let set = |t: &str| Command::SetMoralQuestion { text: t.into() };
    assert_eq!(h.code("pres", set("Te vroeg?")), "not_moral_question_round");
    h.go_to("moral_question");
    assert_eq!(h.code("p1", set("Mag ik?")), "not_presenter_or_moderator");
    assert_eq!(h.code("obs", set("Mag ik?")), "not_presenter_or_moderator");
    assert_eq!(h.code("pres", set("   ")), "empty_field");
    assert_eq!(h.code("pres", set(&"x".repeat(MAX_QUESTION + 1))), "field_too_long");
    h.run("pres", set("Moet ik verlagen?"));
    h.run("mod", set("  Moet ik de verlaging opleggen?  "));
    assert_eq!(h.state.moral_question(), Some("Moet ik de verlaging opleggen?"));
    for viewer in ["p1", "obs", "pres"] {
        let view = view_for(&h.state, &pid(viewer)).unwrap();
        assert_eq!(view.moral_question.as_deref(), Some("Moet ik de verlaging opleggen?"));
    }
    h.next();
    assert_eq!(h.code("pres", set("Later")), "not_moral_question_round");
    h.assert_fold_matches();
}

#[test]
fn the_moderator_sets_roles() {
    let mut h = dilemma_started();
    let role = |h: &Harness, id: &str| h.state.participant(&pid(id)).unwrap().role;
    let set = |who: &str, role: Role| Command::SetRole { who: pid(who), role };
    assert_eq!(h.code("p1", set("p2", Role::Presenter)), "not_moderator");
    assert_eq!(h.code("mod", set("p1", Role::Moderator)), "cannot_set_role");
    assert_eq!(h.code("mod", set("mod", Role::Participant)), "cannot_set_role");
    assert_eq!(h.code("mod", set("p1", Role::Participant)), "same_role");
    assert_eq!(h.code("mod", set("ghost", Role::Participant)), "unknown_target");
    // A new presenter: the former one becomes a participant.
    h.run("mod", set("p1", Role::Presenter));
    assert_eq!((role(&h, "p1"), role(&h, "pres")), (Role::Presenter, Role::Participant));
    // An observer who becomes a participant after the start gets a pseudonym of their own.
    assert_eq!(h.state.participant(&pid("obs")).unwrap().pseudonym_no, None);
    h.run("mod", set("obs", Role::Participant));
    let no = h.state.participant(&pid("obs")).unwrap().pseudonym_no.unwrap();
    let others: Vec<u32> =
        h.state.participants().iter().filter(|p| p.id != pid("obs")).filter_map(|p| p.pseudonym_no).collect();
    assert!(!others.contains(&no), "{no} is not someone else's");
    // A participant made observer may no longer write.
    h.run("mod", set("p2", Role::Observer));
    h.go_to("dialogue");
    assert_eq!(h.say_code("p2", text("hoi")), "observer_cannot_contribute");
    assert_eq!(
        view_for(&h.state, &pid("p3")).unwrap().participants.iter().find(|p| p.id == pid("p2")).unwrap().role,
        Role::Observer
    );
    h.assert_fold_matches();
}
