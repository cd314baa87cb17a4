//! One websocket connection: `hello` first (token → participant), then commands in and frames
//! out. Bounded outgoing queue, heartbeat pings, a rate limit, oversized frames closed with
//! 1009, protocol violations (bad JSON, unknown message types) answered with an error frame and
//! closed with 1002 (binary frames: 1003), and close 1001 when the server shuts down.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Bytes, Error as WireError, Message};
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;
use tracing::Instrument;

use super::errors::{message, LiveFailure};
use super::outbox::{outbox, CloseReason, Inbox, Outbox};
use super::protocol::{close_code, ClientMessage, Incoming, ServerMessage, PROTOCOL_VERSION};
use super::rate_limit::{RateLimit, Verdict};
use super::sign_outs::SignedOut;
use super::socket::{text_frames, Socket};
use super::Live;
use crate::domain::session::{Command, ParticipantId};
use crate::guard::{Refusal, Screened};
use crate::i18n::Lang;
use crate::store::DynStore;

/// The first message (`hello`) must arrive within this time.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// A write that takes longer than this means the client is gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the server waits for the client's answer to its Close.
const CLOSE_HANDSHAKE: Duration = Duration::from_secs(2);
/// Most frames written before one flush (the socket's send buffer takes the rest in the next).
const FRAMES_PER_FLUSH: usize = 32;
/// Longest client id accepted.
const MAX_CID: usize = 100;

pub struct ConnectionContext {
    pub live: Live,
    pub store: DynStore,
    pub session_id: String,
    pub shutdown: tokio_util::sync::CancellationToken,
    /// A ping this often; nothing from the client for two intervals closes the connection.
    pub heartbeat: Duration,
    /// The cookie session the upgrade carried, if any: when it ends, the connection closes.
    pub web_session: Option<WebSessionOf>,
    /// Every sign-out (`AppState::sign_outs`), subscribed before the upgrade.
    pub sign_outs: tokio::sync::broadcast::Receiver<SignedOut>,
}

/// The web session a connection was opened under.
#[derive(Clone, Debug)]
pub struct WebSessionOf {
    pub user_id: i64,
    pub id_hash: String,
}

/// Whether the web session behind a connection is still valid (exists, not timed out). An open
/// live connection counts as activity: it keeps the session from idling out.
async fn web_session_alive(store: &DynStore, of: &WebSessionOf) -> bool {
    use crate::domain::accounts::session_timeouts::{self, SessionState};
    let now = crate::clock::now_ms();
    match store.web_session(&of.id_hash).await {
        Ok(Some(s)) => match session_timeouts::state(s.created_at, s.last_seen_at, now) {
            SessionState::IdleExpired | SessionState::AbsoluteExpired => false,
            SessionState::Valid { touch } => {
                if touch {
                    let _ = store.touch_web_session(&of.id_hash, now).await;
                }
                true
            }
        },
        Ok(None) => false,
        // The database being away is not a sign-out.
        Err(_) => true,
    }
}

