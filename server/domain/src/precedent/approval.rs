//! Four-eyes adoption: an organisation can require a second reader before a precedent is
//! adopted. With the rule on, "Vaststellen" by the author puts the draft in the state
//! "awaiting approval"; a different colleague whose role may approve (moderator or admin, see
//! [`Action::ApprovePrecedent`]) adopts it or sends it back with a reason. The author never
//! approves their own. While it awaits approval the draft is not edited, so the approver adopts
//! exactly what was asked. Pure rules; the store keeps the request next to the draft.

use serde::{Deserialize, Serialize};

use super::lifecycle::{check_adoptable, LifecycleError, MAX_REASON};
use super::Precedent;
use crate::access::{self, Action, Role};

/// The organisation's rule for adoption (its setting `four_eyes`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdoptionRule {
    /// The session's moderator adopts alone (after the confirmation dialog).
    #[default]
    Direct,
    /// A second reader approves before adoption.
    FourEyes,
}

impl AdoptionRule {
    /// The rule of a setting: on is four-eyes.
    pub fn from_setting(four_eyes: bool) -> Self {
        if four_eyes {
            AdoptionRule::FourEyes
        } else {
            AdoptionRule::Direct
        }
    }
}

/// Someone taking part in the approval: a signed-in person and their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reader {
    pub user_id: i64,
    pub role: Role,
}

/// Where a draft stands on its way to adoption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Approval {
    /// Nobody asked yet (or the rule is off).
    None,
    /// The author asked; a colleague is to read and approve.
    Awaiting { requested_by: i64, requested_at_ms: i64 },
    /// A colleague sent it back to the author with a reason; it is an editable draft again.
    SentBack { requested_by: i64, by: i64, reason: String, at_ms: i64 },
}

/// What "Vaststellen" does under the organisation's rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdoptionStep {
    /// Adopt now.
    Adopt,
    /// Ask a colleague: the draft awaits approval.
    Await(Approval),
}

/// Why an approval step is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    #[error("het precedent wacht al op goedkeuring")]
    AlreadyAwaiting,
    #[error("het precedent wacht niet op goedkeuring")]
    NotAwaiting,
    #[error("je kunt je eigen precedent niet goedkeuren: een collega leest mee")]
    OwnRequest,
    #[error("alleen een gespreksleider of beheerder keurt goed")]
    NotAnApprover,
    #[error("het precedent wacht op goedkeuring en kan nu niet worden bewerkt")]
    Locked,
    #[error("de auteur moet ingelogd zijn om goedkeuring te vragen")]
    AuthorUnknown,
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
}

impl ApprovalError {
    /// A stable code for the API and the pages.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AlreadyAwaiting => "approval_already_awaiting",
            Self::NotAwaiting => "approval_not_awaiting",
            Self::OwnRequest => "approval_own_request",
            Self::NotAnApprover => "approval_not_approver",
            Self::Locked => "approval_locked",
            Self::AuthorUnknown => "approval_author_unknown",
            Self::Lifecycle(e) => e.code(),
        }
    }
}

impl Approval {
    pub fn is_awaiting(&self) -> bool {
        matches!(self, Approval::Awaiting { .. })
    }
}

/// "Vaststellen" on a draft: checks that it may be adopted, then, under the four-eyes rule,
/// asks a colleague instead of adopting. `author` is `None` when the moderator is not a
/// signed-in person (four-eyes needs to know who asked).
pub fn request_adoption(
    rule: AdoptionRule,
    stored: &Precedent,
    current: &Approval,
    author: Option<i64>,
    now_ms: i64,
) -> Result<AdoptionStep, ApprovalError> {
    if current.is_awaiting() {
        return Err(ApprovalError::AlreadyAwaiting);
    }
    check_adoptable(stored)?;
    match rule {
        AdoptionRule::Direct => Ok(AdoptionStep::Adopt),
        AdoptionRule::FourEyes => {
            let requested_by = author.ok_or(ApprovalError::AuthorUnknown)?;
            Ok(AdoptionStep::Await(Approval::Awaiting { requested_by, requested_at_ms: now_ms }))
        }
    }
}

/// Whether `reader` may approve (or send back) the draft now: it awaits approval, they are
/// not its author, and their role may approve.
pub fn check_approver(current: &Approval, reader: Reader) -> Result<(), ApprovalError> {
    let Approval::Awaiting { requested_by, .. } = current else {
        return Err(ApprovalError::NotAwaiting);
    };
    if *requested_by == reader.user_id {
        return Err(ApprovalError::OwnRequest);
    }
    if !access::allowed(reader.role, Action::ApprovePrecedent) {
        return Err(ApprovalError::NotAnApprover);
    }
    Ok(())
}

/// Approval: the draft may be adopted by `reader` now (the caller adopts it in the same step).
pub fn approve(stored: &Precedent, current: &Approval, reader: Reader) -> Result<(), ApprovalError> {
    check_approver(current, reader)?;
    check_adoptable(stored)?;
    Ok(())
}

