//! The case queue's rules: what a proposal needs, how many may wait, who withdraws and who
//! picks, and the order the team sees.

use serde::{Deserialize, Serialize};

use crate::session::{CommandError, MAX_TITLE};

/// Longest one-line summary of a proposed case, in characters.
pub const MAX_SUMMARY: usize = 200;
/// Most open proposals in one team's queue.
pub const MAX_OPEN_PROPOSALS: usize = 50;
/// Most open proposals by one person in one team.
pub const MAX_OPEN_PER_PROPOSER: usize = 5;

/// Where a proposal stands. Only `Open` ones are in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Open,
    /// Picked by a moderator: it became a prepared session.
    Picked,
    /// Withdrawn by its proposer.
    Withdrawn,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Picked => "picked",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => Self::Open,
            "picked" => Self::Picked,
            "withdrawn" => Self::Withdrawn,
            _ => return None,
        })
    }
}

/// Why a queue request was refused. `code` is stable; the server localises by it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    #[error("{0}")]
    Field(CommandError),
    #[error("the queue is full ({max} open proposals)")]
    QueueFull { max: usize },
    #[error("you have {max} open proposals already")]
    TooManyOfYours { max: usize },
    #[error("this proposal is no longer in the queue")]
    NotOpen,
    #[error("only the proposer can withdraw a proposal")]
    NotProposer,
    #[error("only a moderator can pick a case")]
    MayNotPick,
}

impl QueueError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Field(e) => e.code(),
            Self::QueueFull { .. } => "queue_full",
            Self::TooManyOfYours { .. } => "too_many_proposals",
            Self::NotOpen => "proposal_not_open",
            Self::NotProposer => "not_proposer",
            Self::MayNotPick => "may_not_pick",
        }
    }
}

/// A new proposal's title and summary, trimmed and checked, given how many open proposals the
/// team and the proposer have. (The case text and its anonymisation review are checked as for
/// a session.)
pub fn check_proposal(
    title: String,
    summary: String,
    open_in_team: usize,
    open_of_proposer: usize,
) -> Result<(String, String), QueueError> {
    if open_in_team >= MAX_OPEN_PROPOSALS {
        return Err(QueueError::QueueFull { max: MAX_OPEN_PROPOSALS });
    }
    if open_of_proposer >= MAX_OPEN_PER_PROPOSER {
        return Err(QueueError::TooManyOfYours { max: MAX_OPEN_PER_PROPOSER });
    }
    let title = crate::session::required_text("title", title, MAX_TITLE).map_err(QueueError::Field)?;
    let summary =
        crate::session::required_text("summary", summary, MAX_SUMMARY).map_err(QueueError::Field)?;
    if summary.contains(['\n', '\r']) {
        return Err(QueueError::Field(CommandError::EmptyField { field: "summary".into() }));
    }
    Ok((title, summary))
}

/// Whether `actor` may withdraw a proposal of `proposer` that is `status`: its proposer, while
/// it is open.
pub fn may_withdraw(status: ProposalStatus, proposer: i64, actor: i64) -> Result<(), QueueError> {
    if status != ProposalStatus::Open {
        return Err(QueueError::NotOpen);
    }
    if proposer != actor {
        return Err(QueueError::NotProposer);
    }
    Ok(())
}

/// Whether someone whose role may pick cases (`role_may_pick`) may pick this proposal: only an
/// open one.
pub fn may_pick(status: ProposalStatus, role_may_pick: bool) -> Result<(), QueueError> {
    if !role_may_pick {
        return Err(QueueError::MayNotPick);
    }
    if status != ProposalStatus::Open {
        return Err(QueueError::NotOpen);
    }
    Ok(())
}

/// What the order of the queue looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub id: i64,
    /// How many marked "wil ik bespreken".
    pub interest: usize,
    pub created_at_ms: i64,
}

/// The order the team sees: most "wil ik bespreken" first, then the longest waiting.
pub fn order_queue(items: &mut [QueueItem]) {
    items.sort_by(|a, b| {
        b.interest.cmp(&a.interest).then(a.created_at_ms.cmp(&b.created_at_ms)).then(a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_needs_a_title_and_a_one_line_summary_within_limits() {
        let ok = check_proposal("  Casus ".into(), " Kort ".into(), 0, 0).unwrap();
        assert_eq!(ok, ("Casus".into(), "Kort".into()));
        assert_eq!(check_proposal(" ".into(), "x".into(), 0, 0).unwrap_err().code(), "empty_field");
        assert_eq!(check_proposal("t".into(), "".into(), 0, 0).unwrap_err().code(), "empty_field");
        let long = "x".repeat(MAX_SUMMARY + 1);
        assert_eq!(check_proposal("t".into(), long, 0, 0).unwrap_err().code(), "field_too_long");
        assert!(check_proposal("t".into(), "a\nb".into(), 0, 0).is_err(), "one line");
        assert!(check_proposal("t".into(), "x".repeat(MAX_SUMMARY), 0, 0).is_ok());
    }

    #[test]
    fn the_queue_and_each_proposer_have_a_limit() {
        let e = check_proposal("t".into(), "s".into(), MAX_OPEN_PROPOSALS, 0).unwrap_err();
        assert_eq!(e.code(), "queue_full");
        let e = check_proposal("t".into(), "s".into(), 3, MAX_OPEN_PER_PROPOSER).unwrap_err();
        assert_eq!(e.code(), "too_many_proposals");
        assert!(
            check_proposal("t".into(), "s".into(), MAX_OPEN_PROPOSALS - 1, MAX_OPEN_PER_PROPOSER - 1).is_ok()
        );
    }

    #[test]
    fn only_the_proposer_withdraws_and_only_while_open() {
        assert!(may_withdraw(ProposalStatus::Open, 7, 7).is_ok());
        assert_eq!(may_withdraw(ProposalStatus::Open, 7, 8).unwrap_err(), QueueError::NotProposer);
        assert_eq!(may_withdraw(ProposalStatus::Picked, 7, 7).unwrap_err(), QueueError::NotOpen);
        assert_eq!(may_withdraw(ProposalStatus::Withdrawn, 7, 7).unwrap_err(), QueueError::NotOpen);
    }

    #[test]
    fn a_moderator_picks_an_open_proposal_once() {
        assert!(may_pick(ProposalStatus::Open, true).is_ok());
        assert_eq!(may_pick(ProposalStatus::Open, false).unwrap_err(), QueueError::MayNotPick);
        assert_eq!(may_pick(ProposalStatus::Picked, true).unwrap_err(), QueueError::NotOpen);
        assert_eq!(may_pick(ProposalStatus::Withdrawn, true).unwrap_err(), QueueError::NotOpen);
    }

    #[test]
    fn the_queue_is_ordered_by_interest_then_waiting_time() {
        let item = |id, interest, created_at_ms| QueueItem { id, interest, created_at_ms };
        let mut q = vec![item(1, 0, 10), item(2, 2, 30), item(3, 2, 20), item(4, 1, 5)];
        order_queue(&mut q);
        assert_eq!(q.iter().map(|i| i.id).collect::<Vec<_>>(), vec![3, 2, 4, 1]);
    }

    #[test]
    fn statuses_round_trip() {
        for s in [ProposalStatus::Open, ProposalStatus::Picked, ProposalStatus::Withdrawn] {
            assert_eq!(ProposalStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ProposalStatus::parse("x"), None);
    }
}
