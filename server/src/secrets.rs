//! Secret tokens (participant tokens, invite codes): 256 random bits, URL-safe, stored only as
//! a SHA-256 hash so a database leak does not hand out access.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random token, 43 URL-safe characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The hex SHA-256 of a token, as stored.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A random u64 (e.g. a session's secret seed).
pub fn random_u64() -> u64 {
    rand::rng().next_u64()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = super::new_token();
        let b = super::new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(super::hash(&a).len(), 64);
        assert_ne!(super::hash(&a), a);
    }
}
