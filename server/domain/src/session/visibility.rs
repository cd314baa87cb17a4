//! Who may see what. Hidden rounds are hidden on the server: these functions decide what each
//! viewer receives, in snapshots ([`view_for`]) and in the fan-out of single events
//! ([`super::visible_event_for`]).
//!
//! The rules:
//! - A viewer always sees their own contributions (as "you").
//! - In a hidden round (`silent_write`, or any round with `reveal` other than `immediate`)
//!   nobody — the moderator included — sees anyone else's contributions before the reveal:
//!   only counts ("4 of 7 submitted"). A round left without a reveal by going back stays hidden.
//! - A presenter who is `absent` in a round sees none of its contributions while it is current.
//! - In a pseudonymous round peers see a per-session pseudonym, never a name or participant
//!   id; this includes the moderator, who needs no identities to guide the round. Two
//!   exceptions carry a role instead, because only one person can have written them anyway:
//!   the moderator's scribe notes and the presenter's answers.
//! - Contributions of rounds that were hidden are listed in the order of their (scrambled)
//!   contribution ids — a deterministic shuffle — and without time stamps or sequence numbers,
//!   so neither order nor timing links a revealed contribution to a person or to a moment at
//!   which someone was seen submitting.
//! - Pseudonym numbers are shuffled at the start; people listings are ordered by name.

use std::collections::BTreeMap;

use super::eligibility::{judgement_settled, may_change, may_write, submission_counts, submitters};
use super::turns::turn_queue;
use super::view::*;
use super::{
    CommandError, Content, Contribution, Participant, ParticipantId, Role, RoundStatus, SessionState,
};
use crate::method::{Anonymity, PresenterView, RoundKind};

/// Whether `viewer` may see contribution `c` now.
pub(crate) fn can_see(state: &SessionState, viewer: &Participant, c: &Contribution) -> bool {
    if !c.counts() {
        return false;
    }
    if c.author == viewer.id {
        return true;
    }
    let Some((round, rs)) = state.round(c.round_index) else {
        return false;
    };
    if round.is_hidden() && !rs.revealed {
        return false;
    }
    let absent = viewer.role == Role::Presenter
        && round.presenter_view == PresenterView::Absent
        && rs.status == RoundStatus::Current;
    !absent
}

/// How `viewer` sees the author of `c`.
pub(crate) fn author_view(state: &SessionState, viewer: &Participant, c: &Contribution) -> AuthorView {
    if c.author == viewer.id {
        return AuthorView::You;
    }
    let author = state.participant(&c.author);
    let anonymity = state.method().rounds[c.round_index].anonymity;
    match anonymity {
        Anonymity::Named => AuthorView::Named {
            id: c.author.clone(),
            display_name: author.map(|p| p.display_name.clone()).unwrap_or_default(),
        },
        Anonymity::Pseudonymous => {
            if c.author_role == Role::Moderator {
                AuthorView::Moderator
            } else if matches!(c.content, Content::Answer { .. }) {
                AuthorView::Presenter
            } else {
                pseudonym(author)
            }
        }
    }
}

fn pseudonym(p: Option<&Participant>) -> AuthorView {
    // Everyone who can write after the start has a number; 0 is never shown for a real one.
    AuthorView::Pseudonym { no: p.and_then(|p| p.pseudonym_no).unwrap_or(0) }
}

/// How `viewer` sees participant `p` acting in round `round_index` (a turn, typing).
pub(crate) fn person_in_round(
    state: &SessionState,
    viewer: &Participant,
    p: &Participant,
    round_index: usize,
) -> AuthorView {
    if p.id == viewer.id {
        return AuthorView::You;
    }
    match state.method().rounds[round_index].anonymity {
        Anonymity::Named => AuthorView::Named { id: p.id.clone(), display_name: p.display_name.clone() },
        Anonymity::Pseudonymous if p.role == Role::Moderator => AuthorView::Moderator,
        Anonymity::Pseudonymous => pseudonym(Some(p)),
    }
}

