//! A team's rhythm: its schedule (slot and exceptions), absences and swaps for the rotation,
//! private calendar feeds and the reminders claimed. The rotation itself is computed by
//! `beraad_domain::rhythm` from these; nothing here decides who does what.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use super::backend::{Backend, SqlStore};
use super::model::UserRole;
use super::query::{room_for, team_rows};
use super::{Result, StoreError};

/// A team's slot as stored (beraad-domain's `rhythm::Slot` in JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredSchedule {
    pub team_id: i64,
    pub slot: Value,
    pub updated_at: i64,
}

/// A skipped meeting (`to_*` empty) or a one-off move, by the meeting's series date.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ScheduleChange {
    pub date: String,
    /// "skip" or "move".
    pub kind: String,
    pub to_date: Option<String>,
    pub to_start: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Absence {
    pub user_id: i64,
    pub date: String,
}

/// A duty at one meeting handed to a colleague.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SwapRow {
    pub date: String,
    /// "moderator" or "case_bringer".
    pub duty: String,
    pub from_user: Option<i64>,
    pub to_user: i64,
    pub created_by: i64,
    pub created_at: i64,
}

/// A member of a team with what the rotation and the pages need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub role: UserRole,
    pub disabled_at: Option<i64>,
    /// When they joined the team.
    pub joined_at: i64,
}

#[async_trait]
pub trait Rhythm: Send + Sync {
    async fn team_schedule(&self, team_id: i64) -> Result<Option<StoredSchedule>>;
    async fn set_team_schedule(&self, team_id: i64, slot: &Value, by: i64, now_ms: i64) -> Result<()>;
    /// Teams that have a schedule (for the reminder job).
    async fn scheduled_teams(&self) -> Result<Vec<i64>>;
    async fn team_members(&self, team_id: i64) -> Result<Vec<TeamMember>>;

    async fn schedule_changes(&self, team_id: i64) -> Result<Vec<ScheduleChange>>;
    /// Adds or replaces the change of `change.date`; false (nothing written) when the team has
    /// `max` changes of that kind already and this is a new one.
    async fn put_schedule_change(
        &self,
        team_id: i64,
        change: &ScheduleChange,
        max: usize,
        by: i64,
        now_ms: i64,
    ) -> Result<bool>;
    /// True when there was one.
    async fn delete_schedule_change(&self, team_id: i64, date: &str) -> Result<bool>;

    async fn absences(&self, team_id: i64) -> Result<Vec<Absence>>;
    /// Records an absence; false (nothing written) when the person has `max` absences in this
    /// team already and this is a new one.
    async fn add_absence(
        &self,
        team_id: i64,
        user_id: i64,
        date: &str,
        max: usize,
        now_ms: i64,
    ) -> Result<bool>;
    async fn delete_absence(&self, team_id: i64, user_id: i64, date: &str) -> Result<bool>;

    async fn swaps(&self, team_id: i64) -> Result<Vec<SwapRow>>;
    /// Adds or replaces the swap of (date, duty); false when the team has `max` swaps already
    /// and this is a new one.
    async fn put_swap(&self, team_id: i64, swap: &SwapRow, max: usize) -> Result<bool>;
    async fn delete_swap(&self, team_id: i64, date: &str, duty: &str) -> Result<bool>;

    /// Sets the feed token of `owner` ("team:<id>" or "user:<id>"), replacing the old one.
    async fn set_feed_token(&self, owner: &str, token_hash: &str, now_ms: i64) -> Result<()>;
    /// Whose feed a token opens.
    async fn feed_owner(&self, token_hash: &str) -> Result<Option<String>>;
    /// Whether `owner` has a feed.
    async fn has_feed(&self, owner: &str) -> Result<bool>;

    /// Claims a reminder: true for the one caller that claimed it first (it then sends it).
    async fn claim_reminder(
        &self,
        team_id: i64,
        date: &str,
        duty: &str,
        user_id: i64,
        now_ms: i64,
    ) -> Result<bool>;
    /// Gives a claim back (sending failed), so a later run tries again.
    async fn release_reminder(&self, team_id: i64, date: &str, duty: &str, user_id: i64) -> Result<()>;
}

