//! One live session: the task that owns its state and connections.
//!
//! Every command is decided by the domain against the current state, appended to the store
//! in one transaction (compare-and-set on the last sequence number), and only then applied,
//! acknowledged and fanned out. When another server process appended first, the room reads
//! what it missed and decides again. After each commit the room announces the new seq on the
//! change feed (`crate::feed`); the rooms of that session in other processes catch up when they
//! hear it ([`Heard`]): with the events their process's follower of the feed read for them
//! (`registry.rs`), and from the event log for whatever that did not bring. A room takes in
//! what it heard before its next message, commands included.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use serde::Deserialize;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::errors::{self, LiveFailure};
use super::frames::frames;
use super::heard::Heard;
use super::outbox::{CloseReason, Outbox};
use super::protocol::{close_code, ServerMessage, PROTOCOL_VERSION};
use crate::clock::now_ms;
use crate::domain::session::{
    self, view_for, visible_event_for, ClientId, Command, Event, EventBody, ParticipantId, Phase,
    SessionState, VisibleBody, VisibleEvent,
};
use crate::feed::{DynFeed, Notice};
use crate::i18n::Lang;
use crate::store::{Append, AppendOutcome, AuditLog, EventLog, NewEvent, SessionStatus, StoredEvent};

/// How long a room without connections stays in memory.
const IDLE_TTL: Duration = Duration::from_secs(60);
/// How often a command is tried when it keeps losing races to other writers. Every lost race
/// means another writer committed, so when everyone in a session sends at the same instant
/// from several processes, the last of them needs one attempt per person: the bound is a full
/// session's burst, not a guess at the usual contention (which is one or two).
const MAX_CONFLICT_RETRIES: usize = session::MAX_PEOPLE;
/// Events read per query when loading or catching up.
const PAGE: i64 = 1000;
/// How long automatic transitions wait after they could not be committed (the store failed,
/// or other writers won every retry) before the room tries again.
const AUTOMATIC_BACKOFF: Duration = Duration::from_millis(500);

pub type ConnId = u64;

/// A command's result for a caller that waits for it (HTTP), rather than a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committed {
    /// The sequence number of the (last) event the command produced.
    pub seq: u64,
    pub duplicate: bool,
}

pub type CommandResult = Result<Committed, LiveFailure>;

pub enum RoomMsg {
    Attach {
        conn: ConnId,
        participant: ParticipantId,
        outbox: Outbox,
        lang: Lang,
        last_seq: Option<u64>,
        reply: oneshot::Sender<()>,
    },
    Detach {
        conn: ConnId,
    },
    Sync {
        conn: ConnId,
    },
    /// How many connections the room holds (those being closed not counted).
    Connections {
        reply: oneshot::Sender<usize>,
    },
    Command {
        origin: Origin,
        participant: ParticipantId,
        cid: String,
        command: Command,
    },
}

/// Who waits for the answer to a command.
pub enum Origin {
    Connection { conn: ConnId },
    Caller { reply: oneshot::Sender<CommandResult> },
}

struct Conn {
    participant: ParticipantId,
    outbox: Outbox,
    lang: Lang,
}

pub struct Room {
    id: String,
    state: SessionState,
    /// Scoped client id → the seq its command was committed as; makes every resend harmless.
    committed: HashMap<String, u64>,
    conns: HashMap<ConnId, Conn>,
    /// Connections one participant may hold open (0: no cap); a new one closes the oldest.
    max_per_participant: usize,
    /// Where commands are committed and other writers' events are read.
    log: Arc<dyn EventLog>,
    /// Where lifecycle steps (started, ended) are recorded.
    audit: Arc<dyn AuditLog>,
    /// Where each commit is announced to the other processes (none: one process, unannounced).
    feed: Option<DynFeed>,
    /// Automatic transitions wait until then after a failed attempt.
    automatic_not_before: Option<Instant>,
    /// The seq of the last event applied, for the process's follower of the feed: it reads
    /// from there what a notice says the room lacks ([`Room::seen`]).
    seen: Arc<AtomicU64>,
    /// What that follower told the room and it has not taken in yet ([`Room::heard`]).
    heard: Arc<Heard>,
}