/// Sends the draft back to its author with a reason; it becomes an editable draft again.
pub fn send_back(
    current: &Approval,
    reader: Reader,
    reason: &str,
    now_ms: i64,
) -> Result<Approval, ApprovalError> {
    check_approver(current, reader)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(LifecycleError::ReasonRequired.into());
    }
    if reason.chars().count() > MAX_REASON {
        return Err(LifecycleError::ReasonTooLong.into());
    }
    let Approval::Awaiting { requested_by, .. } = current else { unreachable!("checked above") };
    Ok(Approval::SentBack {
        requested_by: *requested_by,
        by: reader.user_id,
        reason: reason.to_owned(),
        at_ms: now_ms,
    })
}

/// Whether the draft may be edited: not while it awaits approval.
pub fn check_editable(current: &Approval) -> Result<(), ApprovalError> {
    if current.is_awaiting() {
        return Err(ApprovalError::Locked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::precedent::lifecycle::tests::record as draft;

    const AUTHOR: i64 = 3;

    fn reader(user_id: i64, role: Role) -> Reader {
        Reader { user_id, role }
    }

    fn awaiting() -> Approval {
        let step =
            request_adoption(AdoptionRule::FourEyes, &draft(), &Approval::None, Some(AUTHOR), 10).unwrap();
        let AdoptionStep::Await(a) = step else { panic!("four-eyes awaits") };
        a
    }

    #[test]
    fn without_the_rule_adoption_is_direct() {
        let step = request_adoption(AdoptionRule::Direct, &draft(), &Approval::None, Some(AUTHOR), 10);
        assert_eq!(step, Ok(AdoptionStep::Adopt));
        assert_eq!(AdoptionRule::from_setting(false), AdoptionRule::Direct);
        assert_eq!(AdoptionRule::from_setting(true), AdoptionRule::FourEyes);
    }

    #[test]
    fn with_the_rule_the_draft_awaits_a_colleague() {
        assert_eq!(awaiting(), Approval::Awaiting { requested_by: AUTHOR, requested_at_ms: 10 });
        // Asking twice is refused; editing meanwhile too.
        assert_eq!(
            request_adoption(AdoptionRule::FourEyes, &draft(), &awaiting(), Some(AUTHOR), 11),
            Err(ApprovalError::AlreadyAwaiting)
        );
        assert_eq!(check_editable(&awaiting()), Err(ApprovalError::Locked));
        assert_eq!(check_editable(&Approval::None), Ok(()));
        // An incomplete draft is refused before anyone is asked.
        let mut incomplete = draft();
        incomplete.summary.clear();
        assert!(matches!(
            request_adoption(AdoptionRule::FourEyes, &incomplete, &Approval::None, Some(AUTHOR), 10),
            Err(ApprovalError::Lifecycle(LifecycleError::Invalid(_)))
        ));
        // Four-eyes needs to know who asked.
        assert_eq!(
            request_adoption(AdoptionRule::FourEyes, &draft(), &Approval::None, None, 10),
            Err(ApprovalError::AuthorUnknown)
        );
    }

    #[test]
    fn the_author_cannot_approve_their_own() {
        assert_eq!(
            approve(&draft(), &awaiting(), reader(AUTHOR, Role::Admin)),
            Err(ApprovalError::OwnRequest)
        );
        assert_eq!(
            send_back(&awaiting(), reader(AUTHOR, Role::Moderator), "nee", 20),
            Err(ApprovalError::OwnRequest)
        );
    }

    #[test]
    fn only_moderators_and_admins_approve() {
        for role in [Role::Moderator, Role::Admin] {
            assert_eq!(approve(&draft(), &awaiting(), reader(7, role)), Ok(()), "{role:?}");
        }
        for role in [Role::Member, Role::ArchiveReader, Role::Guest] {
            assert_eq!(
                approve(&draft(), &awaiting(), reader(7, role)),
                Err(ApprovalError::NotAnApprover),
                "{role:?}"
            );
        }
        assert_eq!(
            approve(&draft(), &Approval::None, reader(7, Role::Admin)),
            Err(ApprovalError::NotAwaiting)
        );
    }

    #[test]
    fn sending_back_needs_a_reason_and_reopens_the_draft() {
        let colleague = reader(7, Role::Moderator);
        assert_eq!(
            send_back(&awaiting(), colleague, "  ", 20),
            Err(ApprovalError::Lifecycle(LifecycleError::ReasonRequired))
        );
        assert_eq!(
            send_back(&awaiting(), colleague, &"x".repeat(MAX_REASON + 1), 20),
            Err(ApprovalError::Lifecycle(LifecycleError::ReasonTooLong))
        );
        let back = send_back(&awaiting(), colleague, " Onderbouwing ontbreekt ", 20).unwrap();
        assert_eq!(
            back,
            Approval::SentBack {
                requested_by: AUTHOR,
                by: 7,
                reason: "Onderbouwing ontbreekt".into(),
                at_ms: 20
            }
        );
        assert_eq!(check_editable(&back), Ok(()));
        // Sent back, it can be asked again.
        assert!(matches!(
            request_adoption(AdoptionRule::FourEyes, &draft(), &back, Some(AUTHOR), 30),
            Ok(AdoptionStep::Await(_))
        ));
        assert_eq!(ApprovalError::OwnRequest.code(), "approval_own_request");
    }
}
