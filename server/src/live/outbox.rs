//! The way from a room to one connection: a bounded queue of frames, and a way to close the
//! connection with a reason when the queue is full (a lagging client is never dropped silently).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Frames waiting for one connection before it counts as lagging.
pub const OUTBOX_CAPACITY: usize = 256;

/// Why a connection is being closed by the server side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloseReason {
    pub code: u16,
    pub reason: &'static str,
}

impl CloseReason {
    /// The client sent a Close: answer it with the same code (RFC 6455 §5.5.1).
    pub const ECHO: CloseReason = CloseReason { code: 1000, reason: "closing handshake" };
    /// The connection is gone (TCP closed, a read error): nothing more to send.
    pub const GONE: CloseReason = CloseReason { code: 1006, reason: "" };
    /// Placeholder for "someone else already gave the reason" (never the first reason).
    pub const KICKED: CloseReason = CloseReason { code: 1000, reason: "" };
}

/// The sending half, held by the room.
#[derive(Clone)]
pub struct Outbox {
    tx: mpsc::Sender<Utf8Bytes>,
    kick: Arc<Kick>,
}

/// The receiving half, held by the connection task.
pub struct Inbox {
    /// Frames as shared bytes: one event's frame goes to many connections without a copy each.
    pub rx: mpsc::Receiver<Utf8Bytes>,
    pub kick: Arc<Kick>,
}

#[derive(Default)]
pub struct Kick {
    pub token: CancellationToken,
    reason: Mutex<Option<CloseReason>>,
    /// Set with the first reason: the room asks after every fan-out whether each connection is
    /// being closed, and a token's `is_cancelled` takes its lock.
    closing: AtomicBool,
}

impl Kick {
    /// Asks the connection to close with `reason` (the first reason wins).
    pub fn close(&self, reason: CloseReason) {
        let mut slot = self.reason.lock().expect("kick lock");
        if slot.is_none() {
            *slot = Some(reason);
        }
        drop(slot);
        self.closing.store(true, Ordering::Release);
        self.token.cancel();
    }

    /// Whether someone asked the connection to close.
    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    pub fn reason(&self) -> Option<CloseReason> {
        *self.reason.lock().expect("kick lock")
    }
}

pub fn outbox() -> (Outbox, Inbox) {
    let (tx, rx) = mpsc::channel(OUTBOX_CAPACITY);
    let kick = Arc::new(Kick::default());
    (Outbox { tx, kick: kick.clone() }, Inbox { rx, kick })
}

impl Outbox {
    /// Queues a frame. A full queue closes the connection with `LAGGING`: the client reconnects
    /// and gets a fresh snapshot. Returns false when the connection is gone or being closed.
    pub fn send(&self, frame: impl Into<Utf8Bytes>) -> bool {
        let waiting = OUTBOX_CAPACITY - self.tx.capacity();
        match self.tx.try_send(frame.into()) {
            Ok(()) => {
                crate::metrics::fanout_queue_depth(waiting);
                true
            }
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.kick.close(CloseReason {
                    code: super::protocol::close_code::LAGGING,
                    reason: "lagging: reconnect for a fresh snapshot",
                });
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Queues the frames of one message (see `frames`), in order; false as for [`Outbox::send`].
    pub fn send_all(&self, frames: impl IntoIterator<Item = impl Into<Utf8Bytes>>) -> bool {
        frames.into_iter().all(|frame| self.send(frame))
    }

    pub fn close(&self, reason: CloseReason) {
        self.kick.close(reason);
    }

    /// Why the connection is being closed, once someone said so (the first reason given).
    pub fn close_reason(&self) -> Option<CloseReason> {
        self.kick.reason()
    }

    /// Cancelled once the connection is being closed.
    pub fn kicked(&self) -> CancellationToken {
        self.kick.token.clone()
    }

    pub fn is_closed(&self) -> bool {
        self.tx.is_closed() || self.kick.is_closing()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::protocol::close_code;

    #[test]
    fn a_full_outbox_closes_the_connection_as_lagging_instead_of_dropping_silently() {
        let (out, mut inbox) = outbox();
        for i in 0..OUTBOX_CAPACITY {
            assert!(out.send(format!("frame {i}")), "frame {i} fits");
        }
        assert!(!inbox.kick.token.is_cancelled());
        assert!(!out.send("one too many"), "the frame that does not fit is reported");
        assert!(inbox.kick.token.is_cancelled(), "the connection is told to close");
        assert_eq!(inbox.kick.reason().map(|r| r.code), Some(close_code::LAGGING));
        assert!(out.is_closed());
        assert!(inbox.kick.is_closing());
        // What was queued is still delivered before the close.
        assert_eq!(inbox.rx.try_recv().unwrap().as_str(), "frame 0");
    }

    #[test]
    fn the_first_close_reason_wins() {
        let (out, inbox) = outbox();
        out.close(CloseReason { code: close_code::REMOVED, reason: "removed" });
        out.close(CloseReason { code: close_code::LAGGING, reason: "lagging" });
        assert_eq!(inbox.kick.reason().map(|r| r.code), Some(close_code::REMOVED));
    }
}
