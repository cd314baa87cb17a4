//! `decide`: the one place every rule of a live session lives. It reads the state, never
//! changes it, and answers with the events to append or the reason for refusing.

use super::content::{optional, required};
use super::eligibility::{judgement_settled, may_write, submission_counts};
use super::scramble::shuffle;
use super::turns::turn_holder;
use super::visibility::can_see;
use super::{
    ActionItem, ClientId, Command, CommandError, Conclusion, Content, ContributionId, EventBody, Handover,
    Membership, NewSession, Participant, ParticipantId, Phase, PresenterChange, PseudonymAssignment, Role,
    RoundStatus, SessionState, Unrevealed, WithdrawalReason,
};
use crate::method::{check_method, PresenterView, Reveal, RoundKind};

/// Most people (observers included) present in one session.
pub const MAX_PEOPLE: usize = 40;
/// Most contributions one person writes in one round.
pub const MAX_CONTRIBUTIONS_PER_ROUND: usize = 50;
/// Most contributions in one session.
pub const MAX_CONTRIBUTIONS_PER_SESSION: usize = 3000;
/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 60;
/// Longest session title, in characters.
pub const MAX_TITLE: usize = 120;
/// Longest case text, in characters.
pub const MAX_CASE_TEXT: usize = 20_000;
/// Furthest a deadline may lie ahead.
pub const MAX_TIMEBOX_MS: i64 = 4 * 60 * 60 * 1000;
/// Largest single extension of a time box.
pub const MAX_EXTENSION_MS: i64 = 2 * 60 * 60 * 1000;
const MINUTE_MS: i64 = 60 * 1000;
/// Salt for the pseudonym shuffle, so it is independent of the contribution-id permutation.
const PSEUDONYM_SHUFFLE: u64 = 0x7073_6575_646f; // "pseudo"

/// The events that create a session: `session_created` and the moderator joining.
pub fn create(mut new: NewSession) -> Result<Vec<EventBody>, CommandError> {
    new.method = super::with_look_back(new.method, !new.previous_actions.is_empty());
    let errors = check_method(&new.method);
    if !errors.is_empty() {
        return Err(CommandError::InvalidMethod { errors });
    }
    check_participant_id(&new.moderator)?;
    let title = required("title", new.title, MAX_TITLE)?;
    let case_text = optional("case_text", new.case_text, MAX_CASE_TEXT)?;
    let display_name = display_name(new.moderator_name)?;
    if new.previous_actions.len() > super::content::MAX_ACTIONS {
        return Err(CommandError::TooManyItems {
            field: "previous_actions".into(),
            max: super::content::MAX_ACTIONS,
        });
    }
    let previous_actions = new
        .previous_actions
        .into_iter()
        .enumerate()
        .map(|(i, a)| a.normalized(&format!("previous_actions[{i}].")))
        .collect::<Result<Vec<ActionItem>, _>>()?;
    Ok(vec![
        EventBody::SessionCreated {
            method: new.method,
            title,
            case_text,
            auto_advance: new.auto_advance,
            moderator: new.moderator.clone(),
            seed: new.seed,
            previous_actions,
        },
        EventBody::ParticipantJoined {
            participant: new.moderator,
            display_name,
            role: Role::Moderator,
            pseudonym_no: None,
        },
    ])
}

/// Decides `cmd` by `actor` at `now_ms`: the events to append (in this order, in one
/// transaction, numbered from `state.next_seq()`), or why not.
pub fn decide(
    state: &SessionState,
    actor: &ParticipantId,
    cmd: Command,
    now_ms: i64,
) -> Result<Vec<EventBody>, CommandError> {
    let mut events = match cmd {
        Command::Join { display_name, role } => join(state, actor, display_name, role)?,
        Command::Contribute { client_id, content } => contribute(state, actor, client_id, content)?,
        Command::Leave => leave(state, actor)?,
        Command::PassTurn => pass_turn(state, actor)?,
        Command::SetMoralQuestion { text } => set_moral_question(state, actor, text)?,
        Command::EditContribution { contribution_id, content } => {
            super::revise::edit(state, actor, contribution_id, content)?
        }
        Command::WithdrawContribution { contribution_id } => {
            super::revise::withdraw(state, actor, contribution_id)?
        }
        control => {
            open_session(state)?;
            moderator(state, actor)?;
            moderate(state, actor, control, now_ms)?
        }
    };
    events.extend(reveal_follow_up(state, &events));
    Ok(events)
}

