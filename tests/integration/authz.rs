//! Authorisation, tested in one place: every route of the router with every role (the
//! expected table is written out below), the websocket upgrade (token, cookie, origin), guest
//! tokens bound to one session, team boundaries, sign-out closing websockets, and every
//! websocket command by session role.

use serde_json::{json, Value};

use crate::harness::{TestApp, TestUser};
use crate::ws_client::{create_session_as, join, try_connect};
use beraad::store::PrecedentStatus;

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Admin,
    /// The session's moderator (role moderator, team A).
    Moderator,
    Member,
    ArchiveReader,
    /// A moderator of team B: outside the session's team.
    Outsider,
    /// A guest with a token of the session (no sign-in).
    Guest,
    Anonymous,
}

const WHO: [Who; 7] =
    [Who::Admin, Who::Moderator, Who::Member, Who::ArchiveReader, Who::Outsider, Who::Guest, Who::Anonymous];

struct World {
    session: String,
    invite: String,
    guest_token: String,
    draft: i64,
    adopted: i64,
    member_id: i64,
    /// Team A (the session's team), with one proposal in its queue and one open action
    /// (docs/team-practice.md).
    team: i64,
    proposal: i64,
    action: i64,
    users: Vec<(Who, TestUser)>,
    plain: reqwest::Client,
}

impl World {
    fn user(&self, who: Who) -> Option<&TestUser> {
        self.users.iter().find(|(w, _)| *w == who).map(|(_, u)| u)
    }
}

