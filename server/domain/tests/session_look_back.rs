//! The look-back step: a session with last time's actions opens with a look-back round in
//! which the moderator records what became of each, as `look_back_recorded` events.

mod session_support;

use beraad_domain::method::{builtin, RoundKind};
use beraad_domain::session::*;
use session_support::*;

fn actions() -> Vec<ActionItem> {
    vec![
        ActionItem { what: "Beleid navragen".into(), who: "Anna de Vries".into(), when: "2026-01-10".into() },
        ActionItem { what: "Cliënt terugbellen".into(), who: "Bram Smit".into(), when: "2026-01-12".into() },
    ]
}

fn look_back_session() -> Harness {
    let mut h = Harness::with_previous_actions(builtin("dilemma", None).unwrap(), false, SEED, actions());
    full_group(&mut h);
    h.run("mod", Command::Start);
    h
}

fn record(index: usize, outcome: LookBackOutcome, note: &str) -> Command {
    Command::RecordLookBack { index, outcome, note: note.into() }
}

#[test]
fn a_session_with_previous_actions_opens_with_the_look_back() {
    let h = look_back_session();
    assert_eq!(h.state.method().rounds[0].kind, RoundKind::LookBack);
    assert_eq!(h.current_key().as_deref(), Some(LOOK_BACK_ROUND_KEY));
    let view = view_for(&h.state, &pid("p1")).unwrap();
    assert_eq!(view.previous_actions.len(), 2);
    assert!(view.look_back.is_empty());
    // Without previous actions the method is unchanged.
    let plain = Harness::new(builtin("dilemma", None).unwrap(), false);
    assert_ne!(plain.state.method().rounds[0].kind, RoundKind::LookBack);
}

#[test]
fn the_moderator_records_what_became_of_each_action_as_events() {
    let mut h = look_back_session();
    let events = h.run("mod", record(0, LookBackOutcome::Done, ""));
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].body,
        EventBody::LookBackRecorded { index: 0, outcome: LookBackOutcome::Done, note: String::new() }
    );
    assert_eq!(events[0].body.type_name(), "look_back_recorded");
    h.run("mod", record(1, LookBackOutcome::StillOpen, ""));
    // A later record replaces the earlier one.
    h.run("mod", record(1, LookBackOutcome::Dropped, "  Cliënt is verhuisd "));
    let entries: Vec<_> = h.state.look_back().cloned().collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].outcome, LookBackOutcome::Done);
    assert_eq!(entries[1].outcome, LookBackOutcome::Dropped);
    assert_eq!(entries[1].note, "Cliënt is verhuisd");
    // Everyone sees it, and a replay gives the same state.
    let view = view_for(&h.state, &pid("p2")).unwrap();
    assert_eq!(view.look_back, entries);
    h.assert_fold_matches();
}

#[test]
fn look_back_records_are_refused_out_of_place() {
    let mut h = look_back_session();
    assert_eq!(h.code("p1", record(0, LookBackOutcome::Done, "")), "not_moderator");
    assert_eq!(h.code("mod", record(2, LookBackOutcome::Done, "")), "unknown_look_back_action");
    assert_eq!(h.code("mod", record(0, LookBackOutcome::Dropped, " ")), "empty_field");
    let long = "x".repeat(MAX_FIELD + 1);
    assert_eq!(h.code("mod", record(0, LookBackOutcome::Done, &long)), "field_too_long");
    h.next();
    assert_eq!(h.code("mod", record(0, LookBackOutcome::Done, "")), "not_look_back_round");
    // In the lobby: not started.
    let mut lobby = Harness::with_previous_actions(builtin("dilemma", None).unwrap(), false, SEED, actions());
    assert_eq!(lobby.code("mod", record(0, LookBackOutcome::Done, "")), "not_started");
}

#[test]
fn commands_and_events_serialise_with_snake_case_tags() {
    let cmd: Command =
        serde_json::from_str(r#"{"type":"record_look_back","index":1,"outcome":"still_open"}"#).unwrap();
    assert_eq!(cmd, record(1, LookBackOutcome::StillOpen, ""));
    let body = EventBody::LookBackRecorded { index: 0, outcome: LookBackOutcome::Dropped, note: "n".into() };
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json["type"], "look_back_recorded");
    assert_eq!(json["outcome"], "dropped");
}
