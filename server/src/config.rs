//! Runtime configuration shared by the subcommands, parsed from the CLI and `BERAAD_…` variables.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use url::Url;

/// Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseConfig {
    Sqlite { path: PathBuf },
    Postgres { url: String },
}

/// The default store: `beraad.db` in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://beraad.db";

impl DatabaseConfig {
    /// Parses `sqlite://PATH`, `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(ConfigError::EmptyDatabaseUrl);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Url::parse(url).map_err(|e| ConfigError::BadDatabaseUrl(redact(url), e.to_string()))?;
            return Ok(Self::Postgres { url: url.to_owned() });
        }
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path.starts_with(':') {
                return Err(ConfigError::SqliteNeedsFile(url.to_owned()));
            }
            return Ok(Self::Sqlite { path: PathBuf::from(path) });
        }
        match url.split_once("://") {
            Some((scheme, _)) => Err(ConfigError::UnknownScheme(scheme.to_owned())),
            None => Err(ConfigError::UnknownScheme(String::new())),
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "sqlite",
            Self::Postgres { .. } => "postgres",
        }
    }
}

/// Shows the configuration without a password, so it can be logged.
impl fmt::Display for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite { path } => write!(f, "sqlite://{}", path.display()),
            Self::Postgres { url } => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Removes a password from a database URL.
pub fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "<unparseable URL>".to_owned(),
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything `serve` needs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub database: DatabaseConfig,
    /// The address people use to reach this server; invite links and the websocket
    /// `Origin` check are based on it.
    pub base_url: Url,
    /// How often live connections are pinged; two intervals without a sign of life close one.
    pub heartbeat: std::time::Duration,
    /// The code of this instance's default organisation (`--org`, `BERAAD_ORG`): the
    /// organisation of sessions without a team, used in citation ids `MB:<ORG>:<year>:<n>`.
    pub org_code: String,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` name the client (`--trusted-proxies`).
    pub trusted_proxies: crate::net::TrustedProxies,
    /// After SIGTERM, how long `/readyz` answers 503 while everything else still serves,
    /// before connections are closed (`--drain-grace`): time for a load balancer to notice.
    pub drain_grace: std::time::Duration,
    /// Reminder e-mails (`--smtp-url`, `--reminder-days`); off without an SMTP URL.
    pub mail: MailConfig,
    /// How people sign in: passwords and/or an OpenID provider (docs/sso.md).
    pub sign_in: SignInConfig,
    /// Where the search index is kept (`--index-dir`; `None`: the default place, see
    /// `search::ArchiveSearch::index_homes`).
    pub index_dir: Option<std::path::PathBuf>,
}

/// How people sign in (`--password-sign-in`, `--oidc-…`; docs/sso.md).
#[derive(Clone, Debug)]
pub struct SignInConfig {
    /// Whether `/inloggen` takes an address and password (`--password-sign-in off`: no).
    pub password: bool,
    /// Single sign-on with an OpenID provider, when configured.
    pub oidc: Option<OidcConfig>,
}

impl Default for SignInConfig {
    /// Passwords only.
    fn default() -> Self {
        SignInConfig { password: true, oidc: None }
    }
}

/// Single sign-on with an OpenID Connect provider (Entra ID, Keycloak, ADFS, …).
#[derive(Clone)]
pub struct OidcConfig {
    /// The provider's issuer URL, exactly as the provider names itself (its discovery document
    /// is `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    /// The client secret (from a file or `BERAAD_OIDC_CLIENT_SECRET`); `None` for a public
    /// client. Never logged.
    pub client_secret: Option<String>,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The role of someone the provider knows and Beraad does not, made on first sign-in;
    /// `None`: such people are refused (unless a role mapping gives them a role).
    pub default_role: Option<crate::store::UserRole>,
    /// The ID-token claim holding groups or roles (e.g. `groups`), for `role_map`.
    pub role_claim: Option<String>,
    /// A value of `role_claim` and the role it gives; the strongest matching role wins.
    pub role_map: Vec<(String, crate::store::UserRole)>,
}

/// At most this many role mappings (`--oidc-role-map`), and this long a value.
pub const MAX_ROLE_MAPPINGS: usize = 100;
pub const MAX_ROLE_MAP_VALUE: usize = 256;

impl fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "configured"))
            .field("scopes", &self.scopes)
            .field("default_role", &self.default_role)
            .field("role_claim", &self.role_claim)
            .field("role_map", &self.role_map)
            .finish()
    }
}

/// Parses `--oidc-role-map` entries: `VALUE=ROLE`, each entry comma-separated or repeated.
pub fn role_map(entries: &[String]) -> Result<Vec<(String, crate::store::UserRole)>, ConfigError> {
    let mut map = Vec::new();
    for entry in entries.iter().flat_map(|e| e.split(',')).map(str::trim).filter(|e| !e.is_empty()) {
        let bad = || ConfigError::RoleMap(entry.to_owned());
        let (value, role) = entry.rsplit_once('=').ok_or_else(bad)?;
        let role = crate::store::UserRole::parse(role.trim()).ok_or_else(bad)?;
        let value = value.trim();
        if value.is_empty() || value.len() > MAX_ROLE_MAP_VALUE {
            return Err(bad());
        }
        map.push((value.to_owned(), role));
    }
    if map.len() > MAX_ROLE_MAPPINGS {
        return Err(ConfigError::RoleMap(format!("{} mappings (at most {MAX_ROLE_MAPPINGS})", map.len())));
    }
    Ok(map)
}

