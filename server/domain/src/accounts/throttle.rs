//! Throttling failed sign-ins over a sliding window, per account and per client address.
//!
//! Per account: a growing delay, never a lock. The first [`FREE_PER_ACCOUNT`] failures cost
//! nothing; after that every attempt on the account waits 1 s, 2 s, 4 s … up to
//! [`MAX_DELAY_MS`] before its password is checked, and the right password still signs in. So
//! guessing one person's password gets slow, but nobody can lock a colleague out on purpose by
//! typing their address with wrong passwords: the colleague waits at most half a minute.
//!
//! Per address: a hard limit. Past [`MAX_PER_ADDRESS`] failures from one address within the
//! window an attempt is refused before its password is checked; that stops one machine trying
//! many accounts (or many passwords) while leaving room for colleagues behind one municipal NAT.
//! It binds the guesser's own address, not the account.

/// The window failures are counted in.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures for one account within the window before attempts on it are delayed.
pub const FREE_PER_ACCOUNT: i64 = 5;
/// The longest delay of an attempt on one account.
pub const MAX_DELAY_MS: u64 = 30_000;
/// Failures from one address within the window after which sign-in is refused.
pub const MAX_PER_ADDRESS: i64 = 20;

/// Recent failures, counted since `now - WINDOW_MS`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentFailures {
    pub account: i64,
    pub address: i64,
}

/// What happens to a new attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password now.
    Allow,
    /// Wait this many milliseconds, then check the password.
    Delay(u64),
    /// Refuse without checking the password (the address's limit).
    Refuse,
}

/// The verdict on a new attempt, given the recent failures of its account and address.
pub fn verdict(recent: RecentFailures) -> Verdict {
    if recent.address >= MAX_PER_ADDRESS {
        return Verdict::Refuse;
    }
    match account_delay_ms(recent.account) {
        0 => Verdict::Allow,
        ms => Verdict::Delay(ms),
    }
}

/// The delay for an account with `failures` recent failures: 0 up to the free ones, then
/// doubling from one second, capped at [`MAX_DELAY_MS`].
pub fn account_delay_ms(failures: i64) -> u64 {
    if failures < FREE_PER_ACCOUNT {
        return 0;
    }
    let doublings = (failures - FREE_PER_ACCOUNT).min(16) as u32;
    (1000u64 << doublings).min(MAX_DELAY_MS)
}

/// The start of the window at `now_ms`.
pub fn window_start(now_ms: i64) -> i64 {
    now_ms - WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_slowed_down_but_never_refused() {
        assert_eq!(verdict(RecentFailures { account: 4, address: 4 }), Verdict::Allow);
        assert_eq!(verdict(RecentFailures { account: 5, address: 5 }), Verdict::Delay(1000));
        assert_eq!(verdict(RecentFailures { account: 6, address: 0 }), Verdict::Delay(2000));
        assert_eq!(verdict(RecentFailures { account: 9, address: 0 }), Verdict::Delay(16_000));
        assert_eq!(verdict(RecentFailures { account: 10, address: 0 }), Verdict::Delay(MAX_DELAY_MS));
        assert_eq!(verdict(RecentFailures { account: 10_000, address: 0 }), Verdict::Delay(MAX_DELAY_MS));
    }

    #[test]
    fn twenty_failures_from_one_address_refuse_it() {
        assert_eq!(verdict(RecentFailures { account: 0, address: 19 }), Verdict::Allow);
        assert_eq!(verdict(RecentFailures { account: 0, address: 20 }), Verdict::Refuse);
        assert_eq!(window_start(WINDOW_MS + 7), 7);
    }
}
