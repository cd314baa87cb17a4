//! The kinds of identifying data the scanner reports.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kind of an identifier. The serialised names are fixed by
/// `shared/domain/ANONYMISATION.md` and must not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Bsn,
    Iban,
    Email,
    Phone,
    Postcode,
    Address,
    Dob,
    Name,
    Plate,
}

impl Kind {
    /// Every kind, in the order of the table in ANONYMISATION.md.
    pub const ALL: [Kind; 9] = [
        Kind::Bsn,
        Kind::Iban,
        Kind::Email,
        Kind::Phone,
        Kind::Postcode,
        Kind::Address,
        Kind::Dob,
        Kind::Name,
        Kind::Plate,
    ];

    /// The fixed lowercase name (`"bsn"`, `"iban"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bsn => "bsn",
            Kind::Iban => "iban",
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Postcode => "postcode",
            Kind::Address => "address",
            Kind::Dob => "dob",
            Kind::Name => "name",
            Kind::Plate => "plate",
        }
    }

    /// Hard identifiers make a text unacceptable wherever it enters (BSN, IBAN).
    pub fn is_hard(self) -> bool {
        matches!(self, Kind::Bsn | Kind::Iban)
    }

    /// Whether the review may keep a finding of this kind (with a reason) instead of replacing
    /// it. The one rule the review (`review.rs`), the API's findings (`Finding::keepable`) and
    /// so the editor follow: a BSN or IBAN can only be replaced.
    pub fn can_be_kept(self) -> bool {
        !self.is_hard()
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unknown kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown identifier kind {0:?}")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for kind in Kind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<Kind>(&json).unwrap(), kind);
            assert_eq!(kind.as_str().parse::<Kind>().unwrap(), kind);
        }
        assert!("BSN".parse::<Kind>().is_err());
    }

    #[test]
    fn only_bsn_and_iban_are_hard() {
        let hard: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_hard()).collect();
        assert_eq!(hard, vec![Kind::Bsn, Kind::Iban]);
    }
}
