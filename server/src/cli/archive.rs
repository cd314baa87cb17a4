//! `beraad archive import|search|export`: the precedent archive from the command line.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};

use super::DatabaseArgs;
use crate::archive::{self, ImportFailure, DEFAULT_ORG_CODE};
use crate::config::DatabaseConfig;
use crate::domain::precedent::LawRef;
use crate::search::ArchiveSearch;
use crate::store::{self, DynStore, SearchQuery};

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Import past deliberations from a JSON Lines file (all lines or none; a known ref updates).
    Import(ImportArgs),
    /// Search the archive; without a query, list what the filters match, newest first.
    Search(SearchArgs),
    /// Write the archive to standard output.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The JSON Lines file, one precedent a line.
    pub file: PathBuf,
    /// The organisation's code (created when missing).
    #[arg(long, default_value = DEFAULT_ORG_CODE)]
    pub org: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to search for; "quoted words" search a phrase.
    pub query: Option<String>,
    /// A law article, e.g. "art. 18" or "Participatiewet art. 18 lid 2".
    #[arg(long)]
    pub law: Option<String>,
    /// A theme or tag.
    #[arg(long)]
    pub theme: Option<String>,
    /// Only this organisation (all when absent).
    #[arg(long)]
    pub org: Option<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    /// Print a JSON array of {ref, id, title, score, snippet}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Where this process keeps its search index, in a directory per database (default:
    /// beside a SQLite database file, else the cache directory: $CACHE_DIRECTORY/index,
    /// $XDG_CACHE_HOME/beraad/index or ~/.cache/beraad/index). Rebuilt when missing.
    #[arg(long, env = "BERAAD_INDEX_DIR")]
    pub index_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// The organisation's code.
    #[arg(long, default_value = DEFAULT_ORG_CODE)]
    pub org: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub async fn run(command: ArchiveCommand) -> anyhow::Result<()> {
    match command {
        ArchiveCommand::Import(args) => import(args).await,
        ArchiveCommand::Search(args) => search(args).await,
        ArchiveCommand::Export(args) => export(args).await,
    }
}

async fn open(database: &DatabaseArgs) -> anyhow::Result<DynStore> {
    let database = DatabaseConfig::parse(&database.database_url)?;
    let store = store::connect(&database).await?;
    store.migrate().await.context("migration failed")?;
    Ok(store)
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let store = open(&args.database).await?;
    let result = archive::import_file(&store, &args.org, &text, crate::clock::now_ms()).await;
    // Logged like every other change: who (the command line), what, how many, with what result.
    let (outcome, target) = match &result {
        Ok(report) => (
            crate::audit::result::OK,
            format!(
                "organisation:{} imported={} new={}",
                report.organisation, report.imported, report.created
            ),
        ),
        Err(_) => (crate::audit::result::FAILED, format!("organisation:{}", args.org)),
    };
    let entry = crate::audit::Entry {
        actor: "system".into(),
        action: crate::audit::action::ARCHIVE_IMPORTED,
        target,
        result: outcome,
        client: "cli".into(),
    };
    let audited = crate::audit::record(store.as_ref(), entry).await;
    store.close().await;
    audited.context("cannot write the audit log")?;
    match result {
        Ok(report) => {
            eprintln!(
                "beraad: imported {} precedents into {} ({} new, {} updated)",
                report.imported,
                report.organisation,
                report.created,
                report.imported - report.created
            );
            Ok(())
        }
        Err(ImportFailure::Invalid(problems)) => {
            for p in &problems {
                eprintln!("beraad: {p}");
            }
            anyhow::bail!("nothing imported: {} problem(s) in {}", problems.len(), args.file.display())
        }
        Err(ImportFailure::Store(e)) => Err(e).context("import failed; nothing imported"),
    }
}

async fn search(args: SearchArgs) -> anyhow::Result<()> {
    let law =
        args.law.as_deref().map(LawRef::parse).transpose().map_err(|e| anyhow::anyhow!("--law: {e}"))?;
    let store = open(&args.database).await?;
    let organisation_id = match &args.org {
        Some(code) => Some(
            store
                .organisation_by_code(code)
                .await?
                .with_context(|| format!("no organisation with code {code}"))?
                .id,
        ),
        None => None,
    };
    let query = SearchQuery {
        organisation_id,
        text: args.query.unwrap_or_default(),
        law,
        theme: args.theme,
        per_page: args.limit.max(1),
        ..SearchQuery::default()
    };
    let page =
        ArchiveSearch::new(store.clone()).with_index_dir(args.index_dir).search_precedents(&query).await?;
    store.close().await;
    if args.json {
        let hits: Vec<serde_json::Value> = page
            .results
            .iter()
            .map(|h| {
                serde_json::json!({
                    "ref": h.import_ref,
                    "id": h.id,
                    "title": h.title,
                    "score": h.score,
                    "snippet": h.snippet.text,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&hits)?);
    } else {
        for h in &page.results {
            let reference = h.citation_id.as_deref().or(h.import_ref.as_deref()).unwrap_or("-");
            println!("{reference:<12} {:>6.2}  {}", h.score, h.title);
        }
        eprintln!("beraad: {} found", page.total);
    }
    Ok(())
}

async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let store = open(&args.database).await?;
    let org = store
        .organisation_by_code(&args.org)
        .await?
        .with_context(|| format!("no organisation with code {}", args.org))?;
    let rows = store.precedents_of_organisation(org.id).await?;
    crate::audit::record(
        store.as_ref(),
        crate::audit::Entry {
            actor: "system".into(),
            action: crate::audit::action::ARCHIVE_EXPORTED,
            target: format!("organisation:{}", org.code),
            result: crate::audit::result::OK,
            client: "cli".into(),
        },
    )
    .await?;
    store.close().await;
    let out = match args.format {
        ExportFormat::Jsonl => archive::export::to_jsonl(&rows),
        ExportFormat::Markdown => archive::export::to_markdown(&rows),
    };
    print!("{out}");
    Ok(())
}
