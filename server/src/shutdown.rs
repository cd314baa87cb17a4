//! Graceful shutdown: a signal cancels one token; every long-lived task (websocket connections,
//! live rooms) watches it, says goodbye and is awaited — with a bound — before the process exits.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// How long open connections get to close after a shutdown signal.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// The shutdown token and the tasks to wait for.
#[derive(Clone, Default)]
pub struct Shutdown {
    /// Cancelled first, at the signal: `/readyz` answers 503 so load balancers stop sending
    /// new clients, while everything else still serves (for `ServeConfig::drain_grace`).
    pub draining: CancellationToken,
    pub token: CancellationToken,
    pub tasks: TaskTracker,
}

impl Shutdown {
    /// Starts shutting down: every watcher of the token sees it.
    pub fn trigger(&self) {
        self.draining.cancel();
        self.token.cancel();
    }

    /// Waits until all tracked tasks ended, or `DRAIN_TIMEOUT` passed. Returns whether they ended.
    pub async fn drain(&self) -> bool {
        self.tasks.close();
        tokio::time::timeout(DRAIN_TIMEOUT, self.tasks.wait()).await.is_ok()
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
