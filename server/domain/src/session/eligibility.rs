//! Who may write in a round, and who is expected to. `decide`, the views and auto-advance all
//! ask here, so the rule exists once.

use super::ids::ParticipantId;
use super::{CommandError, Content, Contribution, Participant, Role, SessionState};
use crate::method::{Contributors, PresenterView, Round};

/// Whether `p` may write ordinary contributions in `round` (answers to questions have their
/// own rule in `decide`).
///
/// The moderator is content-neutral but keeps the record: besides moderator-only rounds, the
/// moderator may write as scribe in any round that is not hidden.
pub(crate) fn may_write(p: &Participant, round: &Round) -> Result<(), CommandError> {
    match p.role {
        Role::Observer => Err(CommandError::ObserverCannotContribute),
        Role::Moderator => {
            if round.contributors == Contributors::ModeratorOnly || !round.is_hidden() {
                Ok(())
            } else {
                Err(CommandError::ModeratorNeutral)
            }
        }
        Role::Presenter => {
            match round.presenter_view {
                PresenterView::ListenOnly => return Err(CommandError::PresenterListenOnly),
                PresenterView::Absent => return Err(CommandError::PresenterAbsent),
                PresenterView::All => {}
            }
            match round.contributors {
                Contributors::Everyone | Contributors::PresenterOnly => Ok(()),
                Contributors::AllButPresenter => Err(CommandError::PresenterExcluded),
                Contributors::ModeratorOnly => Err(CommandError::ModeratorOnly),
            }
        }
        Role::Participant => match round.contributors {
            Contributors::Everyone | Contributors::AllButPresenter => Ok(()),
            Contributors::PresenterOnly => Err(CommandError::PresenterOnly),
            Contributors::ModeratorOnly => Err(CommandError::ModeratorOnly),
        },
    }
}

/// Whether `p` has had their say in a round where each person's contribution counts once and
/// that has been revealed: what was revealed stands (`already_submitted`).
pub(crate) fn judgement_settled(state: &SessionState, p: &ParticipantId, round_index: usize) -> bool {
    let Some((round, rs)) = state.round(round_index) else {
        return false;
    };
    round.counts_once()
        && rs.revealed
        && state
            .contributions_in(round_index)
            .any(|c| &c.author == p && !matches!(c.content, super::Content::Answer { .. }))
}

/// The present people the round counts on ("4 of 7 submitted"), in join order: presenter and
/// participants who may write; the moderator only in a moderator-only round.
pub(crate) fn expected_writers(state: &SessionState, round_index: usize) -> Vec<&Participant> {
    let Some((round, _)) = state.round(round_index) else {
        return Vec::new();
    };
    let moderator_round = round.contributors == Contributors::ModeratorOnly;
    state
        .participants()
        .iter()
        .filter(|p| p.is_present())
        .filter(|p| p.role.is_contributor() || (moderator_round && p.role == Role::Moderator))
        .filter(|p| may_write(p, round).is_ok())
        .collect()
}

/// Counts for a round: how many of those expected have written at least once.
pub(crate) fn submission_counts(state: &SessionState, round_index: usize) -> (usize, usize) {
    (submitters(state, round_index).len(), expected_writers(state, round_index).len())
}

/// Who of those expected has submitted in a round (who, never what), in the order expected.
pub(crate) fn submitters(state: &SessionState, round_index: usize) -> Vec<ParticipantId> {
    expected_writers(state, round_index)
        .into_iter()
        .filter(|p| state.contributions_in(round_index).any(|c| c.author == p.id))
        .map(|p| p.id.clone())
        .collect()
}

/// Whether `me` may edit or withdraw contribution `c` now: their own, counting, in the round
/// that is open, while they may still write in it, and not a judgement that was revealed (what
/// was revealed stands) nor a question that has been answered. `decide` and the views ask here.
pub(crate) fn may_change(
    state: &SessionState,
    me: &Participant,
    c: &Contribution,
) -> Result<(), CommandError> {
    if !c.counts() {
        return Err(CommandError::UnknownContribution);
    }
    if c.author != me.id {
        return Err(CommandError::NotAuthor);
    }
    if state.current_round() != Some(c.round_index) {
        return Err(CommandError::RoundNotOpen);
    }
    if !matches!(c.content, Content::Answer { .. }) {
        may_write(me, &state.method().rounds[c.round_index])?;
    }
    if judgement_settled(state, &me.id, c.round_index) {
        return Err(CommandError::AlreadySubmitted);
    }
    let answered = state
        .contributions_in(c.round_index)
        .any(|a| matches!(a.content, Content::Answer { question_id, .. } if question_id == c.id));
    if answered {
        return Err(CommandError::AlreadyAnswered);
    }
    Ok(())
}
