//! The command line: `beraad serve`, `beraad migrate`, … Every option can also be set by a
//! `BERAAD_…` environment variable. Errors end up as one line on stderr and a non-zero exit.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::config::{self, DatabaseConfig, LogFormat, ServeConfig, DEFAULT_DATABASE_URL};
use crate::{app, store, telemetry};

mod admin;
mod archive;
mod audit;
pub mod backup;
mod health;
mod person;
mod sign_in;
mod team;

/// `beraad --version`: the package version and the git commit it was built from.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BERAAD_GIT_COMMIT"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "beraad",
    version = VERSION,
    about = "Live intervision and moral case deliberation, with a precedent archive"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web and websocket server.
    Serve(Box<ServeArgs>),
    /// Apply the database migrations and exit.
    Migrate(DatabaseArgs),
    /// Scan a case text for identifying data; prints a JSON array of findings.
    Scan(ScanArgs),
    /// List the deliberation methods.
    Methods(MethodsArgs),
    /// The precedent archive: import, search, export.
    #[command(subcommand)]
    Archive(archive::ArchiveCommand),
    /// Accounts: create the first admin.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// The audit log: verify its hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Copy a live SQLite database to FILE without stopping the server.
    Backup(backup::BackupArgs),
    /// Put a backup back in place of a SQLite database (the server must be stopped).
    Restore(backup::RestoreArgs),
    /// Write what Beraad holds about a person (an access request) as JSON.
    ExportPerson(person::ExportPersonArgs),
    /// Erase a person's account: name and e-mail removed, contributions kept anonymously.
    ErasePerson(person::ErasePersonArgs),
    /// A team's next meetings (moderator, case bringer, picked case) and its open actions.
    Team(team::TeamArgs),
    /// Ask a running server's /healthz (for a container health check); exit 0 when healthy.
    Health(health::HealthArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The text file to scan (standard input when absent).
    pub file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct MethodsArgs {
    /// Print the full methods as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Where the data lives: sqlite://FILE (created when missing) or postgres://USER@HOST/DB.
    #[arg(long, env = "BERAAD_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "BERAAD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Where this process keeps its search index, in a directory per database (default:
    /// beside a SQLite database file, else the cache directory: $CACHE_DIRECTORY/index,
    /// $XDG_CACHE_HOME/beraad/index or ~/.cache/beraad/index). Rebuilt when missing.
    #[arg(long, env = "BERAAD_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
    /// The address people use to reach this server (default: http://<listen>/).
    #[arg(long, env = "BERAAD_BASE_URL")]
    pub base_url: Option<String>,
    /// How log lines are written.
    #[arg(long, env = "BERAAD_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// This instance's default organisation code (sessions without a team; citation ids).
    #[arg(long, env = "BERAAD_ORG", default_value = config::DEFAULT_ORG_CODE)]
    pub org: String,
    /// Seconds a client gets to send a request head; also how long a kept-alive connection may
    /// sit idle between requests.
    #[arg(long, env = "BERAAD_HEADER_READ_TIMEOUT", default_value_t = config::HEADER_READ_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout: u64,
    /// Open connections (websockets included) in total; 0: no cap.
    #[arg(long, env = "BERAAD_MAX_CONNECTIONS", default_value_t = config::MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Open connections from one client address; 0: no cap. Behind a reverse proxy all
    /// connections come from the proxy: set it to the same value as --max-connections there.
    #[arg(long, env = "BERAAD_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = config::MAX_CONNECTIONS_PER_ADDRESS)]
    pub max_connections_per_address: usize,
    /// Websockets one participant may hold open in a session; a new one closes the oldest
    /// (close code 4009). 0: no cap.
    #[arg(long, env = "BERAAD_MAX_WEBSOCKETS_PER_PARTICIPANT",
          default_value_t = config::MAX_WEBSOCKETS_PER_PARTICIPANT)]
    pub max_websockets_per_participant: usize,
    /// Comma-separated CIDRs of reverse proxies (e.g. 10.0.0.0/8,fd00::/8) whose
    /// X-Forwarded-For / Forwarded headers name the client; ignored from anyone else, and
    /// entirely without this option.
    #[arg(long, env = "BERAAD_TRUSTED_PROXIES", default_value = "",
          value_parser = |s: &str| crate::net::TrustedProxies::parse(s))]
    pub trusted_proxies: crate::net::TrustedProxies,
    /// Seconds /readyz answers 503 after SIGTERM before connections are closed (1001), so a
    /// load balancer stops sending new clients first. 0: close at once.
    #[arg(long, env = "BERAAD_DRAIN_GRACE", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(0..=600))]
    pub drain_grace: u64,
    /// Serve Prometheus metrics on GET /metrics at this address (e.g. 127.0.0.1:9464); off when
    /// absent. Keep it off the public network: it is not behind the sign-in.
    #[arg(long, env = "BERAAD_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Send reminder e-mails through this SMTP server: smtp://HOST:PORT (add ?tls=required for
    /// STARTTLS) or smtps://HOST:PORT, with USER:PASSWORD@ when needed. Without it no e-mail is
    /// sent (and the pages say so).
    #[arg(long, env = "BERAAD_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of reminder e-mails.
    #[arg(long, env = "BERAAD_MAIL_FROM", default_value = config::MAIL_FROM)]
    pub mail_from: String,
    /// Days before a meeting its moderator and case bringer get a reminder e-mail (0: on the day).
    #[arg(long, env = "BERAAD_REMINDER_DAYS", default_value_t = config::REMINDER_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=30))]
    pub reminder_days: u32,
    #[command(flatten)]
    pub sign_in: sign_in::SignInArgs,
}