/// Loads a room from the event log. `None` when the session does not exist.
pub async fn load(
    log: Arc<dyn EventLog>,
    audit: Arc<dyn AuditLog>,
    id: &str,
) -> Result<Option<Room>, LiveFailure> {
    let first = log.events_since(id, 0, PAGE).await.map_err(LiveFailure::store)?;
    let mut committed = HashMap::new();
    let events = first.iter().map(|s| to_event(s, &mut committed)).collect::<Result<Vec<_>, _>>()?;
    if events.is_empty() {
        return Ok(None);
    }
    let state = SessionState::fold(&events).map_err(|e| LiveFailure::Corrupt(e.to_string()))?;
    let mut room = Room {
        id: id.to_owned(),
        state,
        committed,
        conns: HashMap::new(),
        max_per_participant: 0,
        log,
        audit,
        feed: None,
        automatic_not_before: None,
        seen: Arc::default(),
        heard: Arc::default(),
    };
    room.catch_up(false).await?;
    room.seen.store(room.state.seq(), Ordering::Release);
    Ok(Some(room))
}

impl Room {
    /// Caps the connections of one participant (0: no cap); see [`close_code::REPLACED`].
    pub fn cap_connections_per_participant(&mut self, max: usize) {
        self.max_per_participant = max;
    }

    /// Where the room stands (the seq of the last event it applied), kept up to date by the room.
    pub fn seen(&self) -> Arc<AtomicU64> {
        self.seen.clone()
    }

    /// Where the process's follower of the feed tells this room that its log grew, with what
    /// it read of it; the room takes that in before its next message ([`Room::run`]).
    pub fn heard(&self) -> Arc<Heard> {
        self.heard.clone()
    }

    /// Announces every commit of this room on `feed`.
    pub fn announce_on(&mut self, feed: DynFeed) {
        self.feed = Some(feed);
    }

    /// Runs until idle, shut down, or every sender is gone. What the feed's follower told the
    /// room goes before the messages waiting (the branches are tried in order): a command is
    /// decided against the newest state this process knows of, and members here see another
    /// process's events without waiting behind this room's own appends.
    pub async fn run(mut self, mut rx: mpsc::Receiver<RoomMsg>, shutdown: CancellationToken) {
        let _counted = crate::metrics::live_session();
        // Made once: a wait for cancellation made anew in every turn of the loop would sign up
        // with the token (and sign off again) for every message.
        let mut shutting_down = std::pin::pin!(shutdown.cancelled());
        // Likewise the wait for the feed's follower, made anew only once it returned.
        let heard = self.heard.clone();
        let mut told = std::pin::pin!(heard.wait());
        loop {
            let wake = self.wake_in();
            let idle = self.conns.is_empty();
            tokio::select! {
                biased;
                () = shutting_down.as_mut() => break,
                () = told.as_mut() => {
                    told.set(heard.wait());
                    self.take_heard().await;
                }
                () = tokio::time::sleep(wake.unwrap_or(Duration::MAX)), if wake.is_some() => self.advance_by_itself().await,
                msg = rx.recv() => match msg {
                    Some(msg) => self.handle(msg).await,
                    None => break,
                },
                // A closed session's room goes as soon as its last connection does.
                () = tokio::time::sleep(if self.state.phase() == Phase::Closed { Duration::ZERO } else { IDLE_TTL }), if idle => break,
            }
        }
    }

    /// Takes in what the feed's follower told the room since it last looked ([`Heard`]).
    async fn take_heard(&mut self) {
        let Some(pending) = self.heard.take() else { return };
        if let Err(e) = self.take_in(pending.up_to(), &pending.read).await {
            tracing::warn!(session = %self.id, error = %e, "cannot catch up after a notice");
        }
    }

