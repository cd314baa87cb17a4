//! `beraad team <ID>`: a team's next meetings (local time in Amsterdam) with who moderates, who
//! brings the case and the case picked for it (its title), and the team's open actions, overdue
//! ones marked — for a coordinator's script or a quick look on the server. Reads only (the
//! follow-up first reads the team's ended sessions, as the pages do).

use anyhow::{bail, Context};
use clap::Args;

use super::DatabaseArgs;
use crate::config::DatabaseConfig;
use crate::domain::local_time::{date_of, minute_of};
use crate::domain::practice::{is_overdue, ActionStatus, MAX_ACTIONS_LISTED};
use crate::domain::rhythm::schedule::DAY_MS;
use crate::rhythm::TeamPlan;
use crate::store::{self, DynStore};

#[derive(Debug, Args)]
pub struct TeamArgs {
    /// The team's id (as in /teams/ID).
    pub id: i64,
    /// How many meetings to list.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub meetings: u16,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub async fn run(args: TeamArgs) -> anyhow::Result<()> {
    let database = DatabaseConfig::parse(&args.database.database_url)?;
    let store = store::connect(&database).await?;
    store.migrate().await.context("migration failed")?;
    let text = report(&store, args.id, usize::from(args.meetings), crate::clock::now_ms()).await;
    store.close().await;
    print!("{}", text?);
    Ok(())
}

/// The report of team `team_id` at `now_ms`, as printed.
async fn report(store: &DynStore, team_id: i64, meetings: usize, now_ms: i64) -> anyhow::Result<String> {
    let Some(team) = store.team(team_id).await? else { bail!("no team has id {team_id}") };
    let plan = TeamPlan::load(store.as_ref(), team_id).await?;
    let mut out = format!("{} (team {})\n\nNext meetings (Europe/Amsterdam):\n", team.name, team.id);
    let name = |id: Option<i64>| id.map(|id| plan.name_of(id)).filter(|n| !n.is_empty());
    let upcoming = plan.meetings(now_ms, now_ms + 400 * DAY_MS, true).unwrap_or_default();
    if plan.schedule.is_none() {
        out.push_str("  no schedule\n");
    }
    for m in upcoming.iter().take(meetings) {
        let o = &m.occurrence;
        out.push_str(&format!("  {}", minute_of(o.start_ms)));
        if m.assignment.is_none() {
            out.push_str("  skipped\n");
            continue;
        }
        let a = m.assignment.as_ref();
        let nobody = || "nobody".to_owned();
        out.push_str(&format!(
            "  moderator: {}  case bringer: {}",
            name(a.and_then(|a| a.moderator)).unwrap_or_else(nobody),
            name(a.and_then(|a| a.case_bringer)).unwrap_or_else(nobody)
        ));
        if let Some(case) = plan.case_of(o.date) {
            let state = if case.is_ready() { "ready" } else { "discussed" };
            out.push_str(&format!("  case {state}: {}", case.title));
        }
        out.push('\n');
    }
    crate::http::practice::sync::sync_team(store, team_id).await?;
    let actions = store.team_actions(team_id, true, MAX_ACTIONS_LISTED as i64).await?;
    out.push_str(&format!("\nOpen actions ({}):\n", actions.len()));
    let today = date_of(now_ms);
    for a in &actions {
        let overdue = a.due_on.parse().is_ok_and(|d| is_overdue(ActionStatus::Open, d, today));
        out.push_str(&format!(
            "  {}  {} — {}{}\n",
            a.due_on,
            a.what,
            a.who,
            if overdue { "  OVERDUE" } else { "" }
        ));
    }
    Ok(out)
}
