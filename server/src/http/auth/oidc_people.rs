//! Who a person signed in at the provider is in Beraad. In this order:
//! 1. someone already linked (issuer + `sub`) is that account;
//! 2. else an account with the same e-mail address is linked, once, when the provider says
//!    the address is verified (`email_verified`, or Entra ID's `xms_edov`) and the account is
//!    not linked to someone else at this provider;
//! 3. else a new account is made in the instance's organisation, with the role the role
//!    mapping gives, else the default role; with neither the person is refused.
//!
//! The role mapping (`--oidc-role-claim`, `--oidc-role-map`) is applied at every sign-in when
//! it matches: the strongest role among the matching values.

use serde_json::Value;

use super::oidc_provider::IdTokenClaims;
use crate::app::AppState;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::config::OidcConfig;
use crate::domain::session::MAX_DISPLAY_NAME;
use crate::store::{NewUser, StoreError, User, UserRole};

/// The longest e-mail address taken from a provider.
pub const MAX_EMAIL: usize = 254;

/// Why a person the provider vouched for does not get in (`auth.oidc.error.<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown here, no default role and no role from the mapping.
    Unknown,
    /// An account has the address, but the provider does not say it is verified.
    Unverified,
    /// The account with that address is linked to someone else at this provider.
    LinkedElsewhere,
    /// A new account needs an address (and a name that passes the identifier check).
    NoEmail,
    /// The account is disabled or erased.
    Disabled,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::Unknown => "unknown_person",
            Self::Unverified => "email_unverified",
            Self::LinkedElsewhere => "linked_elsewhere",
            Self::NoEmail => "no_email",
            Self::Disabled => "disabled",
        }
    }
}

/// How the account was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Linked,
    /// Linked now, by verified address.
    LinkedByEmail,
    Created,
}

/// The account of the person behind `claims` (see the module note); audits links, new
/// accounts and role changes.
pub async fn account_for(
    state: &AppState,
    config: &OidcConfig,
    issuer: &str,
    claims: &IdTokenClaims,
    client: &str,
) -> Result<Result<(User, Found), Refusal>, StoreError> {
    let store = &state.store;
    let subject = claims.subject().as_str();
    let now = now_ms();
    let mapped = mapped_role(config, claims);
    let (user, found) = match store.oidc_user(issuer, subject, now).await? {
        Some(id) => match store.user(id).await? {
            Some(user) => (user, Found::Linked),
            None => return Ok(Err(Refusal::Disabled)),
        },
        None => match by_email(state, issuer, claims).await? {
            Ok(Some(user)) => {
                store.link_oidc_identity(issuer, subject, user.id, now).await?;
                (user, Found::LinkedByEmail)
            }
            Ok(None) => match create(state, config, issuer, claims, mapped).await? {
                Ok(user) => (user, Found::Created),
                Err(refusal) => return Ok(Err(refusal)),
            },
            Err(refusal) => return Ok(Err(refusal)),
        },
    };
    if user.disabled_at.is_some() || user.erased_at.is_some() {
        return Ok(Err(Refusal::Disabled));
    }
    let audited = match found {
        Found::Linked => None,
        Found::LinkedByEmail => Some(action::OIDC_LINKED),
        Found::Created => Some(action::OIDC_ACCOUNT_CREATED),
    };
    if let Some(act) = audited {
        record(state, act, format!("user:{} issuer:{issuer}", user.id), client).await?;
    }
    let user = match mapped.filter(|role| *role != user.role) {
        Some(role) => {
            store.set_user_role(user.organisation_id, user.id, role).await?;
            let target = format!("user:{} role:{} via:oidc", user.id, role.as_str());
            record(state, action::ROLE_CHANGED, target, client).await?;
            User { role, ..user }
        }
        None => user,
    };
    Ok(Ok((user, found)))
}

async fn record(
    state: &AppState,
    action: &'static str,
    target: String,
    client: &str,
) -> Result<(), StoreError> {
    let entry = audit::Entry {
        actor: "system".into(),
        action,
        target,
        result: result::OK,
        client: client.to_owned(),
    };
    audit::record(state.store.as_ref(), entry).await.map(|_| ())
}

/// An account to link by address: `Ok(None)` when no account has it.
async fn by_email(
    state: &AppState,
    issuer: &str,
    claims: &IdTokenClaims,
) -> Result<Result<Option<User>, Refusal>, StoreError> {
    let Some(email) = email_of(claims) else { return Ok(Ok(None)) };
    let Some(user) = state.store.user_by_email(&email).await? else { return Ok(Ok(None)) };
    if !email_verified(claims) {
        return Ok(Err(Refusal::Unverified));
    }
    if state.store.has_oidc_identity(issuer, user.id).await? {
        return Ok(Err(Refusal::LinkedElsewhere));
    }
    Ok(Ok(Some(user)))
}

