//! What an admin does to the organisation — teams, members, roles, invites, settings — in one
//! place, for the `/beheer` forms and the `/api/v1/admin/…` API alike: the same checks, the
//! same store writes, the same audit entries. Each answers the result, or a [`Refused`] with
//! the status and the locale key of its message; the callers only present it (a page, a
//! redirect with a flash, or JSON). Who may call which is the route table's (`ManagePeople`,
//! `ManageSettings`).

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::domain::access::ArchiveReaders;
use crate::secrets;
use crate::store::{
    AccountToken, AccountTokenKind, NewAccountToken, NewTeam, PendingInvite, StoreError, Team, User, UserRole,
};

/// How long an invite link is valid.
pub const INVITE_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// The longest team name.
pub const MAX_TEAM_NAME: usize = 80;

/// The admin acting, and from where (for the audit log).
use crate::http::actor::Actor;

/// Why an operation was refused: the answer's status and the locale key of the message
/// (`admin.error.*`; some have `.title` and `.body`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    pub status: StatusCode,
    pub key: &'static str,
}

fn refused<T>(status: StatusCode, key: &'static str) -> Outcome<T> {
    Ok(Err(Refused { status, key }))
}

/// The result, a refusal, or a store failure.
pub type Outcome<T> = Result<Result<T, Refused>, StoreError>;

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// A team name as typed: spaces folded; `None` when empty or too long. The BSN/IBAN guard
/// reads it where it is written ([`crate::guard::screen`]).
pub fn team_name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty() && name.chars().count() <= MAX_TEAM_NAME).then_some(name)
}

/// A new team of the organisation. Audited (`team_created`).
pub async fn create_team(state: &AppState, admin: &Actor<'_>, raw_name: &str) -> Outcome<Team> {
    let Some(name) = team_name(raw_name) else { return refused(UNPROCESSABLE, "admin.error.team_name") };
    let new = NewTeam { organisation_id: admin.org(), name, now_ms: now_ms() };
    let Ok(new) = crate::guard::screen(new) else { return refused(UNPROCESSABLE, "admin.error.team_name") };
    let team = match state.store.create_team(&new).await {
        Ok(team) => team,
        Err(StoreError::AlreadyExists(_)) => return refused(StatusCode::CONFLICT, "admin.error.team_exists"),
        Err(e) => return Err(e),
    };
    admin.audit(state, action::TEAM_CREATED, format!("team:{}", team.id), result::OK).await?;
    Ok(Ok(team))
}

/// The team and the person of the organisation a membership change names.
async fn team_and_person(
    state: &AppState,
    admin: &Actor<'_>,
    team_id: Option<i64>,
    user_id: i64,
) -> Outcome<(Team, User)> {
    let teams = state.store.teams_of_organisation(admin.org()).await?;
    let Some(team) = team_id.and_then(|id| teams.into_iter().find(|t| t.id == id)) else {
        return refused(UNPROCESSABLE, "admin.error.unknown_team");
    };
    // Only people of the admin's own organisation.
    let person = state.store.user(user_id).await?.filter(|p| p.organisation_id == admin.org());
    let Some(person) = person else { return refused(StatusCode::NOT_FOUND, "admin.error.no_such_user") };
    Ok(Ok((team, person)))
}

