//! A token bucket per connection: bursts are fine, a flood is refused message by message, and
//! a connection that keeps flooding is closed.

use std::time::Instant;

pub struct RateLimit {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    last: Instant,
    refused_in_a_row: u32,
}

/// What to do with one incoming message.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Refuse,
    /// Refused too often in a row: close the connection.
    Close,
}

/// After this many refusals without an allowed message in between, the connection closes.
const CLOSE_AFTER: u32 = 50;

impl RateLimit {
    pub fn new(capacity: u32, per_second: u32) -> Self {
        Self {
            capacity: capacity as f64,
            per_second: per_second as f64,
            tokens: capacity as f64,
            last: Instant::now(),
            refused_in_a_row: 0,
        }
    }

    pub fn check(&mut self, now: Instant) -> Verdict {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.refused_in_a_row = 0;
            Verdict::Allow
        } else {
            self.refused_in_a_row += 1;
            if self.refused_in_a_row >= CLOSE_AFTER {
                Verdict::Close
            } else {
                Verdict::Refuse
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bursts_then_refuses_then_refills_then_closes() {
        let start = Instant::now();
        let mut limit = RateLimit::new(5, 2);
        for _ in 0..5 {
            assert_eq!(limit.check(start), Verdict::Allow);
        }
        assert_eq!(limit.check(start), Verdict::Refuse);
        assert_eq!(limit.check(start + Duration::from_millis(500)), Verdict::Allow);
        let mut last = Verdict::Allow;
        for _ in 0..CLOSE_AFTER {
            last = limit.check(start + Duration::from_millis(500));
        }
        assert_eq!(last, Verdict::Close);
    }
}
