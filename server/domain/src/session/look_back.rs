//! The look-back step: a session of a team opens by looking back on the actions agreed last
//! time (`previous_actions`, given at creation) and records what became of each, as
//! `look_back_recorded` events. A session created with previous actions gets a look-back round
//! in front of its method's rounds unless the method already opens with one.

use serde::{Deserialize, Serialize};

use super::content::{optional, MAX_FIELD};
use super::{CommandError, EventBody, Phase, SessionState};
use crate::method::{Contributors, Localized, Method, Round, RoundKind};

/// The key of the look-back round put in front of a method.
pub const LOOK_BACK_ROUND_KEY: &str = "previous_actions";
/// Minutes the added look-back round suggests.
pub const LOOK_BACK_MINUTES: u32 = 10;

/// What became of one of last time's actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookBackOutcome {
    /// Carried out.
    Done,
    /// Not carried out and not to be: a reason is required.
    Dropped,
    /// Not yet done; stays on the team's open actions.
    StillOpen,
}

impl LookBackOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Dropped => "dropped",
            Self::StillOpen => "still_open",
        }
    }
}

/// The look-back recorded for one previous action (the latest record counts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookBackEntry {
    /// Index into the session's `previous_actions`.
    pub index: usize,
    pub outcome: LookBackOutcome,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub at_ms: i64,
}

/// The method a session runs: `method` itself, or with a look-back round in front when there
/// are previous actions to look back on and the method does not open with a look-back round.
pub fn with_look_back(mut method: Method, has_previous_actions: bool) -> Method {
    let opens_with_look_back = method.rounds.first().is_some_and(|r| r.kind == RoundKind::LookBack);
    let key_taken = method.rounds.iter().any(|r| r.key == LOOK_BACK_ROUND_KEY);
    if has_previous_actions && !opens_with_look_back && !key_taken {
        method.rounds.insert(0, look_back_round());
    }
    method
}

fn look_back_round() -> Round {
    Round {
        key: LOOK_BACK_ROUND_KEY.into(),
        kind: RoundKind::LookBack,
        title: Localized::new("Terugblik op de afspraken", "Look back on the actions"),
        prompt: Localized::new(
            "Wat is er van de afspraken van de vorige keer terechtgekomen? De gespreksleider legt \
             per afspraak vast: gedaan, vervallen (met reden) of nog open.",
            "What became of last time's actions? The moderator records for each: done, dropped \
             (with a reason) or still open.",
        ),
        rule: None,
        minutes: LOOK_BACK_MINUTES,
        contributors: Contributors::Everyone,
        presenter_view: Default::default(),
        anonymity: Default::default(),
        reveal: Default::default(),
        order: Default::default(),
        one_each: false,
    }
}

/// The moderator records what became of previous action `index` (the caller checked the role).
/// Only in a look-back round; `dropped` needs a reason; a later record replaces an earlier one.
pub(super) fn record(
    state: &SessionState,
    index: usize,
    outcome: LookBackOutcome,
    note: String,
) -> Result<Vec<EventBody>, CommandError> {
    let in_look_back = match state.phase() {
        Phase::InRound { index: round } => state.method().rounds[round].kind == RoundKind::LookBack,
        Phase::Closed => return Err(CommandError::SessionClosed),
        Phase::Lobby => return Err(CommandError::NotStarted),
        Phase::Concluding => false,
    };
    if !in_look_back {
        return Err(CommandError::NotLookBackRound);
    }
    if index >= state.previous_actions().len() {
        return Err(CommandError::UnknownLookBackAction { index });
    }
    let note = optional("note", note, MAX_FIELD)?;
    if outcome == LookBackOutcome::Dropped && note.is_empty() {
        return Err(CommandError::EmptyField { field: "note".into() });
    }
    Ok(vec![EventBody::LookBackRecorded { index, outcome, note }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::builtin;

    #[test]
    fn a_look_back_round_goes_in_front_only_when_there_is_something_to_look_back_on() {
        let dilemma = builtin("dilemma", None).unwrap();
        let n = dilemma.rounds.len();
        assert_eq!(with_look_back(dilemma.clone(), false).rounds.len(), n);
        let with = with_look_back(dilemma, true);
        assert_eq!(with.rounds.len(), n + 1);
        assert_eq!(with.rounds[0].kind, RoundKind::LookBack);
        assert!(crate::method::check_method(&with).is_empty(), "still a valid method");
        // A method that opens with a look-back round keeps its own.
        let short = builtin("incident_short", None).unwrap();
        let m = short.rounds.len();
        assert_eq!(with_look_back(short, true).rounds.len(), m);
    }
}
