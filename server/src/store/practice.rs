//! A team's practice between sessions (`docs/team-practice.md`): the case queue (proposals,
//! "wil ik bespreken" marks, picking into a prepared session), the team's actions (agreed in a
//! session's conclusion, settled by their owner, a moderator, or a later session's
//! look-back), and what the follow-up has read from each session's log (`practice_sessions`),
//! which also holds the session facts of the team's history. The rules are in
//! `beraad_domain::practice`; the store only keeps what was decided.

use async_trait::async_trait;
use serde::Serialize;
use serde_json::Value;

use super::backend::{Backend, SqlStore};
use super::query::row_where;
use super::statement::Arg;
use super::{Result, StoreError};
use crate::guard::Screened;

/// A proposed case as its proposer wrote it (checked and reviewed before it is stored), with
/// the method asked for and how the anonymisation findings were resolved.
#[derive(Clone, Debug, PartialEq, Serialize, sqlx::FromRow)]
pub struct ProposedCase {
    pub title: String,
    pub summary: String,
    pub case_text: String,
    pub method_key: String,
    pub method_variant: Option<String>,
    #[sqlx(json)]
    pub review: Value,
}

/// A proposal to store.
#[derive(Clone, Debug)]
pub struct NewProposal {
    pub team_id: i64,
    pub proposer_id: i64,
    pub case: ProposedCase,
    pub now_ms: i64,
}

/// A stored proposal, the case text and review included (shown to nobody but the proposer and
/// the moderator who picks it: the queue shows title, summary and method only).
#[derive(Clone, Debug, PartialEq, Serialize, sqlx::FromRow)]
pub struct Proposal {
    pub id: i64,
    pub team_id: i64,
    pub proposer_id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub case: ProposedCase,
    /// "open", "picked" or "withdrawn".
    pub status: String,
    pub session_id: Option<String>,
    pub planned_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One line of a team's queue as a viewer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueRow {
    pub id: i64,
    pub proposer_id: i64,
    pub proposer_name: String,
    pub title: String,
    pub summary: String,
    pub method_key: String,
    pub method_variant: Option<String>,
    /// How many marked "wil ik bespreken".
    pub interest: i64,
    /// Whether the viewer did.
    pub marked: bool,
    pub created_at: i64,
}

/// A picked proposal's prepared session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PreparedRow {
    pub proposal_id: i64,
    pub session_id: String,
    pub title: String,
    pub method_key: String,
    pub planned_at: Option<i64>,
    /// The session's status ("lobby", "running", …).
    pub session_status: String,
}

/// A claimed proposal's prepared session, and the time it is planned for.
#[derive(Clone, Copy, Debug)]
pub struct Preparation<'a> {
    pub proposal_id: i64,
    pub session_id: &'a str,
    pub planned_at: i64,
}

/// An action agreed in a session, to add to the team's actions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTeamAction {
    pub item_index: i64,
    pub what: String,
    pub who: String,
    pub due_on: String,
    pub owner_id: Option<i64>,
}

/// One of a team's actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TeamAction {
    pub id: i64,
    pub team_id: i64,
    pub session_id: String,
    pub item_index: i64,
    pub what: String,
    pub who: String,
    pub due_on: String,
    pub owner_id: Option<i64>,
    /// "open", "done" or "dropped".
    pub status: String,
    pub settled_on: Option<String>,
    pub settled_by: Option<i64>,
    pub settled_in_session: Option<String>,
    pub drop_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Settling an open action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionSettlement {
    pub action_id: i64,
    /// "done" or "dropped".
    pub status: String,
    pub settled_on: String,
    pub drop_reason: Option<String>,
    pub settled_by: Option<i64>,
    /// The session whose look-back settled it.
    pub in_session: Option<String>,
    pub now_ms: i64,
}

/// What the follow-up read from one session's log up to `session.harvested_seq`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Harvest {
    pub team_id: i64,
    /// The session's facts for the team's history, as read.
    pub session: PracticeSession,
    /// The conclusion's actions, once the session ended.
    pub actions: Vec<NewTeamAction>,
    /// Look-back outcomes that settle open actions.
    pub settlements: Vec<ActionSettlement>,
    pub now_ms: i64,
}