    async fn handle(&mut self, msg: RoomMsg) {
        match msg {
            RoomMsg::Attach { conn, participant, outbox, lang, last_seq, reply } => {
                self.attach(conn, participant, outbox, lang, last_seq);
                let _ = reply.send(());
            }
            RoomMsg::Detach { conn } => {
                self.conns.remove(&conn);
            }
            RoomMsg::Sync { conn } => {
                if let Some(c) = self.conns.get(&conn).filter(|c| !c.outbox.is_closed()) {
                    let view = view_for(&self.state, &c.participant);
                    c.outbox.send_all(frames(&ServerMessage::View {
                        seq: self.state.seq(),
                        view: view.as_ref(),
                    }));
                }
            }
            RoomMsg::Connections { reply } => {
                self.conns.retain(|_, c| !c.outbox.is_closed());
                let _ = reply.send(self.conns.len());
            }
            RoomMsg::Command { origin, participant, cid, command } => {
                let started = std::time::Instant::now();
                let scoped = scoped_client_id(&participant, &cid);
                let result = self.command(&participant, &scoped, command).await;
                crate::metrics::command(
                    result
                        .as_ref()
                        .map_or_else(|f| f.code(), |c| if c.duplicate { "duplicate" } else { "ack" }),
                    started,
                );
                self.answer(origin, &cid, &scoped, result);
            }
        }
    }

    fn attach(
        &mut self,
        conn: ConnId,
        participant: ParticipantId,
        outbox: Outbox,
        lang: Lang,
        last_seq: Option<u64>,
    ) {
        self.conns.retain(|_, c| !c.outbox.is_closed());
        if self.is_removed(&participant) {
            outbox.close(CloseReason { code: close_code::REMOVED, reason: "removed from this session" });
            return;
        }
        // A client that has seen more than the session holds knows another session's history
        // (or a database restored from a backup): it must drop its state and greet again.
        if last_seq.is_some_and(|seen| seen > self.state.seq()) {
            let failure = LiveFailure::protocol("invalid_last_seq", "");
            let message = errors::message(&failure, lang);
            outbox
                .send(ServerMessage::Error { cid: None, code: failure.code(), message: &message }.to_json());
            outbox.close(CloseReason {
                code: close_code::PROTOCOL_ERROR,
                reason: "last_seq beyond the session",
            });
            return;
        }
        // A known token whose holder is not (or no longer) in the session gets no view and may `join`.
        let view = view_for(&self.state, &participant);
        outbox.send_all(frames(&ServerMessage::Welcome {
            protocol: PROTOCOL_VERSION,
            participant_id: participant.as_str(),
            seq: self.state.seq(),
            view: view.as_ref(),
        }));
        self.make_room_for(&participant);
        self.conns.insert(conn, Conn { participant, outbox, lang });
    }

    /// Closes this participant's oldest connections until a new one fits under the cap.
    fn make_room_for(&mut self, participant: &ParticipantId) {
        if self.max_per_participant == 0 {
            return;
        }
        let mut theirs: Vec<ConnId> =
            self.conns.iter().filter(|(_, c)| &c.participant == participant).map(|(id, _)| *id).collect();
        if theirs.len() < self.max_per_participant {
            return;
        }
        // Connection ids grow, so the smallest are the oldest.
        theirs.sort_unstable();
        let surplus = theirs.len() + 1 - self.max_per_participant;
        for id in theirs.into_iter().take(surplus) {
            if let Some(old) = self.conns.remove(&id) {
                old.outbox.close(CloseReason {
                    code: close_code::REPLACED,
                    reason: "replaced by a newer connection",
                });
            }
        }
    }

    fn is_removed(&self, participant: &ParticipantId) -> bool {
        self.state
            .participant(participant)
            .is_some_and(|p| p.membership == crate::domain::session::Membership::Removed)
    }

    /// Records a lifecycle step (started, ended) in the audit log: who and which session only.
    async fn audit(&self, participant: &ParticipantId, action: &'static str) {
        let entry = crate::audit::Entry {
            actor: crate::audit::participant_actor(participant.as_str()),
            action,
            target: format!("session:{}", self.id),
            result: crate::audit::result::OK,
            // Commands arrive over the live connection; its address is not kept in the room.
            client: "live".into(),
        };
        if let Err(e) = crate::audit::record(self.audit.as_ref(), entry).await {
            tracing::error!(error = %e, "cannot write the audit log");
        }
    }

