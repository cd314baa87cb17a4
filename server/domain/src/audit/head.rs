//! The last entry's place and hash, kept apart from the log (the server stores it in its own
//! row, written in the same transaction as every entry). The log alone cannot show that its
//! newest entries were deleted; the head can.

use super::{verify, AuditEntry, ChainBreak, GENESIS};

/// The newest entry's sequence number and hash, as recorded next to the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
}

impl Head {
    /// The head of an empty log.
    pub fn empty() -> Self {
        Head { seq: 0, hash: GENESIS.to_owned() }
    }
}

/// Checks the whole log and that it ends where the head says.
pub fn verify_with_head(entries: &[AuditEntry], head: &Head) -> Result<(), ChainBreak> {
    verify(entries)?;
    let (last_seq, last_hash) = entries.last().map(|e| (e.seq, e.hash.as_str())).unwrap_or((0, GENESIS));
    if last_seq < head.seq {
        return Err(ChainBreak::Missing { expected: last_seq + 1, found: head.seq });
    }
    if last_seq > head.seq || last_hash != head.hash {
        return Err(ChainBreak::Unlinked { seq: last_seq });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{chain, AuditFact};

    fn log(n: u64) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let fact = AuditFact {
                at_ms: i as i64,
                actor: "system".into(),
                action: "admin_created".into(),
                subject: format!("user:{i}"),
                result: "ok".into(),
                origin: "cli".into(),
            };
            let entry = chain(entries.last(), fact);
            entries.push(entry);
        }
        entries
    }

    fn head_of(entries: &[AuditEntry]) -> Head {
        entries.last().map(|e| Head { seq: e.seq, hash: e.hash.clone() }).unwrap_or_else(Head::empty)
    }

    #[test]
    fn a_log_matching_its_head_verifies() {
        let entries = log(3);
        assert_eq!(verify_with_head(&entries, &head_of(&entries)), Ok(()));
        assert_eq!(verify_with_head(&[], &Head::empty()), Ok(()));
    }

    #[test]
    fn deleting_the_newest_entry_is_found() {
        let entries = log(3);
        let head = head_of(&entries);
        assert_eq!(
            verify_with_head(&entries[..2], &head),
            Err(ChainBreak::Missing { expected: 3, found: 3 })
        );
        assert_eq!(verify_with_head(&[], &head), Err(ChainBreak::Missing { expected: 1, found: 3 }));
    }

    #[test]
    fn a_replaced_newest_entry_is_found() {
        let mut entries = log(3);
        let head = head_of(&entries);
        entries[2].fact.result = "denied".into();
        entries[2].hash = crate::audit::entry_hash(&entries[2].prev_hash, 3, &entries[2].fact);
        assert_eq!(verify_with_head(&entries, &head), Err(ChainBreak::Unlinked { seq: 3 }));
    }
}
