//! What a room heard from the change feed and has not taken in yet.
//!
//! The process's follower of the feed (`registry.rs`) tells a room that its session's log grew,
//! with the events it read for the room. That does not queue behind the room's commands: a room
//! with commands waiting takes in what it heard before it decides the next one
//! ([`super::room::Room::run`]), so it decides against the log's latest state instead of losing
//! the race to append and reading the log again, and its members on this process see another
//! process's events without waiting for this room's own appends. What is heard while the room
//! is busy is merged: one slot per room, holding the highest seq heard and one run of events.

use std::sync::Mutex;

use tokio::sync::Notify;

use crate::store::StoredEvent;

/// The slot between the follower and one room.
#[derive(Default)]
pub struct Heard {
    pending: Mutex<Pending>,
    wake: Notify,
}

/// What the room has been told since it last looked.
#[derive(Debug, Default, PartialEq)]
pub struct Pending {
    /// The highest seq the log is known to have reached.
    pub seq: u64,
    /// Notices may have been missed (a resync, or a room just loaded): read the log to its end.
    pub resync: bool,
    /// Events read for the room, in seq order and without gaps (possibly none).
    pub read: Vec<StoredEvent>,
}

impl Pending {
    /// The seq to catch up to, `None` when the room must read the log to its end.
    pub fn up_to(&self) -> Option<u64> {
        (!self.resync).then_some(self.seq)
    }

    fn is_empty(&self) -> bool {
        self.seq == 0 && !self.resync && self.read.is_empty()
    }

    /// Merges what was heard since. Events that join or overlap the run held replace its tail
    /// from where they start (a later read is as new or newer); a read that leaves a gap after
    /// it is dropped, and the room reads the log for it (the seq still says how far).
    fn add(&mut self, seq: Option<u64>, read: Vec<StoredEvent>) {
        match seq {
            Some(seq) => self.seq = self.seq.max(seq),
            None => self.resync = true,
        }
        let Some(first) = read.first().map(|e| e.seq) else { return };
        let joins = self.read.last().is_none_or(|last| first <= last.seq + 1);
        if joins {
            self.read.retain(|e| e.seq < first);
            self.read.extend(read);
        }
    }
}

impl Heard {
    /// The log reached `seq` (`None`: it may have grown, read it to its end); `read` is what
    /// the follower read of it for this room, in seq order.
    pub fn tell(&self, seq: Option<u64>, read: Vec<StoredEvent>) {
        self.pending.lock().expect("heard lock").add(seq, read);
        self.wake.notify_one();
    }

    /// Everything heard since the last take; `None` when nothing was.
    pub fn take(&self) -> Option<Pending> {
        let pending = std::mem::take(&mut *self.pending.lock().expect("heard lock"));
        (!pending.is_empty()).then_some(pending)
    }

    /// Returns once something was told since the last wait returned (or before the first
    /// wait). It may return with nothing to take: [`Heard::take`] says.
    pub async fn wait(&self) {
        self.wake.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64) -> StoredEvent {
        StoredEvent {
            session_id: "s".into(),
            seq,
            client_id: None,
            actor: None,
            kind: "participant_joined".into(),
            payload: serde_json::json!({}),
            created_at: 0,
        }
    }

    fn seqs(pending: &Pending) -> Vec<i64> {
        pending.read.iter().map(|e| e.seq).collect()
    }

    #[test]
    fn what_is_heard_while_the_room_is_busy_is_merged_into_one_run() {
        let heard = Heard::default();
        assert_eq!(heard.take(), None, "nothing heard");
        heard.tell(Some(6), vec![event(5), event(6)]);
        heard.tell(Some(8), vec![event(7), event(8)]);
        // The room did not move on: the follower read from where it stands again.
        heard.tell(Some(9), vec![event(5), event(6), event(7), event(8), event(9)]);
        heard.tell(Some(7), Vec::new());
        let pending = heard.take().expect("heard");
        assert_eq!((pending.up_to(), seqs(&pending)), (Some(9), vec![5, 6, 7, 8, 9]));
        assert_eq!(heard.take(), None, "taken");
    }

    #[test]
    fn a_read_that_leaves_a_gap_is_left_to_the_log_and_a_resync_reads_to_the_end() {
        let heard = Heard::default();
        heard.tell(Some(6), vec![event(5), event(6)]);
        heard.tell(Some(12), vec![event(11), event(12)]);
        let pending = heard.take().expect("heard");
        assert_eq!((pending.up_to(), seqs(&pending)), (Some(12), vec![5, 6]));

        heard.tell(Some(3), vec![event(3)]);
        heard.tell(None, Vec::new());
        let pending = heard.take().expect("heard");
        assert_eq!((pending.up_to(), seqs(&pending)), (None, vec![3]));
    }

    #[tokio::test]
    async fn telling_wakes_the_room_even_when_it_is_not_waiting_yet() {
        let heard = Heard::default();
        heard.tell(Some(1), Vec::new());
        tokio::time::timeout(std::time::Duration::from_secs(5), heard.wait()).await.expect("woken");
        assert_eq!(heard.take().map(|p| p.up_to()), Some(Some(1)));
    }
}
