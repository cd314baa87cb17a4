//! `beraad audit verify`: checks the audit log's hash chain and its head.

use anyhow::{bail, Context};
use clap::Subcommand;

use super::DatabaseArgs;
use crate::audit::{self, Verified};
use crate::config::DatabaseConfig;
use crate::store;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no entry was changed or deleted; exits non-zero at the first break.
    Verify(DatabaseArgs),
}

pub async fn run(command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify(args) => {
            let database = DatabaseConfig::parse(&args.database_url)?;
            let store = store::connect(&database).await?;
            store.migrate().await.context("migration failed")?;
            let verified = audit::verify(store.as_ref()).await;
            store.close().await;
            match verified? {
                Verified::Intact { entries } => {
                    println!("audit log OK: {entries} entries, chain intact");
                    Ok(())
                }
                Verified::Broken(e) => bail!("the audit log is broken: {e}"),
            }
        }
    }
}
