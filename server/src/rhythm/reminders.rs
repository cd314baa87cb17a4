//! The reminder job: every few minutes, inside each server process, the reminders due (the
//! domain's `rhythm::reminder::due`) are claimed one by one in the store — a row with a unique
//! key per meeting, duty and person, so of several processes exactly one claims each — and the
//! claimer sends the e-mail. A send that fails gives its claim back, to be tried on a later run.
//! The e-mail holds the team's name, the time, the duty, the title of the case picked for the
//! meeting (if one is) and a link: never case content.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use url::Url;

use super::plan::TeamPlan;
use crate::domain::local_time::minute_of;
use crate::domain::rhythm::reminder;
use crate::domain::rhythm::schedule::DAY_MS;
use crate::i18n::{text, Lang};
use crate::mail::{Mail, Mailer};
use crate::store::{DynStore, Reminder};

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub sent: usize,
    pub failed: usize,
}

/// The link to a team's schedule page.
pub fn team_link(base_url: &Url, team_id: i64) -> String {
    base_url.join(&format!("teams/{team_id}/rooster")).map(|u| u.to_string()).unwrap_or_default()
}

/// Sends the reminders due at `now_ms` that nobody claimed yet.
pub async fn run_once(
    store: &DynStore,
    mailer: &Mailer,
    base_url: &Url,
    days_before: u32,
    now_ms: i64,
) -> anyhow::Result<RunReport> {
    let mut report = RunReport::default();
    let lang = Lang::Nl;
    let t = |key: &str| text(lang, key).unwrap_or("");
    for team_id in store.scheduled_teams().await? {
        let Some(team) = store.team(team_id).await? else { continue };
        let plan = TeamPlan::load(store.as_ref(), team_id).await?;
        let until = now_ms + (i64::from(days_before) + 2) * DAY_MS;
        let meetings = match plan.meetings(now_ms, until, false) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(team = team_id, error = %e, "team schedule cannot be computed; no reminders");
                continue;
            }
        };
        let occurrences: Vec<_> = meetings.iter().map(|m| m.occurrence).collect();
        let assignments: Vec<_> = meetings.iter().filter_map(|m| m.assignment).collect();
        for due in reminder::due(&occurrences, &assignments, now_ms, days_before) {
            let Some(member) = plan.members.iter().find(|m| m.user_id == due.user && m.disabled_at.is_none())
            else {
                continue;
            };
            let date = due.date.to_string();
            let duty = due.duty.as_str();
            if !store
                .claim_reminder(&Reminder { team_id, date: &date, duty, user_id: due.user }, now_ms)
                .await?
            {
                continue;
            }
            let when = minute_of(due.start_ms);
            let role = t(&format!("rhythm.duty.{duty}"));
            let case = plan
                .case_of(due.date)
                .filter(|c| c.is_ready())
                .map(|c| format!("\n\n{}", t("rhythm.mail.case").replace("{title}", &c.title)))
                .unwrap_or_default();
            let mail = Mail {
                to: member.email.clone(),
                subject: t("rhythm.mail.subject")
                    .replace("{role}", role)
                    .replace("{when}", &when)
                    .replace("{team}", &team.name),
                body: t("rhythm.mail.body")
                    .replace("{name}", &member.display_name)
                    .replace("{role}", role)
                    .replace("{when}", &when)
                    .replace("{team}", &team.name)
                    .replace("{case}", &case)
                    .replace("{link}", &team_link(base_url, team_id)),
            };
            match mailer.send(&mail).await {
                Ok(()) => report.sent += 1,
                Err(e) => {
                    report.failed += 1;
                    tracing::warn!(team = team_id, error = %e, "reminder not sent; will try again");
                    store
                        .release_reminder(&Reminder { team_id, date: &date, duty, user_id: due.user })
                        .await?;
                }
            }
        }
    }
    Ok(report)
}

/// Runs [`run_once`] now and then every `every` until `stop`.
pub fn spawn(
    store: DynStore,
    mailer: Arc<Mailer>,
    base_url: Url,
    days_before: u32,
    every: std::time::Duration,
    stop: CancellationToken,
) {
    tokio::spawn(async move {
        loop {
            match run_once(&store, &mailer, &base_url, days_before, crate::clock::now_ms()).await {
                Ok(r) if r.sent + r.failed > 0 => {
                    tracing::info!(sent = r.sent, failed = r.failed, "reminders")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reminder run failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {},
                () = stop.cancelled() => return,
            }
        }
    });
}
