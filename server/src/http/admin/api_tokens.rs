//! API tokens at `/beheer`: `POST /admin/api-tokens` makes one (a name, and the actions it may
//! do, from the `/api/v1/` routes' actions in the route table), shown once with a copy button
//! and stored as its SHA-256 only; `POST /admin/api-tokens/{id}/revoke` revokes one after a
//! confirm dialog. The list shows each token's scopes, maker, and last use. Needs
//! `ManageSettings`; audited (`api_token_created`, `api_token_revoked`). How a token is used:
//! `http/auth/api_token.rs`.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::audit::action;
use crate::clock::now_ms;
use crate::domain::access::Action;
use crate::domain::local_time::minute_of;
use crate::http::auth::api_token::{self, action_name, parse_action};
use crate::http::auth::{Allowed, ManageSettings};
use crate::http::authz::api_actions;
use crate::http::authz::Rule::SignedIn;
use crate::http::flash::{self, Flash};
use crate::http::routes::Route;
use crate::http::AppError;
use crate::store::{NewApiToken, StoreError};

/// At most this many tokens (revoked ones included) per organisation.
pub const MAX_TOKENS: usize = 200;

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/admin/api-tokens", SignedIn(Action::ManageSettings), create),
        Route::post("/admin/api-tokens/{id}/revoke", SignedIn(Action::ManageSettings), revoke),
    ]
}

/// What `/beheer` shows: the organisation's tokens and the scopes a new one can get.
pub(super) async fn listing(state: &AppState, org: i64) -> Result<minijinja::Value, StoreError> {
    let people = state.store.users_of_organisation(org).await?;
    let name_of =
        |id: i64| people.iter().find(|p| p.id == id).map(|p| p.display_name.clone()).unwrap_or_default();
    let tokens: Vec<_> = state
        .store
        .api_tokens_of(org)
        .await?
        .into_iter()
        .map(|t| {
            minijinja::context! {
                id => t.id,
                name => t.name,
                scopes => t.scopes.split_whitespace().collect::<Vec<_>>().join(", "),
                created_by => name_of(t.created_by),
                created_at => minute_of(t.created_at),
                last_used_at => t.last_used_at.map(minute_of),
                revoked_at => t.revoked_at.map(minute_of),
            }
        })
        .collect();
    let scopes: Vec<String> = api_actions().into_iter().map(action_name).collect();
    Ok(minijinja::context! { tokens, scopes })
}

/// `POST /admin/api-tokens`: `name=…&scope=…&scope=…` (a form with a checkbox per action).
async fn create(admin: Allowed<ManageSettings>, body: Bytes) -> Result<Response, AppError> {
    let (state, user) = (&admin.state, &admin.user);
    let mut name = String::new();
    let mut scopes: Vec<Action> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(&body) {
        match &*key {
            "name" => name = value.split_whitespace().collect::<Vec<_>>().join(" "),
            "scope" => match parse_action(&value).filter(|a| api_actions().contains(a)) {
                Some(a) if !scopes.contains(&a) => scopes.push(a),
                Some(_) => {}
                None => return Ok(admin.message(StatusCode::UNPROCESSABLE_ENTITY, "admin.error.token_scope")),
            },
            _ => {}
        }
    }
    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    if name.is_empty() || name.chars().count() > api_token::MAX_NAME {
        return Ok(admin.message(bad, "admin.error.token_name"));
    }
    if scopes.is_empty() {
        return Ok(admin.message(bad, "admin.error.token_scope"));
    }
    let org = user.user.organisation_id;
    if state.store.api_tokens_of(org).await?.len() >= MAX_TOKENS {
        return Ok(admin.message(bad, "admin.error.too_many_tokens"));
    }
    let (token, token_hash) = api_token::new_token();
    let scopes = scopes.into_iter().map(action_name).collect::<Vec<_>>().join(" ");
    let new = NewApiToken {
        organisation_id: org,
        token_hash,
        name: name.clone(),
        scopes: scopes.clone(),
        created_by: user.user.id,
        now_ms: now_ms(),
    };
    let Ok(new) = crate::guard::screen(new) else { return Ok(admin.message(bad, "admin.error.token_name")) };
    let made = state.store.create_api_token(&new).await?;
    admin
        .audit(
            action::API_TOKEN_CREATED,
            format!("api_token:{} scopes={}", made.id, scopes.replace(' ', ",")),
        )
        .await?;
    // Shown once, like an invite link: it rides along in the flash to the page, never again.
    let flash = Flash { key: "flash.api_token_created".into(), name: Some(name), link: Some(token) };
    Ok(flash::redirect("/beheer#invite-link-title", flash))
}

/// `POST /admin/api-tokens/{id}/revoke`: the token stops working at once (401).
async fn revoke(admin: Allowed<ManageSettings>, Path(id): Path<i64>) -> Result<Response, AppError> {
    if !admin.state.store.revoke_api_token(admin.user.user.organisation_id, id, now_ms()).await? {
        return Ok(admin.message(StatusCode::NOT_FOUND, "admin.error.no_token"));
    }
    admin.audit(action::API_TOKEN_REVOKED, format!("api_token:{id}")).await?;
    Ok(flash::redirect("/beheer", Flash::key("flash.api_token_revoked")))
}
