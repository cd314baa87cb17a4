//! The room against an in-memory event log: commit and fan-out, lost write races (catch up,
//! decide again), duplicates, catching up with another writer, and the retry bound.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::Value;

use super::*;
use crate::domain::audit::head::Head;
use crate::domain::audit::{chain, AuditEntry, AuditFact};
use crate::domain::method::builtin;
use crate::domain::session::{NewSession as NewSessionCmd, Role};
use crate::live::outbox::{outbox, Inbox};
use crate::store::{
    NewInviteCode, NewSession, NewSessionToken, Result as StoreResult, SessionRow, StoreError,
};

const SESSION: &str = "s1";
const MODERATOR: &str = "moderator";

/// What the fake does on the next append, before it applies the append rule.
enum Next {
    /// Another writer appends these events first (the append then answers `Conflict`).
    OtherWriterFirst(Vec<NewEvent>),
    /// An earlier attempt of this same append was committed (the append then answers
    /// `Duplicate`), as after a resend to another server process.
    AlreadyCommitted,
}

/// One session's event log in memory, with the real append rule: a known client id answers
/// `Duplicate`, a stale `expected_last_seq` answers `Conflict`, otherwise the events are
/// appended gap-free.
#[derive(Default)]
struct FakeLog {
    events: Mutex<Vec<StoredEvent>>,
    plan: Mutex<VecDeque<Next>>,
    /// How often the log was read (`events_since`).
    reads: std::sync::atomic::AtomicUsize,
}

impl FakeLog {
    fn push(&self, events: &[NewEvent], client_id: Option<&str>, now_ms: i64) {
        let mut log = self.events.lock().unwrap();
        for (i, e) in events.iter().enumerate() {
            let seq = log.len() as i64 + 1;
            log.push(StoredEvent {
                session_id: SESSION.into(),
                seq,
                client_id: if i == 0 { client_id.map(str::to_owned) } else { None },
                actor: e.actor.clone(),
                kind: e.kind.clone(),
                payload: e.payload_value(),
                created_at: now_ms,
            });
        }
    }

    fn then(&self, next: Next) {
        self.plan.lock().unwrap().push_back(next);
    }

    fn stored(&self) -> Vec<StoredEvent> {
        self.events.lock().unwrap().clone()
    }

    /// The stored event `seq`, as the feed's follower would have read it.
    fn read(&self, seq: u64) -> StoredEvent {
        self.stored().into_iter().find(|e| e.seq as u64 == seq).expect("stored")
    }

    fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn unused() -> StoreError {
    StoreError::Internal("not kept by the fake event log".into())
}

#[async_trait]
impl EventLog for FakeLog {
    async fn create_session(&self, new: &crate::guard::Screened<NewSession>) -> StoreResult<SessionRow> {
        self.push(&new.events, None, new.now_ms);
        Ok(SessionRow {
            header: new.header.clone(),
            last_seq: new.events.len() as i64,
            created_at: new.now_ms,
            updated_at: new.now_ms,
            content_removed_at: None,
        })
    }

    async fn session(&self, _id: &str) -> StoreResult<Option<SessionRow>> {
        Err(unused())
    }

    async fn anonymisation_review(&self, _session_id: &str) -> StoreResult<Option<Value>> {
        Ok(None)
    }

    async fn sessions_of_team(&self, _team_id: i64) -> StoreResult<Vec<SessionRow>> {
        Err(unused())
    }

    async fn append_events(&self, append: Append) -> StoreResult<AppendOutcome> {
        match self.plan.lock().unwrap().pop_front() {
            Some(Next::OtherWriterFirst(events)) => self.push(&events, None, append.now_ms),
            Some(Next::AlreadyCommitted) => {
                self.push(&append.events, append.client_id.as_deref(), append.now_ms)
            }
            None => {}
        }
        let log = self.events.lock().unwrap();
        let known = append
            .client_id
            .as_ref()
            .and_then(|cid| log.iter().find(|e| e.client_id.as_ref() == Some(cid)).map(|e| e.seq));
        if let Some(seq) = known {
            return Ok(AppendOutcome::Duplicate { seq });
        }
        let last_seq = log.len() as i64;
        if last_seq != append.expected_last_seq {
            return Ok(AppendOutcome::Conflict { last_seq });
        }
        drop(log);
        self.push(&append.events, append.client_id.as_deref(), append.now_ms);
        let new_last = last_seq + append.events.len() as i64;
        Ok(AppendOutcome::Appended { first_seq: last_seq + 1, last_seq: new_last })
    }