/// A contribution as `viewer` may see it, if at all.
pub(crate) fn contribution_view(
    state: &SessionState,
    viewer: &Participant,
    c: &Contribution,
) -> Option<ContributionView> {
    if !can_see(state, viewer, c) {
        return None;
    }
    let was_hidden = state.method().rounds[c.round_index].is_hidden();
    let mine = c.author == viewer.id;
    let withheld = c.is_hidden_by_moderator() && !mine && viewer.role != Role::Moderator;
    Some(ContributionView {
        id: c.id,
        round_index: c.round_index,
        author: author_view(state, viewer, c),
        content: (!withheld).then(|| c.content.clone()),
        moderation: c.moderation.clone(),
        edited: c.edited,
        editable: mine && may_change(state, viewer, c).is_ok(),
        seq: (!was_hidden).then_some(c.seq),
        at_ms: (!was_hidden).then_some(c.at_ms),
        client_id: (c.author == viewer.id).then(|| c.client_id.clone()),
        revised: c.author == viewer.id && state.revised(c.round_index, &c.author),
    })
}

/// Everything `viewer` may see of round `round_index`, in display order.
pub(crate) fn round_contributions(
    state: &SessionState,
    viewer: &Participant,
    round_index: usize,
) -> Vec<ContributionView> {
    let hidden = state.method().rounds[round_index].is_hidden();
    let mut visible: Vec<&Contribution> =
        state.contributions_in(round_index).filter(|c| can_see(state, viewer, c)).collect();
    if hidden {
        visible.sort_by_key(|c| c.id);
    }
    visible.into_iter().filter_map(|c| contribution_view(state, viewer, c)).collect()
}

/// Submission counts while the current round is hidden and not yet revealed.
pub(crate) fn progress(state: &SessionState) -> Option<Progress> {
    let index = state.current_round()?;
    let (round, rs) = state.round(index)?;
    if !round.is_hidden() || rs.revealed {
        return None;
    }
    let (submitted, eligible) = submission_counts(state, index);
    // Who has submitted, in named rounds only: in a pseudonymous round, who did (not) submit
    // would tell which pseudonym is missing from the reveal, so only the count is given.
    let submitted_by = if round.is_pseudonymous() { Vec::new() } else { submitters(state, index) };
    Some(Progress { round_index: index, submitted, eligible, submitted_by })
}

/// Whose turn it is in the current round, as `viewer` may know it.
pub(crate) fn turn(state: &SessionState, viewer: &Participant) -> Option<TurnView> {
    let index = state.current_round()?;
    let queue = turn_queue(state, index);
    let holder = queue.first()?;
    Some(TurnView {
        round_index: index,
        holder: person_in_round(state, viewer, holder, index),
        waiting: queue.len(),
    })
}

/// The present, non-removed viewer, if any.
pub(crate) fn present_viewer<'s>(state: &'s SessionState, viewer: &ParticipantId) -> Option<&'s Participant> {
    state.participant(viewer).filter(|p| p.is_present())
}

/// The snapshot `viewer` may see, or `None` if they are not (or no longer) in the session.
pub fn view_for(state: &SessionState, viewer: &ParticipantId) -> Option<SessionView> {
    let me = present_viewer(state, viewer)?;
    let method = state.method();
    let rounds = method
        .rounds
        .iter()
        .zip(state.rounds())
        .enumerate()
        .map(|(index, (definition, rs))| RoundView {
            index,
            definition: definition.clone(),
            status: rs.status,
            revealed: rs.revealed,
            tally: if definition.kind == RoundKind::Selection { tally(state, me, index) } else { Vec::new() },
        })
        .collect();
    let mut participants: Vec<ParticipantView> =
        state.participants().iter().filter(|p| p.is_present()).map(participant_view).collect();
    participants
        .sort_by(|a, b| (a.display_name.to_lowercase(), &a.id).cmp(&(b.display_name.to_lowercase(), &b.id)));
    let contributions = (0..method.rounds.len()).flat_map(|i| round_contributions(state, me, i)).collect();
    Some(SessionView {
        seq: state.seq(),
        title: state.title().to_owned(),
        case_text: state.case_text().to_owned(),
        method: MethodSummary {
            key: method.key.clone(),
            variant: method.variant.clone(),
            name: method.name.clone(),
            description: method.description.clone(),
            family: method.family,
            output: method.output,
        },
        auto_advance: state.auto_advance(),
        phase: state.phase(),
        current_round: state.current_round(),
        deadline_ms: state.deadline_ms(),
        rounds,
        participants,
        you: you_view(state, me),
        contributions,
        progress: progress(state),
        turn: turn(state, me),
        conclusion: state.conclusion().cloned(),
        previous_actions: state.previous_actions().to_vec(),
        look_back: state.look_back().cloned().collect(),
        moral_question: state.moral_question().map(str::to_owned),
    })
}

