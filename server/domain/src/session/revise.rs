//! Changing what was written: the author edits or withdraws their own contribution while its
//! round is open; the moderator marks or hides one that breaks the round's rule. Each change is
//! an event, so the log keeps the whole history.

use super::content::required;
use super::decide::{check_candidate, member};
use super::eligibility::may_change;
use super::visibility::can_see;
use super::{
    CommandError, Content, ContributionId, EventBody, Moderation, ModerationAction, ModerationKind,
    Participant, ParticipantId, SessionState, WithdrawalReason, MAX_REASON,
};

/// The contribution `me` asks about, if they may see it (others' hidden writing is unknown).
fn visible<'s>(
    state: &'s SessionState,
    me: &Participant,
    id: ContributionId,
) -> Result<&'s super::Contribution, CommandError> {
    state.contribution(id).filter(|c| can_see(state, me, c)).ok_or(CommandError::UnknownContribution)
}

pub(super) fn edit(
    state: &SessionState,
    actor: &ParticipantId,
    id: ContributionId,
    content: Content,
) -> Result<Vec<EventBody>, CommandError> {
    let me = member(state, actor)?;
    let c = visible(state, me, id)?;
    may_change(state, me, c)?;
    let content = content.normalized()?;
    if content.type_name() != c.content.type_name() {
        return Err(CommandError::ContentTypeChanged { content: c.content.type_name() });
    }
    match (&content, &c.content) {
        (Content::Answer { question_id: new, .. }, Content::Answer { question_id: old, .. })
            if new != old =>
        {
            return Err(CommandError::ContentTypeChanged { content: "answer" });
        }
        (Content::Selection { target }, _) => check_candidate(state, me, *target)?,
        _ => {}
    }
    if content == c.content {
        return Err(CommandError::Unchanged);
    }
    Ok(vec![EventBody::ContributionEdited { contribution_id: id, round_index: c.round_index, content }])
}

pub(super) fn withdraw(
    state: &SessionState,
    actor: &ParticipantId,
    id: ContributionId,
) -> Result<Vec<EventBody>, CommandError> {
    let me = member(state, actor)?;
    let c = visible(state, me, id)?;
    may_change(state, me, c)?;
    Ok(vec![EventBody::ContributionsWithdrawn {
        round_index: c.round_index,
        contributions: vec![id],
        reason: WithdrawalReason::ByAuthor,
    }])
}

/// The moderator (checked by the caller) marks, hides or clears a contribution they can see.
pub(super) fn moderate(
    state: &SessionState,
    actor: &ParticipantId,
    id: ContributionId,
    action: ModerationAction,
    reason: String,
) -> Result<Vec<EventBody>, CommandError> {
    let me = member(state, actor)?;
    let c = visible(state, me, id)?;
    let moderation = match action {
        ModerationAction::Clear => None,
        ModerationAction::Mark | ModerationAction::Hide => Some(Moderation {
            kind: if action == ModerationAction::Hide {
                ModerationKind::Hidden
            } else {
                ModerationKind::Marked
            },
            reason: required("reason", reason, MAX_REASON)?,
        }),
    };
    if moderation == c.moderation {
        return Err(CommandError::Unchanged);
    }
    Ok(vec![EventBody::ContributionModerated { contribution_id: id, round_index: c.round_index, moderation }])
}
