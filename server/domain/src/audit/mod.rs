//! The audit log's tamper evidence: every entry carries the hash of the one before it, so an
//! edited entry no longer matches its hash and a deleted one breaks the sequence or the link.
//! Entries record who did what, when, with what result and from where — never case content.

pub mod head;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited fact, before it is chained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFact {
    pub at_ms: i64,
    /// Who: a user id, a guest id, or "system".
    pub actor: String,
    /// What, e.g. "sign_in", "role_changed", "session_created", "precedent_adopted", "export".
    pub action: String,
    /// The object, e.g. a session id or citation id; never case text.
    pub subject: String,
    /// "ok", "denied", "failed", …
    pub result: String,
    /// Where from: the client address.
    pub origin: String,
}

/// A stored entry: the fact, its place in the chain and the hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    #[serde(flatten)]
    pub fact: AuditFact,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash, the sequence number and the fact's
/// fields, each length-prefixed so no two different entries hash alike by shifting text.
pub fn entry_hash(prev_hash: &str, seq: u64, fact: &AuditFact) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        &fact.at_ms.to_string(),
        &fact.actor,
        &fact.action,
        &fact.subject,
        &fact.result,
        &fact.origin,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The entry that follows `prev` (or starts the log).
pub fn chain(prev: Option<&AuditEntry>, fact: AuditFact) -> AuditEntry {
    let (seq, prev_hash) = match prev {
        Some(p) => (p.seq + 1, p.hash.clone()),
        None => (1, GENESIS.to_owned()),
    };
    let hash = entry_hash(&prev_hash, seq, &fact);
    AuditEntry { seq, fact, prev_hash, hash }
}

/// What `verify` found wrong, at which sequence number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq} was changed: its content no longer matches its hash")]
    Edited { seq: u64 },
    #[error("entry {expected} is missing (the log jumps to {found})")]
    Missing { expected: u64, found: u64 },
    #[error("entry {seq} does not link to the entry before it")]
    Unlinked { seq: u64 },
}

/// Checks a whole log, in order. Deleting the newest entries cannot be seen from the log
/// alone; the server also keeps the last hash elsewhere (see its audit module).
pub fn verify(entries: &[AuditEntry]) -> Result<(), ChainBreak> {
    let mut prev_hash = GENESIS.to_owned();
    for (i, entry) in entries.iter().enumerate() {
        let expected = i as u64 + 1;
        if entry.seq != expected {
            return Err(ChainBreak::Missing { expected, found: entry.seq });
        }
        if entry.prev_hash != prev_hash {
            return Err(ChainBreak::Unlinked { seq: entry.seq });
        }
        if entry_hash(&entry.prev_hash, entry.seq, &entry.fact) != entry.hash {
            return Err(ChainBreak::Edited { seq: entry.seq });
        }
        prev_hash = entry.hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(n: usize) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let fact = AuditFact {
                at_ms: 1_000 + i as i64,
                actor: format!("u-{i}"),
                action: "sign_in".into(),
                subject: String::new(),
                result: "ok".into(),
                origin: "127.0.0.1".into(),
            };
            let entry = chain(entries.last(), fact);
            entries.push(entry);
        }
        entries
    }

    #[test]
    fn an_untouched_log_verifies() {
        assert_eq!(verify(&log(5)), Ok(()));
        assert_eq!(verify(&[]), Ok(()));
    }

    #[test]
    fn an_edited_entry_is_found() {
        let mut entries = log(5);
        entries[2].fact.result = "denied".into();
        assert_eq!(verify(&entries), Err(ChainBreak::Edited { seq: 3 }));
    }

    #[test]
    fn an_edit_with_a_recomputed_hash_breaks_the_next_link() {
        let mut entries = log(5);
        entries[2].fact.actor = "someone-else".into();
        entries[2].hash = entry_hash(&entries[2].prev_hash, 3, &entries[2].fact);
        assert_eq!(verify(&entries), Err(ChainBreak::Unlinked { seq: 4 }));
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut entries = log(5);
        entries.remove(1);
        assert_eq!(verify(&entries), Err(ChainBreak::Missing { expected: 2, found: 3 }));
    }

    #[test]
    fn length_prefixes_keep_fields_apart() {
        let a = AuditFact {
            at_ms: 1,
            actor: "ab".into(),
            action: "c".into(),
            subject: String::new(),
            result: String::new(),
            origin: String::new(),
        };
        let b = AuditFact { actor: "a".into(), action: "bc".into(), ..a.clone() };
        assert_ne!(entry_hash(GENESIS, 1, &a), entry_hash(GENESIS, 1, &b));
    }
}