/// Commands only the moderator may give; the caller has checked the role.
fn moderate(
    state: &SessionState,
    actor: &ParticipantId,
    cmd: Command,
    now_ms: i64,
) -> Result<Vec<EventBody>, CommandError> {
    match cmd {
        Command::Start => start(state, now_ms),
        Command::NextRound { unrevealed } => {
            let index = current(state)?;
            let hidden: Vec<ContributionId> = unrevealed_in(state, index).map(|c| c.id).collect();
            if hidden.is_empty() {
                return Ok(next_transition(state, index, now_ms));
            }
            // Moving on never reveals silently: the moderator chooses.
            let mut events = match unrevealed.ok_or(CommandError::RoundNotRevealed)? {
                Unrevealed::Reveal => vec![EventBody::RoundRevealed { index }],
                Unrevealed::Discard => vec![EventBody::ContributionsWithdrawn {
                    round_index: index,
                    contributions: hidden,
                    reason: WithdrawalReason::RoundDiscarded,
                }],
            };
            events.push(EventBody::RoundClosed { index });
            events.push(open_after(state, Some(index), now_ms));
            Ok(events)
        }
        Command::PreviousRound => {
            let from = match state.phase() {
                Phase::Lobby => return Err(CommandError::NotStarted),
                Phase::InRound { index } => index,
                Phase::Concluding | Phase::Closed => state.rounds().len(),
            };
            let target = (0..from)
                .rev()
                .find(|&j| state.rounds()[j].status == RoundStatus::Held)
                .ok_or(CommandError::NoPreviousRound)?;
            Ok(go_to(state, target, now_ms))
        }
        Command::ReopenRound { index } => {
            if state.phase() == Phase::Lobby {
                return Err(CommandError::NotStarted);
            }
            let (_, rs) = state.round(index).ok_or(CommandError::UnknownRound { index })?;
            if !matches!(rs.status, RoundStatus::Held | RoundStatus::Skipped) {
                return Err(CommandError::RoundNotReopenable { index });
            }
            Ok(go_to(state, index, now_ms))
        }
        Command::SkipRound { index } => {
            let (_, rs) = state.round(index).ok_or(CommandError::UnknownRound { index })?;
            match rs.status {
                RoundStatus::Pending => Ok(vec![EventBody::RoundSkipped { index }]),
                RoundStatus::Current => {
                    Ok(vec![EventBody::RoundSkipped { index }, open_after(state, Some(index), now_ms)])
                }
                RoundStatus::Held | RoundStatus::Skipped => Err(CommandError::RoundNotSkippable { index }),
            }
        }
        Command::Reveal => {
            let index = current(state)?;
            let (round, rs) = state.round(index).expect("current round exists");
            if !round.is_hidden() {
                return Err(CommandError::NothingToReveal);
            }
            if rs.revealed {
                return Err(CommandError::AlreadyRevealed);
            }
            Ok(vec![EventBody::RoundRevealed { index }])
        }
        Command::SetTimebox { deadline_ms } => {
            current(state)?;
            if let Some(deadline) = deadline_ms {
                check_deadline(deadline, now_ms)?;
            }
            Ok(vec![EventBody::TimeboxSet { deadline_ms }])
        }
        Command::ExtendTimebox { by_ms } => {
            current(state)?;
            if !(1000..=MAX_EXTENSION_MS).contains(&by_ms) {
                return Err(CommandError::InvalidExtension { max_minutes: MAX_EXTENSION_MS / MINUTE_MS });
            }
            let base = state.deadline_ms().unwrap_or(now_ms).max(now_ms);
            let deadline = base.saturating_add(by_ms);
            check_deadline(deadline, now_ms)?;
            Ok(vec![EventBody::TimeboxSet { deadline_ms: Some(deadline) }])
        }
        Command::HandModeration { to } => {
            if &to == actor {
                return Err(CommandError::CannotHandToSelf);
            }
            let target = state.participant(&to).ok_or(CommandError::UnknownTarget)?;
            if !target.is_present() || target.role != Role::Participant {
                return Err(CommandError::CannotModerate);
            }
            Ok(vec![EventBody::ModerationHanded(Handover { from: actor.clone(), to })])
        }
        Command::SetPresenter { who } => {
            let target = state.participant(&who).ok_or(CommandError::UnknownTarget)?;
            if target.role == Role::Presenter {
                return Err(CommandError::AlreadyPresenter);
            }
            if !target.is_present() || target.role != Role::Participant {
                return Err(CommandError::CannotPresent);
            }
            Ok(vec![EventBody::PresenterSet(PresenterChange { participant: who })])
        }
        Command::RemoveParticipant { who } => {
            if &who == actor {
                return Err(CommandError::CannotRemoveSelf);
            }
            let target = state.participant(&who).ok_or(CommandError::UnknownTarget)?;
            if target.membership == Membership::Removed {
                return Err(CommandError::UnknownTarget);
            }
            // What they wrote in silence and nobody has seen is withdrawn, never revealed.
            let mut events: Vec<EventBody> = Vec::new();
            for (index, _) in state.rounds().iter().enumerate() {
                let theirs: Vec<ContributionId> =
                    unrevealed_in(state, index).filter(|c| c.author == who).map(|c| c.id).collect();
                if !theirs.is_empty() {
                    events.push(EventBody::ContributionsWithdrawn {
                        round_index: index,
                        contributions: theirs,
                        reason: WithdrawalReason::AuthorRemoved,
                    });
                }
            }
            events.push(EventBody::ParticipantRemoved { participant: who });
            Ok(events)
        }
        Command::SetRole { who, role } => set_role(state, actor, who, role),
        Command::ModerateContribution { contribution_id, action, reason } => {
            super::revise::moderate(state, actor, contribution_id, action, reason)
        }
        Command::RecordLookBack { index, outcome, note } => {
            super::look_back::record(state, index, outcome, note)
        }
        Command::Conclude { conclusion, reasoning, dissent, actions } => {
            let allowed = match state.phase() {
                Phase::Concluding => true,
                Phase::InRound { index } => state.method().rounds[index].kind == RoundKind::Conclusion,
                Phase::Lobby | Phase::Closed => false,
            };
            if !allowed {
                return Err(CommandError::NotConclusionTime);
            }
            let conclusion = Conclusion { conclusion, reasoning, dissent, actions }.normalized()?;
            Ok(vec![EventBody::ConclusionRecorded { conclusion }])
        }
        Command::End => {
            if let Some(index) = state.current_round() {
                if unrevealed_in(state, index).next().is_some() {
                    return Err(CommandError::RoundNotRevealed);
                }
            }
            let mut events = match state.current_round() {
                Some(index) => close(state, index, true),
                None => Vec::new(),
            };
            events.push(EventBody::SessionEnded);
            Ok(events)
        }
        Command::Join { .. }
        | Command::Contribute { .. }
        | Command::Leave
        | Command::PassTurn
        | Command::SetMoralQuestion { .. }
        | Command::EditContribution { .. }
        | Command::WithdrawContribution { .. } => {
            unreachable!("handled by decide")
        }
    }
}

