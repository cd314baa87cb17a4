//! Issue 13 point 8: the moderator marks or hides a contribution that breaks the round's rule,
//! with a reason everyone sees; authors edit or withdraw their own while the round is open.
//! Every change is an event, and hidden rounds stay hidden: an edit in a silent round reaches
//! only its author until the reveal.

mod session_support;

use beraad_domain::session::*;
use session_support::*;

fn dilemma_started() -> Harness {
    started_with_full_group("dilemma")
}

fn question(text: &str) -> Content {
    Content::Question { text: text.into() }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// The contribution `id` as `viewer` sees it in a fresh snapshot.
fn seen(h: &Harness, viewer: &str, id: ContributionId) -> Option<ContributionView> {
    view_for(&h.state, &pid(viewer)).unwrap().contributions.into_iter().find(|c| c.id == id)
}

fn edit(id: ContributionId, content: Content) -> Command {
    Command::EditContribution { contribution_id: id, content }
}

fn moderate(id: ContributionId, action: ModerationAction, reason: &str) -> Command {
    Command::ModerateContribution { contribution_id: id, action, reason: reason.into() }
}

#[test]
fn authors_edit_and_withdraw_their_own_while_the_round_is_open() {
    let mut h = dilemma_started();
    h.go_to("clarifying_questions");
    let q = h.say("p1", question("Wat zei de cliënt precies?"));
    assert!(seen(&h, "p1", q).unwrap().editable, "the author may change it");
    assert!(!seen(&h, "p2", q).unwrap().editable, "nobody else may");

    let events = h.run("p1", edit(q, question("Wat zei de cliënt aan de telefoon?")));
    assert!(matches!(&events[..], [Event { body: EventBody::ContributionEdited { .. }, .. }]), "{events:?}");
    let v = seen(&h, "p2", q).unwrap();
    assert_eq!(v.content, Some(question("Wat zei de cliënt aan de telefoon?")));
    assert!(v.edited, "everyone sees it was edited");

    // Someone else's, another type, the same text, or after the round: refused.
    assert_eq!(h.code("p2", edit(q, question("Mijn vraag nu"))), "not_author");
    assert_eq!(h.code("p1", edit(q, text("geen vraag"))), "content_type_changed");
    assert_eq!(h.code("p1", edit(q, question("Wat zei de cliënt aan de telefoon?"))), "unchanged");
    assert_eq!(h.code("p2", Command::WithdrawContribution { contribution_id: q }), "not_author");

    // Withdrawn: nobody sees it any more, the log keeps both the text and the withdrawal.
    let events = h.run("p1", Command::WithdrawContribution { contribution_id: q });
    assert!(matches!(
        &events[0].body,
        EventBody::ContributionsWithdrawn { reason: WithdrawalReason::ByAuthor, .. }
    ));
    for viewer in ["p1", "p2", "mod"] {
        assert!(seen(&h, viewer, q).is_none(), "{viewer} still sees a withdrawn contribution");
    }
    assert_eq!(h.code("p1", Command::WithdrawContribution { contribution_id: q }), "unknown_contribution");

    // A question once answered stays as it was asked.
    let q2 = h.say("p2", question("Hoe lang kent u de cliënt?"));
    h.say("pres", Content::Answer { question_id: q2, text: "Twee jaar.".into() });
    assert_eq!(h.code("p2", edit(q2, question("Hoe lang al?"))), "already_answered");

    // The round closes: what was written stands.
    h.next();
    assert_eq!(h.code("p2", Command::WithdrawContribution { contribution_id: q2 }), "round_not_open");
    assert!(!seen(&h, "p2", q2).unwrap().editable);
    h.assert_fold_matches();
}

#[test]
fn an_edit_in_a_silent_round_reaches_only_its_author_until_the_reveal() {
    let (mut h, round) = in_silent_round();
    let mine = h.say("p1", choice("EERSTE"));
    let from = h.state.next_seq();
    h.run("p1", edit(mine, choice("GEHEIM")));
    let (after, event) = h.replay().pop().unwrap();
    for viewer in ["mod", "pres", "p2", "obs"] {
        assert!(visible_event_for(&after, &event, &pid(viewer)).is_none(), "{viewer} hears of the edit");
        assert!(!json(&view_for(&after, &pid(viewer))).contains("GEHEIM"), "{viewer} sees the edit");
    }
    let told = visible_event_for(&after, &event, &pid("p1")).expect("the author is told");
    assert!(json(&told).contains("GEHEIM"));
    assert!(seen(&h, "p1", mine).unwrap().editable);
    assert!(from > 1);

    // Another can't even find it: its id is unknown to them.
    assert_eq!(h.code("p2", edit(mine, choice("X"))), "unknown_contribution");
    assert_eq!(h.code("mod", moderate(mine, ModerationAction::Hide, "advies")), "unknown_contribution");

    // Withdrawing counts down the submissions, without saying what.
    let other = h.say("p2", choice("ANDER"));
    assert_eq!(view_for(&h.state, &pid("mod")).unwrap().progress.unwrap().submitted, 2);
    h.run("p2", Command::WithdrawContribution { contribution_id: other });
    assert_eq!(view_for(&h.state, &pid("mod")).unwrap().progress.unwrap().submitted, 1);

    // After the reveal everyone sees the edited text, and the judgement stands.
    for who in ["pres", "p2", "p3", "p4", "p5", "p6"] {
        h.say(who, choice("LATER"));
    }
    assert!(h.state.rounds()[round].revealed, "revealed when all submitted");
    let v = seen(&h, "p3", mine).unwrap();
    assert!(json(&v).contains("GEHEIM") && v.edited);
    assert_eq!(h.code("p1", edit(mine, choice("NOG ANDERS"))), "already_submitted");
    assert_eq!(h.code("p1", Command::WithdrawContribution { contribution_id: mine }), "already_submitted");
    assert!(!seen(&h, "p1", mine).unwrap().editable);
    h.assert_fold_matches();
}

#[test]
fn the_moderator_marks_or_hides_with_a_reason_everyone_sees() {
    let mut h = dilemma_started();
    h.go_to("clarifying_questions");
    let advice = h.say("p1", question("Zou je niet gewoon de uitkering doorbetalen? ADVIES"));

    // Only the moderator, and never without a reason.
    assert_eq!(h.code("p2", moderate(advice, ModerationAction::Mark, "advies")), "not_moderator");
    assert_eq!(h.code("mod", moderate(advice, ModerationAction::Mark, "  ")), "empty_field");
    assert_eq!(h.code("mod", moderate(advice, ModerationAction::Clear, "")), "unchanged");

    let events = h.run("mod", moderate(advice, ModerationAction::Mark, "Dit is een advies, geen vraag."));
    assert!(matches!(&events[0].body, EventBody::ContributionModerated { moderation: Some(_), .. }));
    let (after, event) = h.replay().pop().unwrap();
    for viewer in ["p1", "p2", "pres", "obs", "mod"] {
        let v = seen(&h, viewer, advice).unwrap();
        assert_eq!(v.moderation.as_ref().unwrap().kind, ModerationKind::Marked);
        assert_eq!(v.moderation.as_ref().unwrap().reason, "Dit is een advies, geen vraag.");
        assert!(v.content.is_some(), "a mark keeps the text visible");
        let told = json(&visible_event_for(&after, &event, &pid(viewer)).unwrap());
        assert!(told.contains("contribution_moderated") && told.contains("geen vraag"), "{told}");
    }

    // Hidden: the reason stays, the text goes — except for its author and the moderator.
    h.run("mod", moderate(advice, ModerationAction::Hide, "Advies hoort in stap 6."));
    for viewer in ["p2", "pres", "obs"] {
        let v = seen(&h, viewer, advice).unwrap();
        assert_eq!(v.content, None, "{viewer} sees hidden text");
        assert_eq!(v.moderation.as_ref().unwrap().kind, ModerationKind::Hidden);
        assert!(!json(&view_for(&h.state, &pid(viewer))).contains("ADVIES"));
        assert!(json(&v).contains("Advies hoort in stap 6."));
    }
    for viewer in ["p1", "mod"] {
        assert!(json(&seen(&h, viewer, advice).unwrap()).contains("ADVIES"), "{viewer} may review it");
    }

    // Cleared again: everyone sees the text without a mark. Every step is in the log.
    h.run("mod", moderate(advice, ModerationAction::Clear, ""));
    let v = seen(&h, "p2", advice).unwrap();
    assert!(v.moderation.is_none() && v.content.is_some());
    let kinds: Vec<&str> = h.events.iter().map(|e| e.body.type_name()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "contribution_moderated").count(), 3);
    h.assert_fold_matches();
}

