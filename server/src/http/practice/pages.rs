//! The team's pages: `/teams/{id}` (its history, with charts, printable for the yearly review),
//! `/teams/{id}/wachtrij` (the case queue, prepared sessions and open actions) and
//! `/teams/{id}/wachtrij/nieuw` (the case editor, proposing instead of starting a session).

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::value::{Serde, Value};
use serde_json::json;

use super::charts::{self, Bar};
use super::history::{team_history, year_of, YearQuery};
use super::viewer::{TeamPage, TeamScope};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::http::auth::pages;
use crate::http::authz::Rule::SignedIn;
use crate::http::routes::Route;
use crate::http::AppError;
use crate::i18n::{self, Lang};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/teams/{id}", SignedIn(Action::JoinSession), team_page),
        Route::get("/teams/{id}/wachtrij", SignedIn(Action::JoinSession), queue_page),
        Route::get("/teams/{id}/wachtrij/nieuw", SignedIn(Action::ProposeCase), propose_page),
    ]
}

fn t(lang: Lang, key: &str) -> String {
    i18n::text(lang, key).unwrap_or(key).to_owned()
}

async fn method_names(
    state: &AppState,
    lang: Lang,
) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    Ok(crate::http::method_names::method_names(state, lang).await?.into_iter().collect())
}

async fn team_page(page: TeamPage, Query(q): Query<YearQuery>) -> Result<Response, AppError> {
    let TeamPage(TeamScope { state, lang, user, team, .. }) = page;
    let Some(year) = year_of(&q) else {
        return Ok(pages::message(&state, lang, StatusCode::BAD_REQUEST, "error.not_found", Some(&user)));
    };
    let h = team_history(&state, team.id, year).await?;
    let names = method_names(&state, lang).await?;
    let month_names: Vec<String> = (1..=12).map(|m| t(lang, &format!("practice.month.{m}"))).collect();
    let months = charts::columns(
        "chart-months",
        &t(lang, "practice.history.chart_months"),
        &h.months
            .iter()
            .map(|m| Bar { label: month_names[usize::from(m.month) - 1].clone(), value: m.held })
            .collect::<Vec<_>>(),
    );
    let method_rows: Vec<serde_json::Value> = h
        .methods
        .iter()
        .map(|m| json!({ "name": names.get(&m.name).cloned().unwrap_or_else(|| m.name.clone()), "count": m.count }))
        .collect();
    let methods = charts::rows(
        "chart-methods",
        &t(lang, "practice.history.chart_methods"),
        &method_rows
            .iter()
            .map(|m| Bar {
                label: m["name"].as_str().unwrap_or_default().to_owned(),
                value: m["count"].as_u64().unwrap_or(0) as u32,
            })
            .collect::<Vec<_>>(),
    );
    let action_bars = vec![
        Bar { label: t(lang, "practice.history.on_time"), value: h.actions_done_on_time },
        Bar { label: t(lang, "practice.history.late"), value: h.actions_done_late },
        Bar { label: t(lang, "practice.history.overdue"), value: h.actions_overdue },
        Bar { label: t(lang, "practice.history.dropped"), value: h.actions_dropped },
    ];
    let actions = charts::rows("chart-actions", &t(lang, "practice.history.chart_actions"), &action_bars);
    let months_table: Vec<serde_json::Value> = h
        .months
        .iter()
        .map(|m| json!({ "name": month_names[usize::from(m.month) - 1], "held": m.held, "attendance": m.attendance, "adopted": m.adopted }))
        .collect();
    let context = minijinja::context! {
        team => Value::from(Serde(json!({ "id": team.id, "name": team.name }))),
        year => year,
        h => Value::from(Serde(&h)),
        mean_attendance => format!("{:.1}", f64::from(h.mean_attendance_tenths) / 10.0),
        months_table => Value::from(Serde(&months_table)),
        method_rows => Value::from(Serde(&method_rows)),
        chart_months => Value::from_safe_string(months),
        chart_methods => Value::from_safe_string(methods),
        chart_actions => Value::from_safe_string(actions),
        printed_on => crate::domain::local_time::minute_of(crate::clock::now_ms()),
    };
    Ok(pages::render(&state, lang, StatusCode::OK, "team.html", Some(&user), context))
}

async fn queue_page(page: TeamPage) -> Result<Response, AppError> {
    let TeamPage(TeamScope { state, lang, user, team, .. }) = page;
    let queue = super::queue::queue_json(&state, team.id, &user).await?;
    let actions = super::actions::actions_json(&state, team.id, &user, true).await?;
    let names = method_names(&state, lang).await?;
    let strings = i18n::texts_with_prefixes(lang, &["practice.js.", "api.error.", "live.error."]);
    let context = minijinja::context! {
        team => Value::from(Serde(json!({ "id": team.id, "name": team.name }))),
        queue => Value::from(Serde(&queue.queue)),
        prepared => Value::from(Serde(&queue.prepared)),
        meetings => Value::from(Serde(&queue.meetings)),
        actions => Value::from(Serde(&actions)),
        method_names => Value::from(Serde(&names)),
        may_pick => user.may(Action::LeadTeamPractice),
        may_propose => user.may(Action::ProposeCase),
        strings => Value::from(Serde(&strings)),
    };
    Ok(pages::render(&state, lang, StatusCode::OK, "team_queue.html", Some(&user), context))
}

async fn propose_page(page: TeamPage) -> Result<Response, AppError> {
    let TeamPage(TeamScope { state, lang, user, team, .. }) = page;
    let methods = crate::http::method_names::all_methods(&state).await?;
    let method_lang = crate::http::method_names::method_lang(lang);
    let options: Vec<_> = methods
        .iter()
        .map(|m| json!({ "key": m.key, "variant": m.variant, "name": format!("{} ({} min)", m.name.get(method_lang), m.total_minutes()) }))
        .collect();
    let strings = i18n::texts_with_prefixes(lang, &["editor.", "kind."]);
    let context = minijinja::context! {
        methods => Value::from(Serde(&options)),
        strings => Value::from(Serde(&strings)),
        teams => Value::from(Serde(Vec::<serde_json::Value>::new())),
        propose => Value::from(Serde(json!({ "team_id": team.id, "team_name": team.name }))),
    };
    Ok(pages::render(&state, lang, StatusCode::OK, "session_new.html", Some(&user), context))
}