    /// Decides, commits and applies one command; `scoped` is its scoped client id
    /// ([`scoped_client_id`]).
    async fn command(
        &mut self,
        participant: &ParticipantId,
        scoped: &str,
        command: Command,
    ) -> CommandResult {
        if let Some(&seq) = self.committed.get(scoped) {
            return Ok(Committed { seq, duplicate: true });
        }
        // The session's lifecycle and the moderator's decisions about people and hidden texts.
        let audited = match &command {
            Command::Start => Some(crate::audit::action::SESSION_STARTED),
            Command::End => Some(crate::audit::action::SESSION_ENDED),
            Command::SetRole { .. } => Some(crate::audit::action::SESSION_ROLE_SET),
            Command::RemoveParticipant { .. } => Some(crate::audit::action::SESSION_PARTICIPANT_REMOVED),
            Command::NextRound { unrevealed: Some(crate::domain::session::Unrevealed::Discard) } => {
                Some(crate::audit::action::SESSION_ROUND_DISCARDED)
            }
            _ => None,
        };
        let command = with_client_id(command, scoped);
        for _ in 0..MAX_CONFLICT_RETRIES {
            let now = now_ms();
            let bodies = match session::decide(&self.state, participant, command.clone(), now) {
                Ok(bodies) => bodies,
                Err(refusal) => {
                    // Refused against what this room knows: another process may have moved the
                    // session on (the feed's notice is on its way). Refuse only what the log's
                    // latest state refuses.
                    let known = self.state.seq();
                    self.catch_up(true).await?;
                    if self.state.seq() == known {
                        return Err(LiveFailure::Refused(refusal));
                    }
                    if let Some(&seq) = self.committed.get(scoped) {
                        return Ok(Committed { seq, duplicate: true });
                    }
                    continue;
                }
            };
            match self.commit(Some(participant), Some(scoped), bodies, now).await? {
                Some(seq) => {
                    if let Some(action) = audited {
                        self.audit(participant, action).await;
                    }
                    return Ok(Committed { seq, duplicate: false });
                }
                None => {
                    // Lost a race to another writer: catch up (that may answer our cid) and retry.
                    self.catch_up(true).await?;
                    if let Some(&seq) = self.committed.get(scoped) {
                        return Ok(Committed { seq, duplicate: true });
                    }
                }
            }
        }
        Err(LiveFailure::Busy)
    }

    /// Appends `bodies`; on success applies and fans them out and returns the last seq.
    /// `None` when another writer got there first (nothing was written).
    async fn commit(
        &mut self,
        actor: Option<&ParticipantId>,
        scoped_cid: Option<&str>,
        bodies: Vec<EventBody>,
        now: i64,
    ) -> Result<Option<u64>, LiveFailure> {
        if bodies.is_empty() {
            return Ok(Some(self.state.seq()));
        }
        let events = self.state.stamp(bodies, actor, now);
        let append = Append {
            session_id: self.id.clone(),
            expected_last_seq: self.state.seq() as i64,
            client_id: scoped_cid.map(str::to_owned),
            events: events.iter().map(to_new_event).collect(),
            status: status_change(&events),
            revoke_access_of: removed_participants(&events),
            now_ms: now,
        };
        match crate::metrics::commit(self.log.append_events(append)).await.map_err(LiveFailure::store)? {
            AppendOutcome::Appended { last_seq, .. } => {
                // Kinds and numbers only: never what was said (the span names the session).
                tracing::debug!(last_seq, kind = events[0].body.type_name(), "events committed");
                if let Some(cid) = scoped_cid {
                    self.committed.insert(cid.to_owned(), events[0].seq);
                }
                if let Some(feed) = &self.feed {
                    feed.publish_to_others(Notice::Committed {
                        session: self.id.clone(),
                        seq: last_seq as u64,
                    });
                }
                self.fan_out(&events)?;
                Ok(Some(last_seq as u64))
            }
            AppendOutcome::Duplicate { seq } => {
                if let Some(cid) = scoped_cid {
                    self.committed.insert(cid.to_owned(), seq as u64);
                }
                self.catch_up(true).await?;
                Ok(Some(seq as u64))
            }
            AppendOutcome::Conflict { .. } => Ok(None),
        }
    }

