//! `TestApp`: a running server with its own database, and the `on_both_backends!` macro that
//! turns one test body into a SQLite test and a PostgreSQL test.

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

use beraad::app::{self, RunningServer};
use beraad::config::{DatabaseConfig, ServeConfig};
use beraad::store::{self, DynStore};

pub const POSTGRES_ENV: &str = "BERAAD_TEST_POSTGRES_URL";
/// Set by `.ci/run`: a PostgreSQL test that cannot run is then a failure, not a skip.
pub const REQUIRE_POSTGRES_ENV: &str = "BERAAD_REQUIRE_POSTGRES";

pub struct TestApp {
    pub base: String,
    pub database: DatabaseConfig,
    pub server: Option<RunningServer>,
    /// The store when the server runs in another process ([`TestApp::of_process`]).
    store: Option<DynStore>,
    pub http: reqwest::Client,
    _dir: Option<tempfile::TempDir>,
    /// Dropped last, after the server: the PostgreSQL schema goes with the app.
    _schema: Option<TempSchema>,
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let (database, dir) = fresh_sqlite();
        Self::start(database, Some(dir)).await
    }

    /// `None` (after saying so once) when PostgreSQL tests are not enabled.
    pub async fn postgres() -> Option<TestApp> {
        let (database, schema) = fresh_postgres().await?;
        let mut app = Self::start(database, None).await;
        app._schema = Some(schema);
        Some(app)
    }

    /// A SQLite server whose live connections are pinged every `heartbeat`.
    pub async fn sqlite_with_heartbeat(heartbeat: std::time::Duration) -> TestApp {
        let (database, dir) = fresh_sqlite();
        Self::start_with(database, Some(dir), heartbeat).await
    }

    /// A server whose configured base URL is `base_url` (e.g. `https://…` for the secure cookie),
    /// on SQLite or, when enabled, PostgreSQL (`None` when PostgreSQL tests are not enabled).
    pub async fn with_base_url(base_url: &str, postgres: bool) -> Option<TestApp> {
        let (database, dir, schema) = if postgres {
            let (database, schema) = fresh_postgres().await?;
            (database, None, Some(schema))
        } else {
            let (database, dir) = fresh_sqlite();
            (database, Some(dir), None)
        };
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: database.clone(),
            base_url: base_url.parse().unwrap(),
            heartbeat: beraad::config::HEARTBEAT,
            org_code: beraad::config::DEFAULT_ORG_CODE.to_string(),
            trusted_proxies: Default::default(),
            drain_grace: std::time::Duration::ZERO,
            mail: beraad::config::MailConfig::off(),
            sign_in: Default::default(),
            index_dir: None,
        };
        let server = app::start(config).await.expect("server starts");
        Some(TestApp {
            base: format!("http://{}", server.addr),
            database,
            server: Some(server),
            store: None,
            http: reqwest::Client::new(),
            _dir: dir,
            _schema: schema,
        })
    }

    /// A SQLite server with the given timeouts and connection caps.
    pub async fn sqlite_with_limits(limits: beraad::config::ConnectionLimits) -> TestApp {
        let (database, dir) = fresh_sqlite();
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: database.clone(),
            base_url: "http://127.0.0.1/".parse().unwrap(),
            heartbeat: beraad::config::HEARTBEAT,
            org_code: beraad::config::DEFAULT_ORG_CODE.to_string(),
            trusted_proxies: Default::default(),
            drain_grace: std::time::Duration::ZERO,
            mail: beraad::config::MailConfig::off(),
            sign_in: Default::default(),
            index_dir: None,
        };
        let server = app::start_with(config, limits).await.expect("server starts");
        TestApp {
            base: format!("http://{}", server.addr),
            database,
            server: Some(server),
            store: None,
            http: reqwest::Client::new(),
            _dir: Some(dir),
            _schema: None,
        }
    }

    async fn start(database: DatabaseConfig, dir: Option<tempfile::TempDir>) -> TestApp {
        Self::start_with(database, dir, beraad::config::HEARTBEAT).await
    }

    async fn start_with(
        database: DatabaseConfig,
        dir: Option<tempfile::TempDir>,
        heartbeat: std::time::Duration,
    ) -> TestApp {
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: database.clone(),
            base_url: "http://127.0.0.1/".parse().unwrap(),
            heartbeat,
            org_code: beraad::config::DEFAULT_ORG_CODE.to_string(),
            trusted_proxies: Default::default(),
            drain_grace: std::time::Duration::ZERO,
            mail: beraad::config::MailConfig::off(),
            sign_in: Default::default(),
            index_dir: None,
        };
        let server = app::start(config).await.expect("server starts");
        let addr = server.addr;
        TestApp {
            base: format!("http://{addr}"),
            database,
            server: Some(server),
            store: None,
            http: reqwest::Client::new(),
            _dir: dir,
            _schema: None,
        }
    }

    /// A server this test process did not start (the real binary, spawned), at `base`.
    /// `store()` is not available: connect to `database` with [`store_on`].
    pub fn external(base: String, database: DatabaseConfig) -> TestApp {
        TestApp {
            base,
            database,
            server: None,
            store: None,
            http: reqwest::Client::new(),
            _dir: None,
            _schema: None,
        }
    }

    pub fn store(&self) -> DynStore {
        match (&self.server, &self.store) {
            (Some(server), _) => server.state.store.clone(),
            (None, Some(store)) => store.clone(),
            (None, None) => panic!("server running"),
        }
    }

    /// A view of a server running in another process (`beraad serve` at `base`) on `database`,
    /// with its own store handle for what tests set up directly (users, teams).
    pub async fn of_process(base: String, database: DatabaseConfig) -> TestApp {
        let store = store_on(&database).await;
        TestApp {
            base,
            database,
            server: None,
            store: Some(store),
            http: reqwest::Client::new(),
            _dir: None,
            _schema: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request succeeds")
    }

    /// Stops the server (graceful shutdown) and keeps the database for a restart.
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.expect("clean shutdown");
        }
    }

    /// Starts a new server on the same database, as after a restart.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let dir = self._dir.take();
        let schema = self._schema.take();
        let mut app = Self::start(self.database.clone(), dir).await;
        app._schema = schema;
        app
    }
}

