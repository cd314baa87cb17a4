//! Leaving a team: the one membership change `accounts.rs` does not make (joining is
//! `Accounts::add_team_member`). Used by `/beheer` and `DELETE /api/v1/admin/teams/{id}/members/{user}`.

use async_trait::async_trait;
use sqlx::{Executor, IntoArguments};

use super::backend::{Backend, SqlStore};
use super::Result;

#[async_trait]
pub trait TeamMembership: Send + Sync {
    /// Takes someone out of a team; false when they were not in it.
    async fn remove_team_member(&self, team_id: i64, user_id: i64) -> Result<bool>;
}

#[async_trait]
impl<DB: Backend> TeamMembership for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    async fn remove_team_member(&self, team_id: i64, user_id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) > 0)
    }
}
