//! The hook that ends a signed-in person's live connections: every sign-out (and later every
//! ended session) is announced here. The live websocket code subscribes with
//! [`SignOuts::subscribe`] and closes the sockets opened under that web session (or, for
//! [`SignedOut::user_id`], all of that user's sockets).

use tokio::sync::broadcast;

/// A web session that ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedOut {
    pub user_id: i64,
    /// The SHA-256 of the session id, as stored in `web_sessions.id_hash`.
    pub session_id_hash: String,
}

/// The broadcast of ended web sessions, one per server (in `AppState::sign_outs`).
#[derive(Clone)]
pub struct SignOuts {
    tx: broadcast::Sender<SignedOut>,
}

impl Default for SignOuts {
    fn default() -> Self {
        Self { tx: broadcast::channel(256).0 }
    }
}

impl SignOuts {
    /// Receives every sign-out from now on. A receiver that lags gets `Lagged`: it should then
    /// re-check its connections' sessions in the store.
    pub fn subscribe(&self) -> broadcast::Receiver<SignedOut> {
        self.tx.subscribe()
    }

    /// Announces that a web session ended: `close_user_sockets` for that session.
    pub fn close_user_sockets(&self, signed_out: SignedOut) {
        // No subscriber yet is fine: nothing is open.
        let _ = self.tx.send(signed_out);
    }
}
