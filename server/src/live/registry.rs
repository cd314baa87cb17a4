//! The live rooms of this process, by session id: found or loaded on demand, gone when idle.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{mpsc, oneshot};

use super::errors::LiveFailure;
use super::heard::Heard;
use super::outbox::Outbox;
use super::room::{self, CommandResult, ConnId, Origin, RoomMsg};
use crate::domain::session::{Command, ParticipantId};
use crate::feed::{DynFeed, FeedEvent, Notice};
use crate::guard::Screened;
use crate::i18n::Lang;
use crate::shutdown::Shutdown;
use crate::store::{DynStore, StoredEvent};

/// Messages waiting for one room.
const ROOM_QUEUE: usize = 1024;
/// Most feed events the follower takes at once: their rooms' missing events are read in one
/// query.
const FOLLOW_BATCH: usize = 1024;
/// Most events that one query of the follower reads; a room left short reads the rest itself.
const FOLLOW_READ_LIMIT: i64 = 2000;
/// How often the registry looks whether rooms ended, and if so gives the memory the allocator
/// kept back to the system (`crate::heap::give_back`).
const GIVE_BACK_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    store: DynStore,
    shutdown: Shutdown,
    rooms: Mutex<HashMap<String, Hosted>>,
    next_conn: AtomicU64,
    /// Websockets one participant may hold open in a room (0: no cap).
    max_per_participant: usize,
    /// Where rooms announce their commits and hear other processes' (`crate::feed`).
    feed: DynFeed,
    /// Rooms that ended so far (their memory is free, but the allocator keeps it).
    rooms_ended: AtomicU64,
}

/// A room this process hosts: the way to it, where it stands ([`room::Room::seen`]), and where
/// it hears that its log grew ([`room::Room::heard`]).
#[derive(Clone)]
struct Hosted {
    tx: mpsc::Sender<RoomMsg>,
    seen: Arc<AtomicU64>,
    heard: Arc<Heard>,
}

/// The feed's events the follower took at once.
#[derive(Default)]
struct Notices {
    /// The highest seq heard of per session.
    committed: HashMap<String, u64>,
    /// Notices may have been missed: every room reads the log.
    resync: bool,
}

impl Notices {
    fn add(&mut self, event: FeedEvent) {
        match event {
            FeedEvent::Notice(Notice::Committed { session, seq }) => {
                let heard = self.committed.entry(session).or_default();
                *heard = (*heard).max(seq);
            }
            FeedEvent::Notice(_) => {}
            FeedEvent::Resync => self.resync = true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("no such session")]
    NoSuchSession,
    #[error(transparent)]
    Failure(#[from] LiveFailure),
}

impl Live {
    /// `max_per_participant`: websockets one participant may hold open in a session; a new one
    /// closes the oldest (close code 4009). 0: no cap.
    /// Rooms announce their commits on `feed`, and the rooms of this process catch up when
    /// it announces another process's (followed until shutdown).
    pub fn new(store: DynStore, shutdown: Shutdown, max_per_participant: usize, feed: DynFeed) -> Self {
        let live = Live {
            inner: Arc::new(Inner {
                store,
                shutdown,
                rooms: Mutex::new(HashMap::new()),
                next_conn: AtomicU64::new(1),
                max_per_participant,
                feed,
                rooms_ended: AtomicU64::new(0),
            }),
        };
        live.follow_feed();
        live.give_back_memory();
        live
    }

    /// After rooms ended, gives the memory they held back to the system (at most once every
    /// [`GIVE_BACK_EVERY`]): otherwise the process stays at its peak size until it restarts.
    fn give_back_memory(&self) {
        let token = self.inner.shutdown.token.clone();
        let live = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            let mut seen = 0;
            loop {
                tokio::select! {
                    () = tokio::time::sleep(GIVE_BACK_EVERY) => {}
                    () = token.cancelled() => return,
                }
                let Some(inner) = live.upgrade() else { return };
                let ended = inner.rooms_ended.load(Ordering::Relaxed);
                drop(inner);
                if ended != seen {
                    seen = ended;
                    let _ = tokio::task::spawn_blocking(crate::heap::give_back).await;
                }
            }
        });
    }

