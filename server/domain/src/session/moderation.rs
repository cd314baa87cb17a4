//! The moderator's marks on contributions that break a round's rule (advice in a
//! questions-only round): marked (shown with the reason) or hidden (the content withheld from
//! everyone but its author and the moderator, the reason shown in its place).

use serde::{Deserialize, Serialize};

/// Longest reason for a mark, in characters.
pub const MAX_REASON: usize = 500;

/// What the moderator does to a contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationAction {
    /// Keep it visible, with the reason beside it.
    Mark,
    /// Withhold its content from everyone but its author and the moderator; the reason shows.
    Hide,
    /// Take an earlier mark or hiding back.
    Clear,
}

/// A mark in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationKind {
    Marked,
    Hidden,
}

/// A contribution's mark and the reason, visible to everyone who sees the contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moderation {
    pub kind: ModerationKind,
    pub reason: String,
}