/// A new SQLite file in its own temporary directory.
pub fn fresh_sqlite() -> (DatabaseConfig, tempfile::TempDir) {
    let dir = temp_dir();
    let path = dir.path().join("beraad.db");
    (DatabaseConfig::Sqlite { path }, dir)
}

/// Prefix of the temporary directories tests make; the test process's id follows.
const TEMP_PREFIX: &str = "beraad-test-";

/// A new temporary directory, removed when dropped (as the test ends, passes, fails or panics).
/// Its name carries this test process's id, so that if the process is killed before the drop,
/// the next run removes it.
pub fn temp_dir() -> tempfile::TempDir {
    remove_stale_temp_dirs();
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempdir()
        .expect("temp dir")
}

/// Once per run: removes temporary directories of earlier test processes that have ended.
fn remove_stale_temp_dirs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let pid = name
                .to_str()
                .and_then(|n| n.strip_prefix(TEMP_PREFIX))
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<i32>().ok());
            if pid.is_some_and(|pid| !crate::processes::is_alive(pid)) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
}

/// A new, empty schema in the test PostgreSQL database, dropped with the returned guard;
/// `None` when not enabled.
pub async fn fresh_postgres() -> Option<(DatabaseConfig, TempSchema)> {
    let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
        if std::env::var_os(REQUIRE_POSTGRES_ENV).is_some() {
            panic!("{REQUIRE_POSTGRES_ENV} is set but {POSTGRES_ENV} is not");
        }
        say_postgres_skipped();
        return None;
    };
    let schema = new_schema(&admin_url).await;
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    // Every connection of the pool starts in the test's own schema.
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
    Some((DatabaseConfig::Postgres { url }, TempSchema { admin_url, name: schema }))
}

/// A test's PostgreSQL schema: dropped (with everything in it) when the guard is dropped, as
/// the test ends, passes, fails or panics. Should that fail (PostgreSQL gone, a lock held past
/// the timeout) or never run (the test process killed), the next run's [`drop_stale_schemas`]
/// removes it, as the schema's name carries the id of the process that made it.
pub struct TempSchema {
    admin_url: String,
    name: String,
}

impl Drop for TempSchema {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Its own thread and runtime: `drop` may run inside the test's runtime (which cannot
        // block on a future) or while a panic unwinds.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            let runtime = runtime.map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let drop_schema = drop_schema(&admin_url, &name);
                match tokio::time::timeout(std::time::Duration::from_secs(20), drop_schema).await {
                    Ok(result) => result.map_err(|e| e.to_string()),
                    Err(_) => Err("timed out".to_owned()),
                }
            })
        })
        .join()
        .unwrap_or_else(|_| Err("panicked".to_owned()));
        if let Err(e) = dropped {
            let _ =
                writeln!(std::io::stderr(), "note: schema {} left for the next run to drop: {e}", self.name);
        }
    }
}