// ---- joining and leaving

fn join(
    state: &SessionState,
    actor: &ParticipantId,
    name: String,
    role: Role,
) -> Result<Vec<EventBody>, CommandError> {
    check_participant_id(actor)?;
    open_session(state)?;
    let display_name = display_name(name)?;
    let started = state.started_at_ms().is_some();
    if let Some(me) = state.participant(actor) {
        return match me.membership {
            Membership::Removed => Err(CommandError::Removed),
            Membership::Present => Err(CommandError::AlreadyJoined),
            Membership::Left => {
                check_capacity(state)?;
                let pseudonym_no = me
                    .pseudonym_no
                    .or_else(|| (started && me.role != Role::Observer).then(|| next_pseudonym(state)));
                Ok(vec![EventBody::ParticipantJoined {
                    participant: actor.clone(),
                    display_name,
                    role: me.role,
                    pseudonym_no,
                }])
            }
        };
    }
    match role {
        Role::Moderator => return Err(CommandError::CannotJoinAsModerator),
        Role::Presenter if state.presenter().is_some() => return Err(CommandError::PresenterTaken),
        _ => {}
    }
    check_capacity(state)?;
    Ok(vec![EventBody::ParticipantJoined {
        participant: actor.clone(),
        display_name,
        role,
        pseudonym_no: (started && role != Role::Observer).then(|| next_pseudonym(state)),
    }])
}