/// A session's facts for the team's history, and how far its log was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PracticeSession {
    pub session_id: String,
    pub harvested_seq: i64,
    pub held: bool,
    pub attendance: i64,
    pub held_on: String,
    pub method_key: String,
}

/// An adopted precedent of a team with its themes, for the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdoptedPrecedent {
    pub id: i64,
    pub updated_at: i64,
    pub session_id: Option<String>,
    pub themes: Vec<String>,
}

#[async_trait]
pub trait TeamPractice: Send + Sync {
    // --- the queue
    /// Open proposals of the team, and of the proposer in the team.
    async fn open_proposal_counts(&self, team_id: i64, proposer_id: i64) -> Result<(i64, i64)>;
    async fn create_proposal(&self, new: &Screened<NewProposal>) -> Result<Proposal>;
    async fn proposal(&self, id: i64) -> Result<Option<Proposal>>;
    /// The team's open proposals with their marks, as `viewer` sees them (unordered).
    async fn queue(&self, team_id: i64, viewer_id: i64) -> Result<Vec<QueueRow>>;
    /// Sets or clears `user_id`'s "wil ik bespreken" on an open proposal; false when it is not open.
    async fn set_interest(&self, proposal_id: i64, user_id: i64, on: bool, now_ms: i64) -> Result<bool>;
    /// Withdraws an open proposal; false when it was not open.
    async fn withdraw_proposal(&self, proposal_id: i64, now_ms: i64) -> Result<bool>;
    /// Claims an open proposal for picking (status `picked`, no session yet); false when it was
    /// not open (someone else picked or it was withdrawn).
    async fn claim_proposal(&self, proposal_id: i64, now_ms: i64) -> Result<bool>;
    /// Gives a claimed proposal back to the queue (creating its session failed).
    async fn release_proposal(&self, proposal_id: i64, now_ms: i64) -> Result<()>;
    /// Links a claimed proposal to its prepared session and planned time.
    async fn link_prepared_session(&self, prepared: &Preparation<'_>, now_ms: i64) -> Result<()>;
    /// The team's picked proposals whose session has not ended, soonest planned first.
    async fn prepared_sessions(&self, team_id: i64) -> Result<Vec<PreparedRow>>;

    // --- actions
    /// The team's actions: the open ones only, or all; by due date.
    async fn team_actions(&self, team_id: i64, open_only: bool, limit: i64) -> Result<Vec<TeamAction>>;
    async fn team_action(&self, id: i64) -> Result<Option<TeamAction>>;
    /// The actions a session agreed, in order.
    async fn actions_of_session(&self, session_id: &str) -> Result<Vec<TeamAction>>;
    /// Settles an open action; false when it was not open.
    async fn settle_action(&self, settlement: &Screened<ActionSettlement>) -> Result<bool>;
    /// Records which team action each of a session's previous actions is (in order).
    async fn set_look_back_items(&self, session_id: &str, action_ids: &[i64]) -> Result<()>;
    /// A session's previous actions as team action ids, in order.
    async fn look_back_items(&self, session_id: &str) -> Result<Vec<i64>>;

    // --- the follow-up's reading of session logs, and the history
    async fn practice_sessions(&self, team_id: i64) -> Result<Vec<PracticeSession>>;
    /// Stores a harvest in one transaction: the session's facts and seq, its agreed actions
    /// (each once), and the settlements of actions still open.
    async fn record_harvest(&self, harvest: &Screened<Harvest>) -> Result<()>;
    /// The team members' ids and display names.
    async fn member_names(&self, team_id: i64) -> Result<Vec<(i64, String)>>;
    /// The team's adopted precedents with their theme labels.
    async fn adopted_precedents_of_team(&self, team_id: i64) -> Result<Vec<AdoptedPrecedent>>;
}

const PROPOSAL_COLUMNS: &str = "id, team_id, proposer_id, title, summary, case_text, method_key, \
     method_variant, review, status, session_id, planned_at, created_at, updated_at";
const ACTION_COLUMNS: &str = "id, team_id, session_id, item_index, what, who, due_on, owner_id, status, \
     settled_on, settled_by, settled_in_session, drop_reason, created_at, updated_at";

#[async_trait]
impl<DB: Backend> TeamPractice for SqlStore<DB> {
    async fn open_proposal_counts(&self, team_id: i64, proposer_id: i64) -> Result<(i64, i64)> {
        let sql = "SELECT COUNT(*) FROM case_proposals WHERE team_id = $1 AND status = 'open'";
        let team: i64 = DB::scalar(&self.pool, sql, &[team_id.into()]).await?;
        let sql =
            "SELECT COUNT(*) FROM case_proposals WHERE team_id = $1 AND proposer_id = $2 AND status = 'open'";
        let mine: i64 = DB::scalar(&self.pool, sql, &[team_id.into(), proposer_id.into()]).await?;
        Ok((team, mine))
    }

