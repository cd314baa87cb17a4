//! Visibility is enforced on the server: for every event and every viewer, nothing hidden
//! leaks — not in snapshots and not in fan-out.

mod session_support;

use beraad_domain::method::{builtin, validate_custom, Method};
use beraad_domain::session::*;
use serde_json::Value;
use session_support::*;

fn choice(marker: &str) -> Content {
    Content::Choice {
        option: format!("optie {marker}"),
        supporting_value: "zorg".into(),
        harmed_value: "gelijkheid".into(),
        damage_limitation: String::new(),
        needs: String::new(),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// For every event from `from_seq` on and every viewer: another author's marker appears in
/// neither the fan-out nor the snapshot until the round is revealed; one's own always does.
fn assert_hidden_until_reveal(
    h: &Harness,
    round_index: usize,
    from_seq: u64,
    markers: &[(&str, String)],
    viewers: &[&str],
) {
    let mut checked = 0;
    for (state, event) in h.replay() {
        if event.seq < from_seq {
            continue;
        }
        let revealed = state.rounds()[round_index].revealed;
        for viewer in viewers {
            let viewer_id = pid(viewer);
            let snapshot = view_for(&state, &viewer_id).map(|v| json(&v));
            let fanout = visible_event_for(&state, &event, &viewer_id).map(|v| json(&v));
            for (author, marker) in markers {
                let written = state
                    .contributions()
                    .iter()
                    .any(|c| c.author == pid(author) && json(&c.content).contains(marker.as_str()));
                let may_see = author == viewer || revealed;
                for text in [&snapshot, &fanout].into_iter().flatten() {
                    if !may_see {
                        assert!(
                            !text.contains(marker.as_str()),
                            "seq {} {}: {viewer} sees {author}'s {marker}: {text}",
                            event.seq,
                            event.body.type_name()
                        );
                    }
                }
                if let (true, true, Some(snap)) = (written, may_see, &snapshot) {
                    assert!(snap.contains(marker.as_str()), "{viewer} misses {marker}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "checked {checked}");
}

#[test]
fn silent_write_shows_only_counts_before_the_reveal() {
    let mut h = started_with_full_group("dilemma");
    h.go_to("individual_judgement");
    let index = h.state.current_round().unwrap();
    let from = h.state.seq();
    let writers = ["pres", "p1", "p2", "p3", "p4", "p5", "p6"];
    let markers: Vec<(&str, String)> = writers.iter().map(|w| (*w, format!("GEHEIM-{w}-X"))).collect();
    let mut submissions = Vec::new();
    for (writer, marker) in &markers[..6] {
        let events = h.contribute(writer, choice(marker)).unwrap();
        submissions.push(events[0].clone());
        h.tick(1000);
    }
    // What the others receive for a submission: a count and (this round is named) who has
    // submitted, never what.
    let (state, event) = h.replay().pop().unwrap();
    let counted = visible_event_for(&state, &event, &pid("p6")).unwrap();
    assert_eq!(
        counted.body,
        VisibleBody::SubmissionCounted { round_index: index, submitted: 6, eligible: 7 }
    );
    let as_json: Value = serde_json::to_value(&counted).unwrap();
    assert_eq!(as_json["type"], "submission_counted");
    for (_, marker) in &markers[..6] {
        assert!(!json(&counted).contains(marker.as_str()), "{marker} leaked");
    }
    // The author gets their own contribution back, with their client id.
    let own = visible_event_for(&state, &event, &pid("p5")).unwrap();
    match own.body {
        VisibleBody::ContributionAdded { contribution } => {
            assert_eq!(contribution.author, AuthorView::You);
            assert!(contribution.client_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    // The moderator, too, sees only counts.
    let moderator_view = view_for(&state, &pid("mod")).unwrap();
    assert!(moderator_view.contributions.iter().all(|c| c.round_index != index));
    assert_eq!(moderator_view.progress.unwrap().submitted, 6);
    // The last one reveals.
    h.say(markers[6].0, choice(&markers[6].1));
    assert!(h.state.rounds()[index].revealed);
    let everyone: Vec<&str> = everyone().into_iter().map(|(id, _)| id).collect();
    assert_hidden_until_reveal(&h, index, from, &markers, &everyone);
    // The reveal event carries all seven to every viewer, named in this named round.
    let (state, event) = h.replay().pop().unwrap();
    assert!(matches!(event.body, EventBody::RoundRevealed { .. }));
    for viewer in &everyone {
        let v = visible_event_for(&state, &event, &pid(viewer)).unwrap();
        let VisibleBody::RoundRevealed { contributions, .. } = v.body else { panic!() };
        assert_eq!(contributions.len(), 7);
        assert!(contributions.iter().all(|c| c.seq.is_none() && c.at_ms.is_none()));
    }
}

#[test]
fn on_moderator_rounds_wait_for_the_moderator() {
    let method = validate_custom(
        r#"{"key":"stil","name":"Stil","description":"Stil schrijven","family":"intervision",
            "output":"insight","rounds":[{"key":"schrijven","kind":"silent_write",
            "title":"Schrijven","prompt":"Schrijf","minutes":5,"contributors":"everyone",
            "reveal":"on_moderator"}]}"#,
    )
    .unwrap();
    let mut h = Harness::new(method, true);
    full_group(&mut h);
    h.run("mod", Command::Start);
    let from = h.state.seq();
    let writers = ["pres", "p1", "p2", "p3", "p4", "p5", "p6"];
    let markers: Vec<(&str, String)> = writers.iter().map(|w| (*w, format!("ZWIJG-{w}"))).collect();
    for (w, m) in &markers {
        h.say(w, text(m));
    }
    assert!(!h.state.rounds()[0].revealed, "all submitted, yet waits");
    assert!(h.auto().is_empty());
    // Writers who leave and rejoin still see only their own.
    h.run("p3", Command::Leave);
    h.join("p3", "Carla Mulder", Role::Participant);
    h.run("mod", Command::Reveal);
    let everyone: Vec<&str> = everyone().into_iter().map(|(id, _)| id).collect();
    assert_hidden_until_reveal(&h, 0, from, &markers, &everyone);
}

/// A method whose contribution rounds are all pseudonymous.
fn pseudonymous_method() -> Method {
    validate_custom(
        r#"{"key":"anoniem","name":{"nl":"Anoniem","en":"Anonymous"},
            "description":"Alles onder pseudoniem","family":"intervision","output":"advice",
            "rounds":[
              {"key":"vragen","kind":"questions","title":"Vragen","prompt":"Vraag",
               "minutes":5,"contributors":"all_but_presenter","anonymity":"pseudonymous"},
              {"key":"associaties","kind":"silent_write","title":"Associaties",
               "prompt":"Schrijf","minutes":5,"contributors":"everyone","anonymity":"pseudonymous"},
              {"key":"gesprek","kind":"dialogue","title":"Gesprek","prompt":"Praat",
               "minutes":5,"contributors":"everyone","anonymity":"pseudonymous"},
              {"key":"rondje","kind":"round_robin","title":"Rondje","prompt":"Om de beurt",
               "minutes":5,"contributors":"all_but_presenter","anonymity":"pseudonymous"},
              {"key":"kiezen","kind":"selection","title":"Kiezen","prompt":"Kies",
               "minutes":5,"contributors":"everyone","anonymity":"pseudonymous"}
            ]}"#,
    )
    .unwrap()
}

const PEOPLE: [(&str, &str, Role); 7] = [
    ("id-pieter-91", "Pieter Bakker", Role::Presenter),
    ("id-anna-17", "Anna de Vries", Role::Participant),
    ("id-bram-23", "Bram Smit", Role::Participant),
    ("id-carla-38", "Carla Mulder", Role::Participant),
    ("id-daan-44", "Daan de Boer", Role::Participant),
    ("id-eva-56", "Eva Dekker", Role::Participant),
    ("id-olga-62", "Olga Visser", Role::Observer),
];

/// The pseudonymous method with `PEOPLE` joined, started.
fn pseudonymous_started() -> Harness {
    let mut h = Harness::new(pseudonymous_method(), false);
    for (id, name, role) in PEOPLE {
        h.join(id, name, role);
    }
    h.run("mod", Command::Start);
    h
}

#[test]
fn pseudonymous_rounds_never_reveal_who_wrote() {
    let mut h = pseudonymous_started();
    let presenter = PEOPLE[0].0;
    let writers: Vec<&str> = PEOPLE[1..6].iter().map(|p| p.0).collect();
    // Questions and (role-labelled) answers.
    let q = h.say(writers[2], Content::Question { text: "Wanneer begon het?".into() });
    h.say(presenter, Content::Answer { question_id: q, text: "In mei.".into() });
    h.next();
    // Silent write, everyone.
    for w in writers.iter().chain([&presenter]) {
        h.say(w, text("een beeld"));
    }
    h.next();
    // Dialogue, with a scribe note by the moderator.
    h.say(writers[0], text("eerste gedachte"));
    h.say(presenter, text("reactie"));
    h.say("mod", text("notitie"));
    h.say(writers[4], text("nog een"));
    h.next();
    // Round robin in pseudonym order; one passes.
    let order: Vec<ParticipantId> = {
        let mut w: Vec<&Participant> =
            writers.iter().map(|id| h.state.participant(&pid(id)).unwrap()).collect();
        w.sort_by_key(|p| p.pseudonym_no);
        w.into_iter().map(|p| p.id.clone()).collect()
    };
    for (n, id) in order.iter().enumerate() {
        if n == 1 {
            h.run(id.as_str(), Command::PassTurn);
        } else {
            h.say(id.as_str(), text("mijn advies"));
        }
    }
    h.next();
    // Selection: proposals and votes.
    let a = h.say(writers[1], text("voorstel"));
    h.say(writers[3], Content::Selection { target: a });
    h.say(presenter, Content::Selection { target: a });

    let identities: Vec<String> = PEOPLE
        .iter()
        .flat_map(|(id, name, _)| [id.to_string(), name.to_string()])
        .chain(["Mira Jansen".to_string(), "\"mod\"".to_string()])
        .collect();
    let viewers: Vec<&str> = PEOPLE.iter().map(|p| p.0).chain(["mod"]).collect();
    let contribution_events = [
        "contribution_added",
        "round_revealed",
        "round_opened",
        "round_closed",
        "round_reopened",
        "round_skipped",
        "turn_passed",
        "submission_counted",
        "session_started",
        "timebox_set",
    ];
    let mut checked = 0;
    for (state, event) in h.replay() {
        for viewer in &viewers {
            let Some(view) = view_for(&state, &pid(viewer)) else {
                continue;
            };
            // Snapshot: the contributions and the turn carry no identity.
            let parts = json(&(&view.contributions, &view.turn, &view.progress));
            for identity in &identities {
                assert!(!parts.contains(identity.as_str()), "{viewer} sees {identity} in {parts}");
            }
            // Pseudonyms are consistent with the server's record, and the author sees "you".
            for c in &view.contributions {
                let stored = state.contribution(c.id).unwrap();
                let expected = if stored.author == pid(viewer) {
                    AuthorView::You
                } else if stored.author_role == Role::Moderator {
                    AuthorView::Moderator
                } else if matches!(stored.content, Content::Answer { .. }) {
                    AuthorView::Presenter
                } else {
                    AuthorView::Pseudonym {
                        no: state.participant(&stored.author).unwrap().pseudonym_no.unwrap(),
                    }
                };
                assert_eq!(c.author, expected);
            }
            // Fan-out of contribution-related events.
            if let Some(v) = visible_event_for(&state, &event, &pid(viewer)) {
                let text = json(&v);
                if contribution_events.contains(&event.body.type_name()) {
                    for identity in &identities {
                        assert!(!text.contains(identity.as_str()), "{viewer} receives {identity} in {text}");
                    }
                }
                if let VisibleBody::SessionStarted { your_pseudonym_no } = v.body {
                    assert_eq!(your_pseudonym_no, state.participant(&pid(viewer)).unwrap().pseudonym_no);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked}");
    // No participant listing or join event carries a pseudonym number.
    let view = view_for(&h.state, &pid(writers[0])).unwrap();
    let listing = serde_json::to_value(&view.participants).unwrap();
    assert!(listing.as_array().unwrap().iter().all(|p| p.get("pseudonym_no").is_none()));
    let names: Vec<&str> = view.participants.iter().map(|p| p.display_name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "listed by name, not by join order");
}

#[test]
fn pseudonyms_are_shuffled_not_join_order() {
    let mut differs = 0;
    for seed in 0..20u64 {
        let mut h = Harness::with_seed(pseudonymous_method(), false, seed);
        for (id, name, role) in PEOPLE {
            h.join(id, name, role);
        }
        h.run("mod", Command::Start);
        let numbers: Vec<u32> = h.state.participants().iter().filter_map(|p| p.pseudonym_no).collect();
        let mut sorted = numbers.clone();
        sorted.sort();
        assert_eq!(sorted, (1..=7).collect::<Vec<u32>>(), "mod + 6, observer none");
        if numbers != sorted {
            differs += 1;
        }
    }
    assert!(differs >= 18, "{differs}");
}

#[test]
fn revealed_order_tells_nothing_about_who_or_when() {
    let mut reordered = 0;
    for seed in 0..10u64 {
        let mut h = Harness::with_seed(builtin("dilemma", None).unwrap(), false, seed);
        full_group(&mut h);
        h.run("mod", Command::Start);
        h.go_to("individual_judgement");
        let index = h.state.current_round().unwrap();
        let writers = ["pres", "p1", "p2", "p3", "p4", "p5", "p6"];
        for w in writers {
            h.say(w, choice(w));
            h.tick(500);
        }
        let submitted: Vec<ContributionId> = h.state.contributions_in(index).map(|c| c.id).collect();
        // The round's contributions in the order `viewer` is shown them.
        let shown_to = |viewer: &str| -> Vec<ContributionId> {
            let view = view_for(&h.state, &pid(viewer)).unwrap();
            view.contributions.iter().filter(|c| c.round_index == index).map(|c| c.id).collect()
        };
        let shown = shown_to("obs");
        let mut by_id = submitted.clone();
        by_id.sort();
        assert_eq!(shown, by_id, "ordered by scrambled id");
        for viewer in ["p1", "p6", "mod"] {
            let ids = shown_to(viewer);
            assert_eq!(ids, shown, "same order for everyone");
        }
        if shown != submitted {
            reordered += 1;
        }
        // Ids are the keyed permutation of the event's seq.
        for c in h.state.contributions() {
            assert_eq!(c.id, ContributionId::derive(seed, c.seq));
        }
    }
    assert!(reordered >= 8, "{reordered}");
}

#[test]
fn absent_presenter_sees_the_round_only_after_it_ends() {
    let mut h = started_with_full_group("incident_short");
    h.go_to("analysis");
    let index = h.state.current_round().unwrap();
    let events = h.contribute("p1", text("ANALYSE-1")).unwrap();
    let (state, event) = (h.state.clone(), events[0].clone());
    assert!(visible_event_for(&state, &event, &pid("pres")).is_none());
    assert!(visible_event_for(&state, &event, &pid("p2")).is_some());
    assert!(!json(&view_for(&state, &pid("pres")).unwrap()).contains("ANALYSE-1"));
    assert_eq!(typing_indicator_for(&state, &pid("p1"), &pid("pres")), None);
    let closing = h.next();
    let after = h.replay();
    let (state_after_close, close_event) = after.iter().find(|(_, e)| e.seq == closing[0].seq).unwrap();
    let v = visible_event_for(state_after_close, close_event, &pid("pres")).unwrap();
    match v.body {
        VisibleBody::RoundClosed { index: i, contributions } => {
            assert_eq!(i, index);
            assert_eq!(contributions.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    // Reopened: absent again, and the reopen event tells the presenter's client so.
    let reopen = h.run("mod", Command::ReopenRound { index });
    let (state, event) = h.replay().pop().unwrap();
    assert_eq!(event.seq, reopen.last().unwrap().seq);
    match visible_event_for(&state, &event, &pid("pres")).unwrap().body {
        VisibleBody::RoundReopened { contributions, .. } => assert!(contributions.is_empty()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn typing_indicators_follow_the_same_rules() {
    let mut h = pseudonymous_started();
    h.next(); // silent write
    assert_eq!(typing_indicator_for(&h.state, &pid("id-anna-17"), &pid("id-bram-23")), None);
    h.next(); // pseudonymous dialogue
    let anna = h.state.participant(&pid("id-anna-17")).unwrap().pseudonym_no.unwrap();
    assert_eq!(
        typing_indicator_for(&h.state, &pid("id-anna-17"), &pid("id-bram-23")),
        Some(AuthorView::Pseudonym { no: anna })
    );
    assert_eq!(typing_indicator_for(&h.state, &pid("mod"), &pid("id-bram-23")), Some(AuthorView::Moderator));
}

#[test]
fn removed_people_are_told_once_and_then_receive_nothing() {
    let mut h = started_with_full_group("dilemma");
    let removal = h.run("mod", Command::RemoveParticipant { who: pid("p4") });
    let state = h.state.clone();
    let v = visible_event_for(&state, &removal[0], &pid("p4")).unwrap();
    assert_eq!(v.body, VisibleBody::YouWereRemoved);
    assert!(view_for(&state, &pid("p4")).is_none());
    let later = h.next();
    assert!(visible_event_for(&h.state, &later[0], &pid("p4")).is_none());
    let v = visible_event_for(&state, &removal[0], &pid("p1")).unwrap();
    assert_eq!(v.body, VisibleBody::ParticipantRemoved { participant: pid("p4") });
}

#[test]
fn a_joiner_is_welcomed_with_a_snapshot() {
    let mut h = Harness::new(builtin("dilemma", None).unwrap(), false);
    full_group(&mut h);
    let events = h.run("late", Command::Join { display_name: "Lotte".into(), role: Role::Participant });
    match visible_event_for(&h.state, &events[0], &pid("late")).unwrap().body {
        VisibleBody::Welcome { view } => {
            assert_eq!(view.you.id, pid("late"));
            assert_eq!(view.seq, events[0].seq);
            assert_eq!(view.rounds.len(), 10);
        }
        other => panic!("{other:?}"),
    }
    let seen_by_p1 = visible_event_for(&h.state, &events[0], &pid("p1")).unwrap();
    let as_json = serde_json::to_value(&seen_by_p1).unwrap();
    assert_eq!(as_json["type"], "participant_joined");
    assert_eq!(as_json["participant"]["display_name"], "Lotte");
    assert!(as_json["participant"].get("pseudonym_no").is_none());
    let snapshot = serde_json::to_value(view_for(&h.state, &pid("late")).unwrap()).unwrap();
    assert_eq!(snapshot["phase"], "lobby");
    assert!(snapshot.get("seed").is_none());
}

#[test]
fn catching_up_gives_what_was_missed_as_it_was_sent() {
    let mut h = started_with_full_group("dilemma");
    h.go_to("individual_judgement");
    let last_seen = h.state.seq();
    h.say("p1", choice("later-1"));
    h.say("p2", choice("later-2"));
    h.run("mod", Command::Reveal);
    let live: Vec<VisibleEvent> = h
        .replay()
        .into_iter()
        .filter(|(_, e)| e.seq > last_seen)
        .filter_map(|(state, e)| visible_event_for(&state, &e, &pid("p3")))
        .collect();
    let missed = catch_up(&h.events, last_seen, &pid("p3")).unwrap();
    assert_eq!(missed, live);
    assert_eq!(missed.len(), 3);
    assert!(matches!(missed[0].body, VisibleBody::SubmissionCounted { submitted: 1, .. }));
    assert!(
        matches!(missed[2].body, VisibleBody::RoundRevealed { ref contributions, .. } if contributions.len() == 2)
    );
    assert_eq!(catch_up(&h.events, h.state.seq(), &pid("p3")).unwrap(), vec![]);
}
