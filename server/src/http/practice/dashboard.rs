//! What the dashboard shows of a team's practice: its open actions (overdue ones first and
//! marked), its prepared sessions and how many cases wait in the queue.

use serde_json::{json, Value};

use crate::app::AppState;
use crate::http::auth::CurrentUser;
use crate::store::StoreError;

/// At most this many open actions on the dashboard per team (the queue page lists all).
const SHOWN: usize = 10;

pub async fn team_summary(state: &AppState, team_id: i64, user: &CurrentUser) -> Result<Value, StoreError> {
    let mut actions = super::actions::actions_json(state, team_id, user, true).await?;
    // Overdue first (stable: by due date within each group).
    actions.sort_by_key(|a| !a.overdue);
    let overdue = actions.iter().filter(|a| a.overdue).count();
    let open = actions.len();
    actions.truncate(SHOWN);
    let queue = super::queue::queue_json(state, team_id, user).await?;
    Ok(json!({
        "actions": actions, "open_actions": open, "overdue_actions": overdue,
        "prepared": queue.prepared, "queue_count": queue.queue.len(),
    }))
}
