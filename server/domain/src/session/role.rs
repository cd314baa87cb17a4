//! Roles in a session.

use serde::{Deserialize, Serialize};

/// What a participant does in a session (METHODS.md, "Roles").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Gespreksleider: guards steps, time and rules; content-neutral. Exactly one per session.
    Moderator,
    /// Inbrenger: brings the case. At most one at a time.
    Presenter,
    /// Deelnemer.
    Participant,
    /// Toehoorder: sees, never contributes.
    Observer,
}

impl Role {
    /// Presenter or participant: people whose contributions the method counts on.
    pub fn is_contributor(self) -> bool {
        matches!(self, Role::Presenter | Role::Participant)
    }
}
