//! Fan-out: what one viewer receives for one event, after it has been applied.

use serde::Serialize;

use super::view::*;
use super::visibility::{
    can_see, contribution_view, participant_view, person_in_round, present_viewer, progress,
    round_contributions, turn, view_for,
};
use super::{
    Conclusion, Event, EventBody, FoldError, Handover, Participant, ParticipantId, PresenterChange,
    SessionState, WithdrawalReason,
};

/// One event as one viewer may receive it. Sequence numbers are those of the log; a viewer
/// does not receive every event (see [`visible_event_for`]), so gaps are normal and a
/// reconnecting client simply sends the last `seq` it received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VisibleEvent {
    pub seq: u64,
    pub at_ms: i64,
    #[serde(flatten)]
    pub body: VisibleBody,
    /// Counts for the current hidden round, after this event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    /// Whose turn it is in the current round-robin round, after this event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn: Option<TurnView>,
}

/// What happened, as far as the viewer may know. Where a variant carries `contributions`, it
/// is the complete set of that round the viewer may now see: the client replaces what it holds
/// for that round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisibleBody {
    /// To someone who has just joined: everything they may see.
    Welcome {
        view: Box<SessionView>,
    },
    ParticipantJoined {
        participant: ParticipantView,
    },
    ParticipantLeft {
        participant: ParticipantId,
    },
    ParticipantRemoved {
        participant: ParticipantId,
    },
    /// To the person removed; nothing else follows.
    YouWereRemoved,
    PresenterSet(PresenterChange),
    ModerationHanded(Handover),
    SessionStarted {
        /// Your own pseudonym; nobody else's is ever sent.
        your_pseudonym_no: Option<u32>,
    },
    RoundOpened {
        index: usize,
        deadline_ms: Option<i64>,
        contributions: Vec<ContributionView>,
    },
    RoundReopened {
        index: usize,
        deadline_ms: Option<i64>,
        contributions: Vec<ContributionView>,
    },
    RoundClosed {
        index: usize,
        contributions: Vec<ContributionView>,
    },
    RoundRevealed {
        index: usize,
        contributions: Vec<ContributionView>,
    },
    RoundSkipped {
        index: usize,
        contributions: Vec<ContributionView>,
    },
    TimeboxSet {
        deadline_ms: Option<i64>,
    },
    ContributionAdded {
        contribution: ContributionView,
    },
    /// Someone submitted in a hidden round: no content, no author.
    SubmissionCounted {
        round_index: usize,
        submitted: usize,
        eligible: usize,
    },
    TurnPassed {
        round_index: usize,
        who: AuthorView,
    },
    ConclusionRecorded {
        conclusion: Conclusion,
    },
    /// Contributions of a hidden round no longer count; `contributions` is the round as the
    /// viewer may now see it. A replacement is told only to its author.
    ContributionsWithdrawn {
        round_index: usize,
        reason: WithdrawalReason,
        contributions: Vec<ContributionView>,
    },
    /// A contribution the viewer may see was edited: its new state.
    ContributionEdited {
        contribution: ContributionView,
    },
    /// A contribution the viewer may see was marked, hidden or cleared by the moderator.
    ContributionModerated {
        contribution: ContributionView,
    },
    MoralQuestionSet {
        text: String,
    },
    LookBackRecorded {
        entry: super::LookBackEntry,
    },
    RoleChanged {
        participant: ParticipantView,
        /// Your own pseudonym, when this gave you one.
        #[serde(skip_serializing_if = "Option::is_none")]
        your_pseudonym_no: Option<u32>,
    },
    ConcludingStarted,
    SessionEnded,
}

/// What `viewer` receives for `event`, given the state right after it. `None` when the event
/// tells this viewer nothing (e.g. a contribution in a round the presenter is absent from) or
/// the viewer is not in the session.
pub fn visible_event_for(
    state_after: &SessionState,
    event: &Event,
    viewer: &ParticipantId,
) -> Option<VisibleEvent> {
    let Some(me) = present_viewer(state_after, viewer) else {
        let body = match &event.body {
            EventBody::ParticipantRemoved { participant } if participant == viewer => {
                VisibleBody::YouWereRemoved
            }
            EventBody::ParticipantLeft { participant } if participant == viewer => {
                VisibleBody::ParticipantLeft { participant: participant.clone() }
            }
            _ => return None,
        };
        return Some(envelope(event, body, None, None));
    };
    let body = body_for(state_after, me, &event.body)?;
    Some(envelope(event, body, progress(state_after), turn(state_after, me)))
}

/// What `viewer` missed after `after_seq`, as they would have received it live: folds the
/// whole log (cheap for a session's few thousand events) and maps each later event with the
/// state right after it. For a long absence, a fresh [`view_for`] snapshot is the alternative.
pub fn catch_up(
    events: &[Event],
    after_seq: u64,
    viewer: &ParticipantId,
) -> Result<Vec<VisibleEvent>, FoldError> {
    let (first, rest) = events.split_first().ok_or(FoldError::Empty)?;
    let mut state = SessionState::from_created(first)?;
    let mut missed = Vec::new();
    for event in rest {
        state.apply(event)?;
        if event.seq > after_seq {
            missed.extend(visible_event_for(&state, event, viewer));
        }
    }
    Ok(missed)
}