/// A new account for someone unknown, when a role is given for them.
async fn create(
    state: &AppState,
    config: &OidcConfig,
    issuer: &str,
    claims: &IdTokenClaims,
    mapped: Option<UserRole>,
) -> Result<Result<User, Refusal>, StoreError> {
    let Some(role) = mapped.or(config.default_role) else { return Ok(Err(Refusal::Unknown)) };
    let (Some(email), Some(name)) = (email_of(claims), display_name(claims)) else {
        return Ok(Err(Refusal::NoEmail));
    };
    let store = &state.store;
    let now = now_ms();
    let organisation_id = organisation(state).await?;
    let new = NewUser { organisation_id, email, display_name: name, role, password_hash: None, now_ms: now };
    // A name or address that holds a BSN or IBAN is not usable either.
    let Ok(new) = crate::guard::screen(new) else { return Ok(Err(Refusal::NoEmail)) };
    let user = store.create_user(&new).await?;
    store.link_oidc_identity(issuer, claims.subject().as_str(), user.id, now).await?;
    Ok(Ok(user))
}

/// The instance's organisation (`--org`), made when it does not exist yet.
async fn organisation(state: &AppState) -> Result<i64, StoreError> {
    let org = crate::archive::lifecycle::ensure_organisation(&state.store, &state.config.org_code, now_ms())
        .await?;
    Ok(org.id)
}

fn email_of(claims: &IdTokenClaims) -> Option<String> {
    let email = claims.email()?.as_str().trim().to_lowercase();
    (email.contains('@') && email.len() <= MAX_EMAIL).then_some(email)
}

/// `email_verified: true`, or Entra ID's `xms_edov: true` (the address's domain is verified by
/// its owner; Entra ID does not send `email_verified`).
fn email_verified(claims: &IdTokenClaims) -> bool {
    claims.email_verified() == Some(true)
        || claims.additional_claims().all.get("xms_edov") == Some(&Value::Bool(true))
}

/// The name shown in Beraad: `name`, else `preferred_username`, else the address before `@`;
/// spaces folded, at most [`MAX_DISPLAY_NAME`] characters, never one holding a BSN or IBAN.
fn display_name(claims: &IdTokenClaims) -> Option<String> {
    let name = claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned());
    let username = claims.preferred_username().map(|u| u.as_str().to_owned());
    let local = email_of(claims).and_then(|e| e.split('@').next().map(str::to_owned));
    [name, username, local].into_iter().flatten().find_map(|raw| {
        let folded: String =
            raw.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(MAX_DISPLAY_NAME).collect();
        (!folded.is_empty() && crate::guard::check_text("name", &folded).is_ok()).then_some(folded)
    })
}

/// The role the mapping gives for the token's role claim, if any value matches.
fn mapped_role(config: &OidcConfig, claims: &IdTokenClaims) -> Option<UserRole> {
    let claim = claims.additional_claims().all.get(config.role_claim.as_deref()?)?;
    strongest(claim, &config.role_map)
}

/// The strongest role `map` gives any of the claim's values (a string or a list of strings).
pub fn strongest(claim: &Value, map: &[(String, UserRole)]) -> Option<UserRole> {
    let values: Vec<&str> = match claim {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    map.iter()
        .filter(|(value, _)| values.contains(&value.as_str()))
        .map(|(_, role)| *role)
        .max_by_key(|r| rank(*r))
}

fn rank(role: UserRole) -> u8 {
    match role {
        UserRole::ArchiveReader => 0,
        UserRole::Member => 1,
        UserRole::Moderator => 2,
        UserRole::Admin => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_strongest_matching_role_wins() {
        let map = vec![
            ("lezers".to_owned(), UserRole::ArchiveReader),
            ("beraad-moderators".to_owned(), UserRole::Moderator),
            ("iedereen".to_owned(), UserRole::Member),
        ];
        assert_eq!(
            strongest(&json!(["iedereen", "beraad-moderators", "lezers"]), &map),
            Some(UserRole::Moderator)
        );
        assert_eq!(strongest(&json!("lezers"), &map), Some(UserRole::ArchiveReader));
        assert_eq!(strongest(&json!(["anders"]), &map), None);
        assert_eq!(strongest(&json!(42), &map), None);
        assert_eq!(strongest(&json!([]), &[]), None);
    }
}
