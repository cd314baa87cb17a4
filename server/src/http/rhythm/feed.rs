//! `GET /agenda/{feed}`: a private calendar feed. The path's token is the only key (calendar
//! programs cannot sign in); it is stored hashed, logged as `{feed}` (log_path.rs), and a
//! renewed one replaces it. An unknown token gets 404, the same as a never-issued one.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::domain::rhythm::schedule::DAY_MS;
use crate::http::authz::Rule::Public;
use crate::http::routes::Route;
use crate::http::PageLang;
use crate::i18n::text;
use crate::rhythm::calendar::{self, FeedTeam, AHEAD_DAYS, PAST_DAYS};
use crate::rhythm::reminders::team_link;
use crate::rhythm::TeamPlan;

/// The private feed: its token is the key (calendar programs do not sign in).
pub fn routes() -> Vec<Route> {
    vec![Route::get("/agenda/{feed}", Public, feed)]
}

/// Longest token accepted (ours are 43 characters, plus `.ics`).
const MAX_TOKEN: usize = 100;

async fn feed(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    Path(feed): Path<String>,
) -> Response {
    let gone = || {
        (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            text(lang, "rhythm.error.feed_gone").unwrap_or(""),
        )
            .into_response()
    };
    let token = feed.strip_suffix(".ics").unwrap_or(&feed);
    if token.is_empty() || token.len() > MAX_TOKEN {
        return gone();
    }
    let owner = match state.store.feed_owner(&crate::secrets::hash(token)).await {
        Ok(Some(owner)) => owner,
        Ok(None) => return gone(),
        Err(e) => return crate::http::AppError::from(e).into_response(),
    };
    let (teams, me) = match owner.split_once(':') {
        Some(("team", id)) => match id.parse::<i64>().ok() {
            Some(id) => (vec![id], None),
            None => return gone(),
        },
        Some(("user", id)) => match id.parse::<i64>().ok() {
            Some(user) => match state.store.teams_of_user(user).await {
                Ok(teams) => (teams.into_iter().map(|t| t.id).collect(), Some(user)),
                Err(e) => return crate::http::AppError::from(e).into_response(),
            },
            None => return gone(),
        },
        _ => return gone(),
    };
    let now = crate::clock::now_ms();
    let mut plans = Vec::new();
    for team_id in teams {
        let team = match state.store.team(team_id).await {
            Ok(Some(team)) => team,
            Ok(None) => continue,
            Err(e) => return crate::http::AppError::from(e).into_response(),
        };
        let plan = match TeamPlan::load(state.store.as_ref(), team_id).await {
            Ok(plan) => plan,
            Err(e) => return crate::http::AppError::from(e).into_response(),
        };
        let meetings =
            plan.meetings(now - PAST_DAYS * DAY_MS, now + AHEAD_DAYS * DAY_MS, true).unwrap_or_default();
        plans.push((team, plan, meetings));
    }
    let feed_teams: Vec<FeedTeam<'_>> = plans
        .iter()
        .map(|(team, plan, meetings)| FeedTeam {
            team_id: team.id,
            team_name: &team.name,
            plan,
            meetings: meetings.clone(),
        })
        .collect();
    let name = match (&me, plans.first()) {
        (None, Some((team, _, _))) => format!("Beraad: {}", team.name),
        _ => "Beraad".to_owned(),
    };
    let base = state.config.base_url.clone();
    let body = calendar::feed(&name, &feed_teams, me, &|id| team_link(&base, id), lang);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        body,
    )
        .into_response()
}