fn envelope(
    event: &Event,
    body: VisibleBody,
    progress: Option<Progress>,
    turn: Option<TurnView>,
) -> VisibleEvent {
    VisibleEvent { seq: event.seq, at_ms: event.at_ms, body, progress, turn }
}

fn body_for(state: &SessionState, me: &Participant, body: &EventBody) -> Option<VisibleBody> {
    let round = |index: usize| round_contributions(state, me, index);
    Some(match body {
        // Nobody is in a session before it is created.
        EventBody::SessionCreated { .. } => return None,
        EventBody::ParticipantJoined { participant, .. } => {
            if participant == &me.id {
                VisibleBody::Welcome { view: Box::new(view_for(state, &me.id)?) }
            } else {
                VisibleBody::ParticipantJoined {
                    participant: participant_view(state.participant(participant)?),
                }
            }
        }
        EventBody::ParticipantLeft { participant } => {
            VisibleBody::ParticipantLeft { participant: participant.clone() }
        }
        EventBody::ParticipantRemoved { participant } => {
            VisibleBody::ParticipantRemoved { participant: participant.clone() }
        }
        EventBody::PresenterSet(change) => VisibleBody::PresenterSet(change.clone()),
        EventBody::ModerationHanded(handover) => VisibleBody::ModerationHanded(handover.clone()),
        EventBody::SessionStarted { .. } => {
            VisibleBody::SessionStarted { your_pseudonym_no: me.pseudonym_no }
        }
        EventBody::RoundOpened { index, deadline_ms } => VisibleBody::RoundOpened {
            index: *index,
            deadline_ms: *deadline_ms,
            contributions: round(*index),
        },
        EventBody::RoundReopened { index, deadline_ms } => VisibleBody::RoundReopened {
            index: *index,
            deadline_ms: *deadline_ms,
            contributions: round(*index),
        },
        EventBody::RoundClosed { index } => {
            VisibleBody::RoundClosed { index: *index, contributions: round(*index) }
        }
        EventBody::RoundRevealed { index } => {
            VisibleBody::RoundRevealed { index: *index, contributions: round(*index) }
        }
        EventBody::RoundSkipped { index } => {
            VisibleBody::RoundSkipped { index: *index, contributions: round(*index) }
        }
        EventBody::TimeboxSet { deadline_ms } => VisibleBody::TimeboxSet { deadline_ms: *deadline_ms },
        EventBody::ContributionAdded { contribution_id, .. } => {
            let c = state.contribution(*contribution_id)?;
            if let Some(view) = contribution_view(state, me, c) {
                VisibleBody::ContributionAdded { contribution: view }
            } else {
                let p = progress(state).filter(|p| p.round_index == c.round_index)?;
                debug_assert!(!can_see(state, me, c));
                VisibleBody::SubmissionCounted {
                    round_index: p.round_index,
                    submitted: p.submitted,
                    eligible: p.eligible,
                }
            }
        }
        EventBody::TurnPassed { round_index, participant } => VisibleBody::TurnPassed {
            round_index: *round_index,
            who: person_in_round(state, me, state.participant(participant)?, *round_index),
        },
        EventBody::ConclusionRecorded { conclusion } => {
            VisibleBody::ConclusionRecorded { conclusion: conclusion.clone() }
        }
        EventBody::ContributionsWithdrawn { round_index, contributions, reason } => {
            if *reason == WithdrawalReason::Replaced {
                let mine = contributions
                    .iter()
                    .any(|id| state.contributions().iter().any(|c| &c.id == id && c.author == me.id));
                if !mine {
                    return None;
                }
            }
            VisibleBody::ContributionsWithdrawn {
                round_index: *round_index,
                reason: *reason,
                contributions: round(*round_index),
            }
        }
        // Told only to those who may see the contribution: an edit in a hidden round stays
        // with its author until the reveal.
        EventBody::ContributionEdited { contribution_id, .. } => VisibleBody::ContributionEdited {
            contribution: contribution_view(state, me, state.contribution(*contribution_id)?)?,
        },
        EventBody::ContributionModerated { contribution_id, .. } => VisibleBody::ContributionModerated {
            contribution: contribution_view(state, me, state.contribution(*contribution_id)?)?,
        },
        EventBody::MoralQuestionSet { text } => VisibleBody::MoralQuestionSet { text: text.clone() },
        EventBody::LookBackRecorded { index, .. } => {
            VisibleBody::LookBackRecorded { entry: state.look_back().find(|e| e.index == *index)?.clone() }
        }
        EventBody::RoleChanged { participant, .. } => {
            let p = state.participant(participant)?;
            VisibleBody::RoleChanged {
                participant: participant_view(p),
                your_pseudonym_no: (p.id == me.id).then_some(me.pseudonym_no).flatten(),
            }
        }
        EventBody::ConcludingStarted => VisibleBody::ConcludingStarted,
        EventBody::SessionEnded => VisibleBody::SessionEnded,
    })
}