#[test]
fn what_the_moderator_hid_stays_out_of_the_precedent() {
    let mut h = dilemma_started();
    h.go_to("perspectives");
    let row = |value: &str| Content::MatrixRow {
        stakeholder: "cliënt".into(),
        perspective: "wil zekerheid".into(),
        value: value.into(),
        norm: "eerst een gesprek".into(),
    };
    let kept = h.say("p1", row("bestaanszekerheid"));
    let off = h.say("p2", row("VERBORGEN"));
    h.run("mod", moderate(off, ModerationAction::Hide, "Dit hoort bij een andere casus."));
    h.run("mod", moderate(kept, ModerationAction::Mark, "Waarde nog aanscherpen."));
    h.go_to("conclusion");
    h.run(
        "mod",
        Command::Conclude {
            conclusion: "Eerst een gesprek.".into(),
            reasoning: String::new(),
            dissent: String::new(),
            actions: Vec::new(),
        },
    );
    h.run("mod", Command::End);
    let ctx = beraad_domain::precedent::DraftContext {
        organisation: "LOCAL".into(),
        team: String::new(),
        drafted_on: "2025-06-16".parse().unwrap(),
        by: "gespreksleider".into(),
        related: Vec::new(),
    };
    let p = beraad_domain::precedent::draft(&h.state, &ctx).unwrap();
    let json = json(&p);
    assert!(!json.contains("VERBORGEN"), "hidden text in the precedent: {json}");
    assert!(json.contains("bestaanszekerheid"), "a marked contribution stays");
}
