//! Slow and surplus connections, with real sockets: a half-sent request, a silent socket and an
//! idle keep-alive connection are closed after the header-read timeout; connections past the
//! caps (per address, in total) are closed at once; the N+1th websocket of one participant
//! closes the oldest with 4009. Behaviour only: every wait has a generous upper bound.

use std::net::SocketAddr;
use std::time::Duration;

use beraad::config::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::harness::TestApp;
use crate::ws_client::{create_session, join, WsClient};

/// Far longer than any timeout configured here.
const BOUND: Duration = Duration::from_secs(15);

const REQUEST: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: beraad\r\n\r\n";

fn limits(header_read_timeout: Duration, total: usize, per_address: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout,
        max_connections: total,
        max_connections_per_address: per_address,
        ..ConnectionLimits::default()
    }
}

fn addr(app: &TestApp) -> SocketAddr {
    app.server.as_ref().unwrap().addr
}

/// Connects from the loopback address `from` (127.0.0.x) to the server.
async fn connect_from(app: &TestApp, from: [u8; 4]) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    socket.connect(addr(app)).await.unwrap()
}

/// Reads until the server closes the connection (true) or `BOUND` passes (false); what was
/// read is appended to `got`.
async fn closed_by_server(tcp: &mut TcpStream, got: &mut Vec<u8>) -> bool {
    let deadline = tokio::time::Instant::now() + BOUND;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends one request and reads its answer, keeping the connection open; the status line.
async fn one_request(tcp: &mut TcpStream) -> String {
    tcp.write_all(REQUEST).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + BOUND;
    // /healthz answers with a short body: the head and body arrive together or soon after.
    while !String::from_utf8_lossy(&got).contains("\r\n\r\n") {
        let n = tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await.expect("answer in time").unwrap();
        assert!(n > 0, "the server closed instead of answering");
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).lines().next().unwrap_or_default().to_owned()
}

/// Whether a new connection from `from` is served: true when a request gets an answer, false
/// when the server closes it without one.
async fn served(app: &TestApp, from: [u8; 4]) -> bool {
    let mut tcp = connect_from(app, from).await;
    let _ = tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: beraad\r\nConnection: close\r\n\r\n").await;
    let mut got = Vec::new();
    let closed = closed_by_server(&mut tcp, &mut got).await;
    let answered = String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200");
    assert!(answered || closed, "neither answered nor closed");
    answered
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_read_timeout() {
    let app = TestApp::sqlite_with_limits(limits(Duration::from_secs(1), 0, 0)).await;
    let mut tcp = TcpStream::connect(addr(&app)).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: beraad\r\nX-Slow: ").await.unwrap();
    let mut got = Vec::new();
    assert!(closed_by_server(&mut tcp, &mut got).await, "a half-sent request holds its socket");
    assert!(!String::from_utf8_lossy(&got).contains("200 OK"), "it was not served");
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_header_read_timeout() {
    let app = TestApp::sqlite_with_limits(limits(Duration::from_secs(1), 0, 0)).await;
    let mut tcp = TcpStream::connect(addr(&app)).await.unwrap();
    assert!(closed_by_server(&mut tcp, &mut Vec::new()).await, "a silent socket is held");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = TestApp::sqlite_with_limits(limits(Duration::from_secs(1), 0, 0)).await;
    let mut tcp = TcpStream::connect(addr(&app)).await.unwrap();
    assert_eq!(one_request(&mut tcp).await, "HTTP/1.1 200 OK");
    // The answer kept the connection alive; sitting idle afterwards closes it.
    assert!(closed_by_server(&mut tcp, &mut Vec::new()).await, "an idle keep-alive socket is held");
}

#[tokio::test]
async fn connections_past_the_per_address_cap_are_closed_and_others_are_not() {
    let app = TestApp::sqlite_with_limits(limits(Duration::from_secs(60), 0, 2)).await;
    let mut first = connect_from(&app, [127, 0, 0, 1]).await;
    let mut second = connect_from(&app, [127, 0, 0, 1]).await;
    assert_eq!(one_request(&mut first).await, "HTTP/1.1 200 OK");
    assert_eq!(one_request(&mut second).await, "HTTP/1.1 200 OK");
    assert!(!served(&app, [127, 0, 0, 1]).await, "a third connection from one address is closed");
    assert!(served(&app, [127, 0, 0, 2]).await, "another address is still served");
    // The kept-alive ones still work, and closing one makes room again.
    assert_eq!(one_request(&mut first).await, "HTTP/1.1 200 OK");
    drop(second);
    let deadline = tokio::time::Instant::now() + BOUND;
    while !served(&app, [127, 0, 0, 1]).await {
        assert!(tokio::time::Instant::now() < deadline, "a closed connection frees its place");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn connections_past_the_total_cap_are_closed() {
    let app = TestApp::sqlite_with_limits(limits(Duration::from_secs(60), 2, 0)).await;
    let mut first = connect_from(&app, [127, 0, 0, 1]).await;
    let mut second = connect_from(&app, [127, 0, 0, 2]).await;
    assert_eq!(one_request(&mut first).await, "HTTP/1.1 200 OK");
    assert_eq!(one_request(&mut second).await, "HTTP/1.1 200 OK");
    assert!(!served(&app, [127, 0, 0, 3]).await, "a third connection is closed, from any address");
}

#[tokio::test]
async fn a_new_websocket_of_the_same_participant_closes_the_oldest_with_4009() {
    let caps = ConnectionLimits { max_websockets_per_participant: 2, ..ConnectionLimits::default() };
    let app = TestApp::sqlite_with_limits(caps).await;
    let (session, _, invite) = create_session(&app, "dilemma", Some("question_first")).await;
    let (_, token) = join(&app, &session, &invite, "Deelnemer", "participant").await;
    let mut oldest = WsClient::connect(&app, &session, "a", &token, None).await;
    let mut second = WsClient::connect(&app, &session, "b", &token, None).await;
    let mut newest = WsClient::connect(&app, &session, "c", &token, None).await;
    let (code, reason) = oldest.close_code().await;
    assert_eq!(code, 4009, "{reason}");
    // The two newer ones are still in the session.
    for client in [&mut second, &mut newest] {
        client.send_json(serde_json::json!({ "type": "sync" })).await;
        client.until(|f| f["type"] == "view").await;
    }
    // Another participant is not affected by this one's cap.
    let (_, other) = join(&app, &session, &invite, "Ander", "participant").await;
    let mut others: Vec<WsClient> = Vec::new();
    for i in 0..2 {
        others.push(WsClient::connect(&app, &session, &format!("o{i}"), &other, None).await);
    }
    second.send_json(serde_json::json!({ "type": "sync" })).await;
    second.frames.clear();
    second.until(|f| f["type"] == "view").await;
}