pub(crate) fn participant_view(p: &Participant) -> ParticipantView {
    ParticipantView { id: p.id.clone(), display_name: p.display_name.clone(), role: p.role }
}

fn you_view(state: &SessionState, me: &Participant) -> YouView {
    let refusal = contribution_refusal(state, me);
    let may_answer = state.current_round().is_some_and(|i| {
        let round = &state.method().rounds[i];
        round.kind == RoundKind::Questions
            && me.role == Role::Presenter
            && round.presenter_view == PresenterView::All
    });
    YouView {
        id: me.id.clone(),
        display_name: me.display_name.clone(),
        role: me.role,
        pseudonym_no: me.pseudonym_no,
        may_contribute: refusal.is_none(),
        refusal: refusal.map(|e| e.code()),
        may_answer,
    }
}

/// What `decide` would answer if `me` wrote an ordinary contribution to the current round now.
fn contribution_refusal(state: &SessionState, me: &Participant) -> Option<CommandError> {
    let Some(index) = state.current_round() else {
        return Some(match state.phase() {
            super::Phase::Lobby => CommandError::NotStarted,
            super::Phase::Closed => CommandError::SessionClosed,
            _ => CommandError::NoOpenRound,
        });
    };
    if let Err(e) = may_write(me, &state.method().rounds[index]) {
        return Some(e);
    }
    if judgement_settled(state, &me.id, index) {
        return Some(CommandError::AlreadySubmitted);
    }
    if me.role != Role::Moderator {
        if let Some(holder) = turn_queue(state, index).first() {
            if holder.id != me.id {
                return Some(CommandError::NotYourTurn);
            }
        }
    }
    None
}

/// Each voter's latest visible vote, counted per proposal, most votes first.
fn tally(state: &SessionState, me: &Participant, round_index: usize) -> Vec<TallyEntry> {
    let mut latest = BTreeMap::new();
    for c in state.contributions_in(round_index) {
        if let Content::Selection { target } = c.content {
            if can_see(state, me, c) {
                latest.insert(&c.author, target);
            }
        }
    }
    let mut counts = BTreeMap::new();
    for target in latest.into_values() {
        *counts.entry(target).or_insert(0) += 1;
    }
    let mut tally: Vec<TallyEntry> =
        counts.into_iter().map(|(target, votes)| TallyEntry { target, votes }).collect();
    tally.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.target.cmp(&b.target)));
    tally
}

/// How the live layer may show that `typist` is typing to `viewer`: nothing in a hidden round
/// or one the viewer is absent from; a pseudonym in a pseudonymous round; else the name.
pub fn typing_indicator_for(
    state: &SessionState,
    typist: &ParticipantId,
    viewer: &ParticipantId,
) -> Option<AuthorView> {
    let me = present_viewer(state, viewer)?;
    let typist = present_viewer(state, typist)?;
    let index = state.current_round()?;
    let (round, rs) = state.round(index)?;
    if typist.id == me.id || (round.is_hidden() && !rs.revealed) {
        return None;
    }
    if me.role == Role::Presenter && round.presenter_view == PresenterView::Absent {
        return None;
    }
    Some(person_in_round(state, me, typist, index))
}
