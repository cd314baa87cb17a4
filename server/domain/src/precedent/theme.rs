//! The controlled vocabulary of themes, and free tags.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::fold;

macro_rules! themes {
    ($($variant:ident => $label:literal),+ $(,)?) => {
        /// A theme from the controlled vocabulary (PRECEDENTS.md). Serialised as its label.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Theme { $($variant),+ }

        impl Theme {
            /// Every theme, in the order of the vocabulary.
            pub const ALL: &'static [Theme] = &[$(Theme::$variant),+];

            /// The Dutch label, as shown and stored: `"dringende redenen"`.
            pub fn label(self) -> &'static str {
                match self { $(Theme::$variant => $label),+ }
            }
        }
    };
}

themes! {
    Arbeidsverplichting => "arbeidsverplichting",
    Ontheffing => "ontheffing",
    Inlichtingenplicht => "inlichtingenplicht",
    Maatwerk => "maatwerk",
    Verlaging => "verlaging",
    DringendeRedenen => "dringende redenen",
    Verwijtbaarheid => "verwijtbaarheid",
    Boete => "boete",
    Waarschuwing => "waarschuwing",
    BijzondereBijstand => "bijzondere bijstand",
    Inkomenstoeslag => "inkomenstoeslag",
    Terugvordering => "terugvordering",
    Verrekening => "verrekening",
    Kostendelersnorm => "kostendelersnorm",
    GezamenlijkeHuishouding => "gezamenlijke huishouding",
    Giften => "giften",
    Vermogen => "vermogen",
    Jongeren => "jongeren",
    Taaleis => "taaleis",
    Evenredigheid => "evenredigheid",
}

/// A label that is not in the controlled vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is geen thema uit de vaste lijst")]
pub struct UnknownTheme(pub String);

impl FromStr for Theme {
    type Err = UnknownTheme;

    /// Matches the label case- and diacritics-insensitively, ignoring extra whitespace.
    fn from_str(s: &str) -> Result<Self, UnknownTheme> {
        let key = tag_key(s);
        Theme::ALL
            .iter()
            .copied()
            .find(|t| tag_key(t.label()) == key)
            .ok_or_else(|| UnknownTheme(s.to_string()))
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Theme {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

impl<'de> Deserialize<'de> for Theme {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Longest free tag kept, in chars; longer tags are cut.
pub const MAX_TAG_CHARS: usize = 60;

/// Normalises one free tag: trimmed, lowercase, inner whitespace collapsed to one space, at
/// most [`MAX_TAG_CHARS`] chars. Diacritics are kept (they are shown); `None` when empty.
pub fn normalise_tag(tag: &str) -> Option<String> {
    let t: String = tag
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .take(MAX_TAG_CHARS)
        .collect();
    let t = t.trim_end().to_string();
    (!t.is_empty()).then_some(t)
}

/// The comparison key of a tag: folded words joined by one space (`Cliënt ` ≡ `client`).
fn tag_key(tag: &str) -> String {
    tag.split_whitespace().map(fold).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Normalises free tags ([`normalise_tag`]) and removes empty ones and duplicates (compared
/// case- and diacritics-insensitively; the first spelling wins), keeping their order. Linear:
/// seen keys are kept in a set.
pub fn normalise_tags<I, S>(tags: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out: Vec<String> = Vec::new();
    let mut keys: HashSet<String> = HashSet::new();
    for t in tags {
        if let Some(n) = normalise_tag(t.as_ref()) {
            if keys.insert(tag_key(&n)) {
                out.push(n);
            }
        }
    }
    out
}

/// Splits tags into controlled themes and the remaining free tags (normalised, deduplicated):
/// an imported tag `Terugvordering` becomes the theme, `fout gemeente` stays a tag.
pub fn split_themes<I, S>(tags: I) -> (Vec<Theme>, Vec<String>)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut themes = Vec::new();
    let mut free = Vec::new();
    for t in normalise_tags(tags) {
        match t.parse::<Theme>() {
            Ok(theme) if !themes.contains(&theme) => themes.push(theme),
            Ok(_) => {}
            Err(_) => free.push(t),
        }
    }
    (themes, free)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_has_the_twenty_themes_with_unique_labels() {
        assert_eq!(Theme::ALL.len(), 20);
        for t in Theme::ALL {
            assert_eq!(t.label().parse::<Theme>(), Ok(*t));
            assert_eq!(Theme::ALL.iter().filter(|u| u.label() == t.label()).count(), 1);
        }
    }

    #[test]
    fn parsing_is_lenient_about_case_space_and_accents() {
        assert_eq!("  Dringende   Redenen ".parse(), Ok(Theme::DringendeRedenen));
        assert_eq!("BOETE".parse(), Ok(Theme::Boete));
        assert_eq!("maatwerk (18 lid 1)".parse::<Theme>(), Err(UnknownTheme("maatwerk (18 lid 1)".into())));
        assert!("mantelzorg".parse::<Theme>().is_err());
    }

    #[test]
    fn serde_uses_the_label() {
        assert_eq!(serde_json::to_string(&Theme::BijzondereBijstand).unwrap(), "\"bijzondere bijstand\"");
        assert_eq!(serde_json::from_str::<Theme>("\"taaleis\"").unwrap(), Theme::Taaleis);
        assert!(serde_json::from_str::<Theme>("\"iets\"").is_err());
    }

    #[test]
    fn tags_are_trimmed_lowercased_and_deduplicated() {
        assert_eq!(
            normalise_tags([" Mantelzorg ", "mantelzorg", "", "  ", "Fout   gemeente", "Cliënt", "client"]),
            ["mantelzorg", "fout gemeente", "cliënt"]
        );
        assert_eq!(normalise_tag(&"x".repeat(100)).unwrap().chars().count(), MAX_TAG_CHARS);
    }

    #[test]
    fn themes_are_split_from_free_tags() {
        let (themes, free) = split_themes(["terugvordering", "fout gemeente", "Terugvordering", "Boete"]);
        assert_eq!(themes, [Theme::Terugvordering, Theme::Boete]);
        assert_eq!(free, ["fout gemeente"]);
    }
}
