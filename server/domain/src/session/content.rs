//! What participants write: one shape per round kind, with length limits and clear errors.

use serde::{Deserialize, Serialize};

use super::{CommandError, ContributionId};
use crate::method::RoundKind;

/// Longest free text (a narrative, a dialogue contribution, an answer), in characters.
pub const MAX_TEXT: usize = 4000;
/// Longest question, in characters.
pub const MAX_QUESTION: usize = 1000;
/// Longest short field (a matrix cell, an option label, a value), in characters.
pub const MAX_FIELD: usize = 500;
/// Longest "who" of an action, in characters.
pub const MAX_WHO: usize = 120;
/// Most actions in one conclusion.
pub const MAX_ACTIONS: usize = 30;

/// One contribution's content. Which variants a round accepts depends on its kind
/// ([`Content::fits`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Content {
    /// Free text: narrative, silent-write, round-robin, dialogue, look-back, and a candidate in
    /// a selection round; in an options or conclusion round, the moral question or a note.
    Text { text: String },
    /// A question to the presenter.
    Question { text: String },
    /// The presenter's answer to a question of the same round.
    Answer { question_id: ContributionId, text: String },
    /// Stakeholder → perspective → value → norm.
    MatrixRow {
        stakeholder: String,
        #[serde(default)]
        perspective: String,
        #[serde(default)]
        value: String,
        #[serde(default)]
        norm: String,
    },
    /// An option with its moral damage.
    Option { label: String, damage: String },
    /// "I would choose … because of the value … even though this harms … ; I limit the damage
    /// by … ; to do this I need …".
    Choice {
        option: String,
        supporting_value: String,
        harmed_value: String,
        #[serde(default)]
        damage_limitation: String,
        #[serde(default)]
        needs: String,
    },
    /// A vote for a candidate (a text contribution of a selection round).
    Selection { target: ContributionId },
    /// An action with owner and due date.
    Action(ActionItem),
    /// How did it go, what to change.
    Evaluation { text: String },
}

/// An action: what, who, and when (a date, `YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub what: String,
    pub who: String,
    pub when: String,
}

/// The recorded outcome of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusion {
    pub conclusion: String,
    #[serde(default)]
    pub reasoning: String,
    /// A minority position, if any.
    #[serde(default)]
    pub dissent: String,
    #[serde(default)]
    pub actions: Vec<ActionItem>,
}

impl Content {
    /// This content with the contribution id it names (an answer's question, a selection's
    /// candidate) set to [`ContributionId::BLANK`]; `None` when it names none. See
    /// [`super::Command::with_issued_ids_blanked`].
    pub fn with_issued_ids_blanked(&self) -> Option<Content> {
        match self {
            Self::Answer { text, .. } => {
                Some(Self::Answer { question_id: ContributionId::BLANK, text: text.clone() })
            }
            Self::Selection { .. } => Some(Self::Selection { target: ContributionId::BLANK }),
            Self::Text { .. }
            | Self::Question { .. }
            | Self::MatrixRow { .. }
            | Self::Option { .. }
            | Self::Choice { .. }
            | Self::Action(_)
            | Self::Evaluation { .. } => None,
        }
    }

    /// The serde tag of this content, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Question { .. } => "question",
            Self::Answer { .. } => "answer",
            Self::MatrixRow { .. } => "matrix_row",
            Self::Option { .. } => "option",
            Self::Choice { .. } => "choice",
            Self::Selection { .. } => "selection",
            Self::Action(_) => "action",
            Self::Evaluation { .. } => "evaluation",
        }
    }

    /// Whether a round of `kind` accepts this content.
    pub fn fits(&self, kind: RoundKind) -> bool {
        use RoundKind as K;
        match self {
            Self::Text { .. } => matches!(
                kind,
                K::Narrative
                    | K::SilentWrite
                    | K::RoundRobin
                    | K::Dialogue
                    | K::Options
                    | K::Selection
                    | K::Conclusion
                    | K::LookBack
            ),
            Self::Question { .. } | Self::Answer { .. } => kind == K::Questions,
            Self::MatrixRow { .. } => kind == K::Matrix,
            Self::Option { .. } => kind == K::Options,
            Self::Choice { .. } => kind == K::Choice,
            Self::Selection { .. } => kind == K::Selection,
            Self::Action(_) => kind == K::Conclusion,
            Self::Evaluation { .. } => kind == K::Evaluation,
        }
    }

    /// The content with surrounding white space trimmed, or the first problem with it.
    pub fn normalized(self) -> Result<Self, CommandError> {
        Ok(match self {
            Self::Text { text } => Self::Text { text: required("text", text, MAX_TEXT)? },
            Self::Question { text } => Self::Question { text: required("text", text, MAX_QUESTION)? },
            Self::Answer { question_id, text } => {
                Self::Answer { question_id, text: required("text", text, MAX_TEXT)? }
            }
            Self::MatrixRow { stakeholder, perspective, value, norm } => Self::MatrixRow {
                stakeholder: required("stakeholder", stakeholder, MAX_FIELD)?,
                perspective: optional("perspective", perspective, MAX_FIELD)?,
                value: optional("value", value, MAX_FIELD)?,
                norm: optional("norm", norm, MAX_FIELD)?,
            },
            Self::Option { label, damage } => Self::Option {
                label: required("label", label, MAX_FIELD)?,
                damage: required("damage", damage, MAX_FIELD)?,
            },
            Self::Choice { option, supporting_value, harmed_value, damage_limitation, needs } => {
                Self::Choice {
                    option: required("option", option, MAX_FIELD)?,
                    supporting_value: required("supporting_value", supporting_value, MAX_FIELD)?,
                    harmed_value: required("harmed_value", harmed_value, MAX_FIELD)?,
                    damage_limitation: optional("damage_limitation", damage_limitation, MAX_FIELD)?,
                    needs: optional("needs", needs, MAX_FIELD)?,
                }
            }
            Self::Selection { target } => Self::Selection { target },
            Self::Action(action) => Self::Action(action.normalized("")?),
            Self::Evaluation { text } => Self::Evaluation { text: required("text", text, MAX_TEXT)? },
        })
    }
}

