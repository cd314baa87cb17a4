//! From session to precedent: the draft record a concluded session yields, made from its rounds
//! and its recorded conclusion. The moderator edits it before adoption.
//!
//! Positions appear under pseudonyms "deelnemer 1" … "deelnemer n" (numbered in the order
//! people first took a position), never under display names. Contributions of a hidden round
//! that was never revealed stay out: the draft shows nothing nobody has seen.

use std::collections::{BTreeMap, HashSet};

use super::record::{
    Action, DilemmaOption, Dissent, MethodUsed, PerspectiveRow, Position, Precedent, RelatedPrecedent,
    StatusChange,
};
use super::{CalendarDate, OutcomeType, Status};
use crate::method::{Output, RoundKind};
use crate::session::{Content, Contribution, ParticipantId, Phase, Role, SessionState};

/// What the draft needs besides the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftContext {
    /// The organisation's code (see `CitationId`).
    pub organisation: String,
    /// The team's name, empty when the session has none.
    pub team: String,
    /// Today, for the status history.
    pub drafted_on: CalendarDate,
    /// Who drafts it (a role, e.g. "gespreksleider"), for the status history.
    pub by: String,
    /// Links the session already has to earlier precedents.
    pub related: Vec<RelatedPrecedent>,
}

/// Why a session cannot yield a draft yet.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("het beraad is nog niet afgerond: leg eerst de conclusie vast of beëindig het beraad")]
    NotConcluded,
}

/// Whether a session is far enough to draft its precedent: ended, or concluding with a
/// recorded conclusion.
pub fn can_draft(state: &SessionState) -> bool {
    match state.phase() {
        Phase::Closed => true,
        Phase::Concluding => state.conclusion().is_some(),
        _ => false,
    }
}

/// The pseudonym of the `n`th participant who took a position.
pub fn pseudonym(n: usize) -> String {
    format!("deelnemer {n}")
}