fn leave(state: &SessionState, actor: &ParticipantId) -> Result<Vec<EventBody>, CommandError> {
    open_session(state)?;
    let me = member(state, actor)?;
    if me.role == Role::Moderator {
        return Err(CommandError::ModeratorMustHandOver);
    }
    Ok(vec![EventBody::ParticipantLeft { participant: actor.clone() }])
}

fn check_capacity(state: &SessionState) -> Result<(), CommandError> {
    let present = state.participants().iter().filter(|p| p.is_present()).count();
    if present >= MAX_PEOPLE {
        return Err(CommandError::SessionFull { max: MAX_PEOPLE });
    }
    Ok(())
}

fn next_pseudonym(state: &SessionState) -> u32 {
    state.participants().iter().filter_map(|p| p.pseudonym_no).max().unwrap_or(0) + 1
}

// ---- the round machine

fn start(state: &SessionState, now_ms: i64) -> Result<Vec<EventBody>, CommandError> {
    if state.phase() != Phase::Lobby {
        return Err(CommandError::AlreadyStarted);
    }
    if let Some(needed) = state.method().min_participants {
        let present =
            state.participants().iter().filter(|p| p.is_present() && p.role.is_contributor()).count() as u32;
        if present < needed {
            return Err(CommandError::TooFewParticipants { needed, present });
        }
    }
    let first = open_after(state, None, now_ms);
    if first == EventBody::ConcludingStarted {
        return Err(CommandError::NoRoundsLeft);
    }
    // Everyone present who could ever write gets a number; the numbers are shuffled so that
    // they do not follow the join order, which everyone in the lobby could watch.
    let people: Vec<&Participant> =
        state.participants().iter().filter(|p| p.is_present() && p.role != Role::Observer).collect();
    let mut numbers: Vec<u32> = (1..=people.len() as u32).collect();
    shuffle(&mut numbers, state.seed(), PSEUDONYM_SHUFFLE);
    let pseudonyms = people
        .iter()
        .zip(numbers)
        .map(|(p, no)| PseudonymAssignment { participant: p.id.clone(), no })
        .collect();
    Ok(vec![EventBody::SessionStarted { pseudonyms }, first])
}

/// Leave round `index` forwards: reveal it if hidden, close it, open the next round that is not
/// skipped, or start concluding. Used by `NextRound` when nothing is left unrevealed, and by
/// auto-advance at the deadline (a session created to advance by itself reveals then).
pub(crate) fn next_transition(state: &SessionState, index: usize, now_ms: i64) -> Vec<EventBody> {
    let mut events = close(state, index, true);
    events.push(open_after(state, Some(index), now_ms));
    events
}

/// Close the current round, revealing it first if asked and it holds hidden contributions.
fn close(state: &SessionState, index: usize, reveal: bool) -> Vec<EventBody> {
    let mut events = Vec::new();
    let (round, rs) = state.round(index).expect("round exists");
    if reveal && round.is_hidden() && !rs.revealed && state.contributions_in(index).next().is_some() {
        events.push(EventBody::RoundRevealed { index });
    }
    events.push(EventBody::RoundClosed { index });
    events
}

/// Opens the first round after `after` (or the first round) that is not skipped.
fn open_after(state: &SessionState, after: Option<usize>, now_ms: i64) -> EventBody {
    let from = after.map_or(0, |i| i + 1);
    (from..state.rounds().len()).find(|&j| state.rounds()[j].status != RoundStatus::Skipped).map_or(
        EventBody::ConcludingStarted,
        |index| EventBody::RoundOpened { index, deadline_ms: Some(deadline(state, index, now_ms)) },
    )
}