    /// Passes the feed's notices to the rooms they concern; a resync (or a lag) to every room.
    /// It takes every notice waiting at once and reads what their rooms lack in one query
    /// ([`Live::deliver`]): under load, one round trip to the database for many rooms instead
    /// of one per room and notice.
    fn follow_feed(&self) {
        let mut rx = self.inner.feed.subscribe();
        let token = self.inner.shutdown.token.clone();
        let live = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            loop {
                let first = tokio::select! {
                    e = rx.recv() => e,
                    () = token.cancelled() => return,
                };
                let mut notices = Notices::default();
                match first {
                    Ok(event) => notices.add(event),
                    Err(RecvError::Lagged(_)) => notices.resync = true,
                    Err(RecvError::Closed) => return,
                }
                for _ in 1..FOLLOW_BATCH {
                    match rx.try_recv() {
                        Ok(event) => notices.add(event),
                        Err(TryRecvError::Lagged(_)) => notices.resync = true,
                        Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                    }
                }
                let Some(inner) = live.upgrade() else { return };
                Live { inner }.deliver(notices).await;
            }
        });
    }

    /// Tells the rooms the notices concern that their log grew, with what they lack of it (read
    /// in one query from where each room stands); after a resync, every room reads for itself.
    async fn deliver(&self, notices: Notices) {
        let hosted: Vec<(String, Hosted)> = {
            let rooms = self.inner.rooms.lock().expect("rooms lock");
            if notices.resync {
                rooms.iter().map(|(s, h)| (s.clone(), h.clone())).collect()
            } else {
                notices.committed.keys().filter_map(|s| Some((s.clone(), rooms.get(s)?.clone()))).collect()
            }
        };
        if notices.resync {
            for (_, room) in hosted {
                room.heard.tell(None, Vec::new());
            }
            return;
        }
        // The rooms behind what they were told, and the seq each has (a room may move on
        // meanwhile: it passes over what it already has).
        let behind: Vec<(Hosted, u64, (String, i64))> = hosted
            .into_iter()
            .filter_map(|(session, room)| {
                let heard = notices.committed[&session];
                let seen = room.seen.load(Ordering::Acquire);
                (heard > seen).then_some((room, heard, (session, seen as i64)))
            })
            .collect();
        if behind.is_empty() {
            return;
        }
        let after: Vec<(String, i64)> = behind.iter().map(|(_, _, after)| after.clone()).collect();
        let read = match self.inner.store.events_after_each(&after, FOLLOW_READ_LIMIT).await {
            Ok(read) => read,
            Err(e) => {
                // Each room reads for itself.
                tracing::warn!(error = %e, "change feed: cannot read the rooms' new events");
                Vec::new()
            }
        };
        let mut by_session: HashMap<String, Vec<StoredEvent>> = HashMap::new();
        for event in read {
            by_session.entry(event.session_id.clone()).or_default().push(event);
        }
        for (room, heard, (session, _)) in behind {
            room.heard.tell(Some(heard), by_session.remove(&session).unwrap_or_default());
        }
    }

    pub fn next_conn_id(&self) -> ConnId {
        self.inner.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends a message to the session's room, loading the room when it is not in memory.
    async fn send(&self, session_id: &str, mut msg: RoomMsg) -> Result<(), LiveError> {
        for _ in 0..3 {
            let tx = self.room(session_id).await?;
            match tx.send(msg).await {
                Ok(()) => return Ok(()),
                Err(mpsc::error::SendError(back)) => {
                    // The room ended (idle) just now: forget it and load it again.
                    self.forget(session_id, &tx);
                    msg = back;
                }
            }
        }
        Err(LiveFailure::Busy.into())
    }

    async fn room(&self, session_id: &str) -> Result<mpsc::Sender<RoomMsg>, LiveError> {
        if let Some(room) = self.inner.rooms.lock().expect("rooms lock").get(session_id) {
            if !room.tx.is_closed() {
                return Ok(room.tx.clone());
            }
        }
        // Boxed: a loading room (its state included) would otherwise sit inline in the future of
        // every connection that may load one, for as long as the connection lives.
        let Some(mut room) =
            Box::pin(room::load(self.inner.store.clone(), self.inner.store.clone(), session_id)).await?
        else {
            return Err(LiveError::NoSuchSession);
        };
        room.cap_connections_per_participant(self.inner.max_per_participant);
        room.announce_on(self.inner.feed.clone());
        let mut rooms = self.inner.rooms.lock().expect("rooms lock");
        // Another request may have loaded it meanwhile: use theirs, drop ours.
        if let Some(theirs) = rooms.get(session_id) {
            if !theirs.tx.is_closed() {
                return Ok(theirs.tx.clone());
            }
        }
        let (tx, rx) = mpsc::channel(ROOM_QUEUE);
        let heard = room.heard();
        rooms.insert(
            session_id.to_owned(),
            Hosted { tx: tx.clone(), seen: room.seen(), heard: heard.clone() },
        );
        let token = self.inner.shutdown.token.clone();
        let live = self.clone();
        let id = session_id.to_owned();
        let mine = tx.clone();
        self.inner.shutdown.tasks.spawn(async move {
            // A root span: the room serves every connection of the session, not the one that
            // happened to load it.
            let span = tracing::info_span!(parent: None, "room", session_id = %id);
            tracing::Instrument::instrument(room.run(rx, token), span).await;
            live.forget(&id, &mine);
            live.inner.rooms_ended.fetch_add(1, Ordering::Relaxed);
        });
        // A notice that came while the room was loading found no room: look once more.
        heard.tell(None, Vec::new());
        Ok(tx)
    }

    fn forget(&self, session_id: &str, tx: &mpsc::Sender<RoomMsg>) {
        let mut rooms = self.inner.rooms.lock().expect("rooms lock");
        if rooms.get(session_id).is_some_and(|current| current.tx.same_channel(tx)) {
            rooms.remove(session_id);
        }
    }

    /// Attaches a connection; the room sends it a welcome (or closes it) through `outbox`.
    /// `last_seq` is what the client says it received last (refused when beyond the session's).
    pub async fn attach(
        &self,
        session_id: &str,
        conn: ConnId,
        participant: ParticipantId,
        outbox: Outbox,
        lang: Lang,
        last_seq: Option<u64>,
    ) -> Result<(), LiveError> {
        let (reply, done) = oneshot::channel();
        self.send(session_id, RoomMsg::Attach { conn, participant, outbox, lang, last_seq, reply }).await?;
        done.await.map_err(|_| LiveError::Failure(LiveFailure::Busy))
    }

    pub async fn detach(&self, session_id: &str, conn: ConnId) {
        let tx = self.inner.rooms.lock().expect("rooms lock").get(session_id).map(|room| room.tx.clone());
        if let Some(tx) = tx {
            let _ = tx.send(RoomMsg::Detach { conn }).await;
        }
    }

    /// A command from a connection; the answer goes to the connection.
    pub async fn command_from(
        &self,
        session_id: &str,
        conn: ConnId,
        participant: ParticipantId,
        cid: String,
        command: Screened<Command>,
    ) -> Result<(), LiveError> {
        self.send(
            session_id,
            RoomMsg::Command {
                origin: Origin::Connection { conn },
                participant,
                cid,
                command: command.into_inner(),
            },
        )
        .await
    }

    /// A connection asks for a fresh view; the room answers it with a `view` frame.
    pub async fn sync(&self, session_id: &str, conn: ConnId) -> Result<(), LiveError> {
        self.send(session_id, RoomMsg::Sync { conn }).await
    }

    /// Rooms in memory (for tests and figures): a room goes when its session is closed and its
    /// last connection is gone, or after a minute without connections.
    pub fn room_count(&self) -> usize {
        self.inner.rooms.lock().expect("rooms lock").values().filter(|room| !room.tx.is_closed()).count()
    }

    /// Connections a session's room in memory holds (0 when the room is not in memory).
    pub async fn connection_count(&self, session_id: &str) -> usize {
        let tx = self.inner.rooms.lock().expect("rooms lock").get(session_id).map(|room| room.tx.clone());
        let Some(tx) = tx else { return 0 };
        let (reply, count) = oneshot::channel();
        if tx.send(RoomMsg::Connections { reply }).await.is_err() {
            return 0;
        }
        count.await.unwrap_or(0)
    }

    /// A command from a caller that waits for its result (an HTTP request).
    pub async fn command(
        &self,
        session_id: &str,
        participant: ParticipantId,
        cid: String,
        command: Screened<Command>,
    ) -> Result<CommandResult, LiveError> {
        let (reply, result) = oneshot::channel();
        self.send(
            session_id,
            RoomMsg::Command {
                origin: Origin::Caller { reply },
                participant,
                cid,
                command: command.into_inner(),
            },
        )
        .await?;
        result.await.map_err(|_| LiveError::Failure(LiveFailure::Busy))
    }
}
