//! One websocket connection: `hello` first (token → participant), then commands in and frames
//! out. Bounded outgoing queue, heartbeat pings, a rate limit, oversized frames closed with
//! 1009, protocol violations (bad JSON, unknown message types) answered with an error frame and
//! closed with 1002 (binary frames: 1003), and close 1001 when the server shuts down.

use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};

use super::errors::{message, LiveFailure};
use super::outbox::{outbox, CloseReason};
use super::protocol::{close_code, ClientMessage, ServerMessage, PROTOCOL_VERSION};
use super::rate_limit::{RateLimit, Verdict};
use super::Live;
use crate::domain::session::{Command, ParticipantId};
use crate::http::auth::SignedOut;
use crate::i18n::Lang;
use crate::store::DynStore;

/// The first message (`hello`) must arrive within this time.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// A write that takes longer than this means the client is gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the server waits for the client's answer to its Close.
const CLOSE_HANDSHAKE: Duration = Duration::from_secs(2);
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
pub async fn run(socket: WebSocket, mut ctx: ConnectionContext) {
    let _counted = crate::metrics::live_connection();
    let (mut sink, mut stream) = socket.split();

    // 1. hello
    let hello = tokio::time::timeout(HELLO_TIMEOUT, stream.next()).await;
    let (participant, lang) = match hello {
        Ok(Some(Ok(Message::Text(text)))) => match authenticate(&ctx, &text).await {
            Ok(found) => found,
            Err((code, reason, error_code)) => {
                let msg = message(&LiveFailure::protocol(error_code, ""), Lang::Nl);
                let frame = ServerMessage::Error { cid: None, code: error_code, message: &msg }.to_json();
                let _ = sink.send(Message::Text(frame.into())).await;
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
    let (out, mut inbox) = outbox();
    if ctx.live.attach(&ctx.session_id, conn, participant.clone(), out, lang).await.is_err() {
        let _ = sink.send(close(1011, "session unavailable")).await;
        return;
    }

    // 3. the loop
    let mut limit = RateLimit::new(40, 20);
    let mut heartbeat = tokio::time::interval(ctx.heartbeat);
    heartbeat.tick().await;
    let mut last_seen = Instant::now();
    let end: Option<(u16, &'static str)> = loop {
        tokio::select! {
            biased;
            () = ctx.shutdown.cancelled() => break Some((1001, "server shutting down")),
            signed_out = ctx.sign_outs.recv(), if ctx.web_session.is_some() => {
                let of = ctx.web_session.as_ref().expect("guarded");
                let ended = match signed_out {
                    Ok(s) => s.session_id_hash == of.id_hash || s.user_id == of.user_id,
                    // Missed some: ask the store.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => !web_session_alive(&ctx.store, of).await,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => false,
                };
                if ended {
                    break Some((close_code::UNAUTHORISED, "signed out"));
                }
            }
            () = inbox.kick.token.cancelled() => {
                let reason = inbox.kick.reason().unwrap_or(CloseReason { code: 1000, reason: "" });
                // Flush what the room queued before the kick (e.g. "you were removed").
                while let Ok(frame) = inbox.rx.try_recv() {
                    if !send(&mut sink, Message::Text(frame.into())).await { break; }
                }
                break Some((reason.code, reason.reason));
            }
            frame = inbox.rx.recv() => match frame {
                Some(frame) => if !send(&mut sink, Message::Text(frame.into())).await { break None },
                None => break Some((1011, "session closed")),
            },
            incoming = stream.next() => {
                last_seen = Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        match limit.check(Instant::now()) {
                            Verdict::Allow => match handle_text(&ctx, conn, &participant, &text, lang).await {
                                Reply::None => {}
                                Reply::Frame(reply) => {
                                    if !send(&mut sink, Message::Text(reply.into())).await { break None }
                                }
                                // A protocol violation: say why, then close (1002).
                                Reply::Violation(reply) => {
                                    if !send(&mut sink, Message::Text(reply.into())).await { break None }
                                    break Some((close_code::PROTOCOL_ERROR, "protocol violation"));
                                }
                            },
                            Verdict::Refuse => {
                                let reply = error_frame(cid_of(&text).as_deref(), &LiveFailure::protocol("rate_limited", ""), lang);
                                if !send(&mut sink, Message::Text(reply.into())).await { break None }
                            }
                            Verdict::Close => break Some((close_code::RATE_LIMITED, "too many messages")),
                        }
                    }
                    Some(Ok(Message::Binary(_))) => {
                        let reply = error_frame(None, &LiveFailure::protocol("binary_not_supported", ""), lang);
                        if !send(&mut sink, Message::Text(reply.into())).await { break None }
                        break Some((close_code::UNSUPPORTED_DATA, "binary frames are not supported"));
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) | None => break None,
                    Some(Err(e)) => {
                        break if is_too_big(e) { Some((1009, "message too big")) } else { None };
                    }
                }
            }
            _ = heartbeat.tick() => {
                if last_seen.elapsed() > ctx.heartbeat * 2 {
                    break Some((1001, "no pong"));
                }
                // A web session that timed out (no sign-out announced) ends the connection too.
                if let Some(of) = &ctx.web_session {
                    if !web_session_alive(&ctx.store, of).await {
                        break Some((close_code::UNAUTHORISED, "signed out"));
                    }
                }
                if !send(&mut sink, Message::Ping(Default::default())).await { break None }
            }
        }
    };
    if let Some((code, reason)) = end {
        if send(&mut sink, close(code, reason)).await {
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
    }
    crate::metrics::live_close(end);
    ctx.live.detach(&ctx.session_id, conn).await;
}

async fn authenticate(
    ctx: &ConnectionContext,
    text: &str,
) -> Result<(ParticipantId, Lang), (u16, &'static str, &'static str)> {
    let Ok(ClientMessage::Hello { protocol, token, lang, .. }) = serde_json::from_str::<ClientMessage>(text)
    else {
        return Err((close_code::NO_HELLO, "send hello first", "hello_expected"));
    };
    if protocol != PROTOCOL_VERSION {
        return Err((1002, "unsupported protocol version", "unsupported_protocol"));
    }
    let lang = lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let hash = crate::secrets::hash(&token);
    match ctx.store.participant_for_token(&ctx.session_id, &hash).await {
        Ok(Some(participant)) => Ok((ParticipantId(participant), lang)),
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
    let msg = match serde_json::from_str::<ClientMessage>(text) {
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
    let frame = match msg {
        ClientMessage::Hello { .. } => {
            return Reply::Violation(error_frame(None, &LiveFailure::protocol("already_greeted", ""), lang))
        }
        ClientMessage::Sync => match ctx.live.sync(&ctx.session_id, conn).await {
            Ok(()) => None,
            Err(_) => Some(error_frame(None, &LiveFailure::Busy, lang)),
        },
        ClientMessage::Command { cid, command } => {
            if cid.is_empty() || cid.chars().count() > MAX_CID {
                return Reply::Frame(error_frame(None, &LiveFailure::protocol("invalid_cid", ""), lang));
            }
            let command = match parse_command(command) {
                Ok(c) => c,
                Err(detail) => {
                    return Reply::Frame(error_frame(
                        Some(&cid),
                        &LiveFailure::protocol("invalid_command", detail),
                        lang,
                    ))
                }
            };
            if let Err(refusal) = crate::guard::check(&command) {
                return Reply::Frame(error_frame(Some(&cid), &LiveFailure::Privacy(refusal), lang));
            }
            match ctx
                .live
                .command_from(&ctx.session_id, conn, participant.clone(), cid.clone(), command)
                .await
            {
                Ok(()) => None,
                Err(_) => Some(error_frame(Some(&cid), &LiveFailure::Busy, lang)),
            }
        }
    };
    frame.map_or(Reply::None, Reply::Frame)
}

/// Commands arrive as the domain's JSON; a contribution's client id is the envelope's `cid`.
fn parse_command(mut value: serde_json::Value) -> Result<Command, String> {
    if let Some(obj) = value.as_object_mut() {
        if obj.get("type").and_then(|t| t.as_str()) == Some("contribute") {
            obj.insert("client_id".into(), serde_json::Value::String(String::new()));
        }
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
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
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

async fn send<S>(sink: &mut S, msg: Message) -> bool
where
    S: futures_util::Sink<Message> + Unpin,
{
    matches!(tokio::time::timeout(WRITE_TIMEOUT, sink.send(msg)).await, Ok(Ok(())))
}

/// Whether reading failed because a frame or message was over `MAX_MESSAGE_BYTES`.
fn is_too_big(e: axum::Error) -> bool {
    use tokio_tungstenite::tungstenite::error::{CapacityError, Error};
    matches!(
        e.into_inner().downcast_ref::<Error>(),
        Some(Error::Capacity(CapacityError::MessageTooLong { .. }))
    )
}
