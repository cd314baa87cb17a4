//! Password hashing: argon2id with the OWASP parameters (19 MiB memory, 2 passes, 1 lane),
//! stored as PHC strings. Hashing is deliberately slow, so it runs on the bounded CPU pool
//! ([`crate::cpu`]): never on the async workers, and a few at a time.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

/// OWASP's recommended argon2id parameters: m = 19456 KiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `password` with a fresh random salt (blocking; see [`hash`]).
pub fn hash_blocking(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    argon2().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
}

/// Whether `password` matches `phc` (blocking). `None` (an account without a password, or none
/// at all) is checked against a dummy hash, so it takes as long as a real check and fails.
pub fn verify_blocking(password: &str, phc: Option<&str>) -> bool {
    // Made on first use whichever way: the first check costs the same for known and unknown.
    let dummy = dummy_hash();
    let (phc, real) = match phc {
        Some(p) => (p, true),
        None => (dummy, false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    argon2().verify_password(password.as_bytes(), &parsed).is_ok() && real
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking(&crate::secrets::new_token()))
}

/// [`hash_blocking`] on the CPU pool.
pub async fn hash(password: String) -> String {
    crate::cpu::run(move || hash_blocking(&password)).await
}

/// [`verify_blocking`] on the CPU pool.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    crate::cpu::run(move || verify_blocking(&password, phc.as_deref())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_with_owasp_parameters_round_trips() {
        let phc = hash_blocking("correct horse battery");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking("correct horse battery", Some(&phc)));
        assert!(!verify_blocking("correct horse batterij", Some(&phc)));
        assert!(!verify_blocking("anything", None));
        assert!(!verify_blocking("anything", Some("not a hash")));
        assert_ne!(hash_blocking("same"), hash_blocking("same"), "salted");
    }
}
