//! References to law articles: `Participatiewet art. 18 lid 2 sub a`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::date::CalendarDate;

/// The law a reference without a law name refers to.
pub const PARTICIPATIEWET: &str = "Participatiewet";
/// The Participatiewet's id in the national law register (wetten.overheid.nl).
pub const PARTICIPATIEWET_BWB: &str = "BWBR0015703";

/// A reference to (part of) a law article. Parse with [`LawRef::parse`]; the canonical
/// display form parses back to the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LawRef {
    /// Canonical law name: `Participatiewet` for the Participatiewet and its aliases,
    /// otherwise as written.
    pub law: String,
    /// Article number with an optional lowercase letter suffix: `18`, `18a`, `22a`.
    pub article: String,
    pub lid: Option<u32>,
    /// Sub-paragraph (onderdeel), lowercase: `a`, `b`, or a number.
    pub sub: Option<String>,
    /// The date the facts refer to, which picks the version of the article in force.
    pub in_force_on: Option<CalendarDate>,
}

/// Why a law reference was refused. Messages are in Dutch for the user; `code()` is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LawRefError {
    #[error("lege wetsverwijzing")]
    Empty,
    #[error("geen artikelnummer gevonden in {0:?} (verwacht bijvoorbeeld \"art. 18 lid 2\")")]
    MissingArticle(String),
    #[error("{0:?} is geen artikelnummer (verwacht cijfers, eventueel met een letter: 18, 18a)")]
    InvalidArticle(String),
    #[error("{0:?} is geen geldig lid (verwacht bijvoorbeeld \"lid 2\" of \"tweede lid\")")]
    InvalidLid(String),
    #[error("{0:?} is geen geldig onderdeel (verwacht bijvoorbeeld \"sub a\")")]
    InvalidSub(String),
    #[error("{0:?} is geen geldige datum (verwacht JJJJ-MM-DD)")]
    InvalidDate(String),
    #[error("onverwacht {0:?} in de wetsverwijzing")]
    Unexpected(String),
}

impl LawRefError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LawRefError::Empty => "law_ref_empty",
            LawRefError::MissingArticle(_) => "law_ref_missing_article",
            LawRefError::InvalidArticle(_) => "law_ref_invalid_article",
            LawRefError::InvalidLid(_) => "law_ref_invalid_lid",
            LawRefError::InvalidSub(_) => "law_ref_invalid_sub",
            LawRefError::InvalidDate(_) => "law_ref_invalid_date",
            LawRefError::Unexpected(_) => "law_ref_unexpected",
        }
    }
}

const ORDINALS: &[&str] =
    &["eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende"];

const ARTICLE_WORDS: &[&str] = &["art", "art.", "artikel"];
const SUB_WORDS: &[&str] = &["sub", "onder", "onderdeel", "letter"];

/// Canonical name for a law alias, compared case-insensitively.
fn canonical_law(name: &str) -> String {
    let lower = name.to_lowercase();
    match lower.as_str() {
        "pw" | "participatiewet" | "participatiewet (pw)" => PARTICIPATIEWET.to_string(),
        _ => name.to_string(),
    }
}

/// `18`, `18a`, `22a` (the letter lowercased), at most 4 digits and 2 letters.
fn parse_article(s: &str) -> Option<String> {
    let s = s.to_lowercase();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let letters = &s[digits..];
    let ok = (1..=4).contains(&digits)
        && !s.starts_with('0')
        && letters.len() <= 2
        && letters.bytes().all(|b| b.is_ascii_lowercase());
    ok.then_some(s)
}

/// `2`, or an ordinal `2e`, `2de`, `tweede`.
fn parse_lid_number(s: &str, ordinal: bool) -> Option<u32> {
    let s = s.to_lowercase();
    if ordinal {
        if let Some(i) = ORDINALS.iter().position(|o| *o == s) {
            return Some(i as u32 + 1);
        }
        let digits = s.strip_suffix("de").or_else(|| s.strip_suffix('e'))?;
        return parse_plain_number(digits);
    }
    parse_plain_number(&s)
}

fn parse_plain_number(s: &str) -> Option<u32> {
    let ok = !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    ok.then(|| s.parse().expect("digits"))
}

/// `a`, `b.`, `1°` → `a`, `b`, `1`.
fn parse_sub(s: &str) -> Option<String> {
    let s = s.trim_end_matches(['.', '°', ')']).to_lowercase();
    let letters = !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_lowercase());
    let number = parse_plain_number(&s).is_some();
    (letters || number).then_some(s)
}

fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in s.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == ';') {
        if w.is_empty() {
            continue;
        }
        let lower = w.to_lowercase();
        // "art.18" → "art." "18"
        if let Some(rest) = lower.strip_prefix("art.").filter(|r| !r.is_empty()) {
            out.push("art.".to_string());
            out.push(rest.to_string());
        } else {
            out.push(w.to_string());
        }
    }
    out
}

impl LawRef {
    /// A reference to a whole article of the Participatiewet.
    pub fn participatiewet(article: &str) -> Result<Self, LawRefError> {
        let article =
            parse_article(article).ok_or_else(|| LawRefError::InvalidArticle(article.to_string()))?;
        Ok(LawRef { law: PARTICIPATIEWET.to_string(), article, lid: None, sub: None, in_force_on: None })
    }

    /// Parses the ways people write references:
    /// `Participatiewet art. 18 lid 2`, `art. 18 lid 2`, `artikel 18, tweede lid`,
    /// `art. 18 lid 2 sub a`, `art. 18, tweede lid, onder a`, `18a`, `Pw 18 lid 2`,
    /// `art. 18 2e lid`, optionally followed by `geldend op 2026-01-01` or `per 2026-01-01`.
    /// Without a law name the law is the Participatiewet; `Pw`/`PW` are aliases. Another law
    /// is written before `art.`/`artikel` (`Wet maatschappelijke ondersteuning 2015 art. 2.3.5`
    /// is refused: article numbers here are digits with an optional letter).
    pub fn parse(s: &str) -> Result<Self, LawRefError> {
        let ws = words(s);
        if ws.is_empty() {
            return Err(LawRefError::Empty);
        }
        let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
        let (law_words, article_at) = match lower.iter().position(|w| ARTICLE_WORDS.contains(&w.as_str())) {
            Some(k) => (&ws[..k], k + 1),
            None => {
                // No keyword: the first word that is an article number.
                let k = ws
                    .iter()
                    .position(|w| parse_article(w).is_some())
                    .ok_or_else(|| LawRefError::MissingArticle(s.trim().to_string()))?;
                // Without the keyword only the Participatiewet's names may precede the number
                // ("Pw 18 lid 2"); anything else ("lid 2") has no article.
                let law_words = &ws[..k];
                if !law_words.is_empty() && canonical_law(&law_words.join(" ")) != PARTICIPATIEWET {
                    return Err(LawRefError::MissingArticle(s.trim().to_string()));
                }
                (law_words, k)
            }
        };
        let article_word =
            ws.get(article_at).ok_or_else(|| LawRefError::MissingArticle(s.trim().to_string()))?;
        let article =
            parse_article(article_word).ok_or_else(|| LawRefError::InvalidArticle(article_word.clone()))?;
        let law = if law_words.is_empty() {
            PARTICIPATIEWET.to_string()
        } else {
            canonical_law(&law_words.join(" "))
        };
        let mut r = LawRef { law, article, lid: None, sub: None, in_force_on: None };
        let mut i = article_at + 1;
        while i < ws.len() {
            let w = lower[i].as_str();
            let next = ws.get(i + 1);
            match w {
                "lid" if r.lid.is_none() => {
                    let n = next.ok_or_else(|| LawRefError::InvalidLid("lid".into()))?;
                    r.lid =
                        Some(parse_lid_number(n, false).ok_or_else(|| LawRefError::InvalidLid(n.clone()))?);
                    i += 2;
                }
                _ if SUB_WORDS.contains(&w) && r.sub.is_none() => {
                    let n = next.ok_or_else(|| LawRefError::InvalidSub(ws[i].clone()))?;
                    r.sub = Some(parse_sub(n).ok_or_else(|| LawRefError::InvalidSub(n.clone()))?);
                    i += 2;
                }
                "per" | "geldend" => {
                    let mut j = i + 1;
                    if w == "geldend" && lower.get(j).map(String::as_str) == Some("op") {
                        j += 1;
                    }
                    let d = ws.get(j).ok_or_else(|| LawRefError::InvalidDate(ws[i].clone()))?;
                    r.in_force_on = Some(d.parse().map_err(|_| LawRefError::InvalidDate(d.clone()))?);
                    i = j + 1;
                }
                _ if r.lid.is_none() && lower.get(i + 1).map(String::as_str) == Some("lid") => {
                    r.lid = Some(
                        parse_lid_number(w, true).ok_or_else(|| LawRefError::InvalidLid(ws[i].clone()))?,
                    );
                    i += 2;
                }
                // A law name after the reference ("art 18 lid 4 PW"), as people often write it:
                // only when none came before, and only the rest of the words.
                _ if law_words.is_empty() && i > article_at => {
                    let rest = ws[i..].join(" ");
                    if canonical_law(&rest) != PARTICIPATIEWET {
                        return Err(LawRefError::Unexpected(ws[i].clone()));
                    }
                    i = ws.len();
                }
                _ => return Err(LawRefError::Unexpected(ws[i].clone())),
            }
        }
        Ok(r)
    }

