//! Wiring: connect and migrate the store, build the router, serve until a shutdown signal,
//! then close connections within a bound and exit cleanly.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::{ConnectionLimits, DatabaseConfig, ServeConfig};
use crate::feed;
use crate::http::{self, templates::Templates};
use crate::instance_lock::{self, InstanceLock, LockError, LockMode};
use crate::live::Live;
use crate::search::ArchiveSearch;
use crate::shutdown::{self, Shutdown};
use crate::store::{self, DynStore};

/// What every handler can reach.
pub struct AppState {
    pub store: DynStore,
    /// The archive's search engine (its in-process index over `store`).
    pub search: Arc<ArchiveSearch>,
    pub templates: Templates,
    pub config: ServeConfig,
    /// Timeouts and connection caps.
    pub limits: ConnectionLimits,
    pub shutdown: Shutdown,
    pub live: Live,
    /// Announces ended web sessions in every process, so their websockets can be closed
    /// (`live::SignOuts`, over the change feed).
    pub sign_outs: crate::live::SignOuts,
    /// Reminder e-mails, when an SMTP server is configured (`--smtp-url`).
    pub mailer: Option<Arc<crate::mail::Mailer>>,
    /// Single sign-on's OpenID provider, when configured (`--oidc-issuer`; docs/sso.md).
    pub oidc: Option<Arc<crate::http::auth::oidc_provider::Provider>>,
}

/// A server that is accepting connections.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Held while serving a SQLite file: `beraad restore` refuses while it is held.
    _lock: Option<InstanceLock>,
}

impl RunningServer {
    /// Stops accepting, closes websockets (1001) and waits for the tasks, within a bound.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        self.state.shutdown.trigger();
        self.wait().await
    }

    /// Waits until the server stopped (after `Shutdown::trigger`).
    pub async fn wait(self) -> anyhow::Result<()> {
        let served = tokio::time::timeout(shutdown::DRAIN_TIMEOUT, self.task).await;
        if !self.state.shutdown.drain().await {
            tracing::warn!("some connections did not close in time");
        }
        self.state.store.close().await;
        match served {
            Ok(joined) => joined.context("server task failed")?.context("server failed"),
            Err(_) => {
                tracing::warn!("HTTP connections still open at shutdown; exiting anyway");
                Ok(())
            }
        }
    }
}

/// Connects the store, migrates it, binds the listener and starts serving in the background,
/// with the default [`ConnectionLimits`].
pub async fn start(config: ServeConfig) -> anyhow::Result<RunningServer> {
    start_with(config, ConnectionLimits::default()).await
}

/// [`start`] with the given timeouts and connection caps.
pub async fn start_with(config: ServeConfig, limits: ConnectionLimits) -> anyhow::Result<RunningServer> {
    let lock = match &config.database {
        DatabaseConfig::Sqlite { path } => {
            Some(instance_lock::try_lock(path, LockMode::Shared).map_err(|e| match e {
                LockError::Busy(_) => anyhow::anyhow!(
                    "beraad restore is replacing {}; start the server when it has finished",
                    path.display()
                ),
                other => other.into(),
            })?)
        }
        DatabaseConfig::Postgres { .. } => None,
    };
    let store = store::connect(&config.database).await?;
    store.migrate().await.with_context(|| format!("cannot migrate {}", config.database))?;
    pseudonymise_audit(store.as_ref()).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let templates = Templates::load().context("a template does not parse")?;
    let shutdown = Shutdown::default();
    let feed = feed::connect(&config.database, &shutdown).await?;
    let live =
        Live::new(store.clone(), shutdown.clone(), limits.max_websockets_per_participant, feed.clone());
    let search = Arc::new(ArchiveSearch::new(store.clone()).with_index_dir(config.index_dir.clone()));
    search.follow(feed.clone(), shutdown.token.clone());
    let sign_outs = crate::live::SignOuts::on_feed(feed, shutdown.token.clone());
    let mailer = match &config.mail.smtp_url {
        Some(url) => Some(Arc::new(crate::mail::Mailer::new(url, &config.mail.from)?)),
        None => None,
    };
    if let Some(mailer) = &mailer {
        crate::rhythm::reminders::spawn(
            store.clone(),
            mailer.clone(),
            config.base_url.clone(),
            config.mail.reminder_days,
            config.mail.check_every,
            shutdown.token.clone(),
        );
    }
    let oidc = match &config.sign_in.oidc {
        Some(oidc) => {
            Some(Arc::new(crate::http::auth::oidc_provider::Provider::new(oidc.clone(), &config.base_url)?))
        }
        None => None,
    };
    let state = Arc::new(AppState {
        store,
        search,
        templates,
        config,
        limits,
        shutdown,
        live,
        sign_outs,
        mailer,
        oidc,
    });
    crate::privacy::retention_job::spawn(
        state.store.clone(),
        state.config.org_code.clone(),
        state.shutdown.token.clone(),
    );
    let router = http::router(state.clone());
    let token = state.shutdown.token.clone();
    let task = tokio::spawn(crate::net::serve(
        listener,
        router,
        limits,
        state.config.trusted_proxies.clone(),
        token,
        shutdown::DRAIN_TIMEOUT,
    ));
    tracing::info!(%addr, database = %state.config.database, "Beraad is listening");
    // Load the archive's search index now rather than on the first search.
    let search = state.search.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match search.refresh().await {
            Ok(()) => tracing::info!(ms = started.elapsed().as_millis() as u64, "search index loaded"),
            Err(e) => tracing::warn!(error = %e, "search index not loaded; the first search will try again"),
        }
    });
    Ok(RunningServer { addr, state, task, _lock: lock })
}

/// Moves e-mail addresses out of audit entries written before the audit log kept them out (a
/// no-op once done; see `store::Retention::pseudonymise_audit`).
pub async fn pseudonymise_audit(store: &dyn store::Store) -> anyhow::Result<()> {
    if let Some(addresses) = store
        .pseudonymise_audit(crate::clock::now_ms())
        .await
        .context("cannot move e-mail addresses out of the audit log")?
    {
        tracing::info!(
            addresses,
            "audit log: e-mail addresses replaced by pseudonyms; the chain was resealed"
        );
    }
    Ok(())
}

/// `beraad serve`: runs until Ctrl-C or SIGTERM.
/// With `metrics_listen`, Prometheus metrics are served there (`crate::metrics`).
pub async fn serve(
    config: ServeConfig,
    limits: ConnectionLimits,
    metrics_listen: Option<SocketAddr>,
) -> anyhow::Result<()> {
    let metrics = match metrics_listen {
        Some(addr) => Some(crate::metrics::bind(addr).await?),
        None => None,
    };
    let mut signals = shutdown::Signals::listen();
    let server = start_with(config, limits).await?;
    let token = server.state.shutdown.token.clone();
    if let Some(listener) = metrics {
        crate::metrics::serve(listener, server.state.store.clone(), token.clone())?;
    }
    tokio::select! {
        () = signals.next() => tracing::info!("shutdown signal received"),
        () = token.cancelled() => {},
    }
    // Not ready first (load balancers stop sending new clients), then close and drain.
    server.state.shutdown.draining.cancel();
    let grace = server.state.config.drain_grace;
    if !grace.is_zero() && !token.is_cancelled() {
        tracing::info!(seconds = grace.as_secs(), "not ready; closing connections after the drain grace");
        tokio::select! {
            () = tokio::time::sleep(grace) => {},
            () = signals.next() => tracing::info!("second signal: closing now"),
        }
    }
    server.shutdown().await?;
    tracing::info!("stopped");
    Ok(())
}
