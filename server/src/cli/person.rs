//! `beraad export-person --email …` (an access request: what Beraad holds about a person, as
//! JSON) and `beraad erase-person --email … --yes` (erasure of their account). See
//! docs/privacy.md.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;

use super::DatabaseArgs;
use crate::config::DatabaseConfig;
use crate::store;

#[derive(Debug, Args)]
pub struct ExportPersonArgs {
    /// The person's e-mail address.
    #[arg(long)]
    pub email: String,
    /// Write the JSON to this file (created; never overwritten) instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct ErasePersonArgs {
    /// The person's e-mail address.
    #[arg(long)]
    pub email: String,
    /// Confirm: erasure cannot be undone.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

async fn open(database_url: &str) -> anyhow::Result<store::DynStore> {
    let database = DatabaseConfig::parse(database_url)?;
    let store = store::connect(&database).await?;
    store.migrate().await.context("migration failed")?;
    crate::app::pseudonymise_audit(store.as_ref()).await?;
    Ok(store)
}

pub async fn export(args: ExportPersonArgs) -> anyhow::Result<()> {
    if let Some(path) = &args.output {
        if path.exists() {
            bail!("{} already exists; choose another file", path.display());
        }
    }
    let store = open(&args.database.database_url).await?;
    let found = crate::privacy::export::export(store.as_ref(), &args.email, "cli").await;
    store.close().await;
    let Some(export) = found? else { bail!("no account has that e-mail address") };
    let json = serde_json::to_string_pretty(&export)?;
    match &args.output {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            writeln!(file, "{json}").with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("beraad: written to {}", path.display());
        }
        None => println!("{json}"),
    }
    Ok(())
}

pub async fn erase(args: ErasePersonArgs) -> anyhow::Result<()> {
    if !args.yes {
        bail!("erasing an account cannot be undone: add --yes to confirm");
    }
    let store = open(&args.database.database_url).await?;
    let result = async {
        let Some(user) = store.user_by_email(&args.email.trim().to_lowercase()).await? else {
            bail!("no account has that e-mail address");
        };
        match crate::privacy::erasure::erase(store.as_ref(), user.id, "system".into(), "cli".into()).await? {
            Some(_) => Ok(user.id),
            None => bail!("that account was erased already"),
        }
    }
    .await;
    store.close().await;
    let id = result?;
    eprintln!("beraad: account user:{id} erased; its contributions stay as \"former participant\"");
    Ok(())
}