    /// Whether the law is the Participatiewet.
    pub fn is_participatiewet(&self) -> bool {
        self.law == PARTICIPATIEWET
    }

    /// Whether `candidate` falls under `filter`: same law (case-insensitive, aliases
    /// resolved), same article exactly (`18` does not match `18a`), and the filter's lid and
    /// sub, where given, equal. A filter `art. 18` matches `art. 18 lid 2 sub a`; a filter
    /// `art. 18 lid 2` does not match `art. 18` (that reference may be about another lid).
    /// Dates are not compared.
    pub fn matches(filter: &LawRef, candidate: &LawRef) -> bool {
        canonical_law(&filter.law).to_lowercase() == canonical_law(&candidate.law).to_lowercase()
            && filter.article.eq_ignore_ascii_case(&candidate.article)
            && filter.lid.is_none_or(|l| candidate.lid == Some(l))
            && filter.sub.as_ref().is_none_or(|s| candidate.sub.as_deref() == Some(s))
    }

    /// A key to store next to the precedent and filter on by prefix:
    /// `participatiewet/18/`, `participatiewet/18/2/`, `participatiewet/18/2/a/`. Every level
    /// ends in `/`, so the key of a filter is a prefix exactly of the keys it
    /// [`matches`](LawRef::matches) (`participatiewet/18/` is no prefix of
    /// `participatiewet/18a/`). A sub without a lid uses `-` for the lid level; filter such a
    /// reference with [`LawRef::matches`] rather than by prefix.
    pub fn index_key(&self) -> String {
        let mut key = format!("{}/{}/", law_slug(&self.law), self.article.to_lowercase());
        match (&self.lid, &self.sub) {
            (Some(l), Some(s)) => key.push_str(&format!("{l}/{s}/")),
            (Some(l), None) => key.push_str(&format!("{l}/")),
            (None, Some(s)) => key.push_str(&format!("-/{s}/")),
            (None, None) => {}
        }
        key
    }

    /// The article-level reference (lid, sub and date dropped), for facets.
    pub fn article_only(&self) -> LawRef {
        LawRef {
            law: self.law.clone(),
            article: self.article.clone(),
            lid: None,
            sub: None,
            in_force_on: None,
        }
    }

    /// A Juriconnect reference (`jci1.3:c:BWBR0015703&artikel=18&lid=2&g=2026-01-01`) for the
    /// Participatiewet; `None` for laws whose register id is not known here.
    pub fn to_juriconnect(&self) -> Option<String> {
        if !self.is_participatiewet() {
            return None;
        }
        let mut s = format!("jci1.3:c:{PARTICIPATIEWET_BWB}&artikel={}", self.article);
        if let Some(l) = self.lid {
            s.push_str(&format!("&lid={l}"));
        }
        if let Some(sub) = &self.sub {
            s.push_str(&format!("&onderdeel={sub}"));
        }
        if let Some(d) = self.in_force_on {
            s.push_str(&format!("&g={d}"));
        }
        Some(s)
    }
}

/// The law name for keys: lowercase, runs of anything but letters and digits become `-`.
fn law_slug(law: &str) -> String {
    let mut out = String::new();
    for part in canonical_law(law).split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&crate::text::fold(part));
    }
    out
}

impl fmt::Display for LawRef {
    /// Canonical form: `Participatiewet art. 18 lid 2 sub a geldend op 2026-01-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} art. {}", self.law, self.article)?;
        if let Some(l) = self.lid {
            write!(f, " lid {l}")?;
        }
        if let Some(s) = &self.sub {
            write!(f, " sub {s}")?;
        }
        if let Some(d) = self.in_force_on {
            write!(f, " geldend op {d}")?;
        }
        Ok(())
    }
}

impl FromStr for LawRef {
    type Err = LawRefError;

    fn from_str(s: &str) -> Result<Self, LawRefError> {
        LawRef::parse(s)
    }
}

impl Serialize for LawRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LawRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        LawRef::parse(&s).map_err(serde::de::Error::custom)
    }
}
