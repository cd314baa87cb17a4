//! The session state: a pure, deterministic fold of its events. The same fold runs in the
//! server and in the tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{
    ActionItem, ClientId, Conclusion, Content, ContributionId, Event, EventBody, Handover, LookBackEntry,
    Moderation, ModerationKind, ParticipantId, PresenterChange, Role, WithdrawalReason,
};
use crate::method::{Method, Round};

/// Where a session is in its life: created → lobby → rounds → concluding → closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    Lobby,
    InRound { index: usize },
    Concluding,
    Closed,
}

/// Whether someone is in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    Present,
    Left,
    Removed,
}

/// Someone who joined the session (and may have left or been removed since).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub display_name: String,
    pub role: Role,
    /// "deelnemer N" in pseudonymous rounds; known only to the server and to its owner.
    pub pseudonym_no: Option<u32>,
    pub membership: Membership,
    /// Position in the order of first joining.
    pub join_order: usize,
}

impl Participant {
    pub fn is_present(&self) -> bool {
        self.membership == Membership::Present
    }
}

/// Where a round stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    #[default]
    Pending,
    Current,
    /// Was current and has been left.
    Held,
    Skipped,
}

/// The live state of one round.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundState {
    pub status: RoundStatus,
    /// For hidden rounds: whether the contributions have been revealed.
    pub revealed: bool,
}

/// One contribution as stored (all facts, including the author).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    pub id: ContributionId,
    pub seq: u64,
    pub at_ms: i64,
    pub round_index: usize,
    pub author: ParticipantId,
    /// The author's role when writing (moderators write as scribe; a role can change later).
    pub author_role: Role,
    pub client_id: ClientId,
    pub content: Content,
    /// Set when it no longer counts (see [`EventBody::ContributionsWithdrawn`]).
    pub withdrawn: Option<WithdrawalReason>,
    /// Whether its author changed it since writing ([`EventBody::ContributionEdited`]).
    #[serde(default)]
    pub edited: bool,
    /// The moderator's mark, if any ([`EventBody::ContributionModerated`]).
    #[serde(default)]
    pub moderation: Option<Moderation>,
}

impl Contribution {
    pub fn counts(&self) -> bool {
        self.withdrawn.is_none()
    }

    /// Hidden by the moderator: its content is withheld from all but its author and the
    /// moderator, and it is left out of the precedent.
    pub fn is_hidden_by_moderator(&self) -> bool {
        self.moderation.as_ref().is_some_and(|m| m.kind == ModerationKind::Hidden)
    }
}

/// What the server answers to a contribution, and again to a resend of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    pub client_id: ClientId,
    pub seq: u64,
    pub contribution_id: ContributionId,
}

/// The fold found events that cannot follow each other.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FoldError {
    #[error("no events")]
    Empty,
    #[error("the first event must be session_created (got {got} at seq {seq})")]
    NotCreatedFirst { seq: u64, got: &'static str },
    #[error("expected event seq {expected}, got {got}")]
    SeqGap { expected: u64, got: u64 },
    #[error("event {seq} ({event}) does not fit the state: {reason}")]
    Inconsistent { seq: u64, event: &'static str, reason: &'static str },
}

/// A session's state after its events so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    seq: u64,
    created_at_ms: i64,
    started_at_ms: Option<i64>,
    method: Method,
    title: String,
    case_text: String,
    auto_advance: bool,
    seed: u64,
    previous_actions: Vec<ActionItem>,
    phase: Phase,
    deadline_ms: Option<i64>,
    participants: Vec<Participant>,
    rounds: Vec<RoundState>,
    contributions: Vec<Contribution>,
    passes: Vec<(usize, ParticipantId)>,
    conclusion: Option<Conclusion>,
    moral_question: Option<String>,
    /// What became of each previous action, by index (the latest record).
    look_back: BTreeMap<usize, LookBackEntry>,
    /// Client id → index into `contributions`.
    client_ids: BTreeMap<ClientId, usize>,
}

