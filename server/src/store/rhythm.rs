//! A team's rhythm: its schedule (slot and exceptions), absences and swaps for the rotation,
//! private calendar feeds and the reminders claimed. The rotation itself is computed by
//! `beraad_domain::rhythm` from these; nothing here decides who does what.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::types::Json;

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

/// Who changes a team's rhythm, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeamEdit {
    pub team_id: i64,
    pub by: i64,
    pub now_ms: i64,
}

/// One person's reminder of one duty at one meeting (by its series date).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reminder<'a> {
    pub team_id: i64,
    pub date: &'a str,
    pub duty: &'a str,
    pub user_id: i64,
}

#[async_trait]
pub trait Rhythm: Send + Sync {
    async fn team_schedule(&self, team_id: i64) -> Result<Option<StoredSchedule>>;
    async fn set_team_schedule(&self, edit: TeamEdit, slot: &Value) -> Result<()>;
    /// Teams that have a schedule (for the reminder job).
    async fn scheduled_teams(&self) -> Result<Vec<i64>>;
    async fn team_members(&self, team_id: i64) -> Result<Vec<TeamMember>>;

    async fn schedule_changes(&self, team_id: i64) -> Result<Vec<ScheduleChange>>;
    /// Adds or replaces the change of `change.date`; false (nothing written) when the team has
    /// `max` changes of that kind already and this is a new one.
    async fn put_schedule_change(&self, edit: TeamEdit, change: &ScheduleChange, max: usize) -> Result<bool>;
    /// True when there was one.
    async fn delete_schedule_change(&self, team_id: i64, date: &str) -> Result<bool>;