impl ServeArgs {
    fn limits(&self) -> config::ConnectionLimits {
        config::ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout),
            max_connections: self.max_connections,
            max_connections_per_address: self.max_connections_per_address,
            max_websockets_per_participant: self.max_websockets_per_participant,
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&anyhow::Error::new(e).context("cannot start the async runtime")),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            telemetry::init(args.log_format);
            let database = DatabaseConfig::parse(&args.database.database_url)?;
            let base_url = config::base_url(args.base_url.as_deref(), args.listen)?;
            let org_code = config::org_code(&args.org)?;
            let limits = args.limits();
            let sign_in = args.sign_in.config()?;
            app::serve(
                ServeConfig {
                    listen: args.listen,
                    database,
                    base_url,
                    heartbeat: config::HEARTBEAT,
                    org_code,
                    trusted_proxies: args.trusted_proxies.clone(),
                    drain_grace: std::time::Duration::from_secs(args.drain_grace),
                    mail: config::MailConfig {
                        smtp_url: args.smtp_url.clone().filter(|u| !u.trim().is_empty()),
                        from: args.mail_from.clone(),
                        reminder_days: args.reminder_days,
                        check_every: config::REMINDER_CHECK_EVERY,
                    },
                    sign_in,
                    index_dir: args.index_dir.clone(),
                },
                limits,
                args.metrics_listen,
            )
            .await
        }
        Command::Migrate(args) => {
            telemetry::init(LogFormat::Text);
            let database = DatabaseConfig::parse(&args.database_url)?;
            let store = store::connect(&database).await?;
            store.migrate().await.context("migration failed")?;
            app::pseudonymise_audit(store.as_ref()).await?;
            eprintln!("beraad: {database} is up to date");
            Ok(())
        }
        Command::Scan(args) => scan(args),
        Command::Methods(args) => methods(args),
        Command::Archive(command) => archive::run(command).await,
        Command::Admin(command) => admin::run(command).await,
        Command::Audit(command) => audit::run(command).await,
        Command::Backup(args) => backup::backup(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::Health(args) => health::run(args),
        Command::Team(args) => team::run(args).await,
        Command::ExportPerson(args) => person::export(args).await,
        Command::ErasePerson(args) => person::erase(args).await,
    }
}

/// `beraad scan [FILE]`: findings as JSON, exit 0 whether or not something was found.
fn scan(args: ScanArgs) -> anyhow::Result<()> {
    use std::io::Read;
    let text = match &args.file {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
        }
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
            text
        }
    };
    let findings = crate::domain::anonymisation::scan(&text);
    println!("{}", serde_json::to_string_pretty(&findings)?);
    Ok(())
}

/// `beraad methods [--json]`.
fn methods(args: MethodsArgs) -> anyhow::Result<()> {
    let methods = crate::domain::method::builtin_methods();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&methods)?);
        return Ok(());
    }
    for m in &methods {
        let variant = m.variant.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
        println!(
            "{:<16} {:>2} rounds {:>4} min  {}{variant}",
            m.key,
            m.rounds.len(),
            m.total_minutes(),
            m.name.nl
        );
    }
    Ok(())
}

/// Prints an error as one line (causes joined by ": ") and returns a failing exit code.
fn fail(error: &anyhow::Error) -> ExitCode {
    let line = format!("{error:#}").replace(['\n', '\r'], " ");
    eprintln!("beraad: error: {line}");
    ExitCode::FAILURE
}
