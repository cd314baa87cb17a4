//! Identifiers: participants, client-made contribution ids, and contribution ids.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::scramble::permute64;

/// An opaque participant identity given by the server (a user id, a guest token id).
/// Never shown to peers in a pseudonymous round.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ParticipantId(pub String);

impl ParticipantId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id a client makes for each contribution, so a resend is recognised and not duplicated.
/// Only its author ever receives it back.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(pub String);

impl ClientId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Identifies a contribution within its session.
///
/// Derived from the event's sequence number through a keyed permutation
/// ([`ContributionId::derive`]) with the session's secret seed: unique per session, stable, and
/// without the seed it reveals neither the order nor the moment of writing. That matters for
/// silent rounds: peers see anonymous "submitted" counts with sequence numbers, and must not be
/// able to match a revealed contribution to one of those moments. Serialised as 16 hex digits
/// (a JSON number would lose precision in browsers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContributionId(pub u64);

impl ContributionId {
    /// An id no contribution has in practice ([`Command::with_issued_ids_blanked`]): sixteen
    /// zeros, which hold no BSN or IBAN.
    ///
    /// [`Command::with_issued_ids_blanked`]: super::Command::with_issued_ids_blanked
    pub const BLANK: ContributionId = ContributionId(0);

    /// The id of the contribution appended at `seq` in a session with secret `seed`.
    pub fn derive(seed: u64, seq: u64) -> Self {
        Self(permute64(seed, seq))
    }
}

/// Sixteen lower-case hex digits (`{:016x}`), written without the formatter's padding machinery:
/// every event and acknowledgement carries one.
impl fmt::Display for ContributionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 16];
        for (i, digit) in hex.iter_mut().enumerate() {
            *digit = DIGITS[((self.0 >> (60 - 4 * i)) & 0xf) as usize];
        }
        f.write_str(std::str::from_utf8(&hex).expect("hex digits are ASCII"))
    }
}

impl std::str::FromStr for ContributionId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        u64::from_str_radix(s, 16).map(Self)
    }
}

impl Serialize for ContributionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ContributionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        if s.len() != 16 {
            return Err(de::Error::custom("a contribution id has 16 hex digits"));
        }
        s.parse().map_err(de::Error::custom)
    }
}
