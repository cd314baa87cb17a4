//! The pure rules of accounts and sign-in: password length, how long a web session lives, when
//! failed sign-ins are throttled, and which `next` addresses a sign-in may return to.

pub mod next_path;
pub mod password_rule;
pub mod session_timeouts;
pub mod throttle;