    async fn events_since(
        &self,
        session_id: &str,
        after_seq: i64,
        limit: i64,
    ) -> StoreResult<Vec<StoredEvent>> {
        self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let log = self.events.lock().unwrap();
        Ok(log
            .iter()
            .filter(|e| e.session_id == session_id && e.seq > after_seq)
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn create_session_token(&self, _: &NewSessionToken<'_>, _: i64) -> StoreResult<()> {
        Err(unused())
    }

    async fn participant_for_token(&self, _: &str, _: &str) -> StoreResult<Option<String>> {
        Err(unused())
    }

    async fn create_invite(&self, _: &NewInviteCode<'_>, _: i64) -> StoreResult<()> {
        Err(unused())
    }

    async fn session_for_invite(&self, _: &str, _: i64) -> StoreResult<Option<String>> {
        Err(unused())
    }
}

/// The audit log in memory (the room records when a session starts and ends).
#[derive(Default)]
struct FakeAudit {
    entries: Mutex<Vec<AuditEntry>>,
}

#[async_trait]
impl AuditLog for FakeAudit {
    async fn append_audit(&self, fact: &AuditFact) -> StoreResult<AuditEntry> {
        let mut entries = self.entries.lock().unwrap();
        let entry = chain(entries.last(), fact.clone());
        entries.push(entry.clone());
        Ok(entry)
    }

    async fn audit_log(&self) -> StoreResult<Vec<AuditEntry>> {
        Ok(self.entries.lock().unwrap().clone())
    }

    async fn recent_audit(&self, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        Ok(self.entries.lock().unwrap().iter().rev().take(limit as usize).cloned().collect())
    }

    async fn audit_head(&self) -> StoreResult<Head> {
        let entries = self.entries.lock().unwrap();
        Ok(entries
            .last()
            .map_or(Head { seq: 0, hash: String::new() }, |e| Head { seq: e.seq, hash: e.hash.clone() }))
    }
}

fn participant(name: &str) -> ParticipantId {
    ParticipantId(name.into())
}

/// The client id `cid` of `name`, scoped as the room scopes it before [`Room::command`].
fn scoped(name: &str, cid: &str) -> String {
    scoped_client_id(&participant(name), cid)
}

/// A session in its lobby: `session_created` and the moderator joining (seq 1 and 2).
fn created_log() -> Arc<FakeLog> {
    created_log_advancing(false)
}

/// [`created_log`], with automatic transitions on or off.
fn created_log_advancing(auto_advance: bool) -> Arc<FakeLog> {
    let moderator = participant(MODERATOR);
    let bodies = session::create(NewSessionCmd {
        method: builtin("incident", None).expect("a built-in method"),
        title: "Reiskosten".into(),
        case_text: String::new(),
        auto_advance,
        moderator: moderator.clone(),
        moderator_name: "Moderator".into(),
        seed: 7,
        previous_actions: Vec::new(),
    })
    .expect("the session is valid");
    let events = session::stamp(1, bodies, Some(&moderator), 1_000);
    let log = Arc::new(FakeLog::default());
    log.push(&events.iter().map(to_new_event).collect::<Vec<_>>(), None, 1_000);
    log
}

/// `name` joining the lobby, as another writer would append it.
fn joined(name: &str) -> NewEvent {
    let who = participant(name);
    to_new_event(&Event {
        seq: 0,
        at_ms: 2_000,
        actor: Some(who.clone()),
        body: EventBody::ParticipantJoined {
            participant: who,
            display_name: name.into(),
            role: Role::Participant,
            pseudonym_no: None,
        },
    })
}

fn join() -> Command {
    Command::Join { display_name: "Anna".into(), role: Role::Participant }
}

async fn room_on(log: &Arc<FakeLog>) -> Room {
    load(log.clone(), Arc::new(FakeAudit::default()), SESSION)
        .await
        .expect("loads")
        .expect("the session exists")
}

/// A connection of the moderator's, and what it receives.
fn watch(room: &mut Room) -> Inbox {
    let (out, inbox) = outbox();
    room.attach(1, participant(MODERATOR), out, Lang::default(), None);
    inbox
}

/// The seq of each event frame received so far (the welcome and other frames skipped).
fn event_seqs(inbox: &mut Inbox) -> Vec<u64> {
    let mut seqs = Vec::new();
    while let Ok(frame) = inbox.rx.try_recv() {
        let frame: Value = serde_json::from_str(&frame).expect("frames are JSON");
        if frame["type"] == "event" {
            seqs.push(frame["event"]["seq"].as_u64().expect("an event has a seq"));
        }
    }
    seqs
}

/// The `i`th write of a colleague on another process who keeps joining and leaving, so that a
/// long run of them never fills the session.
fn another_writer(i: usize) -> NewEvent {
    if i % 2 == 1 {
        let who = participant("bram");
        return to_new_event(&Event {
            seq: 0,
            at_ms: 2_000,
            actor: Some(who.clone()),
            body: EventBody::ParticipantLeft { participant: who },
        });
    }
    joined("bram")
}

fn joined_names(room: &Room) -> Vec<String> {
    room.state.participants().iter().map(|p| p.id.as_str().to_owned()).collect()
}

#[tokio::test]
async fn a_command_commits_and_fans_out() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);