#[async_trait]
impl<DB: Backend> Rhythm for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'a> DB::Arguments<'a>: IntoArguments<'a, DB>,
    for<'a> i64: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> String: Encode<'a, DB> + Decode<'a, DB> + Type<DB>,
    for<'a> &'a str: Encode<'a, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'a> Option<i64>: Encode<'a, DB>,
    for<'a> Option<String>: Encode<'a, DB>,
    for<'a> Option<&'a str>: Encode<'a, DB>,
    for<'a> Json<&'a Value>: Encode<'a, DB> + Type<DB>,
    for<'a> Json<Value>: Decode<'a, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    async fn team_schedule(&self, team_id: i64) -> Result<Option<StoredSchedule>> {
        let row: Option<(i64, Json<Value>, i64)> =
            sqlx::query_as("SELECT team_id, slot, updated_at FROM team_schedules WHERE team_id = $1")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(team_id, Json(slot), updated_at)| StoredSchedule { team_id, slot, updated_at }))
    }

    async fn set_team_schedule(&self, team_id: i64, slot: &Value, by: i64, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO team_schedules (team_id, slot, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (team_id) DO UPDATE SET slot = excluded.slot, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(team_id)
        .bind(Json(slot))
        .bind(by)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn scheduled_teams(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT team_id FROM team_schedules ORDER BY team_id")
            .fetch_all(&self.pool)
            .await?)
    }

    async fn team_members(&self, team_id: i64) -> Result<Vec<TeamMember>> {
        let rows: Vec<(i64, String, String, String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT u.id, u.display_name, u.email, u.role, u.disabled_at, m.created_at \
             FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY u.id",
        )
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(user_id, display_name, email, role, disabled_at, joined_at)| {
                let role = UserRole::parse(&role)
                    .ok_or_else(|| StoreError::Corrupt(format!("user {user_id} has an unknown role")))?;
                Ok(TeamMember { user_id, display_name, email, role, disabled_at, joined_at })
            })
            .collect()
    }

    async fn schedule_changes(&self, team_id: i64) -> Result<Vec<ScheduleChange>> {
        let sql =
            "SELECT date, kind, to_date, to_start FROM schedule_changes WHERE team_id = $1 ORDER BY date";
        team_rows(&self.pool, sql, team_id).await
    }

    async fn put_schedule_change(
        &self,
        team_id: i64,
        change: &ScheduleChange,
        max: usize,
        by: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let exists =
            sqlx::query_scalar("SELECT team_id FROM schedule_changes WHERE team_id = $1 AND date = $2")
                .bind(team_id)
                .bind(&change.date);
        let count =
            sqlx::query_scalar("SELECT COUNT(*) FROM schedule_changes WHERE team_id = $1 AND kind = $2")
                .bind(team_id)
                .bind(&change.kind);
        if !room_for(&mut tx, exists, count, max).await? {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO schedule_changes (team_id, date, kind, to_date, to_start, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id, date) DO UPDATE SET kind = excluded.kind, \
             to_date = excluded.to_date, to_start = excluded.to_start, created_by = excluded.created_by, \
             created_at = excluded.created_at",
        )
        .bind(team_id)
        .bind(&change.date)
        .bind(&change.kind)
        .bind(change.to_date.as_deref())
        .bind(change.to_start.as_deref())
        .bind(by)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_schedule_change(&self, team_id: i64, date: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM schedule_changes WHERE team_id = $1 AND date = $2")
            .bind(team_id)
            .bind(date)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) > 0)
    }

    async fn absences(&self, team_id: i64) -> Result<Vec<Absence>> {
        let sql = "SELECT user_id, date FROM rhythm_absences WHERE team_id = $1 ORDER BY date, user_id";
        team_rows(&self.pool, sql, team_id).await
    }

    async fn add_absence(
        &self,
        team_id: i64,
        user_id: i64,
        date: &str,
        max: usize,
        now_ms: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM rhythm_absences WHERE team_id = $1 AND user_id = $2")
                .bind(team_id)
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
        let inserted = if (count as usize) < max {
            sqlx::query(
                "INSERT INTO rhythm_absences (team_id, user_id, date, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (team_id, user_id, date) DO NOTHING",
            )
            .bind(team_id)
            .bind(user_id)
            .bind(date)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            true
        } else {
            // At the cap, only an absence recorded already counts as done.
            sqlx::query_scalar::<_, i64>(
                "SELECT user_id FROM rhythm_absences WHERE team_id = $1 AND user_id = $2 AND date = $3",
            )
            .bind(team_id)
            .bind(user_id)
            .bind(date)
            .fetch_optional(&mut *tx)
            .await?
            .is_some()
        };
        tx.commit().await?;
        Ok(inserted)
    }

    async fn delete_absence(&self, team_id: i64, user_id: i64, date: &str) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM rhythm_absences WHERE team_id = $1 AND user_id = $2 AND date = $3")
                .bind(team_id)
                .bind(user_id)
                .bind(date)
                .execute(&self.pool)
                .await?;
        Ok(DB::rows_affected(&done) > 0)
    }

    async fn swaps(&self, team_id: i64) -> Result<Vec<SwapRow>> {
        let sql = "SELECT date, duty, from_user, to_user, created_by, created_at FROM rhythm_swaps \
                   WHERE team_id = $1 ORDER BY date, duty";
        team_rows(&self.pool, sql, team_id).await
    }

    async fn put_swap(&self, team_id: i64, swap: &SwapRow, max: usize) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query_scalar(
            "SELECT team_id FROM rhythm_swaps WHERE team_id = $1 AND date = $2 AND duty = $3",
        )
        .bind(team_id)
        .bind(&swap.date)
        .bind(&swap.duty);
        let count = sqlx::query_scalar("SELECT COUNT(*) FROM rhythm_swaps WHERE team_id = $1").bind(team_id);
        if !room_for(&mut tx, exists, count, max).await? {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO rhythm_swaps (team_id, date, duty, from_user, to_user, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id, date, duty) DO UPDATE SET \
             from_user = excluded.from_user, to_user = excluded.to_user, created_by = excluded.created_by, \
             created_at = excluded.created_at",
        )
        .bind(team_id)
        .bind(&swap.date)
        .bind(&swap.duty)
        .bind(swap.from_user)
        .bind(swap.to_user)
        .bind(swap.created_by)
        .bind(swap.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_swap(&self, team_id: i64, date: &str, duty: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM rhythm_swaps WHERE team_id = $1 AND date = $2 AND duty = $3")
            .bind(team_id)
            .bind(date)
            .bind(duty)
            .execute(&self.pool)
            .await?;
        Ok(DB::rows_affected(&done) > 0)
    }

    async fn set_feed_token(&self, owner: &str, token_hash: &str, now_ms: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO calendar_feeds (owner, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (owner) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        )
        .bind(owner)
        .bind(token_hash)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn feed_owner(&self, token_hash: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT owner FROM calendar_feeds WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn has_feed(&self, owner: &str) -> Result<bool> {
        let found: Option<String> = sqlx::query_scalar("SELECT owner FROM calendar_feeds WHERE owner = $1")
            .bind(owner)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    async fn claim_reminder(
        &self,
        team_id: i64,
        date: &str,
        duty: &str,
        user_id: i64,
        now_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO sent_reminders (team_id, date, duty, user_id, claimed_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (team_id, date, duty, user_id) DO NOTHING",
        )
        .bind(team_id)
        .bind(date)
        .bind(duty)
        .bind(user_id)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn release_reminder(&self, team_id: i64, date: &str, duty: &str, user_id: i64) -> Result<()> {
        sqlx::query(
            "DELETE FROM sent_reminders WHERE team_id = $1 AND date = $2 AND duty = $3 AND user_id = $4",
        )
        .bind(team_id)
        .bind(date)
        .bind(duty)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