/// Go back to a held or skipped round, closing the current one without revealing it.
fn go_to(state: &SessionState, target: usize, now_ms: i64) -> Vec<EventBody> {
    let mut events = match state.current_round() {
        Some(index) => close(state, index, false),
        None => Vec::new(),
    };
    events
        .push(EventBody::RoundReopened { index: target, deadline_ms: Some(deadline(state, target, now_ms)) });
    events
}

fn deadline(state: &SessionState, index: usize, now_ms: i64) -> i64 {
    now_ms.saturating_add(i64::from(state.method().rounds[index].minutes) * MINUTE_MS)
}

fn check_deadline(deadline: i64, now_ms: i64) -> Result<(), CommandError> {
    if deadline <= now_ms {
        return Err(CommandError::DeadlineInPast);
    }
    if deadline - now_ms > MAX_TIMEBOX_MS {
        return Err(CommandError::DeadlineTooFar { max_minutes: MAX_TIMEBOX_MS / MINUTE_MS });
    }
    Ok(())
}

/// A `when_all_submitted` round is revealed in the same transaction as the submission that
/// completes it. Only a submission does: someone leaving, being removed or changing role never
/// triggers a reveal (the moderator reveals). This is a property of the round, so it applies
/// whether or not the session advances by itself.
fn reveal_follow_up(state: &SessionState, events: &[EventBody]) -> Option<EventBody> {
    if !events.iter().any(|e| matches!(e, EventBody::ContributionAdded { .. })) {
        return None;
    }
    let target = events
        .iter()
        .rev()
        .find_map(|e| match e {
            EventBody::RoundOpened { index, .. } | EventBody::RoundReopened { index, .. } => {
                Some(Some(*index))
            }
            EventBody::RoundClosed { .. }
            | EventBody::RoundSkipped { .. }
            | EventBody::ConcludingStarted
            | EventBody::SessionEnded => Some(None),
            _ => None,
        })
        .unwrap_or_else(|| state.current_round())?;
    let (round, rs) = state.round(target)?;
    if round.reveal != Reveal::WhenAllSubmitted || rs.revealed || events.is_empty() {
        return None;
    }
    let mut after = state.clone();
    for event in after.stamp(events.to_vec(), None, 0) {
        after.apply(&event).ok()?;
    }
    reveal_if_complete(&after)
}

/// `round_revealed` for the current round if it is `when_all_submitted`, not yet revealed, and
/// everyone expected has submitted.
fn reveal_if_complete(state: &SessionState) -> Option<EventBody> {
    let index = state.current_round()?;
    let (round, rs) = state.round(index)?;
    if round.reveal != Reveal::WhenAllSubmitted || rs.revealed {
        return None;
    }
    let (submitted, expected) = submission_counts(state, index);
    (expected > 0 && submitted >= expected).then_some(EventBody::RoundRevealed { index })
}

// ---- contributing

