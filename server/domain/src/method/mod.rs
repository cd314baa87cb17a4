//! Deliberation methods as data: rounds built from the primitives in shared/domain/METHODS.md.
//!
//! A [`Method`] is an ordered list of [`Round`]s. The built-in methods live in [`builtin`]
//! (one file per method); moderators' own methods arrive as JSON and pass [`validate_custom`].
//! A session keeps a full copy of its method, so later edits never change history.

mod builtin;
mod error;
mod limits;
mod localized;
mod round;
mod rules;
mod validate;

use serde::{Deserialize, Serialize};

pub use builtin::{builtin, builtin_methods, BUILTIN_KEYS, DILEMMA_VARIANTS};
pub use error::{MethodError, MethodProblem};
pub use limits::*;
pub use localized::{Lang, Localized};
pub use round::{Anonymity, Contributors, Order, PresenterView, Reveal, Round, RoundKind};
pub use rules::check_method;
pub use validate::{check_limits, parse_custom, validate_custom, validate_custom_value};

/// Moral case deliberation (moreel beraad) or intervision (intervisie).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Family {
    MoralDeliberation,
    Intervision,
}

/// What a session with this method produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// A decision with its reasoning (dilemma, Nijmegen, CURA).
    Decision,
    /// A list of advice for the presenter (most intervision methods).
    Advice,
    /// Insight into justifications and values only (Socratic dialogue).
    Insight,
}

/// A deliberation method: an ordered list of rounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Method {
    /// `[a-z][a-z0-9_]*`, 2 to 40 characters; unique among methods.
    pub key: String,
    /// For built-ins with variants (the dilemma method's order of steps 3 and 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub name: Localized,
    pub description: Localized,
    pub family: Family,
    pub output: Output,
    /// The fewest participants (presenter included, moderator and observers not) the method
    /// needs; starting with fewer is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_participants: Option<u32>,
    pub rounds: Vec<Round>,
}

impl Method {
    /// The sum of the rounds' suggested minutes.
    pub fn total_minutes(&self) -> u32 {
        self.rounds.iter().map(|r| r.minutes).sum()
    }

    /// The round with this key.
    pub fn round(&self, key: &str) -> Option<&Round> {
        self.rounds.iter().find(|r| r.key == key)
    }
}
