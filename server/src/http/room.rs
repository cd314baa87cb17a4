//! The live room and joining it: `GET /sessies/{id}` (the room: moderator console or
//! participant view, driven by `web/static/js/room.js` over the websocket), `GET
//! /sessies/{id}/beamer` (the same room laid out for the shared screen: large type, no
//! controls, hidden rounds shown only once revealed), `GET
//! /sessies/{id}/deelnemen` (the invite link's landing page: the code travels in the URL's
//! fragment, so it never reaches a server log or a referrer) and the invite's QR code.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::{Serde, Value};

use super::auth::{AuthContext, CurrentUser};
use super::authz::{self, SessionPage};
use super::{error::not_found, AppError, PageLang};
use crate::app::AppState;
use crate::http::authz::Rule::{Public, Session};
use crate::http::routes::Route;
use crate::i18n::{self, Lang};
use crate::store::SessionRow;

/// Where an invite link leads (relative to the base URL); the code follows after `#`.
pub fn join_path(session_id: &str) -> String {
    format!("/sessies/{session_id}/deelnemen")
}

/// The one API route here (`api/openapi.rs` merges it into the document).
#[derive(utoipa::OpenApi)]
#[openapi(paths(invite_qr))]
pub(crate) struct Doc;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/sessies/{id}", Session, room),
        Route::get("/sessies/{id}/beamer", Session, beamer),
        Route::get("/sessies/{id}/deelnemen", Public, join),
        Route::get("/sessies/{id}/precedent", Session, precedent_editor),
        Route::get("/api/v1/sessions/{id}/invite-qr", Public, invite_qr),
    ]
}

/// The page for a session whose content the retention job removed (410), if it is one.
async fn content_removed(state: &AppState, id: &str, lang: Lang) -> Result<Option<Response>, AppError> {
    let removed = state.store.session(id).await?.is_some_and(|s| s.content_removed_at.is_some());
    Ok(removed
        .then(|| super::auth::pages::message(state, lang, StatusCode::GONE, "room.content_removed", None)))
}

/// The room (`Rule::Session`, see [`SessionPage`]): a signed-in person outside the session's
/// team gets 404; a guest (no sign-in) gets the page, whose script needs the session token
/// kept in this browser.
async fn room(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    SessionPage { session, user }: SessionPage,
) -> Result<Response, AppError> {
    room_page(state, lang, session, user, false).await
}

/// The beamer view (`Rule::Session`, as the room): the room's live view for the shared screen.
/// It connects with the token kept in this browser, so it shows exactly what that person may
/// see; hidden rounds stay hidden until revealed.
async fn beamer(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    SessionPage { session, user }: SessionPage,
) -> Result<Response, AppError> {
    room_page(state, lang, session, user, true).await
}

async fn room_page(
    state: Arc<AppState>,
    lang: Lang,
    session: SessionRow,
    user: Option<Box<CurrentUser>>,
    beamer: bool,
) -> Result<Response, AppError> {
    if let Some(gone) = content_removed(&state, &session.header.id, lang).await? {
        return Ok(gone);
    }
    let strings = i18n::texts_with_prefixes(lang, &["room.", "live.error.", "kind."]);
    let join_path = join_path(&session.header.id);
    // Someone already in the session (the moderator on the meeting-room laptop) gets a token
    // for this browser at once, without a "join" click: the join API only hands out a token then.
    let present = match &user {
        Some(u) => authz::fold_session(&state.store, &session.header.id)
            .await
            .ok()
            .flatten()
            .and_then(|s| s.participant(&authz::participant_of_user(u.user.id)).map(|p| p.is_present()))
            .unwrap_or(false),
        None => false,
    };
    let html = state.templates.render(
        "room.html",
        lang,
        minijinja::context! {
            session_id => session.header.id,
            title => session.header.title,
            join_path => join_path,
            strings => Value::from(Serde(&strings)),
            beamer => beamer,
            can_join => user.is_some(),
            present => present,
            current_user => user.as_ref().map(|u| u.template_value()),
            csrf_token => user.as_ref().map(|u| u.session.csrf_token.clone()),
        },
    )?;
    Ok(Html(html).into_response())
}

async fn join(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    auth: AuthContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if let Some(gone) = content_removed(&state, &id, lang).await? {
        return Ok(gone);
    }
    let Some(session) = state.store.session(&id).await? else {
        return Ok(not_found(State(state), PageLang(lang)).await);
    };
    let strings = i18n::texts_with_prefixes(lang, &["join."]);
    let html = state.templates.render(
        "join.html",
        lang,
        minijinja::context! {
            session_id => session.header.id,
            title => session.header.title,
            strings => Value::from(Serde(&strings)),
            csrf_token => auth.signed_in.as_ref().map(|s| s.session.csrf_token.clone()),
        },
    )?;
    Ok(Html(html).into_response())
}

/// The session's precedent, drafted from its rounds and edited by its moderator before
/// adoption (`web/static/js/precedent-edit.js` over the lifecycle API), with the most similar
/// adopted precedents beside the conclusion.
async fn precedent_editor(
    State(state): State<Arc<AppState>>,
    PageLang(lang): PageLang,
    // As the room: outside the team 404; the lifecycle API itself admits only the moderator.
    SessionPage { session, user }: SessionPage,
) -> Result<Response, AppError> {
    let strings = i18n::texts_with_prefixes(lang, &["draft."]);
    let themes: Vec<&str> = crate::domain::precedent::Theme::ALL.iter().map(|t| t.label()).collect();
    let outcomes: Vec<serde_json::Value> = crate::domain::precedent::OutcomeType::ALL
        .iter()
        .map(|o| serde_json::json!({ "value": o, "label": o.label() }))
        .collect();
    let html = state.templates.render(
        "precedent_edit.html",
        lang,
        minijinja::context! {
            session_id => session.header.id,
            title => session.header.title,
            themes => themes,
            outcomes => Value::from(Serde(&outcomes)),
            strings => Value::from(Serde(&strings)),
            current_user => user.as_ref().map(|u| u.template_value()),
            csrf_token => user.as_ref().map(|u| u.session.csrf_token.clone()),
        },
    )?;
    Ok(Html(html).into_response())
}

/// The invite link as a QR code (SVG), for the moderator's screen. The code comes in the
/// `X-Invite-Code` header and must be a valid invite of this session, so the endpoint draws
/// nothing for anyone who does not hold one.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/invite-qr", tag = "sessions", params(("id" = String, Path), ("X-Invite-Code" = String, Header, description = "A valid invite code of this session")), responses((status = 200, description = "The invite link as a QR code", content_type = "image/svg+xml", body = String), (status = 404, description = "No such session or invite (no body)")))]
async fn invite_qr(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let code = headers.get("x-invite-code").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let valid = !code.is_empty()
        && state
            .store
            .session_for_invite(&crate::secrets::hash(code), crate::clock::now_ms())
            .await?
            .as_deref()
            == Some(id.as_str());
    if !valid {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    let base = state.config.base_url.as_str().trim_end_matches('/');
    let link = format!("{base}{}#{code}", join_path(&id));
    let svg = match qrcode::QrCode::new(link.as_bytes()) {
        Ok(qr) => {
            qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build()
        }
        Err(_) => return Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    };
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response())
}