impl ActionItem {
    /// Trimmed and checked; `prefix` is prepended to field names in errors (`actions[2].`).
    pub fn normalized(self, prefix: &str) -> Result<Self, CommandError> {
        let field = |name: &str| format!("{prefix}{name}");
        let when = self.when.trim().to_owned();
        if !is_date(&when) {
            return Err(CommandError::InvalidDate { field: field("when"), value: truncate(&when, 40) });
        }
        Ok(Self {
            what: required(&field("what"), self.what, MAX_FIELD)?,
            who: required(&field("who"), self.who, MAX_WHO)?,
            when,
        })
    }
}

impl Conclusion {
    /// Trimmed and checked.
    pub fn normalized(self) -> Result<Self, CommandError> {
        if self.actions.len() > MAX_ACTIONS {
            return Err(CommandError::TooManyItems { field: "actions".into(), max: MAX_ACTIONS });
        }
        Ok(Self {
            conclusion: required("conclusion", self.conclusion, MAX_TEXT)?,
            reasoning: optional("reasoning", self.reasoning, MAX_TEXT)?,
            dissent: optional("dissent", self.dissent, MAX_TEXT)?,
            actions: self
                .actions
                .into_iter()
                .enumerate()
                .map(|(i, a)| a.normalized(&format!("actions[{i}].")))
                .collect::<Result<_, _>>()?,
        })
    }
}

pub(crate) fn required(field: &str, text: String, max: usize) -> Result<String, CommandError> {
    let text = optional(field, text, max)?;
    if text.is_empty() {
        return Err(CommandError::EmptyField { field: field.to_owned() });
    }
    Ok(text)
}

pub(crate) fn optional(field: &str, text: String, max: usize) -> Result<String, CommandError> {
    let trimmed = text.trim();
    let len = trimmed.chars().count();
    if len > max {
        return Err(CommandError::FieldTooLong { field: field.to_owned(), max, len });
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(CommandError::ControlCharacters { field: field.to_owned() });
    }
    Ok(trimmed.to_owned())
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// `YYYY-MM-DD`, a real calendar date between 2000 and 2199.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        s.get(r.clone()).filter(|p| p.bytes().all(|c| c.is_ascii_digit())).and_then(|p| p.parse().ok())
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2000..=2199).contains(&year) && (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2025-03-31"));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2100-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("2025-04-31"));
        assert!(!is_date("2025-4-3"));
        assert!(!is_date("25-04-2025"));
        assert!(!is_date("2025-04-0a"));
        assert!(!is_date("1999-12-31"));
    }

    #[test]
    fn normalizing_trims_and_refuses_empty_and_long_text() {
        let c = Content::Text { text: "  hallo \n".into() };
        assert_eq!(c.normalized().unwrap(), Content::Text { text: "hallo".into() });
        let e = Content::Question { text: "   ".into() }.normalized();
        assert_eq!(e.unwrap_err().code(), "empty_field");
        let e = Content::Question { text: "x".repeat(MAX_QUESTION + 1) }.normalized();
        assert_eq!(e.unwrap_err().code(), "field_too_long");
        let e = Content::Text { text: "a\u{0}b".into() }.normalized();
        assert_eq!(e.unwrap_err().code(), "control_characters");
    }

    #[test]
    fn actions_need_a_real_date() {
        let a = ActionItem { what: "Bellen".into(), who: "Sanne".into(), when: "2025-02-30".into() };
        assert_eq!(Content::Action(a).normalized().unwrap_err().code(), "invalid_date");
    }

    #[test]
    fn content_serialises_with_snake_case_tags() {
        let c = Content::MatrixRow {
            stakeholder: "cliënt".into(),
            perspective: "p".into(),
            value: "v".into(),
            norm: "n".into(),
        };
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["type"], "matrix_row");
        let a = Content::Action(ActionItem { what: "w".into(), who: "x".into(), when: "2025-01-01".into() });
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"type":"action","what":"w","who":"x","when":"2025-01-01"}"#);
        assert_eq!(serde_json::from_str::<Content>(&json).unwrap(), a);
    }
}
