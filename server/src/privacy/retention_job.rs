//! The retention job: once a day (in one process, however many run: the store hands the day's
//! run to whoever claims it first) it removes the content of sessions that closed longer ago
//! than their organisation's period, and records the counts in the audit log.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::audit::{self, action, result};
use crate::domain::retention::{self, Removed};
use crate::store::{DynStore, Expiry, Store, StoreError};

/// How often a process looks whether today's run is still to be done.
pub const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);
/// The first look after a start: the server settles (and loads its search index) first.
pub const FIRST_CHECK_AFTER: Duration = Duration::from_secs(10 * 60);

/// What one organisation lost in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expired {
    pub organisation_id: i64,
    pub removed: Removed,
}

/// Removes expired content in every organisation now (whatever day it is); sessions without a
/// team follow the organisation whose code is `default_org_code`. Each organisation with
/// something removed gets one audit entry with the counts.
pub async fn expire_all(
    store: &dyn Store,
    default_org_code: &str,
    now_ms: i64,
) -> Result<Vec<Expired>, StoreError> {
    let mut out = Vec::new();
    for org in store.all_organisations().await? {
        let days = retention::days_of(&org.settings);
        let closed_before = retention::closed_before(now_ms, days);
        let expiry =
            Expiry { organisation_id: org.id, teamless: org.code == default_org_code, closed_before };
        let removed = store.expire_sessions(&expiry, now_ms).await?;
        if removed.sessions > 0 {
            audit::record(
                store,
                audit::Entry {
                    actor: "system".into(),
                    action: action::RETENTION_EXPIRED,
                    target: removed.audit_target(org.id),
                    result: result::OK,
                    client: "server".into(),
                },
            )
            .await?;
        }
        out.push(Expired { organisation_id: org.id, removed });
    }
    Ok(out)
}

/// Runs [`expire_all`] unless some process already ran (or is running) today's job:
/// `None` then.
pub async fn run_if_due(
    store: &dyn Store,
    default_org_code: &str,
    now_ms: i64,
) -> Result<Option<Vec<Expired>>, StoreError> {
    let day = crate::domain::local_time::date_of(now_ms).to_string();
    if !store.claim_retention_run(&day, now_ms).await? {
        return Ok(None);
    }
    let expired = expire_all(store, default_org_code, now_ms).await?;
    store.finish_retention_run(&day, crate::clock::now_ms()).await?;
    Ok(Some(expired))
}

/// Looks [`FIRST_CHECK_AFTER`] a start and then every [`CHECK_EVERY`] whether today's run is
/// due, until `stop`.
pub fn spawn(store: DynStore, default_org_code: String, stop: CancellationToken) {
    tokio::spawn(async move {
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(FIRST_CHECK_AFTER) => {}
        }
        loop {
            match run_if_due(store.as_ref(), &default_org_code, crate::clock::now_ms()).await {
                Ok(Some(expired)) => {
                    let sessions: u64 = expired.iter().map(|e| e.removed.sessions).sum();
                    let events: u64 = expired.iter().map(|e| e.removed.events).sum();
                    tracing::info!(sessions, events, "retention: expired session content removed");
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "retention: the run failed; the next day's run tries again")
                }
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(CHECK_EVERY) => {}
            }
        }
    });
}
