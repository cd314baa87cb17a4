//! `beraad admin create`: the first admin of an organisation (created when missing), with a
//! password read from standard input or a one-time set-up link.

use std::io::Read;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};

use super::DatabaseArgs;
use crate::archive::DEFAULT_ORG_CODE;
use crate::audit::{self, action, result};
use crate::clock::now_ms;
use crate::config::DatabaseConfig;
use crate::domain::accounts::password_rule::{self, PasswordProblem};
use crate::guard::{self, Refusal};
use crate::store::{
    self, AccountToken, AccountTokenKind, NewAccountToken, NewOrganisation, NewUser, UserRole,
};
use crate::{passwords, secrets};

/// How long a set-up link is valid.
pub const SETUP_TTL_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin. The password is read from standard input, unless --setup-link.
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The admin's e-mail address (their sign-in name).
    #[arg(long)]
    pub email: String,
    /// The organisation's code (created when missing).
    #[arg(long, default_value = DEFAULT_ORG_CODE)]
    pub org: String,
    /// The organisation's name, when it is created (default: its code).
    #[arg(long)]
    pub org_name: Option<String>,
    /// The admin's display name (default: the part of the address before '@').
    #[arg(long)]
    pub name: Option<String>,
    /// Print a one-time link (valid 24 hours) where the admin sets the password, instead of
    /// reading it from standard input.
    #[arg(long)]
    pub setup_link: bool,
    /// The address people use to reach the server, for the link.
    #[arg(long, env = "BERAAD_BASE_URL", default_value = "http://127.0.0.1:8080/")]
    pub base_url: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// A refused argument, in words: which argument, what it holds where; never the number.
fn refused(refusal: Refusal) -> anyhow::Error {
    let what = match refusal.kind {
        "bsn" => "a citizen service number (BSN)",
        _ => "an IBAN account number",
    };
    anyhow::anyhow!(
        "{} holds {what} at character {}: refused, nothing was stored; remove the number",
        refusal.field,
        refusal.start
    )
}

pub async fn run(command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::Create(args) => create(args).await,
    }
}

/// The password on standard input, without its line ending.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).context("cannot read the password from standard input")?;
    let password = input.strip_suffix('\n').unwrap_or(&input);
    let password = password.strip_suffix('\r').unwrap_or(password);
    match password_rule::check(password) {
        Ok(()) => Ok(password.to_owned()),
        Err(PasswordProblem::TooShort) if password.is_empty() => {
            bail!("no password on standard input (pipe one in, or use --setup-link)")
        }
        Err(PasswordProblem::TooShort) => {
            bail!("the password is too short: use at least {} characters", password_rule::MIN_CHARS)
        }
        Err(PasswordProblem::TooLong) => {
            bail!("the password is too long: use at most {} characters", password_rule::MAX_CHARS)
        }
    }
}

async fn create(args: CreateArgs) -> anyhow::Result<()> {
    let email = args.email.trim().to_lowercase();
    let Some((local, domain)) = email.split_once('@').filter(|(l, d)| !l.is_empty() && d.contains('.'))
    else {
        bail!("'{}' is not an e-mail address", args.email);
    };
    let _ = domain;
    let base_url = crate::config::base_url(Some(&args.base_url), "127.0.0.1:8080".parse()?)?;
    let display_name = args.name.clone().unwrap_or_else(|| local.to_owned());
    let max = crate::domain::session::MAX_DISPLAY_NAME;
    // The same limit as a name in a live session, where this name is used.
    anyhow::ensure!(display_name.chars().count() <= max, "the name is too long: at most {max} characters");
    let org_name = args.org_name.clone().unwrap_or_else(|| args.org.clone());
    // Names are read before touching the database, so a refused one changes nothing.
    guard::check_text("--name", &display_name).map_err(refused)?;
    guard::check_text("--org-name", &org_name).map_err(refused)?;
    // Read the password before touching the database, so a bad one changes nothing.
    let password = if args.setup_link { None } else { Some(password_from_stdin()?) };
    let database = DatabaseConfig::parse(&args.database.database_url)?;
    let store = store::connect(&database).await?;
    store.migrate().await.context("migration failed")?;
    let now = now_ms();
    if store.user_by_email(&email).await?.is_some() {
        bail!("a user with the e-mail address {email} exists already");
    }
    let org = match store.organisation_by_code(&args.org).await? {
        Some(org) => org,
        None => {
            let new = NewOrganisation { code: args.org.clone(), name: org_name, now_ms: now };
            store.create_organisation(&guard::screen(new).map_err(refused)?).await?
        }
    };
    let password_hash = match password {
        Some(p) => Some(passwords::hash(p).await),
        None => None,
    };
    let new = NewUser {
        organisation_id: org.id,
        email: email.clone(),
        display_name,
        role: UserRole::Admin,
        password_hash,
        now_ms: now,
    };
    let user = store.create_user(&guard::screen(new).map_err(refused)?).await?;
    audit::record(
        store.as_ref(),
        audit::Entry {
            actor: "system".into(),
            action: action::ADMIN_CREATED,
            target: audit::user_actor(user.id),
            result: result::OK,
            client: "cli".into(),
        },
    )
    .await?;
    println!("admin {email} created in organisation {}", org.code);
    if args.setup_link {
        let token = secrets::new_token();
        store
            .create_account_token(&NewAccountToken {
                token_hash: secrets::hash(&token),
                token: AccountToken {
                    kind: AccountTokenKind::Setup,
                    organisation_id: org.id,
                    user_id: Some(user.id),
                    email: None,
                    role: None,
                    team_id: None,
                    created_by: None,
                    expires_at: now + SETUP_TTL_MS,
                },
                now_ms: now,
            })
            .await?;
        let link = base_url.join(&format!("instellen/{token}"))?;
        println!("set the password within 24 hours, once, at: {link}");
    }
    store.close().await;
    Ok(())
}
