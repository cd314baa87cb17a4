//! The baseline for the live path's cost (`benches/live_baseline.rs`): a minimal websocket
//! server doing the work a contribution needs and nothing else. Per connection a reader and a
//! writer task; a contribution is inserted durably into SQLite (WAL, `synchronous=FULL`) by one
//! writer thread that commits every insert waiting in one transaction (group commit), and only
//! after that commit the sender gets its `ack` and the other members of the session the event.
//! No authentication, no domain rules, no visibility, no event log rules beyond a gap-free seq.
//!
//! It speaks just enough of Beraad's protocol for the same load generator: `hello` is answered
//! with `welcome`; a `command` is stored and answered with `ack` (cid, seq), and
//! `{"type":"event",...}` with the command's content goes to the others.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

/// Most inserts in one transaction.
const MAX_BATCH: usize = 128;
/// Frames waiting for one connection.
const OUTBOX: usize = 256;

struct Insert {
    session: String,
    cid: String,
    payload: String,
    reply: oneshot::Sender<i64>,
}

type Rooms = Arc<Mutex<HashMap<String, Vec<(u64, mpsc::Sender<Message>)>>>>;

/// Serves on an ephemeral loopback port until killed; prints `addr <host:port>` first.
pub fn main(db: &Path) {
    let (inserts, queue) = std::sync::mpsc::channel::<Insert>();
    let db = db.to_owned();
    std::thread::spawn(move || writer(&db, queue));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("addr {}", listener.local_addr().unwrap());
        let rooms: Rooms = Arc::default();
        let mut next_id = 0u64;
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            stream.set_nodelay(true).unwrap();
            next_id += 1;
            tokio::spawn(connection(stream, next_id, rooms.clone(), inserts.clone()));
        }
    });
}

/// The group-commit writer: waits for an insert, takes every other one waiting, commits them
/// in one transaction, then answers each with its seq.
fn writer(db: &Path, queue: std::sync::mpsc::Receiver<Insert>) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS events (session TEXT NOT NULL, seq INTEGER NOT NULL, \
         cid TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (session, seq), UNIQUE (session, cid))",
    )
    .unwrap();
    let mut last: HashMap<String, i64> = HashMap::new();
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(insert) => batch.push(insert),
                Err(_) => break,
            }
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
        let mut seqs = Vec::with_capacity(batch.len());
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO events (session, seq, cid, payload) VALUES (?1, ?2, ?3, ?4)")
                .unwrap();
            for insert in &batch {
                let seq = last.entry(insert.session.clone()).or_insert(0);
                *seq += 1;
                stmt.execute((&insert.session, *seq, &insert.cid, &insert.payload)).unwrap();
                seqs.push(*seq);
            }
        }
        tx.commit().unwrap();
        for (insert, seq) in batch.into_iter().zip(seqs) {
            let _ = insert.reply.send(seq);
        }
    }
}

async fn connection(stream: TcpStream, id: u64, rooms: Rooms, inserts: std::sync::mpsc::Sender<Insert>) {
    let mut path = String::new();
    // The signature tungstenite's handshake callback has (its error is a whole response).
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, res: Response| {
        path = req.uri().path().to_owned();
        Ok(res)
    };
    // 4 KiB buffers, as Beraad's websockets had until its read buffer went down to 1 KiB
    // (`http/ws.rs`): kept, so the baseline's figures stay comparable across runs.
    let config = WebSocketConfig::default().read_buffer_size(4 * 1024).write_buffer_size(4 * 1024);
    let Ok(ws) = tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(config)).await else {
        return;
    };
    let session = path.rsplit('/').next().unwrap_or_default().to_owned();
    let (mut sink, mut source) = ws.split();
    let (out, mut frames) = mpsc::channel::<Message>(OUTBOX);
    let writer = tokio::spawn(async move {
        while let Some(frame) = frames.recv().await {
            if sink.send(frame).await.is_err() {
                break;
            }
        }
    });
    rooms.lock().unwrap().entry(session.clone()).or_default().push((id, out.clone()));
    while let Some(Ok(msg)) = source.next().await {
        let Message::Text(text) = msg else { continue };
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        match value["type"].as_str() {
            Some("hello") => {
                let _ = out.send(Message::Text(json!({"type":"welcome"}).to_string().into())).await;
            }
            Some("command") => {
                let cid = value["cid"].as_str().unwrap_or_default().to_owned();
                let content = &value["command"]["content"];
                let (reply, seq) = oneshot::channel();
                let insert = Insert {
                    session: session.clone(),
                    cid: cid.clone(),
                    payload: content.to_string(),
                    reply,
                };
                if inserts.send(insert).is_err() {
                    break;
                }
                let Ok(seq) = seq.await else { break };
                let event = json!({"type":"event","seq":seq,"event":{"content":content}}).to_string();
                let others: Vec<mpsc::Sender<Message>> = rooms.lock().unwrap()[&session]
                    .iter()
                    .filter(|(other, _)| *other != id)
                    .map(|(_, tx)| tx.clone())
                    .collect();
                for other in others {
                    let _ = other.try_send(Message::Text(event.clone().into()));
                }
                let _ = out
                    .send(Message::Text(json!({"type":"ack","cid":cid,"seq":seq}).to_string().into()))
                    .await;
            }
            _ => {}
        }
    }
    if let Some(members) = rooms.lock().unwrap().get_mut(&session) {
        members.retain(|(other, _)| *other != id);
    }
    drop(out);
    let _ = writer.await;
}
