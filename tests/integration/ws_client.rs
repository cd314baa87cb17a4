//! A real websocket client (tokio-tungstenite) that records every frame it receives.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::harness::TestApp;

pub struct WsClient {
    pub name: String,
    pub token: String,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Every text frame received, in order.
    pub frames: Vec<Value>,
    /// The close frame, if the server closed.
    pub closed: Option<(u16, String)>,
    next_cid: u64,
}

const WAIT: Duration = Duration::from_secs(10);

/// Opens the websocket with the session token in the subprotocol header (`beraad.v1,
/// token.<token>`), as a browser does.
pub async fn raw_connect(
    app: &TestApp,
    session_id: &str,
    token: &str,
) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
    let protocols = format!("beraad.v1, token.{token}");
    try_connect(app, session_id, &[("sec-websocket-protocol", protocols.as_str())])
        .await
        .expect("websocket connects")
}

/// Tries to open the websocket with extra request headers (subprotocols, cookie, origin);
/// the HTTP status when the server refuses the upgrade.
pub async fn try_connect(
    app: &TestApp,
    session_id: &str,
    headers: &[(&str, &str)],
) -> Result<WebSocketStream<MaybeTlsStream<TcpStream>>, u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Error;
    let url = format!("ws://{}/ws/sessions/{session_id}", app.base.trim_start_matches("http://"));
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(Error::Http(response)) => Err(response.status().as_u16()),
        Err(e) => panic!("websocket fails otherwise: {e}"),
    }
}

impl WsClient {
    /// Connects and says hello; waits for the welcome.
    pub async fn connect(
        app: &TestApp,
        session_id: &str,
        name: &str,
        token: &str,
        last_seq: Option<u64>,
    ) -> WsClient {
        let ws = raw_connect(app, session_id, token).await;
        let mut client = WsClient {
            name: name.into(),
            token: token.into(),
            ws,
            frames: Vec::new(),
            closed: None,
            next_cid: 0,
        };
        client
            .send_json(json!({ "type": "hello", "protocol": 1, "token": token, "last_seq": last_seq }))
            .await;
        client.until(|f| f["type"] == "welcome").await;
        client
    }

    /// A client on an open websocket that has not said hello yet.
    pub fn from_stream(ws: WebSocketStream<MaybeTlsStream<TcpStream>>, name: &str, token: &str) -> WsClient {
        WsClient { name: name.into(), token: token.into(), ws, frames: Vec::new(), closed: None, next_cid: 0 }
    }

    pub async fn send_json(&mut self, value: Value) {
        self.ws.send(Message::Text(value.to_string().into())).await.expect("send");
    }

    pub async fn send_raw(&mut self, msg: Message) {
        self.ws.send(msg).await.expect("send");
    }

    /// Sends a command with a fresh cid and returns the cid.
    pub async fn send_command(&mut self, command: Value) -> String {
        self.next_cid += 1;
        let cid = format!("{}-{}", self.name, self.next_cid);
        self.send_command_with(&cid, command).await;
        cid
    }

    pub async fn send_command_with(&mut self, cid: &str, command: Value) {
        self.send_json(json!({ "type": "command", "cid": cid, "command": command })).await;
    }

    /// Sends a command and waits for its ack; panics on an error frame.
    pub async fn ok(&mut self, command: Value) -> Value {
        let cid = self.send_command(command.clone()).await;
        let answer = self.answer(&cid).await;
        assert_eq!(answer["type"], "ack", "{}: {command} was refused: {answer}", self.name);
        answer
    }

    /// Sends a command and returns the error code it gets; panics on an ack.
    pub async fn refused(&mut self, command: Value) -> String {
        let cid = self.send_command(command.clone()).await;
        let answer = self.answer(&cid).await;
        assert_eq!(answer["type"], "error", "{}: {command} should be refused: {answer}", self.name);
        answer["code"].as_str().unwrap().to_owned()
    }

    /// The ack or error for `cid`.
    pub async fn answer(&mut self, cid: &str) -> Value {
        self.until(|f| (f["type"] == "ack" || f["type"] == "error") && f["cid"] == cid).await
    }

    /// Reads one message before `deadline`: a text frame goes to `frames`, a close (or the end
    /// of the connection, as 1006) to `closed`. False when the deadline passed first.
    async fn receive(&mut self, deadline: tokio::time::Instant) -> bool {
        let Ok(next) = tokio::time::timeout_at(deadline, self.ws.next()).await else { return false };
        match next {
            Some(Ok(Message::Text(t))) => {
                self.frames.push(serde_json::from_str(&t).expect("server sends JSON"))
            }
            Some(Ok(Message::Close(frame))) => {
                self.closed = Some(
                    frame.map(|f| (u16::from(f.code), f.reason.to_string())).unwrap_or((1005, String::new())),
                );
            }
            Some(Ok(_)) => {}
            Some(Err(_)) | None => self.closed = Some((1006, String::new())),
        }
        true
    }

