//! The precedent record: one concluded deliberation, in one structure.

use serde::{Deserialize, Serialize};

use super::citation::CitationId;
use super::date::CalendarDate;
use super::law_ref::LawRef;
use super::outcome::{OutcomeType, Status};
use super::theme::Theme;

/// A precedent (moresprudentie), with the fields of PRECEDENTS.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Precedent {
    /// Assigned on adoption and never changed; `None` while a draft.
    #[serde(default)]
    pub citation: Option<CitationId>,
    /// The importer's own reference (`ref` in the import format), returned by search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_ref: Option<String>,
    /// Date of the session.
    pub session_date: Option<CalendarDate>,
    /// Date the record was adopted (vastgesteld).
    pub adopted_on: Option<CalendarDate>,
    /// Version of the record, from 1; a correction after adoption adds one.
    pub version: u32,
    pub method: MethodUsed,
    pub team: String,
    #[serde(default)]
    pub organisation: Option<String>,
    pub title: String,
    /// Inhoudsindicatie: 1–5 sentences, headline first.
    pub summary: String,
    /// The anonymised case, focused on the moment of heat.
    pub case_text: String,
    pub moral_question: String,
    /// For a dilemma: the options with the damage of each.
    #[serde(default)]
    pub options: Vec<DilemmaOption>,
    #[serde(default)]
    pub perspectives: Vec<PerspectiveRow>,
    #[serde(default)]
    pub alternatives: Vec<String>,
    #[serde(default)]
    pub positions: Vec<Position>,
    #[serde(default)]
    pub dialogue: Dialogue,
    /// The outcome.
    pub conclusion: String,
    /// Its justification (onderbouwing).
    pub reasoning: String,
    /// Values the deliberation weighed and that support the positions taken (from the
    /// import's `values`).
    #[serde(default)]
    pub values: Vec<String>,
    /// Values the positions taken harm, kept apart from those that support them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub harmed_values: Vec<String>,
    /// Minority positions, recorded as such.
    #[serde(default)]
    pub dissent: Vec<Dissent>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub law_refs: Vec<LawRef>,
    /// Local ordinances by CVDR id (e.g. `CVDR123456`).
    #[serde(default)]
    pub local_ordinances: Vec<String>,
    #[serde(default)]
    pub related_precedents: Vec<RelatedPrecedent>,
    #[serde(default)]
    pub court_rulings: Vec<CourtRuling>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// Free tags, normalised with [`super::normalise_tags`].
    #[serde(default)]
    pub tags: Vec<String>,
    pub outcome: OutcomeType,
    /// How the session went.
    #[serde(default)]
    pub evaluation: Option<String>,
    #[serde(default)]
    pub anonymisation_review: Option<AnonymisationReview>,
    pub status: Status,
    /// Audit trail of status changes, oldest first.
    #[serde(default)]
    pub status_history: Vec<StatusChange>,
}

/// Which method and variant ran (ids as in the `method` module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MethodUsed {
    pub method: String,
    #[serde(default)]
    pub variant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DilemmaOption {
    /// E.g. "A: volledig terugvorderen".
    pub label: String,
    /// The damage of choosing it.
    pub damage: String,
}

/// A stakeholder → perspective → value → norm row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PerspectiveRow {
    pub stakeholder: String,
    pub perspective: String,
    pub value: String,
    pub norm: String,
}

/// One participant's position, under a pseudonym ("deelnemer 3") unless named by choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub pseudonym: String,
    pub choice: String,
    pub value: String,
    pub damage: String,
    pub damage_limitation: String,
    pub needs: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dialogue {
    #[serde(default)]
    pub similarities: Vec<String>,
    #[serde(default)]
    pub differences: Vec<String>,
}

/// A minority position with its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Dissent {
    pub position: String,
    #[serde(default)]
    pub values: Vec<String>,
}

/// A follow-up action: what, who (a role), when; later whether it was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub what: String,
    pub who: String,
    #[serde(default)]
    pub when: Option<CalendarDate>,
    /// `None` until someone records the result.
    #[serde(default)]
    pub done: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Follows,
    DeviatesFrom,
    Refines,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RelatedPrecedent {
    pub relation: Relation,
    pub citation: CitationId,
}

/// A related court ruling, e.g. `ECLI:NL:CRVB:2021:400`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CourtRuling {
    pub ecli: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Who reviewed the anonymisation, when, and what was found and resolved. The findings
/// themselves belong to the anonymisation module; the record keeps the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnonymisationReview {
    pub reviewer: String,
    pub reviewed_on: CalendarDate,
    pub findings: u32,
    pub resolution: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: Status,
    pub on: CalendarDate,
    /// Role or name of who changed it.
    pub by: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A well-formed ECLI: `ECLI:<country>:<court>:<year>:<number>`.
pub fn is_ecli(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    matches!(parts[..], [e, country, court, year, number]
        if e == "ECLI"
            && country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())
            && (1..=7).contains(&court.len()) && court.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
            && (1..=25).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))
}

/// The text of a precedent as the search index sees it: the title field and the body field
/// (everything else that is prose), each to be indexed with [`crate::text::index_terms`]
/// and [`crate::text::index_words`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    pub title: String,
    pub body: String,
}

impl Precedent {
    /// The searchable text: title; body = summary, case, question, options, perspectives,
    /// alternatives, conclusion, reasoning, values, dissent, themes and tags, one per line.
    pub fn search_text(&self) -> SearchText {
        let mut body: Vec<&str> = vec![&self.summary, &self.case_text, &self.moral_question];
        for o in &self.options {
            body.extend([o.label.as_str(), o.damage.as_str()]);
        }
        for p in &self.perspectives {
            body.extend([p.stakeholder.as_str(), p.perspective.as_str(), p.value.as_str(), p.norm.as_str()]);
        }
        body.extend(self.alternatives.iter().map(String::as_str));
        body.extend([self.conclusion.as_str(), self.reasoning.as_str()]);
        body.extend(self.values.iter().map(String::as_str));
        body.extend(self.harmed_values.iter().map(String::as_str));
        for d in &self.dissent {
            body.push(&d.position);
            body.extend(d.values.iter().map(String::as_str));
        }
        body.extend(self.themes.iter().map(|t| t.label()));
        body.extend(self.tags.iter().map(String::as_str));
        body.retain(|s| !s.trim().is_empty());
        SearchText { title: self.title.clone(), body: body.join("\n") }
    }

    /// The law index keys ([`LawRef::index_key`]) to store for filtering.
    pub fn law_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.law_refs.iter().map(LawRef::index_key).collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecli_shape() {
        assert!(is_ecli("ECLI:NL:CRVB:2021:400"));
        assert!(is_ecli("ECLI:NL:RBAMS:2020:1234"));
        assert!(!is_ecli("ECLI:NL:CRVB:21:400"));
        assert!(!is_ecli("ecli:NL:CRVB:2021:400"));
        assert!(!is_ecli("17/1495 PW"));
        assert!(!is_ecli("ECLI:NL:CRVB:2021"));
    }
}