    async fn create_proposal(&self, new: &Screened<NewProposal>) -> Result<Proposal> {
        let sql = format!(
            "INSERT INTO case_proposals (team_id, proposer_id, title, summary, case_text, method_key, \
             method_variant, review, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9) RETURNING {PROPOSAL_COLUMNS}"
        );
        DB::fetch_one(
            &self.pool,
            &sql,
            &[
                new.team_id.into(),
                new.proposer_id.into(),
                (&new.case.title).into(),
                (&new.case.summary).into(),
                (&new.case.case_text).into(),
                (&new.case.method_key).into(),
                new.case.method_variant.as_deref().into(),
                Arg::Json(&new.case.review),
                new.now_ms.into(),
            ],
        )
        .await
    }

    async fn proposal(&self, id: i64) -> Result<Option<Proposal>> {
        row_where(&self.pool, (PROPOSAL_COLUMNS, "case_proposals", "id"), id.into()).await
    }

    async fn queue(&self, team_id: i64, viewer_id: i64) -> Result<Vec<QueueRow>> {
        let sql =
            "SELECT p.id, p.proposer_id, u.display_name AS proposer_name, p.title, p.summary, p.method_key, \
             p.method_variant, p.created_at, \
             (SELECT COUNT(*) FROM case_interest i WHERE i.proposal_id = p.id) AS interest, \
             (SELECT COUNT(*) FROM case_interest i WHERE i.proposal_id = p.id AND i.user_id = $2) AS marked \
             FROM case_proposals p JOIN users u ON u.id = p.proposer_id \
             WHERE p.team_id = $1 AND p.status = 'open' ORDER BY p.created_at, p.id";
        let raws: Vec<QueueRaw> = DB::fetch_all(&self.pool, sql, &[team_id.into(), viewer_id.into()]).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn set_interest(&self, proposal_id: i64, user_id: i64, on: bool, now_ms: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let sql = "SELECT status FROM case_proposals WHERE id = $1";
        let status: Option<String> = DB::scalar_optional(&mut *tx, sql, &[proposal_id.into()]).await?;
        if status.as_deref() != Some("open") {
            return Ok(false);
        }
        if on {
            let sql = "INSERT INTO case_interest (proposal_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (proposal_id, user_id) DO NOTHING";
            DB::execute(&mut *tx, sql, &[proposal_id.into(), user_id.into(), now_ms.into()]).await?;
        } else {
            let sql = "DELETE FROM case_interest WHERE proposal_id = $1 AND user_id = $2";
            DB::execute(&mut *tx, sql, &[proposal_id.into(), user_id.into()]).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn withdraw_proposal(&self, proposal_id: i64, now_ms: i64) -> Result<bool> {
        self.move_proposal(proposal_id, "open", "withdrawn", now_ms).await
    }

    async fn claim_proposal(&self, proposal_id: i64, now_ms: i64) -> Result<bool> {
        self.move_proposal(proposal_id, "open", "picked", now_ms).await
    }

    async fn release_proposal(&self, proposal_id: i64, now_ms: i64) -> Result<()> {
        self.move_proposal(proposal_id, "picked", "open", now_ms).await.map(|_| ())
    }

    async fn link_prepared_session(&self, prepared: &Preparation<'_>, now_ms: i64) -> Result<()> {
        let Preparation { proposal_id, session_id, planned_at } = *prepared;
        let sql = "UPDATE case_proposals SET session_id = $1, planned_at = $2, updated_at = $3 \
             WHERE id = $4 AND status = 'picked'";
        DB::execute(
            &self.pool,
            sql,
            &[session_id.into(), planned_at.into(), now_ms.into(), proposal_id.into()],
        )
        .await?;
        Ok(())
    }

    async fn prepared_sessions(&self, team_id: i64) -> Result<Vec<PreparedRow>> {
        let sql = "SELECT p.id AS proposal_id, s.id AS session_id, s.title, s.method_key, p.planned_at, \
             s.status AS session_status FROM case_proposals p JOIN sessions s ON s.id = p.session_id \
             WHERE p.team_id = $1 AND p.status = 'picked' AND s.status <> 'closed' \
             ORDER BY p.planned_at, p.id";
        DB::fetch_all(&self.pool, sql, &[team_id.into()]).await
    }

    async fn team_actions(&self, team_id: i64, open_only: bool, limit: i64) -> Result<Vec<TeamAction>> {
        let filter = if open_only { "AND status = 'open'" } else { "" };
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM team_actions WHERE team_id = $1 {filter} \
             ORDER BY due_on, id LIMIT $2"
        );
        DB::fetch_all(&self.pool, &sql, &[team_id.into(), limit.into()]).await
    }

    async fn team_action(&self, id: i64) -> Result<Option<TeamAction>> {
        row_where(&self.pool, (ACTION_COLUMNS, "team_actions", "id"), id.into()).await
    }

    async fn actions_of_session(&self, session_id: &str) -> Result<Vec<TeamAction>> {
        let sql =
            format!("SELECT {ACTION_COLUMNS} FROM team_actions WHERE session_id = $1 ORDER BY item_index");
        DB::fetch_all(&self.pool, &sql, &[session_id.into()]).await
    }

    async fn settle_action(&self, s: &Screened<ActionSettlement>) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let changed = Self::settle_in_tx(&mut tx, s).await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn set_look_back_items(&self, session_id: &str, action_ids: &[i64]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (i, id) in action_ids.iter().enumerate() {
            let sql = "INSERT INTO look_back_items (session_id, item_index, action_id) VALUES ($1, $2, $3)";
            DB::execute(&mut *tx, sql, &[session_id.into(), (i as i64).into(), (*id).into()]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn look_back_items(&self, session_id: &str) -> Result<Vec<i64>> {
        let sql = "SELECT action_id FROM look_back_items WHERE session_id = $1 ORDER BY item_index";
        DB::scalars(&self.pool, sql, &[session_id.into()]).await
    }

    async fn practice_sessions(&self, team_id: i64) -> Result<Vec<PracticeSession>> {
        let sql =
            "SELECT session_id, harvested_seq, held, attendance, held_on, method_key FROM practice_sessions \
             WHERE team_id = $1 ORDER BY held_on, session_id";
        let raws: Vec<PracticeSessionRaw> = DB::fetch_all(&self.pool, sql, &[team_id.into()]).await?;
        Ok(raws.into_iter().map(Into::into).collect())
    }

    async fn record_harvest(&self, h: &Screened<Harvest>) -> Result<()> {
        let s = &h.session;
        let mut tx = self.begin_write().await?;
        let sql =
            "INSERT INTO practice_sessions (session_id, team_id, harvested_seq, held, attendance, held_on, \
             method_key) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO UPDATE SET \
             harvested_seq = excluded.harvested_seq, held = excluded.held, attendance = excluded.attendance, \
             held_on = excluded.held_on, method_key = excluded.method_key \
             WHERE practice_sessions.harvested_seq < excluded.harvested_seq";
        DB::execute(
            &mut *tx,
            sql,
            &[
                (&s.session_id).into(),
                h.team_id.into(),
                s.harvested_seq.into(),
                i64::from(s.held).into(),
                s.attendance.into(),
                (&s.held_on).into(),
                (&s.method_key).into(),
            ],
        )
        .await?;
        for a in &h.actions {
            let sql = "INSERT INTO team_actions (team_id, session_id, item_index, what, who, due_on, owner_id, status, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8) \
                 ON CONFLICT (session_id, item_index) DO NOTHING";
            DB::execute(
                &mut *tx,
                sql,
                &[
                    h.team_id.into(),
                    (&s.session_id).into(),
                    a.item_index.into(),
                    (&a.what).into(),
                    (&a.who).into(),
                    (&a.due_on).into(),
                    a.owner_id.into(),
                    h.now_ms.into(),
                ],
            )
            .await?;
        }
        for s in &h.settlements {
            Self::settle_in_tx(&mut tx, s).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn member_names(&self, team_id: i64) -> Result<Vec<(i64, String)>> {
        let sql = "SELECT u.id, u.display_name FROM users u JOIN team_members m ON m.user_id = u.id \
             WHERE m.team_id = $1 AND u.disabled_at IS NULL ORDER BY u.display_name, u.id";
        DB::fetch_all(&self.pool, sql, &[team_id.into()]).await
    }

    async fn adopted_precedents_of_team(&self, team_id: i64) -> Result<Vec<AdoptedPrecedent>> {
        let sql =
            "SELECT id, updated_at, session_id FROM precedents WHERE team_id = $1 AND status = 'adopted' \
             ORDER BY id";
        let rows: Vec<(i64, i64, Option<String>)> = DB::fetch_all(&self.pool, sql, &[team_id.into()]).await?;
        let sql = "SELECT l.precedent_id, l.label FROM precedent_labels l JOIN precedents p ON p.id = l.precedent_id \
             WHERE p.team_id = $1 AND p.status = 'adopted' AND l.kind = 'theme' ORDER BY l.precedent_id, l.label";
        let labels: Vec<(i64, String)> = DB::fetch_all(&self.pool, sql, &[team_id.into()]).await?;
        Ok(rows
            .into_iter()
            .map(|(id, updated_at, session_id)| AdoptedPrecedent {
                id,
                updated_at,
                session_id,
                themes: labels.iter().filter(|(p, _)| *p == id).map(|(_, l)| l.clone()).collect(),
            })
            .collect())
    }
}

impl<DB: Backend> SqlStore<DB> {
    async fn move_proposal(&self, id: i64, from: &str, to: &str, now_ms: i64) -> Result<bool> {
        let sql = "UPDATE case_proposals SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4";
        let done = DB::execute(&self.pool, sql, &[to.into(), now_ms.into(), id.into(), from.into()]).await?;
        Ok(done == 1)
    }

    async fn settle_in_tx(conn: &mut DB::Connection, s: &ActionSettlement) -> Result<bool> {
        if !matches!(s.status.as_str(), "done" | "dropped") {
            return Err(StoreError::Internal(format!("cannot settle an action as {}", s.status)));
        }
        let sql = "UPDATE team_actions SET status = $1, settled_on = $2, drop_reason = $3, settled_by = $4, \
             settled_in_session = $5, updated_at = $6 WHERE id = $7 AND status = 'open'";
        let done = DB::execute(
            &mut *conn,
            sql,
            &[
                (&s.status).into(),
                (&s.settled_on).into(),
                s.drop_reason.as_deref().into(),
                s.settled_by.into(),
                s.in_session.as_deref().into(),
                s.now_ms.into(),
                s.action_id.into(),
            ],
        )
        .await?;
        Ok(done == 1)
    }
}

#[derive(sqlx::FromRow)]
struct QueueRaw {
    id: i64,
    proposer_id: i64,
    proposer_name: String,
    title: String,
    summary: String,
    method_key: String,
    method_variant: Option<String>,
    created_at: i64,
    interest: i64,
    marked: i64,
}

impl From<QueueRaw> for QueueRow {
    fn from(r: QueueRaw) -> Self {
        QueueRow {
            id: r.id,
            proposer_id: r.proposer_id,
            proposer_name: r.proposer_name,
            title: r.title,
            summary: r.summary,
            method_key: r.method_key,
            method_variant: r.method_variant,
            interest: r.interest,
            marked: r.marked > 0,
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PracticeSessionRaw {
    session_id: String,
    harvested_seq: i64,
    held: i64,
    attendance: i64,
    held_on: String,
    method_key: String,
}

impl From<PracticeSessionRaw> for PracticeSession {
    fn from(r: PracticeSessionRaw) -> Self {
        PracticeSession {
            session_id: r.session_id,
            harvested_seq: r.harvested_seq,
            held: r.held != 0,
            attendance: r.attendance,
            held_on: r.held_on,
            method_key: r.method_key,
        }
    }
}
