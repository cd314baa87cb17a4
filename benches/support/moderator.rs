//! What the live benches share: a signed-in moderator made directly in the bench database, and
//! a JSON POST as that moderator. Included by each bench with `#[path]`.

use serde_json::Value;

/// A signed-in moderator's cookie and CSRF token, made directly in the bench database.
#[derive(Clone)]
pub struct Moderator {
    pub cookie: String,
    pub csrf: String,
}

pub async fn moderator(db: &std::path::Path) -> Moderator {
    moderator_on(&beraad::config::DatabaseConfig::Sqlite { path: db.to_owned() }).await
}

/// [`moderator`], in any database the server uses.
pub async fn moderator_on(database: &beraad::config::DatabaseConfig) -> Moderator {
    use beraad::store::{NewOrganisation, NewTeam, NewUser, UserRole, WebSession};
    let store = beraad::store::connect(database).await.unwrap();
    let now = beraad::clock::now_ms();
    let org = match store.organisation_by_code(beraad::config::DEFAULT_ORG_CODE).await.unwrap() {
        Some(org) => org,
        None => store
            .create_organisation(
                &beraad::guard::screen(NewOrganisation {
                    code: beraad::config::DEFAULT_ORG_CODE.into(),
                    name: "Bench".into(),
                    now_ms: now,
                })
                .unwrap(),
            )
            .await
            .unwrap(),
    };
    let team = store
        .create_team(
            &beraad::guard::screen(NewTeam { organisation_id: org.id, name: "Bench".into(), now_ms: now })
                .unwrap(),
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            &beraad::guard::screen(NewUser {
                organisation_id: org.id,
                email: "bench@example.org".into(),
                display_name: "Bench".into(),
                role: UserRole::Moderator,
                password_hash: None,
                now_ms: now,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    store.add_team_member(team.id, user.id, now).await.unwrap();
    let cookie = beraad::secrets::new_token();
    let csrf = beraad::secrets::new_token();
    let session = WebSession {
        id_hash: beraad::secrets::hash(&cookie),
        user_id: user.id,
        csrf_token: csrf.clone(),
        created_at: now,
        last_seen_at: now,
        client_addr: "127.0.0.1".into(),
    };
    store.create_web_session(&session).await.unwrap();
    store.close().await;
    Moderator { cookie: format!("{}={cookie}", beraad::http::auth::COOKIE_NAME), csrf }
}

pub async fn post(base: &str, path: &str, body: Value, who: Option<&Moderator>) -> Value {
    let mut req = reqwest::Client::new().post(format!("{base}{path}")).json(&body);
    if let Some(m) = who {
        req = req.header("cookie", &m.cookie).header("x-csrf-token", &m.csrf);
    }
    let res = req.send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}
