//! What a client asks of a session, and what it takes to create one.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{ActionItem, ClientId, Content, ContributionId, ModerationAction, ParticipantId, Role};
use crate::method::Method;

/// A request from a participant (or someone about to join). [`super::decide`] turns it into
/// events or refuses it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Join (or, after leaving, rejoin with one's former role) under a display name.
    /// `role` is presenter, participant or observer.
    Join { display_name: String, role: Role },
    /// Leave the session. The moderator must hand moderation over first.
    Leave,
    /// Moderator: leave the lobby and open the first round.
    Start,
    /// Moderator: close the current round and open the next one, or move on to concluding
    /// after the last round. From a hidden round that holds unrevealed contributions the
    /// moderator must say what happens to them (`unrevealed`); without it the command is
    /// refused with `round_not_revealed`.
    NextRound {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unrevealed: Option<Unrevealed>,
    },
    /// Moderator: go back to the nearest earlier round that was held. Does not reveal.
    PreviousRound,
    /// Moderator: open again a round that was held or skipped. Does not reveal the current one.
    ReopenRound { index: usize },
    /// Moderator: skip the current round or a later one. Hidden contributions of a skipped
    /// round stay hidden.
    SkipRound { index: usize },
    /// Moderator: reveal the current hidden round.
    Reveal,
    /// Moderator: set (or, with `None`, clear) the current round's deadline.
    SetTimebox { deadline_ms: Option<i64> },
    /// Moderator: move the deadline later by `by_ms`, counted from now if it has passed.
    ExtendTimebox { by_ms: i64 },
    /// Moderator: hand moderation to a present participant; the moderator becomes a participant.
    HandModeration { to: ParticipantId },
    /// Moderator: make a present participant the case presenter (the former one, if any,
    /// becomes a participant).
    SetPresenter { who: ParticipantId },
    /// Moderator: remove someone; they cannot rejoin. Their visible contributions stay; what
    /// they wrote in a hidden round that was not revealed is withdrawn, never revealed.
    RemoveParticipant { who: ParticipantId },
    /// Presenter or moderator, in the round where the options are written (the method's first
    /// options round): write (or rewrite) the moral question. Shown above the options from
    /// then on and carried into the precedent.
    SetMoralQuestion { text: String },
    /// Moderator: give a present person (not the moderator) the role presenter, participant or
    /// observer. A former presenter becomes a participant.
    SetRole { who: ParticipantId, role: Role },
    /// Contribute to the current round. `client_id` makes resends harmless (over the live
    /// protocol the server sets it from the message's `cid`: a client leaves it out).
    Contribute {
        #[serde(default)]
        client_id: ClientId,
        content: Content,
    },
    /// The author, while the contribution's round is open: replace its content with content of
    /// the same type. In a hidden round the edit stays as hidden as the contribution; after the
    /// reveal of a round where each judgement counts once, what was revealed stands.
    EditContribution { contribution_id: ContributionId, content: Content },
    /// The author, while the contribution's round is open: take it back. Nobody sees it any
    /// more; the event log keeps it.
    WithdrawContribution { contribution_id: ContributionId },
    /// Moderator: mark or hide a contribution that breaks the round's rule, with a reason that
    /// everyone who sees the contribution sees; `clear` takes the mark back.
    ModerateContribution {
        contribution_id: ContributionId,
        action: ModerationAction,
        #[serde(default)]
        reason: String,
    },
    /// In a round-robin round: pass one's turn (or, by the moderator, the current holder's).
    PassTurn,
    /// Moderator: record the conclusion (replacing an earlier one).
    Conclude {
        conclusion: String,
        #[serde(default)]
        reasoning: String,
        #[serde(default)]
        dissent: String,
        #[serde(default)]
        actions: Vec<ActionItem>,
    },
    /// Moderator, in a look-back round: record what became of previous action `index` (done,
    /// dropped with a reason in `note`, or still open). A later record replaces an earlier one.
    RecordLookBack {
        index: usize,
        outcome: super::LookBackOutcome,
        #[serde(default)]
        note: String,
    },
    /// Moderator: end the session.
    End,
}

impl Command {
    /// This command with the ids the server issued (participant ids and contribution ids,
    /// including those inside a contribution's content) blanked, and everything else as it
    /// is: what the privacy guard reads. Such an id is not text a person wrote, and it may
    /// hold nine digits that pass the eleven test (a contribution id is sixteen hex digits),
    /// so reading it would refuse a command as holding a BSN by chance. Nothing unknown gets
    /// through this way: the domain refuses an id that names no participant or contribution
    /// of the session, so only ids the server made are ever stored. Borrowed when the command
    /// names no such id (nearly every contribution).
    ///
    /// The fields are chosen by type, not by name: an action's `who` is free text.
    pub fn with_issued_ids_blanked(&self) -> Cow<'_, Command> {
        let blank = || ParticipantId(String::new());
        let blanked = match self {
            Self::HandModeration { .. } => Self::HandModeration { to: blank() },
            Self::SetPresenter { .. } => Self::SetPresenter { who: blank() },
            Self::RemoveParticipant { .. } => Self::RemoveParticipant { who: blank() },
            Self::SetRole { role, .. } => Self::SetRole { who: blank(), role: *role },
            Self::Contribute { client_id, content } => match content.with_issued_ids_blanked() {
                Some(content) => Self::Contribute { client_id: client_id.clone(), content },
                None => return Cow::Borrowed(self),
            },
            Self::EditContribution { content, .. } => Self::EditContribution {
                contribution_id: ContributionId::BLANK,
                content: content.with_issued_ids_blanked().unwrap_or_else(|| content.clone()),
            },
            Self::WithdrawContribution { .. } => {
                Self::WithdrawContribution { contribution_id: ContributionId::BLANK }
            }
            Self::ModerateContribution { action, reason, .. } => Self::ModerateContribution {
                contribution_id: ContributionId::BLANK,
                action: *action,
                reason: reason.clone(),
            },
            // Every other command by name, so a new one with an id cannot be forgotten here.
            Self::Join { .. }
            | Self::Leave
            | Self::Start
            | Self::NextRound { .. }
            | Self::PreviousRound
            | Self::ReopenRound { .. }
            | Self::SkipRound { .. }
            | Self::Reveal
            | Self::SetTimebox { .. }
            | Self::ExtendTimebox { .. }
            | Self::SetMoralQuestion { .. }
            | Self::PassTurn
            | Self::Conclude { .. }
            | Self::RecordLookBack { .. }
            | Self::End => return Cow::Borrowed(self),
        };
        Cow::Owned(blanked)
    }
}

/// What happens to the unrevealed contributions of a hidden round when the moderator moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unrevealed {
    /// Reveal them first, then move on.
    Reveal,
    /// Withdraw them: nobody ever sees them, their authors included.
    Discard,
}

/// Everything needed to create a session. The server supplies the ids, the clock and the
/// randomness (`seed`); the domain stays deterministic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    /// A full copy of the method; later edits to a custom method do not change the session.
    pub method: Method,
    pub title: String,
    /// The (anonymised) case as known at creation; may be empty when a method chooses its case
    /// in an early round.
    pub case_text: String,
    /// Advance to the next round by itself when the time box runs out.
    pub auto_advance: bool,
    pub moderator: ParticipantId,
    pub moderator_name: String,
    /// Secret randomness from the server: it shuffles pseudonyms and scrambles contribution
    /// ids. Never sent to clients.
    pub seed: u64,
    /// The previous session's actions, shown in look-back rounds.
    #[serde(default)]
    pub previous_actions: Vec<ActionItem>,
}
