//! The websocket protocol, version 1 (documented in docs/protocol.md). JSON text frames with a
//! `type` tag. Domain commands and visible events travel inside unchanged, so there is one
//! definition of each.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::domain::session::{SessionView, VisibleEvent};

pub const PROTOCOL_VERSION: u32 = 1;

/// Largest frame accepted; a larger one closes the connection with 1009.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Close codes besides the standard ones (1000 normal, 1001 going away, 1008 policy, 1009 too big).
pub mod close_code {
    /// Not JSON, an unknown message type or field, or a second `hello` (RFC 6455: protocol error).
    pub const PROTOCOL_ERROR: u16 = 1002;
    /// A binary frame (RFC 6455: unsupported data).
    pub const UNSUPPORTED_DATA: u16 = 1003;
    /// The client fell too far behind; reconnect to get a fresh snapshot.
    pub const LAGGING: u16 = 4000;
    /// The token is not (or no longer) valid for this session.
    pub const UNAUTHORISED: u16 = 4001;
    /// The moderator removed this participant.
    pub const REMOVED: u16 = 4002;
    /// No `hello` arrived in time, or a message came before it.
    pub const NO_HELLO: u16 = 4003;
    /// Too many messages, repeatedly.
    pub const RATE_LIMITED: u16 = 4008;
    /// The same participant opened more connections than allowed; this, the oldest, gave way.
    /// Clients do not reconnect on it (the newer connection is in use).
    pub const REPLACED: u16 = 4009;
}

/// What a client sends.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// First message on every connection (also after a reconnect).
    Hello {
        protocol: u32,
        token: String,
        /// The last `seq` this client received, when resuming.
        #[serde(default)]
        last_seq: Option<u64>,
        /// Language of error messages: "nl" (default) or "en".
        #[serde(default)]
        lang: Option<String>,
    },
    /// A command for the session. `cid` is made by the client, unique per participant and
    /// session; resending the same `cid` never applies a command twice.
    Command { cid: String, command: serde_json::Value },
    /// Asks for a fresh `view` of the session (a client that does not fold events itself
    /// sends this after events).
    Sync,
}

/// A client's message as read: a `command` with its command still as the JSON text the client
/// sent (read once, into the domain's type, by the connection), or any other message.
#[derive(Debug)]
pub enum Incoming<'a> {
    Command {
        cid: String,
        command: &'a RawValue,
    },
    /// A `hello` or `sync` (a `command` only in the rare case that the plain reading of a
    /// command failed where the tagged one did not, e.g. a repeated key).
    Other(ClientMessage),
}

impl ClientMessage {
    /// Reads a client's message. A `command` (nearly every message a client sends) is read as a
    /// plain struct first ([`CommandMessage`]), without serde buffering the whole message as it
    /// does for a tagged enum, and its command is left as text; anything else, and every
    /// message that is not a well-formed command, is read as a `ClientMessage` (with its errors).
    pub fn parse(text: &str) -> serde_json::Result<Incoming<'_>> {
        if let Ok(CommandMessage { cid, command, .. }) = serde_json::from_str(text) {
            return Ok(Incoming::Command { cid, command });
        }
        serde_json::from_str(text).map(Incoming::Other)
    }
}

/// [`ClientMessage::Command`] on its own: the same fields, the same refusal of others.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandMessage<'a> {
    #[serde(rename = "type")]
    _type: CommandTag,
    cid: String,
    #[serde(borrow)]
    command: &'a RawValue,
}

/// The only `type` a [`CommandMessage`] has.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum CommandTag {
    Command,
}

/// What the server sends.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage<'a> {
    /// Answer to `hello`: everything this participant may see, as of `seq`; no view for someone
    /// whose token is valid but who is not (or no longer) in the session.
    Welcome { protocol: u32, participant_id: &'a str, seq: u64, view: Option<&'a SessionView> },
    /// Something happened in the session.
    Event { event: &'a VisibleEvent },
    /// Answer to `sync`: what this participant may see, as of `seq`.
    View { seq: u64, view: Option<&'a SessionView> },
    /// The command `cid` is committed as event `seq` (durable). `duplicate` when it was a resend.
    Ack {
        cid: &'a str,
        seq: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        contribution_id: Option<String>,
        duplicate: bool,
    },
    /// A message or command was refused; nothing was applied.
    Error {
        #[serde(skip_serializing_if = "Option::is_none")]
        cid: Option<&'a str>,
        code: &'a str,
        message: &'a str,
    },
}

impl ServerMessage<'_> {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("server messages serialise")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_command_is_read_as_the_tagged_message_reads_it() {
        let text = json!({"cid": "c1", "type": "command", "command": {"type": "start"}}).to_string();
        match ClientMessage::parse(&text) {
            Ok(Incoming::Command { cid, command }) => {
                assert_eq!((cid.as_str(), command.get()), ("c1", r#"{"type":"start"}"#));
            }
            other => panic!("{other:?}"),
        }
        // The command's text as sent, escapes and spacing included.
        let text = r#"{"type":"command","cid":"c\u0032","command": {"type": "contribute", "content": {"type":"text","text":"\"é\""}}}"#;
        match ClientMessage::parse(text) {
            Ok(Incoming::Command { cid, command }) => assert_eq!(
                (cid.as_str(), command.get()),
                ("c2", r#"{"type": "contribute", "content": {"type":"text","text":"\"é\""}}"#)
            ),
            other => panic!("{other:?}"),
        }
        // Not a well-formed command: the tagged message's own answer, error included.
        for text in [
            json!({"type": "command", "cid": "c1", "command": {}, "extra": 1}).to_string(),
            json!({"type": "command", "command": {}}).to_string(),
            json!({"type": "commands", "cid": "c1", "command": {}}).to_string(),
        ] {
            let tagged = serde_json::from_str::<ClientMessage>(&text).unwrap_err().to_string();
            assert_eq!(ClientMessage::parse(&text).unwrap_err().to_string(), tagged, "{text}");
        }
        assert!(matches!(
            ClientMessage::parse(r#"{"type":"sync"}"#),
            Ok(Incoming::Other(ClientMessage::Sync))
        ));
        let hello = ClientMessage::parse(r#"{"type":"hello","protocol":1,"token":"t"}"#);
        assert!(matches!(hello, Ok(Incoming::Other(ClientMessage::Hello { protocol: 1, .. }))), "{hello:?}");
    }
}