async fn world(app: &TestApp) -> World {
    let moderator = app.user_in("moderator", "Team A").await;
    let admin = app.user_in("admin", "Team A").await;
    let member = app.user_in("member", "Team A").await;
    let reader = app.user_in("archive_reader", "Team A").await;
    let outsider = app.user_in("moderator", "Team B").await;
    let (session, _, invite) = create_session_as(app, &moderator, "dilemma", None).await;
    let (_, guest_token) = join(app, &session, &invite, "Gast", "participant").await;
    let store = app.store();
    let draft = crate::archive_pages::store_full_in(
        &store,
        PrecedentStatus::Draft,
        Some(&session),
        Some(moderator.team_id),
        "GEM",
    )
    .await;
    let adopted = crate::archive_pages::store_full_in(
        &store,
        PrecedentStatus::Adopted,
        None,
        Some(moderator.team_id),
        "GEM",
    )
    .await;
    // An import carries its citation in the record only; give the row its column, as adoption does.
    let sql = format!("UPDATE precedents SET citation_id = 'MB:GEM:2025:4' WHERE id = {adopted}");
    crate::accounts::exec(&app.database, &sql).await;
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let team = moderator.team_id;
    let res = member
        .http
        .post(app.url(&format!("/api/v1/teams/{team}/queue")))
        .json(&json!({"title": "Casus", "summary": "Kort", "case_text": "Een casus.", "method": "cura"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let proposal = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // One agreed action of the session (read as if the follow-up had read the whole log).
    let facts = beraad::store::PracticeSession {
        session_id: session.clone(),
        harvested_seq: 1_000_000,
        held: true,
        attendance: 2,
        held_on: "2026-01-05".into(),
        method_key: "dilemma".into(),
    };
    let harvest = beraad::store::Harvest {
        team_id: team,
        session: facts,
        actions: vec![beraad::store::NewTeamAction {
            item_index: 0,
            what: "Navragen".into(),
            who: "Iemand".into(),
            due_on: "2026-01-10".into(),
            owner_id: None,
        }],
        settlements: vec![],
        now_ms: 1,
    };
    store.record_harvest(&beraad::guard::screen(harvest).unwrap()).await.unwrap();
    let action = store.team_actions(team, true, 10).await.unwrap()[0].id;
    World {
        session,
        invite,
        guest_token,
        draft,
        adopted,
        member_id: member.id,
        team,
        proposal,
        action,
        users: vec![
            (Who::Admin, admin),
            (Who::Moderator, moderator),
            (Who::Member, member),
            (Who::ArchiveReader, reader),
            (Who::Outsider, outsider),
        ],
        plain,
    }
}

enum Body {
    None,
    Json(Value),
    Form(&'static str),
}

/// Every route of the router (`beraad::http::routes::table()` must list the same), a
/// request to it, and the status each of admin, moderator, member, archive reader, outsider,
/// guest and anonymous gets. 401/403/404 (and the sign-in redirect 303 of pages) are refusals;
/// anything else got past authorisation (e.g. 400/409 for the session's moderator: the body
/// or the state is wrong, not the caller). Notes: the archive reader may not take part in
/// sessions, so a session is hidden (404) from them as from someone outside the team; a guest
/// sees the room page (its script needs the token) and the session's own routes with its token;
/// the draft has no version 1 (404 for its moderator); `POST /inloggen` fails (401) for
/// everyone, slowed down after five failures on the account but never refused for it.
fn table(w: &World) -> Vec<(&'static str, &'static str, String, Body, [u16; 7])> {
    let s = &w.session;
    let d = w.draft;
    let a = w.adopted;
    let t = w.team;
    let team = w.team;
    let (prop, act) = (w.proposal, w.action);
    let method = |key: &str| {
        Body::Json(json!({"key": key, "name": {"nl": "K", "en": "K"}, "description": "Eigen werkvorm",
            "family": "intervision", "output": "advice",
            "rounds": [{"key": "open", "kind": "dialogue", "title": "Gesprek", "prompt": "Praat samen",
                        "minutes": 10, "contributors": "everyone"}]}))
    };
    let create =
        || Body::Json(json!({"method":"cura","title":"Casus","case_text":"Een casus.","moderator_name":"M"}));
    //                                                            admin mod  memb read out  guest anon
    vec![
        ("GET", "/healthz", "/healthz".into(), Body::None, [200, 200, 200, 200, 200, 200, 200]),
        ("GET", "/readyz", "/readyz".into(), Body::None, [200, 200, 200, 200, 200, 200, 200]),
        ("GET", "/", "/".into(), Body::None, [200, 200, 200, 200, 200, 200, 200]),
        ("GET", "/methoden", "/methoden".into(), Body::None, [200, 200, 200, 200, 200, 200, 200]),
        (
            "GET",
            "/static/{*path}",
            "/static/css/beraad.css".into(),
            Body::None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        ("GET", "/inloggen", "/inloggen".into(), Body::None, [200, 200, 200, 200, 200, 200, 200]),
        (
            "POST",
            "/inloggen",
            "/inloggen".into(),
            Body::Form("email=x%40example.org&password=fout"),
            [401, 401, 401, 401, 401, 401, 401],
        ),
        // Single sign-on is not configured here: both answer 404 (tests/integration/oidc.rs).
        ("GET", "/inloggen/oidc", "/inloggen/oidc".into(), Body::None, [404, 404, 404, 404, 404, 404, 404]),
        (
            "GET",
            "/inloggen/oidc/terug",
            "/inloggen/oidc/terug?state=x&code=y".into(),
            Body::None,
            [404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "GET",
            "/instellen/{token}",
            "/instellen/onbekend".into(),
            Body::None,
            [410, 410, 410, 410, 410, 410, 410],
        ),
        (
            "POST",
            "/instellen/{token}",
            "/instellen/onbekend".into(),
            Body::Form("password=x&password2=x"),
            [422, 422, 422, 422, 422, 422, 422],
        ),
        (
            "GET",
            "/uitnodiging/{token}",
            "/uitnodiging/onbekend".into(),
            Body::None,
            [410, 410, 410, 410, 410, 410, 410],
        ),
        (
            "POST",
            "/uitnodiging/{token}",
            "/uitnodiging/onbekend".into(),
            Body::Form("display_name=x&password=x&password2=x"),
            [410, 410, 410, 410, 410, 410, 410],
        ),
        ("GET", "/beheer", "/beheer".into(), Body::None, [200, 403, 403, 403, 403, 303, 303]),
        (
            "POST",
            "/admin/invites",
            "/admin/invites".into(),
            Body::Form("email=nieuw%40example.org&role=member"),
            [303, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/users/{id}/role",
            format!("/admin/users/{}/role", w.member_id),
            Body::Form("role=member"),
            [303, 403, 403, 403, 403, 303, 303],
        ),
        // Names and invites: refused after the access check (422, 404): the admin got past it.
        (
            "POST",
            "/admin/users/{id}/name",
            format!("/admin/users/{}/name", w.member_id),
            Body::Form("name="),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/teams/{id}/name",
            "/admin/teams/1/name".into(),
            Body::Form("name="),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/invites/revoke",
            "/admin/invites/revoke".into(),
            Body::Form("invite=onbekend"),
            [404, 403, 403, 403, 403, 303, 303],
        ),
        // Four-eyes: moderators and admins; the draft awaits nobody's approval (404).
        ("GET", "/goedkeuren", "/goedkeuren".into(), Body::None, [200, 200, 403, 403, 200, 303, 303]),
        (
            "GET",
            "/goedkeuren/{id}",
            format!("/goedkeuren/{d}"),
            Body::None,
            [404, 404, 403, 403, 404, 303, 303],
        ),
        (
            "POST",
            "/goedkeuren/{id}",
            format!("/goedkeuren/{d}"),
            Body::Form("decision=approve"),
            [404, 404, 403, 403, 404, 303, 303],
        ),
        // Unconfirmed (the dialog sets confirm=erase): refused after the access check (422).
        (
            "POST",
            "/admin/users/{id}/erase",
            format!("/admin/users/{}/erase", w.member_id),
            Body::Form("confirm="),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        ("GET", "/beheer/audit", "/beheer/audit".into(), Body::None, [200, 403, 403, 403, 403, 303, 303]),
        (
            "POST",
            "/admin/settings",
            "/admin/settings".into(),
            Body::Form("archive_readers=organisation"),
            [303, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/synonyms",
            "/admin/synonyms".into(),
            Body::Form("synonyms="),
            [303, 403, 403, 403, 403, 303, 303],
        ),
        // An empty name is refused after the access check (422): the admin got past it.
        (
            "POST",
            "/admin/teams",
            "/admin/teams".into(),
            Body::Form("name="),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/users/{id}/teams",
            "/admin/users/1/teams".into(),
            Body::Form("team=0"),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/users/{id}/teams/remove",
            "/admin/users/1/teams/remove".into(),
            Body::Form("team=0"),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        // API tokens (made and revoked at /beheer) and the admin API (docs/api.md).
        (
            "POST",
            "/admin/api-tokens",
            "/admin/api-tokens".into(),
            Body::Form("name="),
            [422, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/admin/api-tokens/{id}/revoke",
            "/admin/api-tokens/999999/revoke".into(),
            Body::Form(""),
            [404, 403, 403, 403, 403, 303, 303],
        ),
        (
            "GET",
            "/api/v1/admin/teams",
            "/api/v1/admin/teams".into(),
            Body::None,
            [200, 403, 403, 403, 403, 401, 401],
        ),
        (
            "POST",
            "/api/v1/admin/teams",
            "/api/v1/admin/teams".into(),
            Body::Json(json!({"name": ""})),
            [422, 403, 403, 403, 403, 401, 401],
        ),
        (
            "POST",
            "/api/v1/admin/teams/{id}/members",
            "/api/v1/admin/teams/0/members".into(),
            Body::Json(json!({"user_id": 0})),
            [422, 403, 403, 403, 403, 401, 401],
        ),
        (
            "DELETE",
            "/api/v1/admin/teams/{id}/members/{user}",
            "/api/v1/admin/teams/0/members/0".into(),
            Body::None,
            [422, 403, 403, 403, 403, 401, 401],
        ),
        (
            "GET",
            "/api/v1/admin/users",
            "/api/v1/admin/users".into(),
            Body::None,
            [200, 403, 403, 403, 403, 401, 401],
        ),
        (
            "PUT",
            "/api/v1/admin/users/{id}/role",
            "/api/v1/admin/users/0/role".into(),
            Body::Json(json!({"role": "eigenaar"})),
            [422, 403, 403, 403, 403, 401, 401],
        ),
        (
            "POST",
            "/api/v1/admin/invites",
            "/api/v1/admin/invites".into(),
            Body::Json(json!({"email": "geen-adres", "role": "member"})),
            [422, 403, 403, 403, 403, 401, 401],
        ),
        (
            "DELETE",
            "/api/v1/admin/invites/{invite}",
            "/api/v1/admin/invites/onbekend".into(),
            Body::None,
            [404, 403, 403, 403, 403, 401, 401],
        ),
        (
            "GET",
            "/api/v1/admin/settings",
            "/api/v1/admin/settings".into(),
            Body::None,
            [200, 403, 403, 403, 403, 401, 401],
        ),
        (
            "PUT",
            "/api/v1/admin/settings",
            "/api/v1/admin/settings".into(),
            Body::Json(json!({"archive_readers": "iedereen", "four_eyes": false})),
            [422, 403, 403, 403, 403, 401, 401],
        ),
        ("GET", "/sessions/new", "/sessions/new".into(), Body::None, [200, 200, 403, 403, 200, 303, 303]),
        (
            "POST",
            "/api/v1/sessions",
            "/api/v1/sessions".into(),
            create(),
            [201, 201, 403, 403, 201, 401, 401],
        ),
        (
            "POST",
            "/api/v1/sessions/{id}/join",
            format!("/api/v1/sessions/{s}/join"),
            Body::Json(json!({})),
            [201, 201, 201, 404, 404, 401, 401],
        ),
        ("GET", "/sessies/{id}", format!("/sessies/{s}"), Body::None, [200, 200, 200, 404, 404, 200, 200]),
        (
            "GET",
            "/sessies/{id}/beamer",
            format!("/sessies/{s}/beamer"),
            Body::None,
            [200, 200, 200, 404, 404, 200, 200],
        ),
        (
            "GET",
            "/sessies/{id}/precedent",
            format!("/sessies/{s}/precedent"),
            Body::None,
            [200, 200, 200, 404, 404, 200, 200],
        ),
        (
            "GET",
            "/sessies/{id}/deelnemen",
            format!("/sessies/{s}/deelnemen"),
            Body::None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/sessions/{id}/invite-qr",
            format!("/api/v1/sessions/{s}/invite-qr"),
            Body::None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/ws/sessions/{id}",
            format!("/ws/sessions/{s}"),
            Body::None,
            [101, 101, 101, 404, 404, 101, 401],
        ),
        ("GET", "/api/v1/methods", "/api/v1/methods".into(), Body::None, [200, 200, 200, 200, 200, 200, 200]),
        (
            "GET",
            "/api/v1/openapi.json",
            "/api/v1/openapi.json".into(),
            Body::None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/law-refs/check",
            "/api/v1/law-refs/check?q=art%2018%20lid%204%20PW".into(),
            Body::None,
            [200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/methods",
            "/api/v1/methods".into(),
            method("eigen"),
            [201, 409, 403, 403, 409, 401, 401],
        ),
        (
            "POST",
            "/api/v1/methods/validate",
            "/api/v1/methods/validate".into(),
            method("eigen2"),
            [200, 200, 403, 403, 200, 401, 401],
        ),
        (
            "POST",
            "/api/v1/scan",
            "/api/v1/scan".into(),
            Body::Json(json!({"text": "Een casus."})),
            [200, 200, 200, 403, 200, 401, 401],
        ),
        (
            "POST",
            "/api/v1/sessions/{id}/precedent",
            format!("/api/v1/sessions/{s}/precedent"),
            Body::Json(json!({})),
            [403, 409, 403, 404, 404, 403, 401],
        ),
        (
            "GET",
            "/api/v1/sessions/{id}/precedent",
            format!("/api/v1/sessions/{s}/precedent"),
            Body::None,
            [403, 200, 403, 404, 404, 403, 401],
        ),
        (
            "POST",
            "/api/v1/sessions/{id}/links",
            format!("/api/v1/sessions/{s}/links"),
            Body::Json(json!({})),
            [403, 400, 403, 404, 404, 403, 401],
        ),
        (
            "GET",
            "/api/v1/sessions/{id}/links",
            format!("/api/v1/sessions/{s}/links"),
            Body::None,
            [200, 200, 200, 404, 404, 200, 401],
        ),
        // After the invite QR row: it rotates the session's invite code.
        (
            "POST",
            "/api/v1/sessions/{id}/invite",
            format!("/api/v1/sessions/{s}/invite"),
            Body::Json(json!({})),
            [403, 201, 403, 404, 404, 403, 401],
        ),
        (
            "GET",
            "/api/v1/precedents/{id}",
            format!("/api/v1/precedents/{d}"),
            Body::None,
            [403, 200, 403, 404, 404, 403, 401],
        ),
        (
            "PUT",
            "/api/v1/precedents/{id}",
            format!("/api/v1/precedents/{d}"),
            Body::Json(json!({})),
            [403, 400, 403, 404, 404, 403, 401],
        ),
        (
            "POST",
            "/api/v1/precedents/{id}/adopt",
            format!("/api/v1/precedents/{d}/adopt"),
            Body::Json(json!({"x": 1})),
            [403, 400, 403, 404, 404, 403, 401],
        ),
        (
            "POST",
            "/api/v1/precedents/{id}/corrections",
            format!("/api/v1/precedents/{d}/corrections"),
            Body::Json(json!({})),
            [403, 400, 403, 404, 404, 403, 401],
        ),
        (
            "POST",
            "/api/v1/precedents/{id}/withdraw",
            format!("/api/v1/precedents/{d}/withdraw"),
            Body::Json(json!({})),
            [403, 400, 403, 404, 404, 403, 401],
        ),
        (
            "GET",
            "/api/v1/precedents/{id}/versions/{n}",
            format!("/api/v1/precedents/{d}/versions/1"),
            Body::None,
            [403, 404, 403, 404, 404, 403, 401],
        ),
        ("GET", "/archief", "/archief".into(), Body::None, [200, 200, 200, 200, 200, 303, 303]),
        ("GET", "/archive", "/archive".into(), Body::None, [308, 308, 308, 308, 308, 308, 308]),
        (
            "GET",
            "/precedenten/{file}",
            format!("/precedenten/{a}"),
            Body::None,
            [200, 200, 200, 200, 200, 303, 303],
        ),
        (
            "GET",
            "/api/v1/precedents",
            "/api/v1/precedents?q=zorg".into(),
            Body::None,
            [200, 200, 200, 200, 200, 401, 401],
        ),
        (
            "POST",
            "/api/v1/precedents/similar",
            "/api/v1/precedents/similar".into(),
            Body::Json(json!({"text": "zorg voor een zieke moeder en gemiste afspraken bij de uitkering"})),
            [200, 200, 200, 200, 200, 401, 401],
        ),
        (
            "GET",
            "/api/v1/precedents/by-citation/{citation}",
            "/api/v1/precedents/by-citation/MB:GEM:2025:4".into(),
            Body::None,
            [200, 200, 200, 200, 200, 401, 401],
        ),
        // A team's rhythm: members see and take part, moderators and admins plan; archive
        // readers have no part; another team's moderator finds no such team (404). Team A has
        // no schedule: planning an exception answers 409.
        (
            "GET",
            "/teams/{id}/rooster",
            format!("/teams/{t}/rooster"),
            Body::None,
            [200, 200, 200, 403, 404, 303, 303],
        ),
        (
            "POST",
            "/teams/{id}/rooster",
            format!("/teams/{t}/rooster"),
            Body::Form("op=onbekend"),
            [422, 422, 422, 403, 404, 303, 303],
        ),
        (
            "GET",
            "/agenda/{feed}",
            "/agenda/onbekend.ics".into(),
            Body::None,
            [404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "GET",
            "/api/v1/teams/{id}/schedule",
            format!("/api/v1/teams/{t}/schedule"),
            Body::None,
            [200, 200, 200, 403, 404, 401, 401],
        ),
        (
            "PUT",
            "/api/v1/teams/{id}/schedule",
            format!("/api/v1/teams/{t}/schedule"),
            Body::Json(json!({})),
            [422, 422, 403, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/schedule/skips",
            format!("/api/v1/teams/{t}/schedule/skips"),
            Body::Json(json!({"date": "2030-01-01"})),
            [409, 409, 403, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/schedule/moves",
            format!("/api/v1/teams/{t}/schedule/moves"),
            Body::Json(json!({})),
            [422, 422, 403, 403, 404, 401, 401],
        ),
        (
            "DELETE",
            "/api/v1/teams/{id}/schedule/changes/{date}",
            format!("/api/v1/teams/{t}/schedule/changes/x"),
            Body::None,
            [422, 422, 403, 403, 404, 401, 401],
        ),
        (
            "GET",
            "/api/v1/teams/{id}/meetings",
            format!("/api/v1/teams/{t}/meetings"),
            Body::None,
            [200, 200, 200, 403, 404, 401, 401],
        ),
        (
            "GET",
            "/api/v1/teams/{id}/rotation",
            format!("/api/v1/teams/{t}/rotation"),
            Body::None,
            [200, 200, 200, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/rotation/absences",
            format!("/api/v1/teams/{t}/rotation/absences"),
            Body::Json(json!({})),
            [422, 422, 422, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/rotation/swaps",
            format!("/api/v1/teams/{t}/rotation/swaps"),
            Body::Json(json!({})),
            [422, 422, 422, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/feed",
            format!("/api/v1/teams/{t}/feed"),
            Body::Json(json!({})),
            [201, 201, 403, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/me/feed",
            "/api/v1/me/feed".into(),
            Body::Json(json!({})),
            [201, 201, 201, 403, 201, 401, 401],
        ),
        // A team's practice: members of the team (not archive readers) see and propose; a moderator
        // picks (an invalid time: 422 after the access check); only the proposer withdraws (403 for
        // the others, after the access check); settling someone else's action needs a moderator
        // (an empty reason: 422 after the check). Outside the team: 404.
        ("GET", "/teams/{id}", format!("/teams/{team}"), Body::None, [200, 200, 200, 403, 404, 303, 303]),
        (
            "GET",
            "/teams/{id}/wachtrij",
            format!("/teams/{team}/wachtrij"),
            Body::None,
            [200, 200, 200, 403, 404, 303, 303],
        ),
        (
            "GET",
            "/teams/{id}/wachtrij/nieuw",
            format!("/teams/{team}/wachtrij/nieuw"),
            Body::None,
            [200, 200, 200, 403, 404, 303, 303],
        ),
        (
            "GET",
            "/api/v1/teams/{id}/queue",
            format!("/api/v1/teams/{team}/queue"),
            Body::None,
            [200, 200, 200, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/queue",
            format!("/api/v1/teams/{team}/queue"),
            Body::Json(json!({})),
            [400, 400, 400, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/queue/{proposal}/interest",
            format!("/api/v1/teams/{team}/queue/{prop}/interest"),
            Body::Json(json!({"on": true})),
            [200, 200, 200, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/queue/{proposal}/pick",
            format!("/api/v1/teams/{team}/queue/{prop}/pick"),
            Body::Json(json!({"planned_at": "morgen"})),
            [422, 422, 403, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/queue/{proposal}/withdraw",
            format!("/api/v1/teams/{team}/queue/{prop}/withdraw"),
            Body::Json(json!({})),
            [403, 403, 200, 403, 404, 401, 401],
        ),
        (
            "GET",
            "/api/v1/teams/{id}/actions",
            format!("/api/v1/teams/{team}/actions"),
            Body::None,
            [200, 200, 200, 403, 404, 401, 401],
        ),
        (
            "POST",
            "/api/v1/teams/{id}/actions/{action}",
            format!("/api/v1/teams/{team}/actions/{act}"),
            Body::Json(json!({"status": "dropped", "reason": ""})),
            [422, 422, 403, 403, 404, 401, 401],
        ),
        (
            "GET",
            "/api/v1/teams/{id}/history",
            format!("/api/v1/teams/{team}/history"),
            Body::None,
            [200, 200, 200, 403, 404, 401, 401],
        ),
        // Last: it ends the web session.
        ("POST", "/uitloggen", "/uitloggen".into(), Body::Form(""), [303, 303, 303, 303, 303, 303, 303]),
    ]
}

async fn status_of(app: &TestApp, w: &World, who: Who, method: &str, path: &str, body: &Body) -> u16 {
    if path.starts_with("/ws/") {
        let protocols = format!("beraad.v1, token.{}", w.guest_token);
        let cookie = w.user(who).map(|u| u.cookie_header());
        let mut headers: Vec<(&str, &str)> = Vec::new();
        match who {
            Who::Guest => headers.push(("sec-websocket-protocol", protocols.as_str())),
            Who::Anonymous => {}
            _ => headers.push(("cookie", cookie.as_deref().unwrap())),
        }
        let session = path.trim_start_matches("/ws/sessions/");
        return match try_connect(app, session, &headers).await {
            Ok(_) => 101,
            Err(code) => code,
        };
    }
    let client = w.user(who).map(|u| u.http.clone()).unwrap_or_else(|| w.plain.clone());
    let mut req = client.request(method.parse().unwrap(), app.url(path));
    if who == Who::Guest {
        req = req.bearer_auth(&w.guest_token);
    }
    if path.ends_with("/invite-qr") {
        req = req.header("x-invite-code", &w.invite);
    }
    req = match body {
        Body::None => req,
        Body::Json(v) => req.json(v),
        Body::Form(f) => req.header("content-type", "application/x-www-form-urlencoded").body(*f),
    };
    req.send().await.unwrap().status().as_u16()
}

crate::harness::on_both_backends! {
    async fn every_route_with_every_role(app) {
        let w = world(&app).await;
        let rows = table(&w);
        // The table above lists exactly the server's route table.
        let mut ours: Vec<(String, String)> = rows.iter().map(|(m, p, ..)| (m.to_string(), p.to_string())).collect();
        let mut server: Vec<(String, String)> =
            beraad::http::routes::table().iter().map(|r| (r.method.to_string(), r.path.to_string())).collect();
        ours.sort();
        server.sort();
        assert_eq!(ours, server, "the test table and the route table list the same routes");
        let mut report = String::new();
        let mut wrong = Vec::new();
        for (method, pattern, path, body, expected) in &rows {
            let mut got = [0u16; 7];
            for (i, who) in WHO.iter().enumerate() {
                got[i] = status_of(&app, &w, *who, method, path, body).await;
            }
            report.push_str(&format!("{method} {pattern}: {got:?}\n"));
            if got != *expected {
                wrong.push(format!("{method} {pattern}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}\n\nfull:\n{report}", wrong.join("\n"));
    }
}

/// Deny by default: a route put on the router around the route table (a `.route(…)` with no
/// row, so no rule) is refused with 403 for everyone, an admin included, and its handler never
/// runs; the same router's table routes still answer. (A row cannot leave out its rule: it
/// does not compile.)
#[tokio::test]
async fn a_route_outside_the_route_table_is_refused() {
    let app = TestApp::sqlite().await;
    let admin = app.user_in("admin", "Team A").await;
    let state = app.server.as_ref().expect("in-process server").state.clone();
    let routes = beraad::http::routes::router(beraad::http::routes::table())
        .route("/api/v1/unlisted", axum::routing::get(|| async { "reached" }))
        .route("/unlisted", axum::routing::get(|| async { "reached" }));
    let router = beraad::http::layered(state, routes);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in ["/api/v1/unlisted", "/unlisted"] {
        let anonymous = plain.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(anonymous.status(), 403, "{path}, anonymous");
        let signed_in =
            plain.get(format!("{base}{path}")).header("cookie", admin.cookie_header()).send().await.unwrap();
        assert_eq!(signed_in.status(), 403, "{path}, admin");
        assert!(!signed_in.text().await.unwrap().contains("reached"), "{path}: the handler ran");
    }
    let listed =
        plain.get(format!("{base}/beheer")).header("cookie", admin.cookie_header()).send().await.unwrap();
    assert_eq!(listed.status(), 200, "a route of the table, on the same router");
    server.abort();
}

async fn close_of(
    ws: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
) -> Option<u16> {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let wait = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Close(frame) = msg {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    });
    wait.await.expect("closes in time")
}

async fn hello(
    ws: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    token: &str,
) {
    use futures_util::SinkExt;
    let text = json!({"type":"hello","protocol":1,"token":token}).to_string();
    ws.send(tokio_tungstenite::tungstenite::Message::Text(text.into())).await.unwrap();
}

crate::harness::on_both_backends! {
    async fn a_guest_token_opens_its_one_session_only(app) {
        let w = world(&app).await;
        let other_moderator = app.user_in("moderator", "Team A").await;
        let (other, other_token, _) = create_session_as(&app, &other_moderator, "dilemma", None).await;
        let guest = format!("beraad.v1, token.{}", w.guest_token);
        // The upgrade to another session with the guest's token: refused before upgrading, with
        // the same 401 as an unknown token (the answer does not tell that the token exists).
        let refused = try_connect(&app, &other, &[("sec-websocket-protocol", guest.as_str())]).await;
        assert_eq!(refused.err(), Some(401));
        let unknown = try_connect(&app, &other, &[("sec-websocket-protocol", "beraad.v1, token.onbekend")]).await;
        assert_eq!(unknown.err(), Some(401), "an unknown token answers 401 as documented");
        // A connection to the other session (its own token) that says hello with the guest's: 4001.
        let own = format!("beraad.v1, token.{other_token}");
        let mut ws = try_connect(&app, &other, &[("sec-websocket-protocol", own.as_str())]).await.unwrap();
        hello(&mut ws, &w.guest_token).await;
        assert_eq!(close_of(&mut ws).await, Some(4001));
        // The session APIs of the other session refuse the guest's token.
        let plain = &w.plain;
        let join = plain
            .post(app.url(&format!("/api/v1/sessions/{other}/join")))
            .bearer_auth(&w.guest_token)
            .json(&json!({"display_name": "Gast"}))
            .send()
            .await
            .unwrap();
        assert_eq!(join.status(), 401, "no invite and no sign-in");
        // Another session's token is not valid here: 401, as an unknown token.
        for path in [format!("/api/v1/sessions/{other}/links"), format!("/api/v1/sessions/{other}/precedent")] {
            let res = plain.get(app.url(&path)).bearer_auth(&w.guest_token).send().await.unwrap();
            assert_eq!(res.status(), 401, "{path}");
        }
        let res = plain.post(app.url(&format!("/api/v1/sessions/{other}/precedent"))).bearer_auth(&w.guest_token).json(&json!({})).send().await.unwrap();
        assert_eq!(res.status(), 401);
        // In its own session the token works, and the guest never reaches the archive.
        let mine = crate::ws_client::WsClient::connect(&app, &w.session, "gast", &w.guest_token, None).await;
        mine.close().await;
        for path in ["/archief", "/api/v1/precedents?q=zorg", &format!("/precedenten/{}", w.adopted)] {
            let res = plain.get(app.url(path)).bearer_auth(&w.guest_token).send().await.unwrap();
            assert!(matches!(res.status().as_u16(), 401 | 303), "{path}: {}", res.status());
        }
    }

    async fn a_team_member_gets_a_join_button_and_a_guest_the_plain_room(app) {
        let w = world(&app).await;
        let member = w.user(Who::Member).unwrap();
        let page = member.http.get(app.url(&format!("/sessies/{}", w.session))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("id=\"member-join\"") && page.contains("name=\"csrf-token\""), "{page}");
        let page = w.plain.get(app.url(&format!("/sessies/{}", w.session))).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("member-join") && !page.contains("csrf-token"), "{page}");
    }

    async fn a_cross_origin_upgrade_is_refused_and_no_origin_is_allowed(app) {
        let w = world(&app).await;
        let protocols = format!("beraad.v1, token.{}", w.guest_token);
        let p = protocols.as_str();
        let evil = try_connect(&app, &w.session, &[("sec-websocket-protocol", p), ("origin", "https://evil.example")]).await;
        assert_eq!(evil.err(), Some(403));
        // The configured base URL of the test server is http://127.0.0.1/.
        assert!(try_connect(&app, &w.session, &[("sec-websocket-protocol", p), ("origin", "http://127.0.0.1")]).await.is_ok());
        assert!(try_connect(&app, &w.session, &[("sec-websocket-protocol", p)]).await.is_ok());
        // Neither token nor cookie: 401 before upgrading.
        assert_eq!(try_connect(&app, &w.session, &[]).await.err(), Some(401));
    }

    async fn signing_out_closes_that_users_websockets(app) {
        let w = world(&app).await;
        let member = w.user(Who::Member).unwrap().clone();
        // A member of the team joins without an invite and opens the room with the cookie.
        let res = member.http.post(app.url(&format!("/api/v1/sessions/{}/join", w.session))).json(&json!({})).send().await.unwrap();
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["participant_id"], format!("u-{}", member.id));
        let token = body["token"].as_str().unwrap().to_owned();
        let cookie = member.cookie_header();
        let mut ws = try_connect(&app, &w.session, &[("cookie", cookie.as_str())]).await.unwrap();
        hello(&mut ws, &token).await;
        // (The welcome arrives; then the user signs out elsewhere.)
        let res = member.http.post(app.url("/uitloggen")).header("content-type", "application/x-www-form-urlencoded").body(format!("csrf_token={}", member.csrf)).send().await.unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(close_of(&mut ws).await, Some(4001));
        // And the ended cookie no longer opens one.
        assert_eq!(try_connect(&app, &w.session, &[("cookie", cookie.as_str())]).await.err(), Some(401));
    }

    async fn lifecycle_steps_and_downloads_are_audited_without_content(app) {
        let w = world(&app).await;
        let moderator = w.user(Who::Moderator).unwrap();
        let (session, token, invite) = create_session_as(&app, moderator, "cura", None).await;
        let (_, t) = join(&app, &session, &invite, "Inbrenger", "presenter").await;
        let mut m = crate::ws_client::WsClient::connect(&app, &session, "mod", &token, None).await;
        let _p = crate::ws_client::WsClient::connect(&app, &session, "pres", &t, None).await;
        m.ok(json!({"type":"start"})).await;
        m.ok(json!({"type":"end"})).await;
        let reader = w.user(Who::ArchiveReader).unwrap();
        let md = reader.http.get(app.url(&format!("/precedenten/{}.md", w.adopted))).send().await.unwrap();
        assert_eq!(md.status(), 200);
        let log = app.store().audit_log().await.unwrap();
        let has = |action: &str, subject: &str| log.iter().any(|e| e.fact.action == action && e.fact.subject == subject);
        let target = format!("session:{session}");
        assert!(has("session_created", &target), "{log:?}");
        assert!(has("session_started", &target), "{log:?}");
        assert!(has("session_ended", &target), "{log:?}");
        assert!(has("precedent_downloaded", &format!("precedent:{}", w.adopted)), "{log:?}");
        let created = log.iter().find(|e| e.fact.action == "session_created" && e.fact.subject == target).unwrap();
        assert_eq!(created.fact.actor, format!("user:{}", moderator.id));
        assert_eq!(created.fact.origin, "127.0.0.1");
        let all = format!("{log:?}");
        assert!(!all.contains("Verlaging na een gemiste afspraak") && !all.contains("meldde zich daarna ziek"), "no case content");
    }

    async fn another_organisations_precedent_is_not_found(app) {
        let w = world(&app).await;
        let store = app.store();
        let theirs = crate::archive_pages::store_full_in(&store, PrecedentStatus::Adopted, None, None, "AND").await;
        let reader = w.user(Who::ArchiveReader).unwrap();
        let ours = reader.http.get(app.url(&format!("/precedenten/{}", w.adopted))).send().await.unwrap();
        assert_eq!(ours.status(), 200);
        let page = ours.text().await.unwrap();
        assert!(page.contains("action=\"/uitloggen\"") && page.contains("name=\"csrf-token\""), "signed in on the page");
        for path in [format!("/precedenten/{theirs}"), format!("/precedenten/{theirs}.json"), format!("/api/v1/precedents/{theirs}")] {
            let res = reader.http.get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), 404, "{path}");
        }
        // Search covers the reader's organisation only: the same record, once.
        let found: Value = reader.http.get(app.url("/api/v1/precedents?q=zorg")).send().await.unwrap().json().await.unwrap();
        let ids: Vec<i64> = found["results"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert!(ids.contains(&w.adopted) && !ids.contains(&theirs), "{found}");
        let outsider = app.user_in("archive_reader", "Team B").await;
        let res = outsider.http.get(app.url(&format!("/precedenten/{}", w.draft))).send().await.unwrap();
        assert_eq!(res.status(), 404, "a draft is not in the archive");
    }
}

/// Every websocket command by session role: moderator (signed in), participant (a team member
/// who joined without an invite), observer and guest participant (both by invite). The
/// moderator-only commands refuse everyone else with `not_moderator`; "ok" means the role may
/// send it (the answer is an ack, or a refusal about the session's state, not about the role).
#[tokio::test]
async fn every_websocket_command_by_session_role() {
    let app = TestApp::sqlite().await;
    let moderator = app.user_in("moderator", "Team A").await;
    let member = app.user_in("member", "Team A").await;
    let (session, token, invite) = create_session_as(&app, &moderator, "cura", None).await;
    let joined: Value = member
        .http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (presenter_id, presenter_token) = join(&app, &session, &invite, "Inbrenger", "presenter").await;
    let (_, observer_token) = join(&app, &session, &invite, "Toehoorder", "observer").await;
    let (guest_id, guest_token) = join(&app, &session, &invite, "Gast", "participant").await;
    use crate::ws_client::WsClient;
    let mut m = WsClient::connect(&app, &session, "mod", &token, None).await;
    let _presenter = WsClient::connect(&app, &session, "pres", &presenter_token, None).await;
    let mut p = WsClient::connect(&app, &session, "member", joined["token"].as_str().unwrap(), None).await;
    let mut o = WsClient::connect(&app, &session, "obs", &observer_token, None).await;
    let mut g = WsClient::connect(&app, &session, "guest", &guest_token, None).await;
    m.ok(json!({"type":"start"})).await;

    let later = beraad::clock::now_ms() + 600_000;
    let member_id = format!("u-{}", member.id);
    // command, then what participant, observer and guest get ("ok": not refused for the role).
    let table: Vec<(Value, [&str; 3])> = vec![
        (json!({"type":"start"}), ["not_moderator"; 3]),
        (json!({"type":"next_round"}), ["not_moderator"; 3]),
        (json!({"type":"previous_round"}), ["not_moderator"; 3]),
        (json!({"type":"reopen_round","index":0}), ["not_moderator"; 3]),
        (json!({"type":"skip_round","index":1}), ["not_moderator"; 3]),
        (json!({"type":"reveal"}), ["not_moderator"; 3]),
        (json!({"type":"set_timebox","deadline_ms":later}), ["not_moderator"; 3]),
        (json!({"type":"extend_timebox","by_ms":60_000}), ["not_moderator"; 3]),
        (json!({"type":"hand_moderation","to":member_id}), ["not_moderator"; 3]),
        (json!({"type":"set_presenter","who":member_id}), ["not_moderator"; 3]),
        (json!({"type":"remove_participant","who":guest_id}), ["not_moderator"; 3]),
        (json!({"type":"conclude","conclusion":"c"}), ["not_moderator"; 3]),
        (json!({"type":"end"}), ["not_moderator"; 3]),
        (
            json!({"type":"contribute","content":{"type":"text","text":"Een gedachte."}}),
            ["ok", "observer_cannot_contribute", "ok"],
        ),
        (json!({"type":"pass_turn"}), ["ok", "ok", "ok"]),
        (json!({"type":"join","display_name":"Nog eens","role":"participant"}), ["already_joined"; 3]),
    ];
    let mut wrong = Vec::new();
    for (command, expected) in &table {
        for (client, want) in [&mut p, &mut o, &mut g].into_iter().zip(expected.iter()) {
            let cid = client.send_command(command.clone()).await;
            let answer = client.answer(&cid).await;
            let code = answer["code"].as_str().unwrap_or("ack").to_owned();
            let role_refusal =
                matches!(code.as_str(), "not_moderator" | "observer_cannot_contribute" | "already_joined");
            let fine = if *want == "ok" { !role_refusal } else { code == *want };
            if !fine {
                wrong.push(format!("{}: {command} → {code}, expected {want}", client.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The moderator is refused none of them for the role (the destructive ones last).
    for command in [
        json!({"type":"set_timebox","deadline_ms":later}),
        json!({"type":"extend_timebox","by_ms":60_000}),
        json!({"type":"reveal"}),
        json!({"type":"skip_round","index":1}),
        json!({"type":"previous_round"}),
        json!({"type":"reopen_round","index":0}),
        json!({"type":"next_round"}),
        json!({"type":"set_presenter","who":presenter_id}),
        json!({"type":"conclude","conclusion":"c"}),
        json!({"type":"remove_participant","who":guest_id}),
    ] {
        let cid = m.send_command(command.clone()).await;
        let answer = m.answer(&cid).await;
        assert_ne!(answer["code"], "not_moderator", "{command}: {answer}");
    }
    // After handing over, the new moderator (the member) may end; the former may not.
    m.ok(json!({"type":"hand_moderation","to":member_id})).await;
    assert_eq!(m.refused(json!({"type":"end"})).await, "not_moderator");
    p.ok(json!({"type":"end"})).await;
}

crate::harness::on_both_backends! {
    async fn the_team_archive_setting_limits_members_to_their_teams_precedents(app) {
        let w = world(&app).await;
        let store = app.store();
        let org = crate::harness::organisation_on(&store).await;
        let team_b = app.user_in("member", "Team B").await;
        let team_a = w.user(Who::Member).unwrap();
        let path = format!("/precedenten/{}", w.adopted);
        let status = |u: &TestUser, p: String| {
            let http = u.http.clone();
            let url = app.url(&p);
            async move { http.get(url).send().await.unwrap().status().as_u16() }
        };
        let hits = |u: &TestUser| {
            let http = u.http.clone();
            let url = app.url("/api/v1/precedents?q=zorg");
            async move {
                let v: Value = http.get(url).send().await.unwrap().json().await.unwrap();
                v["paging"]["total"].as_u64().unwrap()
            }
        };
        // By default the whole organisation reads the archive.
        assert_eq!(status(&team_b, path.clone()).await, 200);
        assert_eq!(hits(&team_b).await, 1);
        // The admin changes the setting on /beheer (audited); a value that is no choice is refused.
        let admin = w.user(Who::Admin).unwrap();
        let form = |value: &'static str| {
            admin.http.post(app.url("/admin/settings")).header("content-type", "application/x-www-form-urlencoded").body(format!("archive_readers={value}"))
        };
        assert_eq!(form("iedereen").send().await.unwrap().status(), 422);
        assert_eq!(form("team").send().await.unwrap().status(), 303);
        let page = admin.http.get(app.url("/beheer")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<option value=\"team\" selected>"), "{page}");
        let log = store.audit_log().await.unwrap();
        assert!(log.iter().any(|e| e.fact.action == "settings_changed" && e.fact.subject.ends_with("archive_readers=team")));
        assert_eq!(status(&team_b, path.clone()).await, 404, "another team's precedent");
        assert_eq!(hits(&team_b).await, 0);
        assert_eq!(status(team_a, path.clone()).await, 200, "one's own team's");
        assert_eq!(hits(team_a).await, 1);
        for who in [Who::ArchiveReader, Who::Admin] {
            assert_eq!(status(w.user(who).unwrap(), path.clone()).await, 200, "{who:?} reads all");
        }
        assert!(store.set_organisation_settings(-1, &beraad::guard::screen(json!({})).unwrap()).await.is_err());
        store.set_organisation_settings(org, &beraad::guard::screen(json!({"archive_readers": "organisation"})).unwrap()).await.unwrap();
        assert_eq!(status(&team_b, path.clone()).await, 200, "back to the whole organisation");
    }
}
