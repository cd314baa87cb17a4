//! Errors in a method definition, each with a stable code and the JSON path it concerns.

use std::fmt;

use serde::Serialize;

use super::RoundKind;

/// One problem in a method definition.
///
/// `path` points into the JSON, e.g. `rounds[3].minutes` or `name.nl`; it is empty for the
/// document as a whole. The server localises by [`MethodError::code`]; [`fmt::Display`] is English.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MethodError {
    pub path: String,
    #[serde(flatten)]
    pub problem: MethodProblem,
}

/// What is wrong. Serialised with a `code` tag equal to [`MethodProblem::code`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum MethodProblem {
    /// The text is not JSON at all.
    InvalidJson {
        line: usize,
        column: usize,
        message: String,
    },
    WrongType {
        expected: &'static str,
    },
    UnknownField {
        field: String,
    },
    MissingField {
        field: String,
    },
    UnknownValue {
        value: String,
        expected: &'static [&'static str],
    },
    EmptyText,
    TextTooLong {
        max: usize,
        len: usize,
    },
    InvalidKey {
        value: String,
    },
    ReservedKey {
        value: String,
    },
    NoRounds,
    TooManyRounds {
        max: usize,
        count: usize,
    },
    DuplicateRoundKey {
        key: String,
        first: String,
    },
    MinutesOutOfRange {
        value: i128,
        max: u32,
    },
    TotalMinutesTooLong {
        total: u64,
        max: u32,
    },
    MinParticipantsOutOfRange {
        value: i128,
        max: u32,
    },
    /// A `silent_write` round must be hidden until revealed.
    SilentWriteNotHidden,
    /// Questions and round-robin rounds are about hearing each other: they cannot be hidden.
    CannotBeHidden {
        kind: RoundKind,
    },
    /// Round-robin order makes no sense for a hidden round.
    HiddenRoundTakesNoTurns,
    /// A `round_robin` round must have `round_robin` order.
    RoundRobinNeedsTurns,
    /// With a single possible author, a pseudonym hides nothing.
    PseudonymousSingleAuthor,
    /// Only the presenter may contribute, yet the presenter only listens or is absent.
    PresenterCannotContribute,
    /// Only the presenter answers questions; someone else must be able to ask.
    QuestionsNeedAskers,
    /// The last entry of a long list: this many more distinct problems were found but are not
    /// listed (see [`crate::problems::MAX_PROBLEMS_REPORTED`]).
    MoreProblems {
        count: usize,
    },
}

impl MethodProblem {
    /// Stable, machine-readable code; the server localises by it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidJson { .. } => "invalid_json",
            Self::WrongType { .. } => "wrong_type",
            Self::UnknownField { .. } => "unknown_field",
            Self::MissingField { .. } => "missing_field",
            Self::UnknownValue { .. } => "unknown_value",
            Self::EmptyText => "empty_text",
            Self::TextTooLong { .. } => "text_too_long",
            Self::InvalidKey { .. } => "invalid_key",
            Self::ReservedKey { .. } => "reserved_key",
            Self::NoRounds => "no_rounds",
            Self::TooManyRounds { .. } => "too_many_rounds",
            Self::DuplicateRoundKey { .. } => "duplicate_round_key",
            Self::MinutesOutOfRange { .. } => "minutes_out_of_range",
            Self::TotalMinutesTooLong { .. } => "total_minutes_too_long",
            Self::MinParticipantsOutOfRange { .. } => "min_participants_out_of_range",
            Self::SilentWriteNotHidden => "silent_write_not_hidden",
            Self::CannotBeHidden { .. } => "cannot_be_hidden",
            Self::HiddenRoundTakesNoTurns => "hidden_round_takes_no_turns",
            Self::RoundRobinNeedsTurns => "round_robin_needs_turns",
            Self::PseudonymousSingleAuthor => "pseudonymous_single_author",
            Self::PresenterCannotContribute => "presenter_cannot_contribute",
            Self::QuestionsNeedAskers => "questions_need_askers",
            Self::MoreProblems { .. } => "more_problems",
        }
    }
}

impl MethodError {
    pub fn new(path: impl Into<String>, problem: MethodProblem) -> Self {
        Self { path: path.into(), problem }
    }

    pub fn code(&self) -> &'static str {
        self.problem.code()
    }
}

impl fmt::Display for MethodProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidJson {
                line,
                column,
                message,
            } => write!(f, "not valid JSON at line {line}, column {column}: {message}"),
            Self::WrongType { expected } => write!(f, "expected {expected}"),
            Self::UnknownField { field } => write!(f, "unknown field `{field}`"),
            Self::MissingField { field } => write!(f, "missing field `{field}`"),
            Self::UnknownValue { value, expected } => write!(
                f,
                "unknown value `{value}`; expected one of: {}",
                expected.join(", ")
            ),
            Self::EmptyText => write!(f, "must not be empty"),
            Self::TextTooLong { max, len } => {
                write!(f, "too long: {len} characters, at most {max} allowed")
            }
            Self::InvalidKey { value } => write!(
                f,
                "invalid key `{value}`: use 2 to 40 lowercase letters, digits or underscores, starting with a letter"
            ),
            Self::ReservedKey { value } => {
                write!(f, "key `{value}` is taken by a built-in method")
            }
            Self::NoRounds => write!(f, "a method needs at least one round"),
            Self::TooManyRounds { max, count } => {
                write!(f, "{count} rounds, at most {max} allowed")
            }
            Self::DuplicateRoundKey { key, first } => {
                write!(f, "round key `{key}` is already used at {first}")
            }
            Self::MinutesOutOfRange { value, max } => {
                write!(f, "minutes must be between 1 and {max} (got {value})")
            }
            Self::TotalMinutesTooLong { total, max } => write!(
                f,
                "the rounds take {total} minutes in all, at most {max} allowed"
            ),
            Self::MinParticipantsOutOfRange { value, max } => {
                write!(f, "min_participants must be between 1 and {max} (got {value})")
            }
            Self::SilentWriteNotHidden => write!(
                f,
                "a silent_write round must be hidden: reveal must be on_moderator or when_all_submitted"
            ),
            Self::CannotBeHidden { kind } => write!(
                f,
                "a {} round cannot be hidden: reveal must be immediate",
                serde_json::to_value(kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
            Self::HiddenRoundTakesNoTurns => {
                write!(f, "a hidden round cannot have round_robin order")
            }
            Self::RoundRobinNeedsTurns => {
                write!(f, "a round_robin round must have round_robin order")
            }
            Self::PseudonymousSingleAuthor => write!(
                f,
                "a round with a single possible author cannot be pseudonymous"
            ),
            Self::PresenterCannotContribute => write!(
                f,
                "only the presenter may contribute, but the presenter only listens or is absent"
            ),
            Self::QuestionsNeedAskers => write!(
                f,
                "in a questions round the presenter answers: others must be able to ask"
            ),
            Self::MoreProblems { count } => write!(
                f,
                "and {count} more problems (only the first {} are listed)",
                crate::problems::MAX_PROBLEMS_REPORTED
            ),
        }
    }
}

impl fmt::Display for MethodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for MethodError {}
