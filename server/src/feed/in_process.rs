//! The feed of one process: a broadcast channel.

use tokio::sync::broadcast;

use super::{Feed, FeedEvent, Notice, SUBSCRIBER_BACKLOG};

pub struct InProcessFeed {
    tx: broadcast::Sender<FeedEvent>,
}

impl InProcessFeed {
    pub fn new() -> Self {
        InProcessFeed { tx: broadcast::channel(SUBSCRIBER_BACKLOG).0 }
    }
}

impl Default for InProcessFeed {
    fn default() -> Self {
        Self::new()
    }
}

impl Feed for InProcessFeed {
    fn publish(&self, notice: Notice) {
        // No subscriber is fine: nobody follows that change.
        let _ = self.tx.send(FeedEvent::Notice(notice));
    }

    /// There are no other processes.
    fn publish_to_others(&self, _notice: Notice) {}

    fn subscribe(&self) -> broadcast::Receiver<FeedEvent> {
        self.tx.subscribe()
    }

    fn sees_every_writer(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_subscriber_gets_every_notice_in_order() {
        let feed = InProcessFeed::new();
        let (mut a, mut b) = (feed.subscribe(), feed.subscribe());
        feed.publish(Notice::Committed { session: "s".into(), seq: 1 });
        feed.publish(Notice::ArchiveChanged);
        for rx in [&mut a, &mut b] {
            assert_eq!(
                rx.recv().await.unwrap(),
                FeedEvent::Notice(Notice::Committed { session: "s".into(), seq: 1 })
            );
            assert_eq!(rx.recv().await.unwrap(), FeedEvent::Notice(Notice::ArchiveChanged));
        }
    }
}
