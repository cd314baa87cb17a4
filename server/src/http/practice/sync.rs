//! The follow-up reads each session of a team once per change: the actions its conclusion
//! agreed become the team's actions when it ends, and its look-back outcomes settle the actions
//! they name. It runs before the team's actions are read (lazily, so the live room needs no
//! hook), remembers per session how far it read (`practice_sessions.harvested_seq`), and is
//! safe to run twice at once (actions are unique per session and index; settling only changes
//! open actions).

use std::collections::HashMap;

use crate::app::AppState;
use crate::domain::practice::{owner_of, read_session, Settle};
use crate::domain::session::{ActionItem, MAX_ACTIONS};
use crate::store::{
    ActionSettlement, DynStore, Harvest, NewTeamAction, PracticeSession, SessionStatus, StoreError,
};

/// Reads the sessions of `team_id` that changed since the last reading.
pub async fn sync_team(store: &DynStore, team_id: i64) -> Result<(), StoreError> {
    let read: HashMap<String, i64> = store
        .practice_sessions(team_id)
        .await?
        .into_iter()
        .map(|p| (p.session_id, p.harvested_seq))
        .collect();
    let mut members: Option<Vec<(i64, String)>> = None;
    for session in store.sessions_of_team(team_id).await? {
        if read.get(&session.header.id).is_some_and(|&seq| seq >= session.last_seq) {
            continue;
        }
        let state_now = match crate::http::authz::fold_session(store, &session.header.id).await {
            Ok(Some(s)) => s,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(error = %e, "a session's log does not fold; the follow-up skips it");
                continue;
            }
        };
        let reading = read_session(&state_now);
        if members.is_none() {
            members = Some(store.member_names(team_id).await?);
        }
        let members = members.as_deref().unwrap_or_default();
        let actions = reading
            .agreed
            .iter()
            .enumerate()
            .map(|(i, a)| NewTeamAction {
                item_index: i as i64,
                what: a.what.clone(),
                who: a.who.clone(),
                due_on: a.when.clone(),
                owner_id: owner_of(&a.who, members),
            })
            .collect();
        let items = if reading.look_back.is_empty() {
            Vec::new()
        } else {
            store.look_back_items(&session.header.id).await?
        };
        let now = crate::clock::now_ms();
        let settlements = reading
            .look_back
            .iter()
            .filter_map(|entry| {
                let action_id = *items.get(entry.index)?;
                let (status, reason) = match Settle::from_look_back(entry.outcome, &entry.note)? {
                    Settle::Done => ("done", None),
                    Settle::Dropped { reason } => ("dropped", Some(reason)),
                };
                Some(ActionSettlement {
                    action_id,
                    status: status.into(),
                    settled_on: crate::domain::local_time::date_of(entry.at_ms).to_string(),
                    drop_reason: reason,
                    settled_by: None,
                    in_session: Some(session.header.id.clone()),
                    now_ms: now,
                })
            })
            .collect();
        let harvest = Harvest {
            team_id,
            session: PracticeSession {
                session_id: session.header.id.clone(),
                harvested_seq: state_now.seq() as i64,
                held: reading.held,
                attendance: i64::from(reading.attendance),
                held_on: reading.on.to_string(),
                method_key: session.header.method_key.clone(),
            },
            actions,
            settlements,
            now_ms: now,
        };
        // The log's text passed the guard when it was written; should the guard refuse it now,
        // nothing of it is kept and the session is read again next time.
        let harvest = match crate::guard::screen(harvest) {
            Ok(harvest) => harvest,
            Err(refusal) => {
                tracing::error!(kind = refusal.kind, field = %refusal.field, "a session's actions hold a BSN or IBAN; the follow-up skips it");
                continue;
            }
        };
        store.record_harvest(&harvest).await?;
    }
    Ok(())
}

/// What a new session of the team looks back on: every action the team's last ended session
/// agreed (settled or not: "were they carried out?"), then the team's other open actions,
/// soonest due first — at most [`MAX_ACTIONS`] — and their ids in the same order.
pub async fn look_back_for(
    state: &AppState,
    team_id: i64,
) -> Result<(Vec<ActionItem>, Vec<i64>), StoreError> {
    let store = &state.store;
    sync_team(store, team_id).await?;
    // `sessions_of_team` is newest first.
    let last =
        store.sessions_of_team(team_id).await?.into_iter().find(|s| s.header.status == SessionStatus::Closed);
    let mut chosen = match &last {
        Some(s) => store.actions_of_session(&s.header.id).await?,
        None => Vec::new(),
    };
    for a in store.team_actions(team_id, true, MAX_ACTIONS as i64).await? {
        if !chosen.iter().any(|c| c.id == a.id) {
            chosen.push(a);
        }
    }
    chosen.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.id.cmp(&b.id)));
    chosen.truncate(MAX_ACTIONS);
    let items = chosen
        .iter()
        .map(|a| ActionItem { what: a.what.clone(), who: a.who.clone(), when: a.due_on.clone() })
        .collect();
    Ok((items, chosen.iter().map(|a| a.id).collect()))
}