    /// Applies committed `events` and sends each viewer what they may see of them. Each event
    /// is judged against the state right after it, exactly as a fold would.
    fn fan_out(&mut self, events: &[Event]) -> Result<(), LiveFailure> {
        for event in events {
            self.state.apply(event).map_err(|e| LiveFailure::Corrupt(e.to_string()))?;
            // Most viewers see an event alike: each distinct view of it is serialised once.
            let mut made: Vec<(VisibleEvent, Vec<Utf8Bytes>)> = Vec::new();
            // The event's author last: the connection woken last is the one tokio runs next on
            // this thread, and the author's acknowledgement is queued right behind the event
            // (`Room::handle`), so the two go out together at once instead of after every other
            // connection the room (and every room before it) woke.
            let by_author = |conn: &&Conn| event.actor.as_ref() == Some(&conn.participant);
            let others = self.conns.values().filter(|c| !by_author(c));
            for conn in others.chain(self.conns.values().filter(by_author)) {
                let Some(visible) = visible_event_for(&self.state, event, &conn.participant) else {
                    continue;
                };
                let removed = matches!(visible.body, VisibleBody::YouWereRemoved);
                let at = match made.iter().position(|(v, _)| *v == visible) {
                    Some(at) => at,
                    None => {
                        let framed = frames(&ServerMessage::Event { event: &visible });
                        made.push((visible, framed.into_iter().map(Utf8Bytes::from).collect()));
                        made.len() - 1
                    }
                };
                // Shared bytes: a clone is a reference, not a copy.
                conn.outbox.send_all(made[at].1.iter().cloned());
                if removed {
                    conn.outbox.close(CloseReason {
                        code: close_code::REMOVED,
                        reason: "removed from this session",
                    });
                }
            }
        }
        self.conns.retain(|_, c| !c.outbox.is_closed());
        self.seen.store(self.state.seq(), Ordering::Release);
        Ok(())
    }

    /// After a notice that the log reached `seq` (`None`: may have grown): takes in the events
    /// the feed's follower read (`read`, in seq order) from where this room stands on, then
    /// reads from the log whatever is still missing. Events it already has are passed over;
    /// a `read` that starts beyond the next seq is left to the log.
    async fn take_in(&mut self, seq: Option<u64>, read: &[StoredEvent]) -> Result<(), LiveFailure> {
        let have = self.state.seq();
        let mut events = Vec::new();
        let lacking = read.iter().skip_while(|e| e.seq as u64 <= have);
        for (next, stored) in (have + 1..).zip(lacking) {
            if stored.seq as u64 != next {
                break;
            }
            events.push(to_event(stored, &mut self.committed)?);
        }
        if !events.is_empty() {
            self.fan_out(&events)?;
        }
        if seq.is_none_or(|seq| seq > self.state.seq()) {
            self.catch_up(true).await?;
        }
        Ok(())
    }

    /// Reads events appended by others (another server process) and applies them.
    async fn catch_up(&mut self, fan_out: bool) -> Result<(), LiveFailure> {
        loop {
            let stored = self
                .log
                .events_since(&self.id, self.state.seq() as i64, PAGE)
                .await
                .map_err(LiveFailure::store)?;
            if stored.is_empty() {
                return Ok(());
            }
            // A page that is not full was the end of the log: no second query to find nothing
            // (on another instance, each notice's catch-up is one round trip to the database).
            let at_end = stored.len() < PAGE as usize;
            let events =
                stored.iter().map(|s| to_event(s, &mut self.committed)).collect::<Result<Vec<_>, _>>()?;
            if fan_out {
                self.fan_out(&events)?;
            } else {
                for event in &events {
                    self.state.apply(event).map_err(|e| LiveFailure::Corrupt(e.to_string()))?;
                }
            }
            if at_end {
                return Ok(());
            }
        }
    }

    fn wake_in(&self) -> Option<Duration> {
        let at = session::next_wake_ms(&self.state)?;
        let due = Duration::from_millis((at - now_ms()).max(0) as u64);
        let backoff = self.automatic_not_before.map(|t| t.saturating_duration_since(Instant::now()));
        Some(due.max(backoff.unwrap_or_default()))
    }

