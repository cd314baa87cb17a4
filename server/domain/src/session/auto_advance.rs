//! Transitions that happen without anyone asking, for sessions created to advance by
//! themselves. The server calls [`due_transitions`] when [`next_wake_ms`] has come (and after
//! loading a session), appends the events with no actor, and fans them out as usual.

use super::decide::next_transition;
use super::{EventBody, SessionState};

/// The events due at `now_ms`: when the current round's deadline has passed, the same
/// transition as the moderator's "next round" (reveal if hidden, close, open the next round or
/// start concluding). Empty for sessions that advance only on the moderator's word.
pub fn due_transitions(state: &SessionState, now_ms: i64) -> Vec<EventBody> {
    if !state.auto_advance() {
        return Vec::new();
    }
    let Some(index) = state.current_round() else {
        return Vec::new();
    };
    // Revealing when everyone has submitted happens in `decide`, with the last submission;
    // nothing else (someone leaving) reveals a round.
    match state.deadline_ms() {
        Some(deadline) if deadline <= now_ms => next_transition(state, index, now_ms),
        _ => Vec::new(),
    }
}

/// When the server should call [`due_transitions`] next: the current deadline, if the session
/// advances by itself.
pub fn next_wake_ms(state: &SessionState) -> Option<i64> {
    if !state.auto_advance() {
        return None;
    }
    state.current_round()?;
    state.deadline_ms()
}