fn contribute(
    state: &SessionState,
    actor: &ParticipantId,
    client_id: ClientId,
    content: Content,
) -> Result<Vec<EventBody>, CommandError> {
    check_client_id(&client_id)?;
    if let Some(earlier) = state.contribution_by_client_id(&client_id) {
        return Err(if &earlier.author == actor {
            CommandError::AlreadyApplied { seq: earlier.seq, contribution_id: earlier.id }
        } else {
            CommandError::ClientIdTaken
        });
    }
    let me = member(state, actor)?;
    let index = current(state)?;
    if me.role == Role::Observer {
        return Err(CommandError::ObserverCannotContribute);
    }
    let round = &state.method().rounds[index];
    let content = content.normalized()?;
    if !content.fits(round.kind) {
        return Err(CommandError::WrongContentForRound { kind: round.kind, content: content.type_name() });
    }
    match &content {
        Content::Answer { question_id, .. } => check_answer(state, me, index, *question_id)?,
        other => {
            may_write(me, round)?;
            if let Content::Selection { target } = other {
                check_candidate(state, me, *target)?;
            }
            if me.role != Role::Moderator {
                if let Some(holder) = turn_holder(state, index) {
                    if holder.id != me.id {
                        return Err(CommandError::NotYourTurn);
                    }
                }
            }
        }
    }
    let mut events = Vec::new();
    let earlier: Vec<ContributionId> = state
        .contributions_in(index)
        .filter(|c| &c.author == actor && !matches!(c.content, Content::Answer { .. }))
        .map(|c| c.id)
        .collect();
    if judgement_settled(state, actor, index) {
        return Err(CommandError::AlreadySubmitted);
    }
    if round.counts_once() && !earlier.is_empty() {
        // Each person's judgement counts once: the newest replaces the earlier one until the
        // reveal; after it, what was revealed stands (above).
        events.push(EventBody::ContributionsWithdrawn {
            round_index: index,
            contributions: earlier,
            reason: WithdrawalReason::Replaced,
        });
    }
    let mine = state.contributions_in(index).filter(|c| &c.author == actor).count();
    if mine >= MAX_CONTRIBUTIONS_PER_ROUND {
        return Err(CommandError::ContributionLimit { max: MAX_CONTRIBUTIONS_PER_ROUND });
    }
    if state.contributions().len() >= MAX_CONTRIBUTIONS_PER_SESSION {
        return Err(CommandError::ContributionLimit { max: MAX_CONTRIBUTIONS_PER_SESSION });
    }
    let seq = state.next_seq() + events.len() as u64;
    events.push(EventBody::ContributionAdded {
        contribution_id: ContributionId::derive(state.seed(), seq),
        client_id,
        round_index: index,
        author: actor.clone(),
        content,
    });
    Ok(events)
}

/// The counting contributions of a hidden round that nobody but their authors has seen.
fn unrevealed_in(state: &SessionState, index: usize) -> impl Iterator<Item = &super::Contribution> {
    let hidden = state.round(index).is_some_and(|(round, rs)| round.is_hidden() && !rs.revealed);
    state.contributions_in(index).filter(move |_| hidden)
}

/// The method's first options round: where options A and B — and the moral question — are
/// written (dilemma step 3).
fn moral_question_round(state: &SessionState) -> Option<usize> {
    state.method().rounds.iter().position(|r| r.kind == RoundKind::Options)
}

fn set_moral_question(
    state: &SessionState,
    actor: &ParticipantId,
    text: String,
) -> Result<Vec<EventBody>, CommandError> {
    let me = member(state, actor)?;
    if !matches!(me.role, Role::Presenter | Role::Moderator) {
        return Err(CommandError::NotPresenterOrModerator);
    }
    let index = current(state)?;
    if moral_question_round(state) != Some(index) {
        return Err(CommandError::NotMoralQuestionRound);
    }
    let text = required("moral_question", text, super::content::MAX_QUESTION)?;
    Ok(vec![EventBody::MoralQuestionSet { text }])
}

/// The moderator gives someone present the role presenter, participant or observer.
fn set_role(
    state: &SessionState,
    actor: &ParticipantId,
    who: ParticipantId,
    role: Role,
) -> Result<Vec<EventBody>, CommandError> {
    if role == Role::Moderator {
        return Err(CommandError::CannotSetRole);
    }
    if &who == actor {
        return Err(CommandError::CannotSetRole);
    }
    let target = state.participant(&who).ok_or(CommandError::UnknownTarget)?;
    if !target.is_present() {
        return Err(CommandError::UnknownTarget);
    }
    if target.role == Role::Moderator {
        return Err(CommandError::CannotSetRole);
    }
    if target.role == role {
        return Err(CommandError::SameRole);
    }
    let started = state.started_at_ms().is_some();
    let pseudonym_no =
        (started && role != Role::Observer && target.pseudonym_no.is_none()).then(|| next_pseudonym(state));
    Ok(vec![EventBody::RoleChanged { participant: who, role, pseudonym_no }])
}