    /// Commits the transitions that are due (a timed round closing). Losing a race to another
    /// writer (another process may commit the same transition) catches up and decides again,
    /// up to [`MAX_CONFLICT_RETRIES`] times; after a failure the room waits
    /// [`AUTOMATIC_BACKOFF`] before it tries again, rather than spinning.
    async fn advance_by_itself(&mut self) {
        self.automatic_not_before = None;
        for _ in 0..MAX_CONFLICT_RETRIES {
            let now = now_ms();
            let bodies = session::due_transitions(&self.state, now);
            match self.commit(None, None, bodies, now).await {
                Ok(Some(_)) => return,
                Ok(None) => {
                    if let Err(e) = self.catch_up(true).await {
                        tracing::warn!(session = %self.id, error = %e, "automatic transition: cannot catch up");
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(session = %self.id, error = %e, "automatic transition failed");
                    let _ = self.catch_up(true).await;
                    break;
                }
            }
        }
        self.automatic_not_before = Some(Instant::now() + AUTOMATIC_BACKOFF);
    }

    fn answer(&mut self, origin: Origin, cid: &str, scoped: &str, result: CommandResult) {
        match origin {
            Origin::Caller { reply, .. } => {
                let _ = reply.send(result);
            }
            Origin::Connection { conn } => {
                let Some(c) = self.conns.get(&conn) else { return };
                let frame = match &result {
                    Ok(committed) => {
                        let contribution_id = self
                            .state
                            .ack_for(&ClientId(scoped.to_owned()))
                            .map(|ack| ack.contribution_id.to_string());
                        ServerMessage::Ack {
                            cid,
                            seq: committed.seq,
                            contribution_id,
                            duplicate: committed.duplicate,
                        }
                        .to_json()
                    }
                    Err(failure) => {
                        let message = errors::message(failure, c.lang);
                        ServerMessage::Error { cid: Some(cid), code: failure.code(), message: &message }
                            .to_json()
                    }
                };
                c.outbox.send(frame);
            }
        }
    }
}

/// Client ids are the client's own; scoping them by participant keeps two clients that chose
/// the same id apart. The scoped id is the first 128 bits of SHA-256(participant, NUL, cid), in
/// hex.
fn scoped_client_id(participant: &ParticipantId, cid: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest =
        Sha256::new().chain_update(participant.as_str()).chain_update([0u8]).chain_update(cid).finalize();
    crate::secrets::hex(&digest[..16])
}

fn with_client_id(command: Command, scoped: &str) -> Command {
    match command {
        Command::Contribute { content, .. } => {
            Command::Contribute { client_id: ClientId(scoped.to_owned()), content }
        }
        other => other,
    }
}

/// Turns a stored row into a domain event and remembers its client id.
fn to_event(stored: &StoredEvent, committed: &mut HashMap<String, u64>) -> Result<Event, LiveFailure> {
    if let Some(cid) = &stored.client_id {
        committed.insert(cid.clone(), stored.seq as u64);
    }
    // Read from the row's JSON in place (`from_value` would take a deep copy of it first).
    let body = EventBody::deserialize(&stored.payload).map_err(|e| LiveFailure::Corrupt(e.to_string()))?;
    Ok(Event {
        seq: stored.seq as u64,
        at_ms: stored.created_at,
        actor: stored.actor.clone().map(ParticipantId),
        body,
    })
}

/// The session's new summary status, when these events change it.
fn status_change(events: &[Event]) -> Option<SessionStatus> {
    events.iter().rev().find_map(|e| match e.body {
        EventBody::SessionEnded => Some(SessionStatus::Closed),
        EventBody::ConcludingStarted => Some(SessionStatus::Concluding),
        EventBody::SessionStarted { .. }
        | EventBody::RoundOpened { .. }
        | EventBody::RoundReopened { .. } => Some(SessionStatus::Running),
        _ => None,
    })
}

/// The participants these events remove: the store revokes their tokens with the append.
fn removed_participants(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::ParticipantRemoved { participant } => Some(participant.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// A domain event as the store keeps it: its body serialised straight to JSON text.
pub fn to_new_event(event: &Event) -> NewEvent {
    NewEvent::new(event.actor.as_ref().map(|a| a.as_str().to_owned()), event.body.type_name(), &event.body)
}

#[cfg(test)]
#[path = "room_tests.rs"]
mod tests;
