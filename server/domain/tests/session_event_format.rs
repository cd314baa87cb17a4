//! The stored shape of events and the wire shape of what viewers receive do not change when the
//! Rust types do: event logs written by earlier versions load, and are written back byte for
//! byte the same; clients receive the same JSON. (The log stores `serde_json::to_value` of an
//! event's body; its text is compared here through the same value.)

use beraad_domain::session::*;

/// Bodies as earlier versions stored them, one of each shape that a shared payload struct
/// (a newtype variant) now carries, and plain ones around them.
const STORED_BODIES: &[&str] = &[
    r#"{"participant":"p2","type":"presenter_set"}"#,
    r#"{"from":"p1","to":"p3","type":"moderation_handed"}"#,
    r#"{"participant":"p2","type":"participant_left"}"#,
    r#"{"participant":"p3","type":"participant_removed"}"#,
    r#"{"deadline_ms":1764000000000,"type":"timebox_set"}"#,
    r#"{"type":"session_ended"}"#,
];

#[test]
fn stored_bodies_load_and_are_written_back_identically() {
    for stored in STORED_BODIES {
        let body: EventBody = serde_json::from_str(stored).unwrap_or_else(|e| panic!("{stored}: {e}"));
        let written = serde_json::to_value(&body).unwrap().to_string();
        assert_eq!(&written, stored);
    }
}

#[test]
fn old_bodies_read_as_the_variants_that_carry_them() {
    let body: EventBody = serde_json::from_str(STORED_BODIES[0]).unwrap();
    let EventBody::PresenterSet(PresenterChange { participant }) = &body else { panic!("{body:?}") };
    assert_eq!(participant.as_str(), "p2");
    assert_eq!(body.type_name(), "presenter_set");
    let body: EventBody = serde_json::from_str(STORED_BODIES[1]).unwrap();
    let EventBody::ModerationHanded(Handover { from, to }) = &body else { panic!("{body:?}") };
    assert_eq!((from.as_str(), to.as_str()), ("p1", "p3"));
    assert_eq!(body.type_name(), "moderation_handed");
}

#[test]
fn a_whole_stored_event_round_trips() {
    let stored = r#"{"seq":7,"at_ms":1764000000000,"actor":"p1","body":{"type":"moderation_handed","from":"p1","to":"p3"}}"#;
    let event: Event = serde_json::from_str(stored).unwrap();
    assert_eq!(serde_json::to_string(&event).unwrap(), stored);
}

#[test]
fn viewers_receive_the_shared_payloads_inline() {
    let presenter: PresenterChange = serde_json::from_str(r#"{"participant":"p2"}"#).unwrap();
    let handover: Handover = serde_json::from_str(r#"{"from":"p1","to":"p3"}"#).unwrap();
    let sent = |body: VisibleBody| {
        let event = VisibleEvent { seq: 9, at_ms: 5, body, progress: None, turn: None };
        serde_json::to_string(&event).unwrap()
    };
    assert_eq!(
        sent(VisibleBody::PresenterSet(presenter)),
        r#"{"seq":9,"at_ms":5,"type":"presenter_set","participant":"p2"}"#
    );
    assert_eq!(
        sent(VisibleBody::ModerationHanded(handover)),
        r#"{"seq":9,"at_ms":5,"type":"moderation_handed","from":"p1","to":"p3"}"#
    );
}