/// Drops schema `name` with everything in it. Connections of the test's server may still hold
/// locks on its tables (a transaction cut off as the test ended): those are ended first.
async fn drop_schema(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    remove_search_indexes(&mut conn, name).await;
    sqlx::query("SET lock_timeout = '2s'").execute(&mut conn).await?;
    let mut attempt = 0;
    loop {
        sqlx::query(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l \
             JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND n.nspname = $1 AND l.pid <> pg_backend_pid()",
        )
        .bind(name)
        .execute(&mut conn)
        .await?;
        match sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).execute(&mut conn).await {
            Ok(_) => break,
            Err(e) if attempt >= 3 => return Err(e),
            Err(_) => attempt += 1,
        }
    }
    conn.close().await
}

async fn new_schema(admin_url: &str) -> String {
    use sqlx::Connection;
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    let schema = format!("beraad_t_{pid}_{}", COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but PostgreSQL does not answer: {e}"));
    drop_stale_schemas(&mut conn).await;
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.expect("create schema");
    schema
}

/// Removes the on-disk search indexes a test's server or searches kept in the default place
/// for the database in schema `name` (`<cache>/beraad/index/<database identity>/`).
async fn remove_search_indexes(conn: &mut sqlx::PgConnection, name: &str) {
    let identity: Option<String> =
        sqlx::query_scalar(&format!("SELECT identity FROM {name}.database_identity"))
            .fetch_optional(&mut *conn)
            .await
            .ok()
            .flatten();
    if let (Some(identity), Some(root)) = (identity, beraad::search::default_index_root()) {
        if !identity.is_empty() && identity.chars().all(|c| c.is_ascii_alphanumeric()) {
            let _ = std::fs::remove_dir_all(root.join(identity));
        }
    }
}

/// Removes schemas left by earlier test processes that have ended.
async fn drop_stale_schemas(conn: &mut sqlx::PgConnection) {
    static ONCE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    ONCE.get_or_init(|| async {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'beraad\\_t\\_%'")
                .fetch_all(&mut *conn)
                .await
                .unwrap_or_default();
        for name in names {
            let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
            let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
            if !alive {
                remove_search_indexes(conn, &name).await;
                let _ =
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).execute(&mut *conn).await;
            }
        }
    })
    .await;
}

/// Says once per test run, past the output capture, that the PostgreSQL tests were skipped.
fn say_postgres_skipped() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\nnote: PostgreSQL tests skipped: set {POSTGRES_ENV}=postgres://postgres@127.0.0.1:5432/test to run them\n"
        );
    });
}

/// A store on a fresh database, without a server.
pub async fn store_on(database: &DatabaseConfig) -> DynStore {
    let store = store::connect(database).await.expect("store connects");
    store.migrate().await.expect("migrations apply");
    store
}

/// Writes one test body twice: `name::sqlite` and `name::postgres`.
macro_rules! on_both_backends {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test]
                async fn sqlite() {
                    #[allow(unused_mut)]
                    let mut $app = $crate::harness::TestApp::sqlite().await;
                    $body
                }

                #[tokio::test]
                async fn postgres() {
                    let Some(mut $app) = $crate::harness::TestApp::postgres().await else { return };
                    let _ = &mut $app;
                    $body
                }
            }
        )*
    };
}
pub(crate) use on_both_backends;

/// A signed-in person: a user in the default organisation, in a team, with a web session made
/// directly in the store. `http` sends the session cookie and the CSRF token on every request.
#[derive(Clone)]
pub struct TestUser {
    pub id: i64,
    pub team_id: i64,
    pub cookie: String,
    pub csrf: String,
    pub email: String,
    pub http: reqwest::Client,
}

impl TestUser {
    /// The `Cookie` header value of this user's web session.
    pub fn cookie_header(&self) -> String {
        format!("{}={}", beraad::http::auth::COOKIE_NAME, self.cookie)
    }
}

impl TestApp {
    /// A new signed-in user with `role` (admin, moderator, member, archive_reader) in team
    /// "Team A".
    pub async fn user(&self, role: &str) -> TestUser {
        self.user_in(role, "Team A").await
    }

    /// A new signed-in user with `role` in the team named `team`.
    pub async fn user_in(&self, role: &str, team: &str) -> TestUser {
        make_user(&self.store(), role, team).await
    }
}

