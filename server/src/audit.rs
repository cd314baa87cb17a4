//! The audit log, written through the domain's hash chain (`beraad_domain::audit`): who did
//! what, when, with what result and from where — never case content. [`record`] is the one way
//! in; the store serialises appends so the chain never forks.

use crate::domain::audit::head::verify_with_head;
use crate::domain::audit::{AuditEntry, AuditFact, ChainBreak};
use crate::store::{AuditLog, StoreError};

/// One fact to record. `actor` is `user:<id>`, `system`, `guest:<id>` or `anonymous`;
/// `target` names the object (e.g. `user:7`, `invite:<ref>`, a session id), never case text
/// and never a name or an e-mail address: people are named by pseudonymous ids only, so that
/// erasing an account (which clears the name and address those ids resolve to) leaves the
/// hash chain intact (docs/privacy.md).
#[derive(Clone, Debug)]
pub struct Entry {
    pub actor: String,
    pub action: &'static str,
    pub target: String,
    pub result: &'static str,
    /// The client address, or `cli` for the command line.
    pub client: String,
}

/// Actions written by the accounts feature.
pub mod action {
    pub const SIGN_IN: &str = "sign_in";
    pub const SIGN_OUT: &str = "sign_out";
    pub const ADMIN_CREATED: &str = "admin_created";
    pub const SETUP_COMPLETED: &str = "setup_completed";
    pub const INVITE_CREATED: &str = "invite_created";
    pub const INVITE_ACCEPTED: &str = "invite_accepted";
    pub const ROLE_CHANGED: &str = "role_changed";
    pub const TEAM_CREATED: &str = "team_created";
    pub const TEAM_MEMBER_ADDED: &str = "team_member_added";
    pub const TEAM_MEMBER_REMOVED: &str = "team_member_removed";
    // single sign-on (docs/sso.md) and API tokens
    pub const OIDC_LINKED: &str = "oidc_linked";
    pub const OIDC_ACCOUNT_CREATED: &str = "oidc_account_created";
    pub const API_TOKEN_CREATED: &str = "api_token_created";
    pub const API_TOKEN_REVOKED: &str = "api_token_revoked";
    // authorisation: sessions, precedents, exports
    pub const SESSION_CREATED: &str = "session_created";
    pub const SESSION_STARTED: &str = "session_started";
    pub const SESSION_ENDED: &str = "session_ended";
    pub const PRECEDENT_ADOPTED: &str = "precedent_adopted";
    pub const PRECEDENT_CORRECTED: &str = "precedent_corrected";
    pub const PRECEDENT_WITHDRAWN: &str = "precedent_withdrawn";
    pub const PRECEDENT_APPROVAL_REQUESTED: &str = "precedent_approval_requested";
    pub const PRECEDENT_APPROVED: &str = "precedent_approved";
    pub const PRECEDENT_SENT_BACK: &str = "precedent_sent_back";
    pub const ARCHIVE_IMPORTED: &str = "archive_imported";
    pub const INVITE_REVOKED: &str = "invite_revoked";
    pub const USER_RENAMED: &str = "user_renamed";
    pub const TEAM_RENAMED: &str = "team_renamed";
    // moderator actions in a live session
    pub const SESSION_ROLE_SET: &str = "session_role_set";
    pub const SESSION_PARTICIPANT_REMOVED: &str = "session_participant_removed";
    pub const SESSION_ROUND_DISCARDED: &str = "session_round_discarded";
    pub const ARCHIVE_EXPORTED: &str = "archive_exported";
    pub const PRECEDENT_DOWNLOADED: &str = "precedent_downloaded";
    pub const SETTINGS_CHANGED: &str = "settings_changed";
    // privacy (AVG): retention, erasure, access requests, the one-time move of addresses
    pub const RETENTION_EXPIRED: &str = "retention_expired";
    pub const PERSON_ERASED: &str = "person_erased";
    pub const PERSON_EXPORTED: &str = "person_exported";
    pub const AUDIT_RESEALED: &str = "audit_resealed";
    // a team's rhythm (docs/rhythm.md) and practice (docs/team-practice.md); targets name the
    // team, the meeting by its date, the proposal or action by id: never case content
    pub const SCHEDULE_SET: &str = "schedule_set";
    pub const MEETING_SKIPPED: &str = "meeting_skipped";
    pub const MEETING_MOVED: &str = "meeting_moved";
    pub const SCHEDULE_CHANGE_REMOVED: &str = "schedule_change_removed";
    pub const ABSENCE_SET: &str = "absence_set";
    pub const DUTY_SWAPPED: &str = "duty_swapped";
    pub const FEED_RENEWED: &str = "feed_renewed";
    pub const CASE_PROPOSED: &str = "case_proposed";
    pub const CASE_WITHDRAWN: &str = "case_withdrawn";
    pub const CASE_INTEREST_SET: &str = "case_interest_set";
    pub const CASE_PICKED: &str = "case_picked";
    pub const ACTION_DONE: &str = "action_done";
    pub const ACTION_DROPPED: &str = "action_dropped";
}

/// Results.
pub mod result {
    pub const OK: &str = "ok";
    pub const FAILED: &str = "failed";
    pub const THROTTLED: &str = "throttled";
    pub const DENIED: &str = "denied";
}

/// The actor name of a user.
pub fn user_actor(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// How an invite is named in the audit log: by its token's hash, never by the address it was
/// sent to (the address lives in the invite's row, which erasure deletes).
pub fn invite_ref(token_hash: &str) -> String {
    format!("invite:{}", &token_hash[..token_hash.len().min(16)])
}

/// Whether an audit target names `name` (e.g. `user:7`) as a whole word: `user:7` is not
/// named by `user:70`.
pub fn names(target: &str, name: &str) -> bool {
    target.split(|c: char| c.is_whitespace() || c == ',').any(|w| w == name)
}

/// The audit actor of a session participant: `user:<id>` for a signed-in user (`u-<id>`),
/// `guest:<participant id>` otherwise.
pub fn participant_actor(participant: &str) -> String {
    match participant.strip_prefix("u-") {
        Some(id) => format!("user:{id}"),
        None => format!("guest:{participant}"),
    }
}

/// Appends `entry`, stamped now, to the chained log.
pub async fn record(store: &dyn AuditLog, entry: Entry) -> Result<AuditEntry, StoreError> {
    let fact = AuditFact {
        at_ms: crate::clock::now_ms(),
        actor: entry.actor,
        action: entry.action.to_owned(),
        subject: entry.target,
        result: entry.result.to_owned(),
        origin: entry.client,
    };
    store.append_audit(&fact).await
}

/// What `beraad audit verify` found.
#[derive(Debug)]
pub enum Verified {
    /// Every entry is intact and the log ends where its head says.
    Intact {
        entries: usize,
    },
    Broken(ChainBreak),
}

/// Reads the whole log and checks the chain and the head.
pub async fn verify(store: &dyn AuditLog) -> Result<Verified, StoreError> {
    let entries = store.audit_log().await?;
    let head = store.audit_head().await?;
    Ok(match verify_with_head(&entries, &head) {
        Ok(()) => Verified::Intact { entries: entries.len() },
        Err(e) => Verified::Broken(e),
    })
}
