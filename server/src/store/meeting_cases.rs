//! Which meeting of a team's schedule a picked case belongs to (migration 0015): at most one
//! case per meeting (by the meeting's series date) and one meeting per case. The case's title
//! and prepared session are read from its proposal; nothing of the case text is read here.

use async_trait::async_trait;

use super::backend::{Backend, SqlStore};
use super::Result;

/// A meeting with its picked case: the title and the prepared session, never the case text.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MeetingCase {
    /// The meeting's series date, `YYYY-MM-DD`.
    pub date: String,
    pub proposal_id: i64,
    pub proposer_id: i64,
    pub title: String,
    /// The prepared session, once linked.
    pub session_id: Option<String>,
    /// That session's status ("lobby", "running", …).
    pub session_status: Option<String>,
}

impl MeetingCase {
    /// Prepared and not yet held: its session exists and has not ended.
    pub fn is_ready(&self) -> bool {
        self.session_status.as_deref().is_some_and(|s| s != "closed")
    }
}

/// A team's meeting (by its series date) held for a picked proposal.
#[derive(Clone, Copy, Debug)]
pub struct Reservation<'a> {
    pub team_id: i64,
    pub date: &'a str,
    pub proposal_id: i64,
}

#[async_trait]
pub trait MeetingCases: Send + Sync {
    /// Reserves the team's meeting of `date` for a picked proposal; false (nothing written)
    /// when that meeting has a case already, or the proposal a meeting.
    async fn reserve_meeting_case(&self, case: &Reservation<'_>, now_ms: i64) -> Result<bool>;
    /// Gives a reservation back (preparing the session failed).
    async fn release_meeting_case(&self, case: &Reservation<'_>) -> Result<()>;
    /// The team's meetings with a case from `from` (a series date) on, by date, at most `limit`.
    async fn meeting_cases(&self, team_id: i64, from: &str, limit: i64) -> Result<Vec<MeetingCase>>;
}

#[async_trait]
impl<DB: Backend> MeetingCases for SqlStore<DB> {
    async fn reserve_meeting_case(&self, case: &Reservation<'_>, now_ms: i64) -> Result<bool> {
        let Reservation { team_id, date, proposal_id } = *case;
        let sql =
            "INSERT INTO meeting_cases (team_id, date, proposal_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING";
        let done =
            DB::execute(&self.pool, sql, &[team_id.into(), date.into(), proposal_id.into(), now_ms.into()])
                .await?;
        Ok(done == 1)
    }

    async fn release_meeting_case(&self, case: &Reservation<'_>) -> Result<()> {
        let Reservation { team_id, date, proposal_id } = *case;
        let sql = "DELETE FROM meeting_cases WHERE team_id = $1 AND date = $2 AND proposal_id = $3";
        DB::execute(&self.pool, sql, &[team_id.into(), date.into(), proposal_id.into()]).await?;
        Ok(())
    }

    async fn meeting_cases(&self, team_id: i64, from: &str, limit: i64) -> Result<Vec<MeetingCase>> {
        let sql =
            "SELECT c.date, c.proposal_id, p.proposer_id, p.title, p.session_id, s.status AS session_status \
             FROM meeting_cases c JOIN case_proposals p ON p.id = c.proposal_id \
             LEFT JOIN sessions s ON s.id = p.session_id \
             WHERE c.team_id = $1 AND c.date >= $2 ORDER BY c.date LIMIT $3";
        DB::fetch_all(&self.pool, sql, &[team_id.into(), from.into(), limit.into()]).await
    }
}