fn check_answer(
    state: &SessionState,
    me: &Participant,
    index: usize,
    question_id: ContributionId,
) -> Result<(), CommandError> {
    if me.role != Role::Presenter {
        return Err(CommandError::OnlyPresenterAnswers);
    }
    match state.method().rounds[index].presenter_view {
        PresenterView::ListenOnly => return Err(CommandError::PresenterListenOnly),
        PresenterView::Absent => return Err(CommandError::PresenterAbsent),
        PresenterView::All => {}
    }
    let is_question = state
        .contributions_in(index)
        .any(|c| c.id == question_id && matches!(c.content, Content::Question { .. }));
    if !is_question {
        return Err(CommandError::UnknownQuestion);
    }
    let answered = state
        .contributions_in(index)
        .any(|c| matches!(c.content, Content::Answer { question_id: q, .. } if q == question_id));
    if answered {
        return Err(CommandError::AlreadyAnswered);
    }
    Ok(())
}

/// A vote must point at a proposal (text in a selection round) that the voter can see.
pub(super) fn check_candidate(
    state: &SessionState,
    me: &Participant,
    target: ContributionId,
) -> Result<(), CommandError> {
    let candidate = state.contribution(target).filter(|c| {
        matches!(c.content, Content::Text { .. })
            && state.method().rounds[c.round_index].kind == RoundKind::Selection
            && can_see(state, me, c)
    });
    candidate.map(|_| ()).ok_or(CommandError::UnknownCandidate)
}

fn pass_turn(state: &SessionState, actor: &ParticipantId) -> Result<Vec<EventBody>, CommandError> {
    let me = member(state, actor)?;
    let index = current(state)?;
    let holder = turn_holder(state, index).ok_or(CommandError::NoTurn)?;
    if holder.id != me.id && me.role != Role::Moderator {
        return Err(CommandError::NotYourTurn);
    }
    Ok(vec![EventBody::TurnPassed { round_index: index, participant: holder.id.clone() }])
}

// ---- common checks

/// The actor, if present in the session.
pub(super) fn member<'s>(
    state: &'s SessionState,
    actor: &ParticipantId,
) -> Result<&'s Participant, CommandError> {
    let me = state.participant(actor).ok_or(CommandError::UnknownParticipant)?;
    match me.membership {
        Membership::Present => Ok(me),
        Membership::Left => Err(CommandError::NotPresent),
        Membership::Removed => Err(CommandError::Removed),
    }
}

fn moderator<'s>(state: &'s SessionState, actor: &ParticipantId) -> Result<&'s Participant, CommandError> {
    let me = member(state, actor)?;
    if me.role != Role::Moderator {
        return Err(CommandError::NotModerator);
    }
    Ok(me)
}

fn open_session(state: &SessionState) -> Result<(), CommandError> {
    if state.phase() == Phase::Closed {
        return Err(CommandError::SessionClosed);
    }
    Ok(())
}

/// The index of the open round, or why there is none.
fn current(state: &SessionState) -> Result<usize, CommandError> {
    match state.phase() {
        Phase::Closed => Err(CommandError::SessionClosed),
        Phase::Lobby => Err(CommandError::NotStarted),
        Phase::InRound { .. } | Phase::Concluding => state.current_round().ok_or(CommandError::NoOpenRound),
    }
}

fn display_name(name: String) -> Result<String, CommandError> {
    let invalid = CommandError::InvalidDisplayName { max: MAX_DISPLAY_NAME };
    let name = optional("display_name", name, MAX_DISPLAY_NAME).map_err(|_| invalid.clone())?;
    if name.is_empty() || name.contains(['\n', '\r', '\t']) {
        return Err(invalid);
    }
    Ok(name)
}

fn check_participant_id(id: &ParticipantId) -> Result<(), CommandError> {
    let s = id.as_str();
    if s.is_empty() || s.len() > 128 || s.chars().any(char::is_control) {
        return Err(CommandError::InvalidParticipantId);
    }
    Ok(())
}

fn check_client_id(id: &ClientId) -> Result<(), CommandError> {
    let s = id.as_str();
    let ok =
        (1..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(CommandError::InvalidClientId)
    }
}