/// Runs a connection to its end.
pub async fn run(socket: Socket, mut ctx: ConnectionContext) {
    let _counted = crate::metrics::live_connection();
    let (mut sink, mut stream) = socket.split();

    // 1. hello
    let hello = tokio::time::timeout(HELLO_TIMEOUT, stream.next()).await;
    let (participant, lang, last_seq) = match hello {
        // Boxed, like every rare step below: what a step holds while it waits would otherwise
        // sit in every connection's task for as long as the connection lives.
        Ok(Some(Ok(Message::Text(text)))) => match Box::pin(authenticate(&ctx, &text)).await {
            Ok(found) => found,
            Err((code, reason, error_code)) => {
                let msg = message(&LiveFailure::protocol(error_code, ""), Lang::Nl);
                let frame = ServerMessage::Error { cid: None, code: error_code, message: &msg }.to_json();
                let _ = send_text(&mut sink, frame.into()).await;
                let _ = sink.send(close(code, reason)).await;
                return;
            }
        },
        Ok(Some(Err(_))) | Ok(None) => return,
        _ => {
            let _ = sink.send(close(close_code::NO_HELLO, "send hello first")).await;
            return;
        }
    };

    // 2. attach to the room, which sends the welcome snapshot
    let conn = ctx.live.next_conn_id();
    let (out, inbox) = outbox();
    if let Err(e) =
        Box::pin(ctx.live.attach(&ctx.session_id, conn, participant.clone(), out.clone(), lang, last_seq))
            .await
    {
        tracing::info!(session = %ctx.session_id, error = %e, "connection not attached: session unavailable");
        let _ = sink.send(close(1011, "session unavailable")).await;
        return;
    }

    tracing::debug!(participant = participant.as_str(), "live connection attached");

    // 3. Reading and writing side by side: a client that stops reading never stops the server
    // from reading it, so a stalled client shows as a full outbox (close 4000), not a hang.
    // The writer is a task of its own: a frame for this connection wakes the writer alone and a
    // message from the client the reader alone (joined in one task, every wake polled both).
    let writer_done = CancellationToken::new();
    let heard = Arc::new(Heard::new());
    let writer = AbortOnDropHandle::new(tokio::spawn(
        write_loop(sink, inbox, ctx.heartbeat, heard.clone(), writer_done.clone()).in_current_span(),
    ));
    read_loop(&mut ctx, &mut stream, conn, &participant, lang, out, &heard, writer_done).await;
    // tungstenite writes its answer to a client's Close and then reports the connection closed
    // without flushing: the socket's batch (`socket::Batched`) is flushed here, before the socket
    // is dropped, so the answer goes out.
    if let Ok(mut socket) = writer.await.map(|sink| sink.reunite(stream)) {
        if let Ok(socket) = socket.as_mut() {
            let _ = tokio::time::timeout(CLOSE_HANDSHAKE, tokio::io::AsyncWriteExt::flush(socket.get_mut()))
                .await;
        }
    }
    Box::pin(ctx.live.detach(&ctx.session_id, conn)).await;
    tracing::debug!("live connection ended");
}

/// When the client was last heard from (any frame, a pong included): the reader marks it, the
/// writer's heartbeat reads it. Both run in the connection's one task.
struct Heard {
    start: Instant,
    ms: AtomicU64,
}

impl Heard {
    fn new() -> Self {
        Heard { start: Instant::now(), ms: AtomicU64::new(0) }
    }

