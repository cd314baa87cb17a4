//! Erasing a person's account (AVG art. 17): name and e-mail address removed, sign-in
//! impossible (no password, no signed-in browsers, no pending links, no link to an OpenID
//! provider's account), team memberships ended,
//! their name blanked in the session logs they joined. Their contributions stay, shown as
//! "voormalig deelnemer" / "former participant". The audit log names people only by
//! `user:<id>`, which now resolves to no one, so its hash chain stays intact.

use crate::audit::{self, action, result};
use crate::store::{Erased, Store, StoreError};

/// Erases user `user_id` and records it (`actor` did it, from `client`). `None` when there is
/// no such user or it was erased before.
pub async fn erase(
    store: &dyn Store,
    user_id: i64,
    actor: String,
    client: String,
) -> Result<Option<Erased>, StoreError> {
    let Some(user) = store.user(user_id).await? else { return Ok(None) };
    if user.erased_at.is_some() {
        return Ok(None);
    }
    let key = crate::http::auth::account_key(&user.email);
    let Some(erased) = store.erase_user(user_id, &key, crate::clock::now_ms()).await? else {
        return Ok(None);
    };
    // Its links to people at an OpenID provider (their `sub`) go too: a later sign-in there
    // finds no account (docs/sso.md).
    store.forget_oidc_identities(user_id).await?;
    audit::record(
        store,
        audit::Entry {
            actor,
            action: action::PERSON_ERASED,
            target: format!(
                "{} names={} web_sessions={} memberships={}",
                audit::user_actor(user_id),
                erased.names,
                erased.web_sessions,
                erased.memberships
            ),
            result: result::OK,
            client,
        },
    )
    .await?;
    Ok(Some(erased))
}
