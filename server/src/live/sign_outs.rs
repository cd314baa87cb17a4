//! The hook that ends a signed-in person's live connections: every sign-out (and later every
//! ended session) is announced on the change feed (`crate::feed`), so every server process
//! hears it. The live websocket code subscribes with [`SignOuts::subscribe`] and closes the
//! sockets opened under that web session (or, for [`SignedOut::user_id`], all of that user's
//! sockets).

use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::feed::{DynFeed, FeedEvent, Notice};

/// A web session that ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedOut {
    pub user_id: i64,
    /// The SHA-256 of the session id, as stored in `web_sessions.id_hash`.
    pub session_id_hash: String,
}

/// The sign-outs of every process, one per server (in `AppState::sign_outs`).
#[derive(Clone)]
pub struct SignOuts {
    feed: DynFeed,
    tx: broadcast::Sender<SignedOut>,
}

impl SignOuts {
    /// Follows `feed` until `stop`, passing every process's sign-outs to this process's
    /// subscribers.
    pub fn on_feed(feed: DynFeed, stop: CancellationToken) -> Self {
        let tx = broadcast::channel(256).0;
        let mut rx = feed.subscribe();
        let local = tx.clone();
        tokio::spawn(async move {
            loop {
                let Some(event) = crate::feed::next_until(&mut rx, &stop).await else { return };
                match event {
                    Ok(FeedEvent::Notice(Notice::SignedOut { user_id, session_id_hash })) => {
                        // No subscriber yet is fine: nothing is open.
                        let _ = local.send(SignedOut { user_id, session_id_hash });
                    }
                    // Sign-outs during a listener outage are not replayed: a socket whose web
                    // session ended meanwhile closes at its next heartbeat, which checks the
                    // store (`live::connection`).
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        });
        Self { feed, tx }
    }

    /// Receives every sign-out from now on. A receiver that lags gets `Lagged`: it should then
    /// re-check its connections' sessions in the store.
    pub fn subscribe(&self) -> broadcast::Receiver<SignedOut> {
        self.tx.subscribe()
    }

    /// Announces that a web session ended, in every process: `close_user_sockets` for it.
    pub fn close_user_sockets(&self, signed_out: SignedOut) {
        self.feed.publish(Notice::SignedOut {
            user_id: signed_out.user_id,
            session_id_hash: signed_out.session_id_hash,
        });
    }
}
