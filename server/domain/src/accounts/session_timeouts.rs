//! How long a signed-in web session lives: it ends after `IDLE_MS` without a request, and in
//! any case `ABSOLUTE_MS` after sign-in. `last_seen_at` is written at most once per `TOUCH_MS`
//! so that every page view does not cost a database write.

/// A session unused this long has ended (8 hours: a working day with a long lunch).
pub const IDLE_MS: i64 = 8 * 60 * 60 * 1000;
/// A session ends this long after sign-in, however active (12 hours: never overnight).
pub const ABSOLUTE_MS: i64 = 12 * 60 * 60 * 1000;
/// `last_seen_at` is refreshed when older than this.
pub const TOUCH_MS: i64 = 60 * 1000;

/// What to do with a stored session at `now_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Valid; `touch` says whether to refresh `last_seen_at`.
    Valid { touch: bool },
    /// Ended by inactivity.
    IdleExpired,
    /// Ended by the absolute limit.
    AbsoluteExpired,
}

pub fn state(created_at_ms: i64, last_seen_at_ms: i64, now_ms: i64) -> SessionState {
    if now_ms - created_at_ms >= ABSOLUTE_MS {
        SessionState::AbsoluteExpired
    } else if now_ms - last_seen_at_ms >= IDLE_MS {
        SessionState::IdleExpired
    } else {
        SessionState::Valid { touch: now_ms - last_seen_at_ms >= TOUCH_MS }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_absolute_and_touch() {
        assert_eq!(state(0, 0, 1_000), SessionState::Valid { touch: false });
        assert_eq!(state(0, 0, TOUCH_MS), SessionState::Valid { touch: true });
        assert_eq!(state(0, 0, IDLE_MS), SessionState::IdleExpired);
        assert_eq!(state(0, IDLE_MS - 1, IDLE_MS), SessionState::Valid { touch: false });
        // Active all along, but past the absolute limit.
        assert_eq!(state(0, ABSOLUTE_MS - 1, ABSOLUTE_MS), SessionState::AbsoluteExpired);
    }
}