/// Someone joins a team (`member`; again: no change) or leaves it (404 when they were not in
/// it). Audited (`team_member_added`, `team_member_removed`).
pub async fn set_membership(
    state: &AppState,
    admin: &Actor<'_>,
    team_id: Option<i64>,
    user_id: i64,
    member: bool,
) -> Outcome<(Team, User)> {
    let (team, person) = match team_and_person(state, admin, team_id, user_id).await? {
        Ok(found) => found,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let act = if member {
        match state.store.add_team_member(team.id, user_id, now_ms()).await {
            Ok(()) | Err(StoreError::AlreadyExists(_)) => {}
            Err(e) => return Err(e),
        }
        action::TEAM_MEMBER_ADDED
    } else {
        if !state.store.remove_team_member(team.id, user_id).await? {
            return refused(StatusCode::NOT_FOUND, "admin.error.not_a_member");
        }
        action::TEAM_MEMBER_REMOVED
    };
    admin.audit(state, act, format!("team:{} user:{user_id}", team.id), result::OK).await?;
    Ok(Ok((team, person)))
}

/// Changes someone's role; an admin cannot change their own (the organisation could be left
/// without one). Audited (`role_changed`, also when the person is not found).
pub async fn change_role(
    state: &AppState,
    admin: &Actor<'_>,
    target_id: i64,
    raw_role: &str,
) -> Outcome<User> {
    let Some(role) = UserRole::parse(raw_role) else { return refused(UNPROCESSABLE, "admin.error.role") };
    if target_id == admin.user.id {
        return refused(UNPROCESSABLE, "admin.error.own_role");
    }
    let outcome = state.store.set_user_role(admin.org(), target_id, role).await;
    let result = if outcome.is_ok() { result::OK } else { result::FAILED };
    let target = format!("{} role={}", audit::user_actor(target_id), role.as_str());
    admin.audit(state, action::ROLE_CHANGED, target, result).await?;
    match outcome {
        Ok(()) => match state.store.user(target_id).await? {
            Some(person) => Ok(Ok(person)),
            None => refused(StatusCode::NOT_FOUND, "admin.error.no_user"),
        },
        Err(StoreError::NotFound(_)) => refused(StatusCode::NOT_FOUND, "admin.error.no_user"),
        Err(e) => Err(e),
    }
}

/// Roughly an e-mail address: something@domain, no spaces, not absurdly long.
fn plausible_email(email: &str) -> bool {
    email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

/// A new invite: its link (shown once) and what it names.
pub struct Invited {
    pub link: String,
    pub email: String,
    /// The stored hash of its token: names the invite (to revoke it) without being the link.
    pub handle: String,
    pub expires_at: i64,
}

/// Makes an invite link (256 random bits, stored hashed, valid 7 days, single use) for an
/// address without an account, into a role and optionally a team. Audited (`invite_created`).
pub async fn invite(
    state: &AppState,
    admin: &Actor<'_>,
    raw_email: &str,
    raw_role: &str,
    team: Option<&str>,
) -> Outcome<Invited> {
    let email = raw_email.trim().to_lowercase();
    if !plausible_email(&email) {
        return refused(UNPROCESSABLE, "admin.error.email");
    }
    let Some(role) = UserRole::parse(raw_role) else { return refused(UNPROCESSABLE, "admin.error.role") };
    let team_id = match team.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => {
            let teams = state.store.teams_of_organisation(admin.org()).await?;
            match raw.parse::<i64>().ok().filter(|id| teams.iter().any(|t| t.id == *id)) {
                Some(id) => Some(id),
                None => return refused(UNPROCESSABLE, "admin.error.team"),
            }
        }
    };
    if state.store.user_by_email(&email).await?.is_some() {
        return refused(StatusCode::CONFLICT, "admin.error.exists");
    }
    let token = secrets::new_token();
    let token_hash = secrets::hash(&token);
    let now = now_ms();
    let expires_at = now + INVITE_TTL_MS;
    let new = NewAccountToken {
        token_hash: token_hash.clone(),
        token: AccountToken {
            kind: AccountTokenKind::Invite,
            organisation_id: admin.org(),
            user_id: None,
            email: Some(email.clone()),
            role: Some(role),
            team_id,
            created_by: Some(admin.user.id),
            expires_at,
        },
        now_ms: now,
    };
    state.store.create_account_token(&new).await?;
    let target = format!("{} role={}", audit::invite_ref(&token_hash), role.as_str());
    admin.audit(state, action::INVITE_CREATED, target, result::OK).await?;
    let link = state
        .config
        .base_url
        .join(&format!("uitnodiging/{token}"))
        .map(|u| u.to_string())
        .unwrap_or_default();
    Ok(Ok(Invited { link, email, handle: token_hash, expires_at }))
}

/// An open invite's link stops working. Audited (`invite_revoked`).
pub async fn revoke_invite(state: &AppState, admin: &Actor<'_>, handle: &str) -> Outcome<PendingInvite> {
    let org = admin.org();
    let invite =
        state.store.pending_invites(org, now_ms()).await?.into_iter().find(|i| i.token_hash == handle);
    let Some(invite) = invite else { return refused(StatusCode::NOT_FOUND, "admin.error.no_invite") };
    if !state.store.revoke_invite(org, &invite.token_hash, now_ms()).await? {
        return refused(StatusCode::NOT_FOUND, "admin.error.no_invite");
    }
    let target = format!(
        "{} role={}",
        audit::invite_ref(&invite.token_hash),
        invite.token.role.map(UserRole::as_str).unwrap_or_default()
    );
    admin.audit(state, action::INVITE_REVOKED, target, result::OK).await?;
    Ok(Ok(invite))
}

/// The organisation's settings as changed: who reads the archive, the four-eyes rule, and
/// (when given) how many days a closed session's content is kept.
pub struct SettingsChange<'a> {
    pub archive_readers: &'a str,
    pub four_eyes: bool,
    pub retention_days: Option<&'a str>,
}

/// Changes the organisation's settings; the stored settings after. Audited (`settings_changed`).
pub async fn change_settings(
    state: &AppState,
    admin: &Actor<'_>,
    change: SettingsChange<'_>,
) -> Outcome<Value> {
    let Ok(readers) = serde_json::from_value::<ArchiveReaders>(json!(change.archive_readers)) else {
        return refused(UNPROCESSABLE, "admin.error.setting");
    };
    let retention_days = match change.retention_days.map(crate::domain::retention::parse_days) {
        None => None,
        Some(Ok(days)) => Some(days),
        Some(Err(_)) => return refused(UNPROCESSABLE, "admin.error.retention_days"),
    };
    let org = admin.org();
    let mut settings = super::settings_of(state, org).await?;
    settings["archive_readers"] = json!(readers);
    settings["four_eyes"] = json!(change.four_eyes);
    if let Some(days) = retention_days {
        settings[crate::domain::retention::SETTING] = json!(days);
    }
    // Settings written before every write was screened could hold a refused number.
    let Ok(screened) = crate::guard::screen(settings) else {
        return refused(UNPROCESSABLE, "admin.error.setting");
    };
    state.store.set_organisation_settings(org, &screened).await?;
    let settings = screened.into_inner();
    let target = format!(
        "organisation:{org} four_eyes={} retention_days={} archive_readers={}",
        change.four_eyes,
        crate::domain::retention::days_of(&settings),
        change.archive_readers
    );
    admin.audit(state, action::SETTINGS_CHANGED, target, result::OK).await?;
    Ok(Ok(settings))
}
