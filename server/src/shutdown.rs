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

/// Ctrl-C and SIGTERM, listened for from the moment this is made. Make it before the server
/// answers anything: a signal that arrives before a listener exists gets the default action
/// (the process ends at once, with no drain), which a load balancer's early SIGTERM can hit.
pub struct Signals {
    interrupt: Option<tokio::signal::unix::Signal>,
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    pub fn listen() -> Self {
        use tokio::signal::unix::{signal, SignalKind};
        Signals {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    /// Completes at the next Ctrl-C or SIGTERM.
    pub async fn next(&mut self) {
        let interrupt = recv(self.interrupt.as_mut());
        let terminate = recv(self.terminate.as_mut());
        tokio::select! {
            () = interrupt => {},
            () = terminate => {},
        }
    }
}

/// The next delivery of `signal`; never, when it could not be listened for.
async fn recv(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}