    let committed =
        room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("committed");

    assert_eq!(committed, Committed { seq: 3, duplicate: false });
    let stored = log.stored();
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[2].kind, "participant_joined");
    assert_eq!(stored[2].client_id.as_deref(), Some(scoped_client_id(&participant("anna"), "c1").as_str()));
    assert_eq!(event_seqs(&mut inbox), [3]);
    assert_eq!(room.state.seq(), 3);
}

#[tokio::test]
async fn losing_a_write_race_catches_up_and_retries() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);
    log.then(Next::OtherWriterFirst(vec![joined("bram")]));

    let committed =
        room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("committed");

    // Bram's join (another process) took seq 3; Anna's was decided again and took seq 4.
    assert_eq!(committed, Committed { seq: 4, duplicate: false });
    let kinds: Vec<_> = log.stored().iter().map(|e| (e.seq, e.actor.clone())).collect();
    assert_eq!(kinds[2..], [(3, Some("bram".into())), (4, Some("anna".into()))]);
    assert_eq!(event_seqs(&mut inbox), [3, 4]);
    assert_eq!(joined_names(&room), [MODERATOR, "bram", "anna"]);
}

#[tokio::test]
async fn the_last_of_a_burst_of_writers_gets_through() {
    // Six colleagues on other processes write at the same instant as Anna: each of her
    // attempts loses to one of them, and her seventh attempt commits. (With a bound of five
    // attempts she was told "busy", as a CI run with three instances showed.)
    let log = created_log();
    let mut room = room_on(&log).await;
    let others: Vec<String> = (0..6).map(|i| format!("other{i}")).collect();
    for name in &others {
        log.then(Next::OtherWriterFirst(vec![joined(name)]));
    }

    let committed =
        room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("committed");

    assert_eq!(committed, Committed { seq: 9, duplicate: false });
    assert_eq!(joined_names(&room).last().map(String::as_str), Some("anna"));
}

#[tokio::test]
async fn a_duplicate_cid_answers_the_original_seq() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);
    log.then(Next::AlreadyCommitted);

    // The log has this command already (an earlier attempt): the store answers `Duplicate`.
    let first = room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("answered");
    assert_eq!(first.seq, 3);
    assert_eq!(log.stored().len(), 3, "nothing appended twice");
    assert_eq!(event_seqs(&mut inbox), [3], "the room caught up with the committed event");

    // A resend to the room answers from what it has folded, without a write.
    let again = room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("answered");
    assert_eq!(again, Committed { seq: 3, duplicate: true });
    assert_eq!(log.stored().len(), 3);

    // Another room (a restart, another process) knows the cid from the log.
    let mut other = room_on(&log).await;
    let resent = other.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("answered");
    assert_eq!(resent, Committed { seq: 3, duplicate: true });
}