/// The draft precedent of a concluded session.
pub fn draft(state: &SessionState, ctx: &DraftContext) -> Result<Precedent, DraftError> {
    if !can_draft(state) {
        return Err(DraftError::NotConcluded);
    }
    let method = state.method();
    let visible: Vec<(&Contribution, RoundKind, bool)> = state
        .contributions()
        .iter()
        // What the moderator hid for breaking the round's rule stays out of the precedent.
        .filter(|c| c.counts() && !c.is_hidden_by_moderator())
        .filter_map(|c| {
            let (round, live) = state.round(c.round_index)?;
            let shown = !round.is_hidden() || live.revealed;
            shown.then_some((c, round.kind, round.contributors == crate::method::Contributors::PresenterOnly))
        })
        .collect();

    let first_options_round =
        visible.iter().find(|(_, k, _)| *k == RoundKind::Options).map(|(c, _, _)| c.round_index);
    let mut moral_question = String::new();
    let mut options = Vec::new();
    let mut alternatives = Vec::new();
    let mut perspectives = Vec::new();
    let mut presenter_case = Vec::new();
    let mut evaluation = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    // Values that support the positions taken (and the perspectives' values), and the values
    // the positions harm: two lists.
    let mut values = Values::default();
    let mut harmed = Values::default();
    // Last choice per author, numbered by their first choice.
    let mut choosers: Vec<ParticipantId> = Vec::new();
    let mut choices: BTreeMap<usize, Position> = BTreeMap::new();

    for (c, kind, presenter_only) in &visible {
        match (&c.content, kind) {
            (Content::Text { text }, RoundKind::Narrative) if *presenter_only => {
                presenter_case.push(text.as_str())
            }
            (Content::Text { text }, RoundKind::Options)
                if Some(c.round_index) == first_options_round && moral_question.is_empty() =>
            {
                moral_question = text.clone();
            }
            (Content::Option { label, damage }, _) => {
                if Some(c.round_index) == first_options_round {
                    options.push(DilemmaOption { label: label.clone(), damage: damage.clone() });
                } else {
                    alternatives.push(format!("{label} (schade: {damage})"));
                }
            }
            (Content::MatrixRow { stakeholder, perspective, value, norm }, _) => {
                push_value(&mut values, value);
                perspectives.push(PerspectiveRow {
                    stakeholder: stakeholder.clone(),
                    perspective: perspective.clone(),
                    value: value.clone(),
                    norm: norm.clone(),
                });
            }
            (Content::Choice { option, supporting_value, harmed_value, damage_limitation, needs }, _)
                if c.author_role != Role::Moderator && c.author_role != Role::Observer =>
            {
                let n = match choosers.iter().position(|a| a == &c.author) {
                    Some(i) => i,
                    None => {
                        choosers.push(c.author.clone());
                        choosers.len() - 1
                    }
                };
                push_value(&mut values, supporting_value);
                push_value(&mut harmed, harmed_value);
                choices.insert(
                    n,
                    Position {
                        pseudonym: pseudonym(n + 1),
                        choice: option.clone(),
                        value: supporting_value.clone(),
                        damage: harmed_value.clone(),
                        damage_limitation: damage_limitation.clone(),
                        needs: needs.clone(),
                    },
                );
            }
            (Content::Action(a), _) => push_action(&mut actions, &a.what, &a.who, &a.when),
            (Content::Evaluation { text }, _) => evaluation.push(text.as_str()),
            _ => {}
        }
    }

    let conclusion = state.conclusion().cloned().unwrap_or_default();
    let mut all_actions = Vec::new();
    for a in &conclusion.actions {
        push_action(&mut all_actions, &a.what, &a.who, &a.when);
    }
    // The conclusion's actions, then those of the rounds that it does not repeat (a set: linear).
    let mut seen: HashSet<(String, String)> =
        all_actions.iter().map(|a: &Action| (a.what.clone(), a.who.clone())).collect();
    for a in actions {
        if seen.insert((a.what.clone(), a.who.clone())) {
            all_actions.push(a);
        }
    }
    let case_text = if state.case_text().trim().is_empty() {
        presenter_case.join("\n\n")
    } else {
        state.case_text().to_owned()
    };
    let session_date = crate::local_time::date_of(state.started_at_ms().unwrap_or(state.created_at_ms()));
    Ok(Precedent {
        citation: None,
        import_ref: None,
        session_date: Some(session_date),
        adopted_on: None,
        version: 1,
        method: MethodUsed { method: method.key.clone(), variant: method.variant.clone() },
        team: ctx.team.clone(),
        organisation: Some(ctx.organisation.clone()),
        title: state.title().to_owned(),
        summary: String::new(),
        case_text,
        // The question written as such in step 3; else (sessions from before that field) the
        // first text of the first options round.
        moral_question: state.moral_question().map_or(moral_question, str::to_owned),
        options,
        perspectives,
        alternatives,
        positions: choices.into_values().collect(),
        dialogue: Default::default(),
        conclusion: conclusion.conclusion.clone(),
        reasoning: conclusion.reasoning.clone(),
        values: values.list,
        harmed_values: harmed.list,
        dissent: if conclusion.dissent.trim().is_empty() {
            Vec::new()
        } else {
            vec![Dissent { position: conclusion.dissent.clone(), values: Vec::new() }]
        },
        actions: all_actions,
        law_refs: Vec::new(),
        local_ordinances: Vec::new(),
        related_precedents: ctx.related.clone(),
        court_rulings: Vec::new(),
        themes: Vec::new(),
        tags: Vec::new(),
        outcome: if method.output == Output::Decision { OutcomeType::Other } else { OutcomeType::NoDecision },
        evaluation: (!evaluation.is_empty()).then(|| evaluation.join("\n")),
        anonymisation_review: None,
        status: Status::Draft,
        status_history: vec![StatusChange {
            status: Status::Draft,
            on: ctx.drafted_on,
            by: ctx.by.clone(),
            reason: None,
        }],
    })
}

/// Values named in the session, each once (compared ASCII-case-insensitively), in order.
#[derive(Default)]
struct Values {
    list: Vec<String>,
    seen: HashSet<String>,
}

fn push_value(values: &mut Values, value: &str) {
    let v = value.trim();
    if !v.is_empty() && values.seen.insert(v.to_ascii_lowercase()) {
        values.list.push(v.to_owned());
    }
}

fn push_action(actions: &mut Vec<Action>, what: &str, who: &str, when: &str) {
    actions.push(Action { what: what.to_owned(), who: who.to_owned(), when: when.parse().ok(), done: None });
}
