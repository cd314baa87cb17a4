//! Value rules every method obeys, built-in or custom: counts, ranges, lengths, key syntax and
//! combinations of round settings that contradict each other.

use std::collections::HashMap;

use super::limits::*;
use super::{Contributors, Localized, Method, MethodError, MethodProblem, PresenterView, Round, RoundKind};

/// Every value rule broken by `method`, with JSON paths. Empty when the method is sound.
pub fn check_method(method: &Method) -> Vec<MethodError> {
    let mut errors = Vec::new();
    check_header(method, &mut errors);
    check_rounds(method.rounds.len(), method.rounds.iter().enumerate(), &mut errors);
    errors
}

/// Everything but the rounds.
pub(super) fn check_header(method: &Method, errors: &mut Vec<MethodError>) {
    check_key("key", &method.key, errors);
    if let Some(variant) = &method.variant {
        check_key("variant", variant, errors);
    }
    check_localized("name", &method.name, MAX_NAME_LEN, errors);
    check_localized("description", &method.description, MAX_DESCRIPTION_LEN, errors);
    if let Some(n) = method.min_participants {
        check_min_participants(i128::from(n), errors);
    }
}

pub(super) fn check_min_participants(value: i128, errors: &mut Vec<MethodError>) {
    if !(1..=i128::from(MAX_MIN_PARTICIPANTS)).contains(&value) {
        errors.push(MethodError::new(
            "min_participants",
            MethodProblem::MinParticipantsOutOfRange { value, max: MAX_MIN_PARTICIPANTS },
        ));
    }
}

/// Checks the rounds that could be read, given with their index in the document, and the
/// number of rounds the document declared.
pub(super) fn check_rounds<'a>(
    declared: usize,
    rounds: impl Iterator<Item = (usize, &'a Round)>,
    errors: &mut Vec<MethodError>,
) {
    if declared == 0 {
        errors.push(MethodError::new("rounds", MethodProblem::NoRounds));
    } else if declared > MAX_ROUNDS {
        errors.push(MethodError::new(
            "rounds",
            MethodProblem::TooManyRounds { max: MAX_ROUNDS, count: declared },
        ));
    }
    let mut first_use: HashMap<&str, usize> = HashMap::new();
    let mut total: u64 = 0;
    for (index, round) in rounds {
        let path = format!("rounds[{index}]");
        if let Some(first) = first_use.get(round.key.as_str()) {
            errors.push(MethodError::new(
                format!("{path}.key"),
                MethodProblem::DuplicateRoundKey {
                    key: round.key.clone(),
                    first: format!("rounds[{first}].key"),
                },
            ));
        } else {
            first_use.insert(&round.key, index);
        }
        total += u64::from(round.minutes);
        check_round(&path, round, errors);
    }
    if total > u64::from(MAX_TOTAL_MINUTES) {
        errors.push(MethodError::new(
            "rounds",
            MethodProblem::TotalMinutesTooLong { total, max: MAX_TOTAL_MINUTES },
        ));
    }
}

fn check_round(path: &str, round: &Round, errors: &mut Vec<MethodError>) {
    check_key(&format!("{path}.key"), &round.key, errors);
    check_localized(&format!("{path}.title"), &round.title, MAX_NAME_LEN, errors);
    check_localized(&format!("{path}.prompt"), &round.prompt, MAX_DESCRIPTION_LEN, errors);
    if let Some(rule) = &round.rule {
        check_localized(&format!("{path}.rule"), rule, MAX_RULE_LEN, errors);
    }
    check_minutes(&format!("{path}.minutes"), i128::from(round.minutes), errors);
    for problem in contradictions(round) {
        errors.push(MethodError::new(path, problem));
    }
}

pub(super) fn check_minutes(path: &str, value: i128, errors: &mut Vec<MethodError>) {
    if !(1..=i128::from(MAX_ROUND_MINUTES)).contains(&value) {
        errors
            .push(MethodError::new(path, MethodProblem::MinutesOutOfRange { value, max: MAX_ROUND_MINUTES }));
    }
}

/// Settings of one round that contradict each other.
fn contradictions(round: &Round) -> Vec<MethodProblem> {
    let mut problems = Vec::new();
    if round.kind == RoundKind::SilentWrite && !round.is_hidden() {
        problems.push(MethodProblem::SilentWriteNotHidden);
    }
    if matches!(round.kind, RoundKind::Questions | RoundKind::RoundRobin) && round.is_hidden() {
        problems.push(MethodProblem::CannotBeHidden { kind: round.kind });
    } else if round.takes_turns() && round.is_hidden() {
        problems.push(MethodProblem::HiddenRoundTakesNoTurns);
    }
    if round.kind == RoundKind::RoundRobin && !round.takes_turns() {
        problems.push(MethodProblem::RoundRobinNeedsTurns);
    }
    let single_author =
        matches!(round.contributors, Contributors::PresenterOnly | Contributors::ModeratorOnly);
    if single_author && round.is_pseudonymous() {
        problems.push(MethodProblem::PseudonymousSingleAuthor);
    }
    if round.contributors == Contributors::PresenterOnly && round.presenter_view != PresenterView::All {
        problems.push(MethodProblem::PresenterCannotContribute);
    }
    if round.kind == RoundKind::Questions && single_author {
        problems.push(MethodProblem::QuestionsNeedAskers);
    }
    problems
}

/// `[a-z][a-z0-9_]*`, 2 to 40 characters.
pub(super) fn is_valid_key(key: &str) -> bool {
    let len = key.chars().count();
    (MIN_KEY_LEN..=MAX_KEY_LEN).contains(&len)
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn check_key(path: &str, key: &str, errors: &mut Vec<MethodError>) {
    if !is_valid_key(key) {
        errors.push(MethodError::new(path, MethodProblem::InvalidKey { value: key.to_owned() }));
    }
}

fn check_localized(path: &str, text: &Localized, max: usize, errors: &mut Vec<MethodError>) {
    check_text(&format!("{path}.nl"), &text.nl, max, errors);
    check_text(&format!("{path}.en"), &text.en, max, errors);
}

fn check_text(path: &str, text: &str, max: usize, errors: &mut Vec<MethodError>) {
    let len = text.chars().count();
    if text.trim().is_empty() {
        errors.push(MethodError::new(path, MethodProblem::EmptyText));
    } else if len > max {
        errors.push(MethodError::new(path, MethodProblem::TextTooLong { max, len }));
    }
}
