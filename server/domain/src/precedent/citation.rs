//! Citation ids of precedents: `MB:<ORG>:<YEAR>:<N>`, in the spirit of ECLI.

use std::fmt;
use std::str::FromStr;

use serde_with::{DeserializeFromStr, SerializeDisplay};

/// A stable, human-citable precedent id such as `MB:GMUTR:2025:14`: the organisation code
/// (2–12 uppercase ASCII letters or digits), the year of the session and a sequence number
/// within the organisation and year (1 or more, no leading zeros).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, SerializeDisplay, DeserializeFromStr)]
pub struct CitationId {
    org: String,
    year: u16,
    number: u32,
}

/// Why a citation id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CitationError {
    #[error("vindplaats {0:?} heeft niet de vorm MB:<ORGANISATIE>:<JAAR>:<NUMMER>")]
    Format(String),
    #[error("organisatiecode {0:?} moet 2 tot 12 hoofdletters of cijfers zijn")]
    Org(String),
    #[error("jaar {0:?} moet vier cijfers zijn (1000–9999)")]
    Year(String),
    #[error("volgnummer {0:?} moet een geheel getal vanaf 1 zijn, zonder voorloopnullen")]
    Number(String),
}

impl CitationId {
    pub fn new(org: &str, year: u16, number: u32) -> Result<Self, CitationError> {
        if !valid_org(org) {
            return Err(CitationError::Org(org.to_string()));
        }
        if !(1000..=9999).contains(&year) {
            return Err(CitationError::Year(year.to_string()));
        }
        if number == 0 {
            return Err(CitationError::Number(number.to_string()));
        }
        Ok(CitationId { org: org.to_string(), year, number })
    }

    pub fn org(&self) -> &str {
        &self.org
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn number(&self) -> u32 {
        self.number
    }
}

fn valid_org(org: &str) -> bool {
    (2..=12).contains(&org.len()) && org.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

impl FromStr for CitationId {
    type Err = CitationError;

    /// Strict: exactly `MB:ORG:YEAR:N`, no whitespace, uppercase.
    fn from_str(s: &str) -> Result<Self, CitationError> {
        let parts: Vec<&str> = s.split(':').collect();
        let [mb, org, year, number] = parts[..] else {
            return Err(CitationError::Format(s.to_string()));
        };
        if mb != "MB" {
            return Err(CitationError::Format(s.to_string()));
        }
        if !valid_org(org) {
            return Err(CitationError::Org(org.to_string()));
        }
        let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        let year_n: u16 = match year.parse() {
            Ok(y) if year_ok && y >= 1000 => y,
            _ => return Err(CitationError::Year(year.to_string())),
        };
        let number_ok = !number.is_empty()
            && number.len() <= 9
            && number.bytes().all(|b| b.is_ascii_digit())
            && !number.starts_with('0');
        if !number_ok {
            return Err(CitationError::Number(number.to_string()));
        }
        CitationId::new(org, year_n, number.parse().expect("checked digits"))
    }
}

impl fmt::Display for CitationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MB:{}:{}:{}", self.org, self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["MB:GMUTR:2025:14", "MB:AB:2026:1", "MB:ORG123456789:1999:999999999"] {
            assert_eq!(s.parse::<CitationId>().unwrap().to_string(), s);
        }
        let c: CitationId = "MB:GMUTR:2025:14".parse().unwrap();
        assert_eq!((c.org(), c.year(), c.number()), ("GMUTR", 2025, 14));
    }

    #[test]
    fn refuses_malformed_ids() {
        use CitationError::*;
        type Expected = fn(String) -> CitationError;
        let cases: &[(&str, Expected)] = &[
            ("ECLI:NL:CRVB:2021:400", Format),
            ("MB:GMUTR:2025", Format),
            ("mb:GMUTR:2025:14", Format),
            (" MB:GMUTR:2025:14", Format),
            ("MB:gmutr:2025:14", Org),
            ("MB:G:2025:14", Org),
            ("MB:ABCDEFGHIJKLM:2025:14", Org),
            ("MB:GM-UT:2025:14", Org),
            ("MB:GMUTR:25:14", Year),
            ("MB:GMUTR:0999:14", Year),
            ("MB:GMUTR:2025:0", Number),
            ("MB:GMUTR:2025:014", Number),
            ("MB:GMUTR:2025:1a", Number),
            ("MB:GMUTR:2025:", Number),
        ];
        for (s, expected) in cases {
            let err = s.parse::<CitationId>().unwrap_err();
            let part = match &err {
                Format(p) | Org(p) | Year(p) | Number(p) => p.clone(),
            };
            assert_eq!(err, expected(part), "{s}");
        }
    }

    #[test]
    fn serde_as_string() {
        let c: CitationId = serde_json::from_str("\"MB:GMUTR:2025:14\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"MB:GMUTR:2025:14\"");
        assert!(serde_json::from_str::<CitationId>("\"MB:x:1:1\"").is_err());
    }
}
