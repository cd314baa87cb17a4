//! Round-robin turns: each expected writer gets one turn, one at a time.
//!
//! The order is join order in named rounds and pseudonym order in pseudonymous ones. Pseudonyms
//! are shuffled at the start, so neither order tells anyone who hides behind a pseudonym. A turn
//! is taken by writing or passing; who left drops out of the queue; once everyone has had a
//! turn, the round is open to all.

use super::eligibility::expected_writers;
use super::{Participant, Role, SessionState};

/// Those still waiting for their turn in `round_index`, the holder first. Empty when the round
/// takes no turns or everyone has had one.
pub(crate) fn turn_queue(state: &SessionState, round_index: usize) -> Vec<&Participant> {
    let Some((round, _)) = state.round(round_index) else {
        return Vec::new();
    };
    if !round.takes_turns() {
        return Vec::new();
    }
    let mut queue: Vec<&Participant> = expected_writers(state, round_index)
        .into_iter()
        .filter(|p| p.role != Role::Moderator)
        .filter(|p| {
            !state.contributions_in(round_index).any(|c| c.author == p.id)
                && !state.passes_in(round_index).any(|id| id == &p.id)
        })
        .collect();
    if round.is_pseudonymous() {
        queue.sort_by_key(|p| (p.pseudonym_no.unwrap_or(u32::MAX), p.join_order));
    }
    queue
}

/// Whose turn it is in `round_index`, if the round takes turns and someone is still waiting.
pub(crate) fn turn_holder(state: &SessionState, round_index: usize) -> Option<&Participant> {
    turn_queue(state, round_index).into_iter().next()
}