    /// Returns the first frame received so far that matches, reading more until one does.
    pub async fn until(&mut self, mut pred: impl FnMut(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(f) = self.frames.iter().find(|f| pred(f)) {
                return f.clone();
            }
            assert!(self.closed.is_none(), "{}: closed {:?} while waiting", self.name, self.closed);
            if !self.receive(deadline).await {
                let last: Vec<_> = self.frames.iter().rev().take(3).collect();
                panic!("{}: timed out; last frames: {last:?}", self.name);
            }
        }
    }

    /// The first `kind` frame (`welcome`, `view`, `event`) at or after frame number `from`,
    /// with the `contributions_page` frames that follow it put back in (docs/protocol.md §4).
    pub async fn whole(&mut self, kind: &str, from: usize) -> Value {
        // Generous: a debug build takes a while to build forty views of several MiB.
        let deadline = tokio::time::Instant::now() + WAIT * 30;
        let at = loop {
            if let Some(i) = self.frames.iter().skip(from).position(|f| f["type"] == kind) {
                break from + i;
            }
            assert!(
                self.closed.is_none(),
                "{}: closed {:?} while waiting for {kind}",
                self.name,
                self.closed
            );
            assert!(self.receive(deadline).await, "{}: no {kind} in time", self.name);
        };
        let pages = self.frames[at]["pages"].as_u64().unwrap_or(0) as usize;
        while self.frames.len() < at + 1 + pages {
            assert!(self.closed.is_none(), "{}: closed {:?} amid pages", self.name, self.closed);
            assert!(self.receive(deadline).await, "{}: pages in time", self.name);
        }
        let mut head = self.frames[at].clone();
        head.as_object_mut().unwrap().remove("pages");
        let (seq, pointer) = if kind == "event" {
            (head["event"]["seq"].clone(), "/event/contributions")
        } else {
            (head["seq"].clone(), "/view/contributions")
        };
        let list = head.pointer_mut(pointer).and_then(Value::as_array_mut).expect("contributions");
        for (i, page) in self.frames[at + 1..at + 1 + pages].iter().enumerate() {
            assert_eq!(page["type"], "contributions_page", "{}: pages follow their head at once", self.name);
            assert_eq!(page["seq"], seq);
            assert_eq!(page["page"], i + 1);
            assert_eq!(page["of"], pages);
            list.extend(page["contributions"].as_array().unwrap().iter().cloned());
        }
        head
    }

    /// Reads whatever arrives until `quiet` passes without a message.
    pub async fn drain(&mut self, quiet: Duration) {
        while self.closed.is_none() && self.receive(tokio::time::Instant::now() + quiet).await {}
    }

    /// Keeps reading (and so answering pings) for `total`.
    pub async fn read_for(&mut self, total: Duration) {
        let deadline = tokio::time::Instant::now() + total;
        while self.closed.is_none() && self.receive(deadline).await {}
    }

    /// Waits for the server to close; returns the close code and reason.
    pub async fn close_code(&mut self) -> (u16, String) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.closed.is_none() {
            assert!(self.receive(deadline).await, "{}: closes in time", self.name);
        }
        self.closed.clone().unwrap()
    }

    /// Reads until the server closes, for at most `total`; returns the close code and reason.
    pub async fn close_code_within(&mut self, total: Duration) -> (u16, String) {
        let deadline = tokio::time::Instant::now() + total;
        while self.closed.is_none() {
            assert!(self.receive(deadline).await, "{}: closes in time", self.name);
        }
        self.closed.clone().unwrap()
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// Creates a session over HTTP; returns (session id, moderator token, invite code).
/// The moderator is a new signed-in user with the moderator role in "Team A".
pub async fn create_session(app: &TestApp, method: &str, variant: Option<&str>) -> (String, String, String) {
    let moderator = app.user("moderator").await;
    create_session_as(app, &moderator, method, variant).await
}

/// Creates a session as `user` (for their team).
pub async fn create_session_as(
    app: &TestApp,
    user: &crate::harness::TestUser,
    method: &str,
    variant: Option<&str>,
) -> (String, String, String) {
    let res = user
        .http
        .post(app.url("/api/v1/sessions"))
        .json(&json!({
            "method": method, "variant": variant, "title": "Verlaging na een gemiste afspraak",
            "case_text": "Cliënt miste een afspraak en meldde zich daarna ziek.", "moderator_name": "Gespreksleider"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let body: Value = res.json().await.unwrap();
    (
        body["session_id"].as_str().unwrap().into(),
        body["token"].as_str().unwrap().into(),
        body["invite_code"].as_str().unwrap().into(),
    )
}

/// Joins over HTTP; returns (participant id, token).
pub async fn join(app: &TestApp, session: &str, invite: &str, name: &str, role: &str) -> (String, String) {
    let res = app
        .http
        .post(app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({ "invite_code": invite, "display_name": name, "role": role }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let body: Value = res.json().await.unwrap();
    (body["participant_id"].as_str().unwrap().into(), body["token"].as_str().unwrap().into())
}