/// Parses `--oidc-default-role`: a role, or `none`.
pub fn default_role(raw: &str) -> Result<Option<crate::store::UserRole>, ConfigError> {
    match raw.trim() {
        "none" | "" => Ok(None),
        role => crate::store::UserRole::parse(role)
            .map(Some)
            .ok_or_else(|| ConfigError::DefaultRole(role.to_owned())),
    }
}

/// Checks an issuer URL: absolute `https://` (or `http://` for a provider on this machine);
/// kept as typed, since the provider's discovery document must name exactly it.
pub fn issuer(raw: &str) -> Result<String, ConfigError> {
    let url = Url::parse(raw.trim()).map_err(|_| ConfigError::Issuer(raw.to_owned()))?;
    let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    let ok = url.scheme() == "https" || (url.scheme() == "http" && local);
    if !ok || url.host().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::Issuer(raw.to_owned()));
    }
    Ok(raw.trim().to_owned())
}

/// Where reminder e-mails go out, and when. Without `smtp_url` nothing is sent.
#[derive(Clone, Default)]
pub struct MailConfig {
    /// `smtp://host:port` (plain; `?tls=required` for STARTTLS) or `smtps://host:port`, with
    /// `user:password@` when the server needs it. Never logged (it may hold a password).
    pub smtp_url: Option<String>,
    /// The sender address.
    pub from: String,
    /// Days before a meeting its moderator and case bringer get a reminder.
    pub reminder_days: u32,
    /// How often the reminder job looks for reminders due.
    pub check_every: std::time::Duration,
}

/// Default days before a meeting a reminder goes out.
pub const REMINDER_DAYS: u32 = 2;
/// Default sender of reminder e-mails.
pub const MAIL_FROM: &str = "Beraad <beraad@localhost>";
/// How often the reminder job runs.
pub const REMINDER_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

impl MailConfig {
    /// Mail off.
    pub fn off() -> Self {
        MailConfig {
            smtp_url: None,
            from: MAIL_FROM.to_owned(),
            reminder_days: REMINDER_DAYS,
            check_every: REMINDER_CHECK_EVERY,
        }
    }
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp", &self.smtp_url.as_ref().map(|_| "configured"))
            .field("reminder_days", &self.reminder_days)
            .finish()
    }
}

/// What one client may hold open, and for how long (`beraad serve --help`; docs/security.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A request head must arrive within this time: on a new connection and again after each
    /// answer on a kept-alive one (so it is also the keep-alive idle timeout).
    pub header_read_timeout: std::time::Duration,
    /// Open TCP connections (websockets included) in total; 0: no cap.
    pub max_connections: usize,
    /// Open TCP connections from one client address; 0: no cap. Behind a reverse proxy every
    /// connection comes from the proxy's address: raise it to `max_connections` there.
    pub max_connections_per_address: usize,
    /// Websockets of one participant (one token) in one session; a new one closes the oldest
    /// with close code 4009. 0: no cap.
    pub max_websockets_per_participant: usize,
}

/// The default header-read (and keep-alive idle) timeout.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
/// The default cap on open connections.
pub const MAX_CONNECTIONS: usize = 1000;
/// The default cap on open connections per client address (a team behind one NAT fits).
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 200;
/// The default cap on websockets per participant (a laptop, a phone and a spare tab).
pub const MAX_WEBSOCKETS_PER_PARTICIPANT: usize = 3;

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: HEADER_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
            max_connections_per_address: MAX_CONNECTIONS_PER_ADDRESS,
            max_websockets_per_participant: MAX_WEBSOCKETS_PER_PARTICIPANT,
        }
    }
}

/// The default organisation code when none is configured.
pub use crate::archive::DEFAULT_ORG_CODE;

/// Checks an organisation code: 2–12 uppercase letters or digits, as in citation ids.
pub fn org_code(code: &str) -> Result<String, ConfigError> {
    crate::domain::precedent::CitationId::new(code, 2000, 1)
        .map(|c| c.org().to_owned())
        .map_err(|_| ConfigError::OrgCode(code.to_owned()))
}

