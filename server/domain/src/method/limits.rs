//! Limits on methods, shared by validation and its error messages.

/// Most rounds a method may have.
pub const MAX_ROUNDS: usize = 30;
/// Largest suggested duration of one round, in minutes.
pub const MAX_ROUND_MINUTES: u32 = 240;
/// Largest sum of suggested durations, in minutes.
pub const MAX_TOTAL_MINUTES: u32 = 600;
/// Key length bounds, in characters.
pub const MIN_KEY_LEN: usize = 2;
pub const MAX_KEY_LEN: usize = 40;
/// Longest method name or round title, in characters.
pub const MAX_NAME_LEN: usize = 100;
/// Longest method description or round prompt, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 2000;
/// Longest round rule, in characters.
pub const MAX_RULE_LEN: usize = 300;
/// Largest `min_participants`.
pub const MAX_MIN_PARTICIPANTS: u32 = 30;
/// Most problems listed in one answer; the rest are counted (shared with precedent records).
pub use crate::problems::MAX_PROBLEMS_REPORTED;
