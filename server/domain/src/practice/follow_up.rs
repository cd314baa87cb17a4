//! What the follow-up reads from a session's state: whether it was held, who took part, the
//! actions its conclusion agreed (once it ended), and its look-back outcomes; and who of the
//! team owns an action ("who" is free text: a member whose display name it is, if exactly one).

use crate::local_time::date_of;
use crate::precedent::CalendarDate;
use crate::session::{ActionItem, LookBackEntry, Membership, Phase, Role, SessionState};

/// A session as the team's follow-up and history see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionReading {
    /// Ended.
    pub held: bool,
    /// People who took part: everyone who joined to write (the moderator included), not
    /// observers and not people removed.
    pub attendance: u32,
    /// The local date it started (or was created, if it never started).
    pub on: CalendarDate,
    /// The actions the final conclusion agreed, once the session ended; none before.
    pub agreed: Vec<ActionItem>,
    /// What became of the previous actions, by index.
    pub look_back: Vec<LookBackEntry>,
}

pub fn read_session(state: &SessionState) -> SessionReading {
    let held = state.phase() == Phase::Closed;
    let attendance = state
        .participants()
        .iter()
        .filter(|p| p.role != Role::Observer && p.membership != Membership::Removed)
        .count() as u32;
    SessionReading {
        held,
        attendance,
        on: date_of(state.started_at_ms().unwrap_or(state.created_at_ms())),
        agreed: if held {
            state.conclusion().map(|c| c.actions.clone()).unwrap_or_default()
        } else {
            Vec::new()
        },
        look_back: state.look_back().cloned().collect(),
    }
}

/// The member `who` names: the one member whose display name equals it (ignoring case and
/// surrounding space); `None` when nobody or several do.
pub fn owner_of(who: &str, members: &[(i64, String)]) -> Option<i64> {
    let who = who.trim().to_lowercase();
    let mut found = members.iter().filter(|(_, name)| name.trim().to_lowercase() == who);
    match (found.next(), found.next()) {
        (Some((id, _)), None) => Some(*id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_found_by_their_display_name_once() {
        let members = vec![(1, "Anna de Vries".to_owned()), (2, "Bram".to_owned()), (3, "bram".to_owned())];
        assert_eq!(owner_of(" anna de vries ", &members), Some(1));
        assert_eq!(owner_of("Bram", &members), None, "two members are called Bram");
        assert_eq!(owner_of("Carla", &members), None);
    }
}