impl SessionState {
    /// The state after `events`, which must start with `session_created` at seq 1.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<Self, FoldError> {
        let mut events = events.into_iter();
        let first = events.next().ok_or(FoldError::Empty)?;
        let mut state = Self::from_created(first)?;
        for event in events {
            state.apply(event)?;
        }
        Ok(state)
    }

    /// The state right after the `session_created` event.
    pub fn from_created(event: &Event) -> Result<Self, FoldError> {
        let EventBody::SessionCreated {
            method,
            title,
            case_text,
            auto_advance,
            moderator: _,
            seed,
            previous_actions,
        } = &event.body
        else {
            return Err(FoldError::NotCreatedFirst { seq: event.seq, got: event.body.type_name() });
        };
        if event.seq != 1 {
            return Err(FoldError::SeqGap { expected: 1, got: event.seq });
        }
        Ok(Self {
            seq: 1,
            created_at_ms: event.at_ms,
            started_at_ms: None,
            rounds: vec![RoundState::default(); method.rounds.len()],
            method: method.clone(),
            title: title.clone(),
            case_text: case_text.clone(),
            auto_advance: *auto_advance,
            seed: *seed,
            previous_actions: previous_actions.clone(),
            phase: Phase::Lobby,
            deadline_ms: None,
            participants: Vec::new(),
            contributions: Vec::new(),
            passes: Vec::new(),
            conclusion: None,
            moral_question: None,
            look_back: BTreeMap::new(),
            client_ids: BTreeMap::new(),
        })
    }

    /// Applies the next event. Refuses gaps and events that contradict the state, leaving the
    /// state unchanged.
    pub fn apply(&mut self, event: &Event) -> Result<(), FoldError> {
        if event.seq != self.seq + 1 {
            return Err(FoldError::SeqGap { expected: self.seq + 1, got: event.seq });
        }
        let fail = |reason: &'static str| FoldError::Inconsistent {
            seq: event.seq,
            event: event.body.type_name(),
            reason,
        };
        self.check(&event.body).map_err(fail)?;
        match &event.body {
            EventBody::SessionCreated { .. } => unreachable!("refused by check"),
            EventBody::ParticipantJoined { participant, display_name, role, pseudonym_no } => {
                let join_order = self.participants.len();
                match self.participant_mut(participant) {
                    Some(p) => {
                        p.display_name = display_name.clone();
                        p.role = *role;
                        p.membership = Membership::Present;
                        if p.pseudonym_no.is_none() {
                            p.pseudonym_no = *pseudonym_no;
                        }
                    }
                    None => self.participants.push(Participant {
                        id: participant.clone(),
                        display_name: display_name.clone(),
                        role: *role,
                        pseudonym_no: *pseudonym_no,
                        membership: Membership::Present,
                        join_order,
                    }),
                }
            }
            EventBody::ParticipantLeft { participant } => {
                self.set_membership(participant, Membership::Left);
            }
            EventBody::ParticipantRemoved { participant } => {
                self.set_membership(participant, Membership::Removed);
                if let Some(p) = self.participant_mut(participant) {
                    if p.role == Role::Presenter {
                        p.role = Role::Participant;
                    }
                }
            }
            EventBody::PresenterSet(PresenterChange { participant }) => {
                for p in &mut self.participants {
                    if p.role == Role::Presenter {
                        p.role = Role::Participant;
                    }
                    if &p.id == participant {
                        p.role = Role::Presenter;
                    }
                }
            }
            EventBody::ModerationHanded(Handover { from, to }) => {
                for p in &mut self.participants {
                    if &p.id == from {
                        p.role = Role::Participant;
                    } else if &p.id == to {
                        p.role = Role::Moderator;
                    }
                }
            }
            EventBody::SessionStarted { pseudonyms } => {
                self.started_at_ms = Some(event.at_ms);
                for a in pseudonyms {
                    if let Some(p) = self.participant_mut(&a.participant) {
                        p.pseudonym_no = Some(a.no);
                    }
                }
            }
            EventBody::RoundOpened { index, deadline_ms }
            | EventBody::RoundReopened { index, deadline_ms } => {
                for r in &mut self.rounds {
                    if r.status == RoundStatus::Current {
                        r.status = RoundStatus::Held;
                    }
                }
                self.rounds[*index].status = RoundStatus::Current;
                self.phase = Phase::InRound { index: *index };
                self.deadline_ms = *deadline_ms;
            }
            EventBody::RoundClosed { index } => {
                self.rounds[*index].status = RoundStatus::Held;
                self.deadline_ms = None;
            }
            EventBody::RoundRevealed { index } => self.rounds[*index].revealed = true,
            EventBody::TimeboxSet { deadline_ms } => self.deadline_ms = *deadline_ms,
            EventBody::RoundSkipped { index } => {
                if self.rounds[*index].status == RoundStatus::Current {
                    self.deadline_ms = None;
                }
                self.rounds[*index].status = RoundStatus::Skipped;
            }
            EventBody::ContributionAdded { contribution_id, client_id, round_index, author, content } => {
                let author_role = self.participant(author).map(|p| p.role).unwrap_or(Role::Participant);
                self.client_ids.insert(client_id.clone(), self.contributions.len());
                self.contributions.push(Contribution {
                    id: *contribution_id,
                    seq: event.seq,
                    at_ms: event.at_ms,
                    round_index: *round_index,
                    author: author.clone(),
                    author_role,
                    client_id: client_id.clone(),
                    content: content.clone(),
                    withdrawn: None,
                    edited: false,
                    moderation: None,
                });
            }
            EventBody::TurnPassed { round_index, participant } => {
                self.passes.push((*round_index, participant.clone()))
            }
            EventBody::ConclusionRecorded { conclusion } => {
                self.conclusion = Some(conclusion.clone());
            }
            EventBody::ContributionsWithdrawn { contributions, reason, .. } => {
                for c in &mut self.contributions {
                    if contributions.contains(&c.id) {
                        c.withdrawn = Some(*reason);
                    }
                }
            }
            EventBody::ContributionEdited { contribution_id, content, .. } => {
                if let Some(c) = self.contributions.iter_mut().find(|c| &c.id == contribution_id) {
                    c.content = content.clone();
                    c.edited = true;
                }
            }
            EventBody::ContributionModerated { contribution_id, moderation, .. } => {
                if let Some(c) = self.contributions.iter_mut().find(|c| &c.id == contribution_id) {
                    c.moderation = moderation.clone();
                }
            }
            EventBody::MoralQuestionSet { text } => self.moral_question = Some(text.clone()),
            EventBody::LookBackRecorded { index, outcome, note } => {
                let entry = LookBackEntry {
                    index: *index,
                    outcome: *outcome,
                    note: note.clone(),
                    at_ms: event.at_ms,
                };
                self.look_back.insert(*index, entry);
            }
            EventBody::RoleChanged { participant, role, pseudonym_no } => {
                for p in &mut self.participants {
                    if *role == Role::Presenter && p.role == Role::Presenter {
                        p.role = Role::Participant;
                    }
                    if &p.id == participant {
                        p.role = *role;
                        if p.pseudonym_no.is_none() {
                            p.pseudonym_no = *pseudonym_no;
                        }
                    }
                }
            }
            EventBody::ConcludingStarted => {
                self.phase = Phase::Concluding;
                self.deadline_ms = None;
            }
            EventBody::SessionEnded => {
                for r in &mut self.rounds {
                    if r.status == RoundStatus::Current {
                        r.status = RoundStatus::Held;
                    }
                }
                self.phase = Phase::Closed;
                self.deadline_ms = None;
            }
        }
        self.seq = event.seq;
        Ok(())
    }

    /// Structural checks, so a corrupt log is reported instead of folded into nonsense.
    fn check(&self, body: &EventBody) -> Result<(), &'static str> {
        let known = |id: &ParticipantId| self.participant(id).map(|_| ()).ok_or("unknown participant");
        let round = |index: usize| {
            if index < self.rounds.len() {
                Ok(())
            } else {
                Err("unknown round")
            }
        };
        match body {
            EventBody::SessionCreated { .. } => Err("the session already exists"),
            EventBody::ParticipantLeft { participant }
            | EventBody::ParticipantRemoved { participant }
            | EventBody::PresenterSet(PresenterChange { participant }) => known(participant),
            EventBody::ModerationHanded(Handover { from, to }) => known(from).and(known(to)),
            EventBody::SessionStarted { pseudonyms } => {
                pseudonyms.iter().try_for_each(|a| known(&a.participant))
            }
            EventBody::RoundOpened { index, .. }
            | EventBody::RoundClosed { index }
            | EventBody::RoundRevealed { index }
            | EventBody::RoundReopened { index, .. }
            | EventBody::RoundSkipped { index } => round(*index),
            EventBody::ContributionAdded { client_id, round_index, author, .. } => {
                round(*round_index)?;
                known(author)?;
                if self.client_ids.contains_key(client_id) {
                    return Err("duplicate client id");
                }
                Ok(())
            }
            EventBody::TurnPassed { round_index, participant } => round(*round_index).and(known(participant)),
            EventBody::ContributionsWithdrawn { round_index, contributions, .. } => {
                round(*round_index)?;
                let here = |id: &ContributionId| {
                    self.contributions.iter().any(|c| &c.id == id && c.round_index == *round_index)
                };
                if contributions.iter().all(here) {
                    Ok(())
                } else {
                    Err("unknown contribution")
                }
            }
            EventBody::RoleChanged { participant, role, .. } => {
                known(participant)?;
                if *role == Role::Moderator {
                    return Err("the moderator role is handed over, not set");
                }
                Ok(())
            }
            EventBody::ContributionEdited { contribution_id, round_index, .. }
            | EventBody::ContributionModerated { contribution_id, round_index, .. } => {
                round(*round_index)?;
                let here = self
                    .contributions
                    .iter()
                    .any(|c| &c.id == contribution_id && c.round_index == *round_index);
                if here {
                    Ok(())
                } else {
                    Err("unknown contribution")
                }
            }
            EventBody::MoralQuestionSet { .. } => Ok(()),
            EventBody::LookBackRecorded { index, .. } => {
                if *index < self.previous_actions.len() {
                    Ok(())
                } else {
                    Err("unknown previous action")
                }
            }
            EventBody::ParticipantJoined { .. }
            | EventBody::TimeboxSet { .. }
            | EventBody::ConclusionRecorded { .. }
            | EventBody::ConcludingStarted
            | EventBody::SessionEnded => Ok(()),
        }
    }

    fn participant_mut(&mut self, id: &ParticipantId) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| &p.id == id)
    }

    fn set_membership(&mut self, id: &ParticipantId, membership: Membership) {
        if let Some(p) = self.participant_mut(id) {
            p.membership = membership;
        }
    }

    // ---- reading

    /// The sequence number of the last applied event.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The sequence number the next event must have.
    pub fn next_seq(&self) -> u64 {
        self.seq + 1
    }

    /// Wraps bodies from [`super::decide`] into events numbered from [`Self::next_seq`].
    pub fn stamp(&self, bodies: Vec<EventBody>, actor: Option<&ParticipantId>, at_ms: i64) -> Vec<Event> {
        super::event::stamp(self.next_seq(), bodies, actor, at_ms)
    }

    pub fn created_at_ms(&self) -> i64 {
        self.created_at_ms
    }

    pub fn started_at_ms(&self) -> Option<i64> {
        self.started_at_ms
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn case_text(&self) -> &str {
        &self.case_text
    }

    pub fn auto_advance(&self) -> bool {
        self.auto_advance
    }

    pub(crate) fn seed(&self) -> u64 {
        self.seed
    }

    pub fn previous_actions(&self) -> &[ActionItem] {
        &self.previous_actions
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The current round's deadline (unix ms), if it has a time box.
    pub fn deadline_ms(&self) -> Option<i64> {
        self.deadline_ms
    }

    /// Everyone who ever joined, in join order.
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    pub fn participant(&self, id: &ParticipantId) -> Option<&Participant> {
        self.participants.iter().find(|p| &p.id == id)
    }

    /// Present participants with the role.
    pub fn present_with(&self, role: Role) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(move |p| p.is_present() && p.role == role)
    }

    pub fn moderator(&self) -> Option<&Participant> {
        self.participants.iter().find(|p| p.role == Role::Moderator)
    }

    pub fn presenter(&self) -> Option<&Participant> {
        self.participants.iter().find(|p| p.role == Role::Presenter && p.membership != Membership::Removed)
    }

    pub fn rounds(&self) -> &[RoundState] {
        &self.rounds
    }

    /// The definition and live state of round `index`.
    pub fn round(&self, index: usize) -> Option<(&Round, &RoundState)> {
        Some((self.method.rounds.get(index)?, self.rounds.get(index)?))
    }

    /// The index of the round that is open now.
    pub fn current_round(&self) -> Option<usize> {
        match self.phase {
            Phase::InRound { index } if self.rounds[index].status == RoundStatus::Current => Some(index),
            _ => None,
        }
    }

    /// All contributions, in order of writing, withdrawn ones included (see
    /// [`Contribution::counts`]).
    pub fn contributions(&self) -> &[Contribution] {
        &self.contributions
    }

    /// The contributions of a round that count (withdrawn ones left out).
    pub fn contributions_in(&self, round_index: usize) -> impl Iterator<Item = &Contribution> {
        self.contributions.iter().filter(move |c| c.round_index == round_index && c.counts())
    }

    /// The moral question, once written.
    pub fn moral_question(&self) -> Option<&str> {
        self.moral_question.as_deref()
    }

    /// What became of the previous actions so far, in the order of `previous_actions`.
    pub fn look_back(&self) -> impl Iterator<Item = &LookBackEntry> {
        self.look_back.values()
    }

    /// Whether `author` replaced an earlier contribution in the round.
    pub fn revised(&self, round_index: usize, author: &ParticipantId) -> bool {
        self.contributions.iter().any(|c| {
            c.round_index == round_index
                && &c.author == author
                && c.withdrawn == Some(WithdrawalReason::Replaced)
        })
    }

    pub fn contribution(&self, id: ContributionId) -> Option<&Contribution> {
        self.contributions.iter().find(|c| c.id == id)
    }

    /// Who passed their turn in a round.
    pub fn passes_in(&self, round_index: usize) -> impl Iterator<Item = &ParticipantId> {
        self.passes.iter().filter(move |(r, _)| *r == round_index).map(|(_, p)| p)
    }

    pub fn conclusion(&self) -> Option<&Conclusion> {
        self.conclusion.as_ref()
    }

    /// The acknowledgement of an applied contribution, by its client id.
    pub fn ack_for(&self, client_id: &ClientId) -> Option<Ack> {
        let c = &self.contributions[*self.client_ids.get(client_id)?];
        Some(Ack { client_id: c.client_id.clone(), seq: c.seq, contribution_id: c.id })
    }

    /// The contribution with this client id, if any.
    pub fn contribution_by_client_id(&self, client_id: &ClientId) -> Option<&Contribution> {
        Some(&self.contributions[*self.client_ids.get(client_id)?])
    }
}