#[tokio::test]
async fn catching_up_applies_another_writers_events_in_order() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);
    log.push(&[joined("bram"), joined("carla")], None, 2_000);
    log.push(&[joined("daan")], None, 2_500);

    room.catch_up(true).await.expect("caught up");

    assert_eq!(room.state.seq(), 5);
    assert_eq!(event_seqs(&mut inbox), [3, 4, 5]);
    assert_eq!(joined_names(&room), [MODERATOR, "bram", "carla", "daan"]);
}

#[tokio::test]
async fn retries_are_bounded() {
    let log = created_log();
    let mut room = room_on(&log).await;
    for i in 0..MAX_CONFLICT_RETRIES {
        log.then(Next::OtherWriterFirst(vec![another_writer(i)]));
    }

    let result = room.command(&participant("anna"), &scoped("anna", "c1"), join()).await;

    assert!(matches!(result, Err(LiveFailure::Busy)), "{result:?}");
    let stored = log.stored();
    assert_eq!(stored.len(), 2 + MAX_CONFLICT_RETRIES, "only the other writer's events");
    assert!(stored.iter().all(|e| e.client_id.is_none()));
    assert_eq!(room.state.seq(), stored.len() as u64, "the room has caught up with all of them");
    // With the other writer quiet, the next attempt succeeds.
    let committed =
        room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("committed");
    assert_eq!(committed.seq, stored.len() as u64 + 1);
}

/// A session that advances by itself, started long ago: its first round's deadline has passed.
async fn overdue_log() -> Arc<FakeLog> {
    let log = created_log_advancing(true);
    let room = room_on(&log).await;
    let moderator = participant(MODERATOR);
    let bodies = session::decide(&room.state, &moderator, Command::Start, 1_000).expect("starts");
    let events = room.state.stamp(bodies, Some(&moderator), 1_000);
    log.push(&events.iter().map(to_new_event).collect::<Vec<_>>(), None, 1_000);
    log
}

/// The transitions due now, as another process would commit them.
async fn due_elsewhere(log: &Arc<FakeLog>) -> Vec<NewEvent> {
    let other = room_on(log).await;
    let now = now_ms();
    let bodies = session::due_transitions(&other.state, now);
    assert!(!bodies.is_empty(), "a transition is due");
    other.state.stamp(bodies, None, now).iter().map(to_new_event).collect()
}

#[tokio::test]
async fn an_automatic_transition_that_loses_a_race_catches_up_instead_of_doubling() {
    let log = overdue_log().await;
    let mut room = room_on(&log).await;
    assert_eq!(room.wake_in(), Some(Duration::ZERO), "the deadline has passed");
    let mut inbox = watch(&mut room);
    let theirs = due_elsewhere(&log).await;
    let before = log.stored().len();
    log.then(Next::OtherWriterFirst(theirs.clone()));

    room.advance_by_itself().await;

    let stored = log.stored();
    assert_eq!(stored.len(), before + theirs.len(), "the other process's transition only, not twice");
    assert_eq!(room.state.seq(), stored.len() as u64, "the room caught up");
    let seqs: Vec<u64> = (before as u64 + 1..=stored.len() as u64).collect();
    assert_eq!(event_seqs(&mut inbox), seqs, "its viewers saw the transition once");
    assert!(room.automatic_not_before.is_none(), "it succeeded: no back-off");
}

#[tokio::test]
async fn an_automatic_transition_that_keeps_losing_backs_off_rather_than_spinning() {
    let log = overdue_log().await;
    let mut room = room_on(&log).await;
    for i in 0..MAX_CONFLICT_RETRIES {
        log.then(Next::OtherWriterFirst(vec![joined(&format!("other{i}"))]));
    }

    room.advance_by_itself().await;

    let stored = log.stored();
    assert_eq!(room.state.seq(), stored.len() as u64, "caught up with every other writer");
    let wake = room.wake_in().expect("the transition is still due");
    assert!(wake > Duration::ZERO, "the room waits before it tries again, instead of at once");
    assert!(wake <= AUTOMATIC_BACKOFF);
    // With the other writer quiet, the next attempt commits the transition.
    room.advance_by_itself().await;
    assert!(log.stored().len() > stored.len(), "the transition was committed");
    assert!(room.automatic_not_before.is_none());
}