/// The default organisation on `store` (made on first use).
pub async fn organisation_on(store: &DynStore) -> i64 {
    let code = beraad::config::DEFAULT_ORG_CODE;
    if let Some(org) = store.organisation_by_code(code).await.unwrap() {
        return org.id;
    }
    let new = beraad::store::NewOrganisation {
        code: code.into(),
        name: "Gemeente".into(),
        now_ms: beraad::clock::now_ms(),
    };
    match store.create_organisation(&beraad::guard::screen(new).unwrap()).await {
        Ok(org) => org.id,
        // Made meanwhile by the server or another request.
        Err(_) => store.organisation_by_code(code).await.unwrap().expect("organisation").id,
    }
}

/// The team named `name` of the default organisation on `store` (made on first use).
pub async fn team_on(store: &DynStore, name: &str) -> i64 {
    let org = organisation_on(store).await;
    if let Some(t) = store.teams_of_organisation(org).await.unwrap().into_iter().find(|t| t.name == name) {
        return t.id;
    }
    let new =
        beraad::store::NewTeam { organisation_id: org, name: name.into(), now_ms: beraad::clock::now_ms() };
    store.create_team(&beraad::guard::screen(new).unwrap()).await.unwrap().id
}

/// The password every browser-test user gets (see [`TestApp::browser_user`]).
pub const PASSWORD: &str = "een lang genoeg wachtwoord";

/// A new user with `role` in team `team`, with a web session, made directly in `store`.
pub async fn make_user(store: &DynStore, role: &str, team: &str) -> TestUser {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let org = organisation_on(store).await;
    let team_id = team_on(store, team).await;
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = beraad::clock::now_ms();
    let user = store
        .create_user(
            &beraad::guard::screen(beraad::store::NewUser {
                organisation_id: org,
                email: format!("{role}{n}-{}@example.org", std::process::id()),
                display_name: format!("{role} {n}"),
                role: beraad::store::UserRole::parse(role).expect("a role"),
                password_hash: None,
                now_ms: now,
            })
            .unwrap(),
        )
        .await
        .unwrap();
    store.add_team_member(team_id, user.id, now).await.unwrap();
    let cookie = beraad::secrets::new_token();
    let csrf = beraad::secrets::new_token();
    store
        .create_web_session(&beraad::store::WebSession {
            id_hash: beraad::secrets::hash(&cookie),
            user_id: user.id,
            csrf_token: csrf.clone(),
            created_at: now,
            last_seen_at: now,
            client_addr: "127.0.0.1".into(),
        })
        .await
        .unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        format!("{}={cookie}", beraad::http::auth::COOKIE_NAME).parse().unwrap(),
    );
    headers.insert("x-csrf-token", csrf.parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestUser { id: user.id, team_id, cookie, csrf, email: user.email, http }
}

impl TestApp {
    /// A new user with `role` in "Team A" who can sign in with [`PASSWORD`] (for browsers).
    pub async fn browser_user(&self, role: &str) -> TestUser {
        let user = self.user(role).await;
        let hash = beraad::passwords::hash(PASSWORD.to_owned()).await;
        self.store().set_password_hash(user.id, &hash).await.unwrap();
        user
    }

    /// A SQLite server whose configured base URL is its own address (browsers send `Origin`,
    /// which must match it for signed-in requests and websockets).
    pub async fn sqlite_same_origin() -> TestApp {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let (database, dir) = fresh_sqlite();
        let config = ServeConfig {
            listen: format!("127.0.0.1:{port}").parse().unwrap(),
            database: database.clone(),
            base_url: format!("http://127.0.0.1:{port}/").parse().unwrap(),
            heartbeat: beraad::config::HEARTBEAT,
            org_code: beraad::config::DEFAULT_ORG_CODE.to_string(),
            trusted_proxies: Default::default(),
            drain_grace: std::time::Duration::ZERO,
            mail: beraad::config::MailConfig::off(),
            sign_in: Default::default(),
            index_dir: None,
        };
        let server = app::start(config).await.expect("server starts");
        TestApp {
            base: format!("http://{}", server.addr),
            database,
            server: Some(server),
            store: None,
            http: reqwest::Client::new(),
            _dir: Some(dir),
            _schema: None,
        }
    }

    /// From now on `app.http` is a new signed-in user with `role` (in "Team A").
    pub async fn sign_in(&mut self, role: &str) -> TestUser {
        let user = self.user(role).await;
        self.http = user.http.clone();
        user
    }
}
