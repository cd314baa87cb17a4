//! Throttling failed sign-ins, per account and per client address, over a sliding window. The
//! account limit stops guessing one person's password; the higher address limit stops one
//! machine trying many accounts while leaving room for colleagues behind one municipal NAT.

/// The window failures are counted in.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures for one account within the window after which sign-in is refused.
pub const MAX_PER_ACCOUNT: i64 = 5;
/// Failures from one address within the window after which sign-in is refused.
pub const MAX_PER_ADDRESS: i64 = 20;

/// Recent failures, counted since `now - WINDOW_MS`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentFailures {
    pub account: i64,
    pub address: i64,
}

/// Whether a new attempt is refused before its password is even checked.
pub fn throttled(recent: RecentFailures) -> bool {
    recent.account >= MAX_PER_ACCOUNT || recent.address >= MAX_PER_ADDRESS
}

/// The start of the window at `now_ms`.
pub fn window_start(now_ms: i64) -> i64 {
    now_ms - WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_per_account_twenty_per_address() {
        assert!(!throttled(RecentFailures { account: 4, address: 4 }));
        assert!(throttled(RecentFailures { account: 5, address: 5 }));
        assert!(!throttled(RecentFailures { account: 0, address: 19 }));
        assert!(throttled(RecentFailures { account: 0, address: 20 }));
        assert_eq!(window_start(WINDOW_MS + 7), 7);
    }
}