#[tokio::test]
async fn commits_are_announced_and_a_notice_makes_a_room_catch_up() {
    use crate::feed::{Feed, FeedEvent, Notice};

    /// Records what is announced, to this process and to the others.
    #[derive(Default)]
    struct Recording {
        here: std::sync::Mutex<Vec<Notice>>,
        others: std::sync::Mutex<Vec<Notice>>,
    }
    impl Feed for Recording {
        fn publish(&self, notice: Notice) {
            self.here.lock().unwrap().push(notice.clone());
            self.publish_to_others(notice);
        }
        fn publish_to_others(&self, notice: Notice) {
            self.others.lock().unwrap().push(notice);
        }
        fn subscribe(&self) -> tokio::sync::broadcast::Receiver<FeedEvent> {
            tokio::sync::broadcast::channel(1).1
        }
        fn sees_every_writer(&self) -> bool {
            false
        }
    }

    let log = created_log();
    let feed = Arc::new(Recording::default());
    let mut room = room_on(&log).await;
    room.announce_on(feed.clone());
    let mut inbox = watch(&mut room);

    room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("committed");
    assert_eq!(
        *feed.others.lock().unwrap(),
        [Notice::Committed { session: SESSION.into(), seq: 3 }],
        "the other processes hear of the commit"
    );
    assert!(
        feed.here.lock().unwrap().is_empty(),
        "this process's only room of the session is the one that committed"
    );
    assert_eq!(event_seqs(&mut inbox), [3]);

    // Another process commits seq 4 and announces it: the room reads it from the log.
    log.push(&[joined("bram")], None, 2_000);
    room.heard().tell(Some(3), Vec::new());
    room.take_heard().await;
    assert_eq!(room.state.seq(), 3, "a notice it is not behind on reads nothing");
    room.heard().tell(Some(4), Vec::new());
    room.take_heard().await;
    assert_eq!(event_seqs(&mut inbox), [4]);
    // After a resync (no seq) it reads whatever it missed.
    log.push(&[joined("carla")], None, 2_500);
    room.heard().tell(None, Vec::new());
    room.take_heard().await;
    assert_eq!(event_seqs(&mut inbox), [5]);
    assert_eq!(joined_names(&room), [MODERATOR, "anna", "bram", "carla"]);
    assert_eq!(feed.others.lock().unwrap().len(), 1, "catching up announces nothing");
}

#[tokio::test]
async fn what_the_feeds_follower_read_is_taken_in_and_only_what_it_lacks_is_read_from_the_log() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);
    let seen = room.seen();
    let have = room.state.seq();
    assert_eq!(seen.load(Ordering::Acquire), have, "where the room stands, for the follower");

    // Another process appends two events; the follower read them, and one the room has.
    log.push(&[joined("bram")], None, 2_000);
    log.push(&[joined("carla")], None, 2_100);
    let reads = log.reads();
    let read = vec![log.read(have), log.read(have + 1), log.read(have + 2)];
    room.heard().tell(Some(have + 2), read);
    room.take_heard().await;
    assert_eq!(event_seqs(&mut inbox), [have + 1, have + 2], "each event once, in order");
    assert_eq!(log.reads(), reads, "the log is not read again");
    assert_eq!(seen.load(Ordering::Acquire), have + 2);

    // A read that does not join where the room stands: the room reads the log instead.
    log.push(&[joined("dirk")], None, 2_200);
    log.push(&[joined("eva")], None, 2_300);
    room.heard().tell(Some(have + 4), vec![log.read(have + 4)]);
    room.take_heard().await;
    assert_eq!(event_seqs(&mut inbox), [have + 3, have + 4]);
    assert_eq!(log.reads(), reads + 1);

    // A read that falls short of the notice: the room reads the rest.
    log.push(&[joined("fenna")], None, 2_400);
    log.push(&[joined("gert")], None, 2_500);
    room.heard().tell(Some(have + 6), vec![log.read(have + 5)]);
    room.take_heard().await;
    assert_eq!(event_seqs(&mut inbox), [have + 5, have + 6]);
    assert_eq!(log.reads(), reads + 2);
    assert_eq!(seen.load(Ordering::Acquire), have + 6);
    assert_eq!(joined_names(&room), [MODERATOR, "bram", "carla", "dirk", "eva", "fenna", "gert"]);
}