/// The default heartbeat interval of live connections.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the database URL is empty (use sqlite://FILE or postgres://…)")]
    EmptyDatabaseUrl,
    #[error("unsupported database URL scheme '{0}' (use sqlite://FILE or postgres://USER@HOST/DB)")]
    UnknownScheme(String),
    #[error("'{0}' names no file: Beraad keeps SQLite data in a file, e.g. sqlite://beraad.db")]
    SqliteNeedsFile(String),
    #[error("invalid database URL {0}: {1}")]
    BadDatabaseUrl(String, String),
    #[error("invalid base URL '{0}': it must be an absolute http:// or https:// address")]
    BadBaseUrl(String),
    #[error("invalid organisation code '{0}': use 2 to 12 uppercase letters or digits, e.g. GMUTR")]
    OrgCode(String),
    #[error("invalid --oidc-issuer '{0}': it must be an https:// address (http:// only on this machine)")]
    Issuer(String),
    #[error("--oidc-issuer needs --oidc-client-id")]
    NoClientId,
    #[error("cannot read --oidc-client-secret-file {0}: {1}")]
    ClientSecretFile(String, String),
    #[error("invalid --oidc-role-map entry '{0}': use VALUE=ROLE with ROLE admin, moderator, member or archive_reader")]
    RoleMap(String),
    #[error("invalid --oidc-default-role '{0}': use none, admin, moderator, member or archive_reader")]
    DefaultRole(String),
    #[error("--oidc-role-map needs --oidc-role-claim (the claim that holds the groups)")]
    RoleMapWithoutClaim,
    #[error("--password-sign-in off needs --oidc-issuer: nobody could sign in")]
    NoWayToSignIn,
}

/// The base URL: the configured one, or `http://<listen address>`.
pub fn base_url(configured: Option<&str>, listen: SocketAddr) -> Result<Url, ConfigError> {
    match configured {
        Some(raw) => {
            let url = Url::parse(raw).map_err(|_| ConfigError::BadBaseUrl(raw.to_owned()))?;
            if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                return Err(ConfigError::BadBaseUrl(raw.to_owned()));
            }
            Ok(url)
        }
        None => Ok(Url::parse(&format!("http://{listen}/")).expect("a socket address is a valid host")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_codes_are_checked() {
        assert_eq!(org_code("LOCAL").unwrap(), "LOCAL");
        assert_eq!(org_code(DEFAULT_ORG_CODE).unwrap(), DEFAULT_ORG_CODE);
        for bad in ["local", "L", "GM-UT", "ABCDEFGHIJKLM", ""] {
            let err = org_code(bad).unwrap_err();
            assert!(err.to_string().contains("organisation code"), "{err}");
        }
    }

    #[test]
    fn parses_backends() {
        assert_eq!(
            DatabaseConfig::parse("sqlite://beraad.db").unwrap(),
            DatabaseConfig::Sqlite { path: "beraad.db".into() }
        );
        assert_eq!(
            DatabaseConfig::parse("sqlite:/tmp/x.db").unwrap(),
            DatabaseConfig::Sqlite { path: "/tmp/x.db".into() }
        );
        assert!(matches!(
            DatabaseConfig::parse("postgres://postgres@127.0.0.1:5432/test").unwrap(),
            DatabaseConfig::Postgres { .. }
        ));
    }

    #[test]
    fn refuses_unknown_schemes_and_memory() {
        let err = DatabaseConfig::parse("mysql://root@localhost/x").unwrap_err();
        assert!(err.to_string().contains("'mysql'"), "{err}");
        assert!(DatabaseConfig::parse("sqlite::memory:").is_err());
        assert!(DatabaseConfig::parse("").is_err());
        assert!(DatabaseConfig::parse("beraad.db").is_err());
    }

    #[test]
    fn display_hides_passwords() {
        let c = DatabaseConfig::parse("postgres://app:s3cret@db.example/beraad").unwrap();
        assert!(!c.to_string().contains("s3cret"));
    }

    #[test]
    fn sign_in_options_are_checked() {
        use crate::store::UserRole;
        let map =
            role_map(&["beraad-moderators=moderator, beheer=admin".into(), "lezers=archive_reader".into()])
                .unwrap();
        assert_eq!(
            map,
            vec![
                ("beraad-moderators".into(), UserRole::Moderator),
                ("beheer".into(), UserRole::Admin),
                ("lezers".into(), UserRole::ArchiveReader)
            ]
        );
        for bad in ["x", "=member", "x=owner"] {
            assert!(role_map(&[bad.into()]).unwrap_err().to_string().contains(bad), "{bad}");
        }
        assert_eq!(default_role("none").unwrap(), None);
        assert_eq!(default_role("member").unwrap(), Some(UserRole::Member));
        assert!(default_role("guest").is_err());
        assert!(issuer("https://login.microsoftonline.com/abc/v2.0").is_ok());
        assert!(issuer("http://127.0.0.1:8081").is_ok());
        assert!(issuer("http://idp.example.org").is_err(), "plain http off this machine");
        assert!(issuer("https://idp.example.org/?x=1").is_err());
        let oidc = OidcConfig {
            issuer: issuer("https://idp.example.org").unwrap(),
            client_id: "beraad".into(),
            client_secret: Some("s3cret".into()),
            scopes: vec![],
            default_role: None,
            role_claim: None,
            role_map: vec![],
        };
        assert!(!format!("{oidc:?}").contains("s3cret"));
    }

    #[test]
    fn base_url_defaults_to_listen_address() {
        let url = base_url(None, "127.0.0.1:8080".parse().unwrap()).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/");
        assert!(base_url(Some("ftp://x"), "127.0.0.1:1".parse().unwrap()).is_err());
    }
}