    async fn absences(&self, team_id: i64) -> Result<Vec<Absence>>;
    /// Records an absence; false (nothing written) when the person has `max` absences in this
    /// team already and this is a new one.
    async fn add_absence(&self, team_id: i64, absence: &Absence, max: usize, now_ms: i64) -> Result<bool>;
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
    async fn claim_reminder(&self, reminder: &Reminder<'_>, now_ms: i64) -> Result<bool>;
    /// Gives a claim back (sending failed), so a later run tries again.
    async fn release_reminder(&self, reminder: &Reminder<'_>) -> Result<()>;
}

#[async_trait]
impl<DB: Backend> Rhythm for SqlStore<DB> {
    async fn team_schedule(&self, team_id: i64) -> Result<Option<StoredSchedule>> {
        let sql = "SELECT team_id, slot, updated_at FROM team_schedules WHERE team_id = $1";
        let row: Option<(i64, Json<Value>, i64)> =
            DB::fetch_optional(&self.pool, sql, &[team_id.into()]).await?;
        Ok(row.map(|(team_id, Json(slot), updated_at)| StoredSchedule { team_id, slot, updated_at }))
    }

    async fn set_team_schedule(&self, edit: TeamEdit, slot: &Value) -> Result<()> {
        let TeamEdit { team_id, by, now_ms } = edit;
        let sql =
            "INSERT INTO team_schedules (team_id, slot, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (team_id) DO UPDATE SET slot = excluded.slot, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at";
        DB::execute(&self.pool, sql, &[team_id.into(), slot.into(), by.into(), now_ms.into()]).await?;
        Ok(())
    }

    async fn scheduled_teams(&self) -> Result<Vec<i64>> {
        DB::scalars(&self.pool, "SELECT team_id FROM team_schedules ORDER BY team_id", &[]).await
    }

    async fn team_members(&self, team_id: i64) -> Result<Vec<TeamMember>> {
        let sql = "SELECT u.id, u.display_name, u.email, u.role, u.disabled_at, m.created_at \
             FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY u.id";
        let rows: Vec<(i64, String, String, String, Option<i64>, i64)> =
            team_rows(&self.pool, sql, team_id).await?;
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

    async fn put_schedule_change(&self, edit: TeamEdit, change: &ScheduleChange, max: usize) -> Result<bool> {
        let TeamEdit { team_id, by, now_ms } = edit;
        let mut tx = self.begin_write().await?;
        let exists = "SELECT team_id FROM schedule_changes WHERE team_id = $1 AND date = $2";
        let count = "SELECT COUNT(*) FROM schedule_changes WHERE team_id = $1 AND kind = $2";
        let (date, kind) = ([team_id.into(), (&change.date).into()], [team_id.into(), (&change.kind).into()]);
        if !room_for::<DB>(&mut tx, (exists, &date), (count, &kind), max).await? {
            return Ok(false);
        }
        let sql = "INSERT INTO schedule_changes (team_id, date, kind, to_date, to_start, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id, date) DO UPDATE SET kind = excluded.kind, \
             to_date = excluded.to_date, to_start = excluded.to_start, created_by = excluded.created_by, \
             created_at = excluded.created_at";
        let c = change;
        let args =
            [team_id.into(), (&c.date).into(), (&c.kind).into(), (&c.to_date).into(), (&c.to_start).into()];
        DB::execute(&mut *tx, sql, &[args.as_slice(), &[by.into(), now_ms.into()]].concat()).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_schedule_change(&self, team_id: i64, date: &str) -> Result<bool> {
        let sql = "DELETE FROM schedule_changes WHERE team_id = $1 AND date = $2";
        Ok(DB::execute(&self.pool, sql, &[team_id.into(), date.into()]).await? > 0)
    }

    async fn absences(&self, team_id: i64) -> Result<Vec<Absence>> {
        let sql = "SELECT user_id, date FROM rhythm_absences WHERE team_id = $1 ORDER BY date, user_id";
        team_rows(&self.pool, sql, team_id).await
    }

    async fn add_absence(&self, team_id: i64, absence: &Absence, max: usize, now_ms: i64) -> Result<bool> {
        let (user_id, date) = (absence.user_id, absence.date.as_str());
        let mut tx = self.begin_write().await?;
        let sql = "SELECT COUNT(*) FROM rhythm_absences WHERE team_id = $1 AND user_id = $2";
        let count: i64 = DB::scalar(&mut *tx, sql, &[team_id.into(), user_id.into()]).await?;
        let args = [team_id.into(), user_id.into(), date.into()];
        let inserted = if (count as usize) < max {
            let sql =
                "INSERT INTO rhythm_absences (team_id, user_id, date, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (team_id, user_id, date) DO NOTHING";
            DB::execute(&mut *tx, sql, &[args.as_slice(), &[now_ms.into()]].concat()).await?;
            true
        } else {
            // At the cap, only an absence recorded already counts as done.
            let sql = "SELECT user_id FROM rhythm_absences WHERE team_id = $1 AND user_id = $2 AND date = $3";
            DB::scalar_optional::<i64>(&mut *tx, sql, &args).await?.is_some()
        };
        tx.commit().await?;
        Ok(inserted)
    }

    async fn delete_absence(&self, team_id: i64, user_id: i64, date: &str) -> Result<bool> {
        let sql = "DELETE FROM rhythm_absences WHERE team_id = $1 AND user_id = $2 AND date = $3";
        Ok(DB::execute(&self.pool, sql, &[team_id.into(), user_id.into(), date.into()]).await? > 0)
    }

    async fn swaps(&self, team_id: i64) -> Result<Vec<SwapRow>> {
        let sql = "SELECT date, duty, from_user, to_user, created_by, created_at FROM rhythm_swaps \
                   WHERE team_id = $1 ORDER BY date, duty";
        team_rows(&self.pool, sql, team_id).await
    }

    async fn put_swap(&self, team_id: i64, swap: &SwapRow, max: usize) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let exists = "SELECT team_id FROM rhythm_swaps WHERE team_id = $1 AND date = $2 AND duty = $3";
        let count = "SELECT COUNT(*) FROM rhythm_swaps WHERE team_id = $1";
        let key = [team_id.into(), (&swap.date).into(), (&swap.duty).into()];
        if !room_for::<DB>(&mut tx, (exists, &key), (count, &key[..1]), max).await? {
            return Ok(false);
        }
        let sql =
            "INSERT INTO rhythm_swaps (team_id, date, duty, from_user, to_user, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (team_id, date, duty) DO UPDATE SET \
             from_user = excluded.from_user, to_user = excluded.to_user, created_by = excluded.created_by, \
             created_at = excluded.created_at";
        let s = swap;
        let row = [s.from_user.into(), s.to_user.into(), s.created_by.into(), s.created_at.into()];
        DB::execute(&mut *tx, sql, &[key.as_slice(), &row].concat()).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn delete_swap(&self, team_id: i64, date: &str, duty: &str) -> Result<bool> {
        let sql = "DELETE FROM rhythm_swaps WHERE team_id = $1 AND date = $2 AND duty = $3";
        Ok(DB::execute(&self.pool, sql, &[team_id.into(), date.into(), duty.into()]).await? > 0)
    }

    async fn set_feed_token(&self, owner: &str, token_hash: &str, now_ms: i64) -> Result<()> {
        let sql = "INSERT INTO calendar_feeds (owner, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (owner) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at";
        DB::execute(&self.pool, sql, &[owner.into(), token_hash.into(), now_ms.into()]).await?;
        Ok(())
    }

    async fn feed_owner(&self, token_hash: &str) -> Result<Option<String>> {
        let sql = "SELECT owner FROM calendar_feeds WHERE token_hash = $1";
        DB::scalar_optional(&self.pool, sql, &[token_hash.into()]).await
    }

    async fn has_feed(&self, owner: &str) -> Result<bool> {
        let sql = "SELECT owner FROM calendar_feeds WHERE owner = $1";
        Ok(DB::scalar_optional::<String>(&self.pool, sql, &[owner.into()]).await?.is_some())
    }

    async fn claim_reminder(&self, reminder: &Reminder<'_>, now_ms: i64) -> Result<bool> {
        let Reminder { team_id, date, duty, user_id } = *reminder;
        let sql = "INSERT INTO sent_reminders (team_id, date, duty, user_id, claimed_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (team_id, date, duty, user_id) DO NOTHING";
        let args = [team_id.into(), date.into(), duty.into(), user_id.into(), now_ms.into()];
        Ok(DB::execute(&self.pool, sql, &args).await? == 1)
    }

    async fn release_reminder(&self, reminder: &Reminder<'_>) -> Result<()> {
        let Reminder { team_id, date, duty, user_id } = *reminder;
        let sql =
            "DELETE FROM sent_reminders WHERE team_id = $1 AND date = $2 AND duty = $3 AND user_id = $4";
        DB::execute(&self.pool, sql, &[team_id.into(), date.into(), duty.into(), user_id.into()]).await?;
        Ok(())
    }
}