/// A running room with a command waiting takes in what it heard first: the command is
/// decided on the newest state and commits at once, with no lost race and no read of the log.
#[tokio::test]
async fn what_a_running_room_heard_goes_before_the_commands_waiting() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);
    let have = room.state.seq();
    let heard = room.heard();
    // Another process appended; its notice and the follower's read came after a command that
    // is still waiting for the room.
    log.push(&[joined("bram")], None, 2_000);
    let (tx, rx) = mpsc::channel(8);
    let (reply, result) = oneshot::channel();
    let command = RoomMsg::Command {
        origin: Origin::Caller { reply },
        participant: participant("anna"),
        cid: "c1".into(),
        command: join(),
    };
    tx.send(command).await.expect("queued");
    heard.tell(Some(have + 1), vec![log.read(have + 1)]);
    let reads = log.reads();

    let shutdown = CancellationToken::new();
    let running = tokio::spawn(room.run(rx, shutdown.clone()));
    let committed = result.await.expect("answered").expect("committed");
    assert_eq!(committed, Committed { seq: have + 2, duplicate: false });
    assert_eq!(log.reads(), reads, "no lost race, and nothing read from the log");
    assert_eq!(event_seqs(&mut inbox), [have + 1, have + 2]);
    shutdown.cancel();
    running.await.expect("the room stops");
}

#[tokio::test]
async fn a_command_refused_on_a_stale_state_is_decided_again_after_catching_up() {
    let log = created_log();
    let mut room = room_on(&log).await;
    let mut inbox = watch(&mut room);
    // Another process started the session; this room has not heard yet.
    let mut other = room_on(&log).await;
    other
        .command(&participant(MODERATOR), &scoped(MODERATOR, "start"), Command::Start)
        .await
        .expect("started elsewhere");
    let started = log.stored().len() as u64;

    // In the lobby the moderator cannot contribute; in the started session (round 1) they can.
    let contribute: Command = serde_json::from_value(serde_json::json!(
        {"type": "contribute", "client_id": "c1", "content": {"type": "text", "text": "Doel en spelregels."}}
    ))
    .expect("a command");
    let committed =
        room.command(&participant(MODERATOR), &scoped(MODERATOR, "c1"), contribute).await.expect("accepted");

    assert_eq!(committed.seq, started + 1);
    assert_eq!(event_seqs(&mut inbox), (3..=started + 1).collect::<Vec<_>>());
    // What the latest state refuses is still refused.
    let again = room.command(&participant(MODERATOR), &scoped(MODERATOR, "start-2"), Command::Start).await;
    assert!(matches!(again, Err(LiveFailure::Refused(_))), "{again:?}");
}

#[tokio::test]
async fn the_moderators_decisions_about_people_are_audited() {
    let log = created_log();
    let audit = Arc::new(FakeAudit::default());
    let mut room = load(log.clone(), audit.clone(), SESSION).await.expect("loads").expect("exists");
    room.command(&participant("anna"), &scoped("anna", "c1"), join()).await.expect("joined");
    let set_role = Command::SetRole { who: participant("anna"), role: Role::Observer };
    room.command(&participant(MODERATOR), &scoped(MODERATOR, "c2"), set_role).await.expect("role set");
    let remove = Command::RemoveParticipant { who: participant("anna") };
    room.command(&participant(MODERATOR), &scoped(MODERATOR, "c3"), remove).await.expect("removed");
    let facts: Vec<(String, String)> = audit
        .entries
        .lock()
        .unwrap()
        .iter()
        .map(|e| (e.fact.action.clone(), e.fact.subject.clone()))
        .collect();
    let target = format!("session:{SESSION}");
    assert_eq!(
        facts,
        [("session_role_set".to_owned(), target.clone()), ("session_participant_removed".to_owned(), target)]
    );
}

#[test]
fn a_scoped_client_id_is_the_start_of_the_sha256_of_participant_nul_cid_in_hex() {
    let mut whole = crate::secrets::hash("anna\u{0}c1");
    whole.truncate(32);
    assert_eq!(scoped_client_id(&ParticipantId("anna".into()), "c1"), whole);
}