    fn now(&self) {
        self.ms.store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn silent_for(&self) -> Duration {
        self.start.elapsed().saturating_sub(Duration::from_millis(self.ms.load(Ordering::Relaxed)))
    }
}

/// Reads the client's messages until the connection ends; then tells the writer how to close
/// (through the outbox's kick) and completes the closing handshake.
#[allow(clippy::too_many_arguments)]
async fn read_loop(
    ctx: &mut ConnectionContext,
    stream: &mut SplitStream<Socket>,
    conn: u64,
    participant: &ParticipantId,
    lang: Lang,
    out: Outbox,
    heard: &Heard,
    writer_done: CancellationToken,
) {
    let kicked = out.kicked();
    let mut limit = RateLimit::new(40, 20);
    // Only a connection opened under a cookie session has something to check on a timer (that
    // the session did not time out); the writer's heartbeat looks after the rest.
    let mut session_check = match ctx.web_session {
        Some(_) => {
            let mut every = tokio::time::interval(ctx.heartbeat);
            every.tick().await;
            Some(every)
        }
        None => None,
    };
    // The waits for the ends are made once, not in every turn of the loop: each one made signs
    // up with its token, and the reader runs a turn for every frame in or out.
    let mut shutting_down = std::pin::pin!(ctx.shutdown.clone().cancelled_owned());
    let mut kicked_now = std::pin::pin!(kicked.cancelled());
    let end: CloseReason = loop {
        tokio::select! {
            biased;
            () = shutting_down.as_mut() => break CloseReason { code: 1001, reason: "server shutting down" },
            // The room or the writer closes this connection (lagging, removed, replaced, stalled).
            // The writer ends only after it closed the outbox this way, so its end needs no
            // branch of its own.
            () = kicked_now.as_mut() => break CloseReason::KICKED,
            signed_out = ctx.sign_outs.recv(), if ctx.web_session.is_some() => {
                let of = ctx.web_session.as_ref().expect("guarded");
                let ended = match signed_out {
                    Ok(s) => s.session_id_hash == of.id_hash || s.user_id == of.user_id,
                    // Missed some: ask the store.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => !Box::pin(web_session_alive(&ctx.store, of)).await,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => false,
                };
                if ended {
                    break CloseReason { code: close_code::UNAUTHORISED, reason: "signed out" };
                }
            }
            incoming = stream.next() => {
                heard.now();
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        match limit.check(Instant::now()) {
                            Verdict::Allow => match Box::pin(handle_text(ctx, conn, participant, &text, lang)).await {
                                Reply::None => {}
                                Reply::Frame(reply) => { out.send(reply); }
                                // A protocol violation: say why, then close (1002).
                                Reply::Violation(reply) => {
                                    out.send(reply);
                                    break CloseReason { code: close_code::PROTOCOL_ERROR, reason: "protocol violation" };
                                }
                            },
                            Verdict::Refuse => {
                                out.send(error_frame(cid_of(&text).as_deref(), &LiveFailure::protocol("rate_limited", ""), lang));
                            }
                            Verdict::Close => break CloseReason { code: close_code::RATE_LIMITED, reason: "too many messages" },
                        }
                    }
                    Some(Ok(Message::Binary(_))) => {
                        out.send(error_frame(None, &LiveFailure::protocol("binary_not_supported", ""), lang));
                        break CloseReason { code: close_code::UNSUPPORTED_DATA, reason: "binary frames are not supported" };
                    }
                    // (tungstenite answers pings itself and never reads a raw frame.)
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                    // The client closes: answer its Close (RFC 6455 §5.5.1).
                    Some(Ok(Message::Close(_))) => break CloseReason::ECHO,
                    None => break CloseReason::GONE,
                    Some(Err(e)) => {
                        break if is_too_big(e) { CloseReason { code: 1009, reason: "message too big" } } else { CloseReason::GONE };
                    }
                }
            }
            // A web session that timed out (no sign-out announced) ends the connection too.
            _ = tick(&mut session_check), if session_check.is_some() => {
                if let Some(of) = &ctx.web_session {
                    if !Box::pin(web_session_alive(&ctx.store, of)).await {
                        break CloseReason { code: close_code::UNAUTHORISED, reason: "signed out" };
                    }
                }
            }
        }
    };
    // The writer sends the close frame (the first reason given wins).
    out.close(end);
    writer_done.cancelled().await;
    let closed_with = out.close_reason().unwrap_or(end);
    if end != CloseReason::ECHO && end != CloseReason::GONE {
        // The closing handshake: wait (briefly) for the client's Close before dropping the
        // socket, so the close frame and its reason are not lost to a TCP reset.
        let _ = tokio::time::timeout(CLOSE_HANDSHAKE, async {
            while let Some(Ok(msg)) = stream.next().await {
                if matches!(msg, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
    tracing::debug!(code = closed_with.code, reason = closed_with.reason, "live connection closed");
    crate::metrics::live_close(closed_with);
}

async fn tick(every: &mut Option<tokio::time::Interval>) {
    match every {
        Some(every) => {
            every.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Writes the room's frames (and the replies the reader queued after them) and the heartbeat
/// pings until the connection is closed; then the close frame. A write that does not complete
/// within `WRITE_TIMEOUT` means the client stopped reading: it is closed as lagging (4000),
/// if the close frame still gets through. A client not heard from for two heartbeats is closed
/// with 1001. Gives back the sink (to rejoin the stream); `done` is cancelled however it ends.
async fn write_loop(
    mut owned: SplitSink<Socket, Message>,
    mut inbox: Inbox,
    heartbeat: Duration,
    heard: Arc<Heard>,
    done: CancellationToken,
) -> SplitSink<Socket, Message> {
    // The reader waits for this before its closing handshake: told however the writer ends.
    let _done = done.drop_guard();
    let sink = &mut owned;
    let mut ping = tokio::time::interval(heartbeat);
    ping.tick().await;
    let stalled = CloseReason { code: close_code::LAGGING, reason: "lagging: writes stalled" };
    // Made once (see `read_loop`).
    let kick = inbox.kick.clone();
    let mut kicked = std::pin::pin!(kick.token.cancelled());
    let reason = loop {
        tokio::select! {
            biased;
            () = kicked.as_mut() => break inbox.kick.reason().unwrap_or(CloseReason::GONE),
            frame = inbox.rx.recv() => match frame {
                Some(frame) => if !write_queued(sink, &mut inbox.rx, frame).await { break stalled },
                None => break CloseReason { code: 1011, reason: "session closed" },
            },
            _ = ping.tick() => {
                let silent = heard.silent_for();
                if silent > heartbeat * 2 {
                    tracing::info!(silent_ms = silent.as_millis() as u64, "closing a silent connection (1001 no pong)");
                    break CloseReason { code: 1001, reason: "no pong" };
                }
                if !send(sink, Message::Ping(Default::default())).await { break stalled }
            }
        }
    };
    // Tell the reader first (a stall), so the kick's reason is ours.
    inbox.kick.close(reason);
    if reason == CloseReason::ECHO {
        // tungstenite queued the answer to the client's Close (same code); closing sends it.
        let _ = tokio::time::timeout(CLOSE_HANDSHAKE, sink.close()).await;
    } else if reason != CloseReason::GONE {
        if reason.code != close_code::LAGGING {
            // Deliver what was queued before the close (e.g. "you were removed", an error).
            while let Ok(frame) = inbox.rx.try_recv() {
                if !send_text(sink, frame.into()).await {
                    break;
                }
            }
        }
        if reason.code == close_code::LAGGING {
            tracing::info!(reason = reason.reason, "closing a lagging connection (4000)");
        }
        let _ = tokio::time::timeout(CLOSE_HANDSHAKE, sink.send(close(reason.code, reason.reason))).await;
    }
    owned
}

/// Writes `first` and the frames already queued behind it (at most `FRAMES_PER_FLUSH`), then
/// flushes once: a burst of frames for one connection (an event and its ack, a catch-up) goes
/// out in one write instead of one per frame. False when that did not complete within
/// `WRITE_TIMEOUT`.
async fn write_queued(
    sink: &mut SplitSink<Socket, Message>,
    rx: &mut tokio::sync::mpsc::Receiver<Utf8Bytes>,
    first: Utf8Bytes,
) -> bool {
    let frames = async {
        feed_text(sink, first.into()).await?;
        for _ in 1..FRAMES_PER_FLUSH {
            let Ok(frame) = rx.try_recv() else { break };
            feed_text(sink, frame.into()).await?;
        }
        sink.flush().await
    };
    matches!(tokio::time::timeout(WRITE_TIMEOUT, frames).await, Ok(Ok(())))
}

/// Queues one text message, in fragments when it is long (`socket::text_frames`), unflushed.
async fn feed_text(sink: &mut SplitSink<Socket, Message>, text: Bytes) -> Result<(), WireError> {
    for frame in text_frames(text) {
        sink.feed(frame).await?;
    }
    Ok(())
}

/// Writes one text message and flushes; false when that did not complete within `WRITE_TIMEOUT`.
async fn send_text(sink: &mut SplitSink<Socket, Message>, text: Bytes) -> bool {
    let sent = async {
        feed_text(sink, text).await?;
        sink.flush().await
    };
    matches!(tokio::time::timeout(WRITE_TIMEOUT, sent).await, Ok(Ok(())))
}

async fn authenticate(
    ctx: &ConnectionContext,
    text: &str,
) -> Result<(ParticipantId, Lang, Option<u64>), (u16, &'static str, &'static str)> {
    let Ok(ClientMessage::Hello { protocol, token, lang, last_seq }) =
        serde_json::from_str::<ClientMessage>(text)
    else {
        return Err((close_code::NO_HELLO, "send hello first", "hello_expected"));
    };
    if protocol != PROTOCOL_VERSION {
        return Err((1002, "unsupported protocol version", "unsupported_protocol"));
    }
    let lang = lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let hash = crate::secrets::hash(&token);
    match ctx.store.participant_for_token(&ctx.session_id, &hash).await {
        Ok(Some(participant)) => Ok((ParticipantId(participant), lang, last_seq)),
        Ok(None) => Err((close_code::UNAUTHORISED, "invalid token", "invalid_token")),
        Err(_) => Err((1011, "database unavailable", "not_saved")),
    }
}

/// What a text frame gets at once (acks come from the room).
enum Reply {
    None,
    /// An error frame; the connection stays (a command was refused).
    Frame(String),
    /// An error frame, then the connection closes: the frame broke the protocol (not JSON, an
    /// unknown message type or field, a second hello).
    Violation(String),
}

/// Handles one text frame.
async fn handle_text(
    ctx: &ConnectionContext,
    conn: u64,
    participant: &ParticipantId,
    text: &str,
    lang: Lang,
) -> Reply {
    let msg = match ClientMessage::parse(text) {
        Ok(msg) => msg,
        Err(e) => {
            let code = if serde_json::from_str::<serde_json::Value>(text).is_err() {
                "invalid_json"
            } else {
                "invalid_message"
            };
            return Reply::Violation(error_frame(
                cid_of(text).as_deref(),
                &LiveFailure::protocol(code, e.to_string()),
                lang,
            ));
        }
    };
    let (cid, command) = match msg {
        Incoming::Command { cid, command } => (cid, std::borrow::Cow::Borrowed(command.get())),
        Incoming::Other(ClientMessage::Command { cid, command }) => (cid, command.to_string().into()),
        Incoming::Other(ClientMessage::Hello { .. }) => {
            return Reply::Violation(error_frame(None, &LiveFailure::protocol("already_greeted", ""), lang))
        }
        Incoming::Other(ClientMessage::Sync) => {
            return match ctx.live.sync(&ctx.session_id, conn).await {
                Ok(()) => Reply::None,
                Err(_) => Reply::Frame(error_frame(None, &LiveFailure::Busy, lang)),
            }
        }
    };
    if cid.is_empty() || cid.chars().count() > MAX_CID {
        return Reply::Frame(error_frame(None, &LiveFailure::protocol("invalid_cid", ""), lang));
    }
    let command = match parse_command(&command) {
        Ok(Ok(command)) => command,
        Ok(Err(refusal)) => {
            return Reply::Frame(error_frame(Some(&cid), &LiveFailure::Privacy(refusal), lang))
        }
        Err(detail) => {
            return Reply::Frame(error_frame(
                Some(&cid),
                &LiveFailure::protocol("invalid_command", detail),
                lang,
            ))
        }
    };
    match ctx.live.command_from(&ctx.session_id, conn, participant.clone(), cid.clone(), command).await {
        Ok(()) => Reply::None,
        Err(_) => Reply::Frame(error_frame(Some(&cid), &LiveFailure::Busy, lang)),
    }
}

/// Commands arrive as the domain's JSON (`text`), read once into the domain's type; a
/// contribution's client id is the envelope's `cid` (the room sets it). `Err`: not a command,
/// or a field the command does not have (the detail for `invalid_command`); otherwise the
/// privacy guard's verdict on its text.
fn parse_command(text: &str) -> Result<Result<Screened<Command>, Refusal>, String> {
    let command: Command = serde_json::from_str(text).map_err(without_position)?;
    // The guard reads the command's text in the command's own JSON.
    let (known, verdict) = crate::guard::screen_command(command);
    // serde refuses a field a command does not have, at every depth, except beside the tag of a
    // command that has no fields at all (`{"type": "start", "x": 1}`): its JSON is the tag
    // alone, and every other field given must be null.
    if known.as_object().is_some_and(|fields| fields.len() == 1) {
        let given: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).map_err(without_position)?;
        if let Some((key, _)) = given.iter().find(|(key, value)| *key != "type" && !value.is_null()) {
            return Err(format!("unknown field `{key}`"));
        }
    }
    Ok(verdict)
}

/// serde's reason without its place: the line and column it gives are in the command's own
/// text, not in the message the client sent.
fn without_position(e: serde_json::Error) -> String {
    let mut reason = e.to_string();
    // serde_json writes the place after the reason only when it has one (line 1 or later).
    if e.line() > 0 {
        if let Some(at) = reason.rfind(" at line ") {
            reason.truncate(at);
        }
    }
    reason
}

fn cid_of(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get("cid")?.as_str().map(str::to_owned)
}

fn error_frame(cid: Option<&str>, failure: &LiveFailure, lang: Lang) -> String {
    let msg = message(failure, lang);
    ServerMessage::Error { cid, code: failure.code(), message: &msg }.to_json()
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code: code.into(),
        reason: tokio_tungstenite::tungstenite::Utf8Bytes::from_static(reason),
    }))
}

async fn send<S>(sink: &mut S, msg: Message) -> bool
where
    S: futures_util::Sink<Message> + Unpin,
{
    matches!(tokio::time::timeout(WRITE_TIMEOUT, sink.send(msg)).await, Ok(Ok(())))
}

/// Whether reading failed because a frame or message was over `MAX_MESSAGE_BYTES`.
fn is_too_big(e: WireError) -> bool {
    use tokio_tungstenite::tungstenite::error::CapacityError;
    matches!(e, WireError::Capacity(CapacityError::MessageTooLong { .. }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_field_a_command_does_not_have_is_refused() {
        let parse = |value: serde_json::Value| parse_command(&value.to_string());
        let refused = |value| parse(value).unwrap_err();
        // Commands without fields: serde lets their fields through, the check does not.
        assert_eq!(refused(json!({"type": "start", "force": true})), "unknown field `force`");
        assert_eq!(refused(json!({"type": "reveal", "x": {"y": 1}})), "unknown field `x`");
        assert!(parse(json!({"type": "start", "force": null})).is_ok(), "null is no field");
        // A command whose fields are all left out is no command without fields.
        assert!(refused(json!({"type": "next_round", "x": 1})).starts_with("unknown field `x`"));
        assert!(parse(json!({"type": "next_round", "unrevealed": null})).is_ok());
        // Commands with fields: serde refuses them itself, at every depth.
        let colour =
            refused(json!({"type": "contribute", "content": {"type": "text", "text": "x", "colour": "red"}}));
        assert!(colour.starts_with("unknown field `colour`"), "{colour}");
        assert!(!colour.contains("line"), "no place in the command's own text: {colour}");
        let action = refused(
            json!({"type": "contribute", "content": {"type": "action", "what": "x", "who": "y", "when": "2026-12-31", "colour": "red"}}),
        );
        assert!(action.starts_with("unknown field `colour`"), "{action}");
        let conclude = refused(
            json!({"type": "conclude", "conclusion": "c", "actions": [{"what": "x", "who": "y", "when": "2026-12-31", "colour": "red"}]}),
        );
        assert!(conclude.starts_with("unknown field `colour`"), "{conclude}");
        let text = parse(json!({"type": "contribute", "content": {"type": "text", "text": "x"}}));
        assert!(
            matches!(&text, Ok(Ok(screened)) if matches!(**screened, Command::Contribute { .. })),
            "{text:?}"
        );
        // The guard's verdict comes with it.
        let bsn = parse(json!({"type": "contribute", "content": {"type": "text", "text": "BSN 123456782"}}));
        assert_eq!(bsn.map(|verdict| verdict.map(|_| ()).map_err(|r| r.code())), Ok(Err("bsn_refused")));
    }
}
