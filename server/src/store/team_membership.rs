//! Leaving a team: the one membership change `accounts.rs` does not make (joining is
//! `Accounts::add_team_member`). Used by `/beheer` and `DELETE /api/v1/admin/teams/{id}/members/{user}`.

use async_trait::async_trait;

use super::backend::{Backend, SqlStore};
use super::Result;

#[async_trait]
pub trait TeamMembership: Send + Sync {
    /// Takes someone out of a team; false when they were not in it.
    async fn remove_team_member(&self, team_id: i64, user_id: i64) -> Result<bool>;
}

#[async_trait]
impl<DB: Backend> TeamMembership for SqlStore<DB> {
    async fn remove_team_member(&self, team_id: i64, user_id: i64) -> Result<bool> {
        let sql = "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2";
        let done = DB::execute(&self.pool, sql, &[team_id.into(), user_id.into()]).await?;
        Ok(done > 0)
    }
}
