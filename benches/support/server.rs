//! What the live benches share besides the moderator: the real `beraad serve` as a child
//! process (stopped on drop, also on a panic), its resident memory, and opening a session with
//! every member's websocket connected. Included by each bench with `#[path]`, beside
//! `support/moderator.rs` (as `support`).

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{post, Moderator};

pub type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The server process; stopped when the bench ends, also when it panics.
pub struct ServerGuard(pub std::process::Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let _ = self.0.wait();
    }
}

/// A command that runs `bin`, under the command in `BERAAD_BENCH_WRAP` when that is set (split
/// at spaces; for profiles, e.g. `valgrind --tool=callgrind` or `heaptrack`).
pub fn wrapped(bin: &std::path::Path) -> std::process::Command {
    let wrap = std::env::var("BERAAD_BENCH_WRAP").unwrap_or_default();
    let mut words = wrap.split_whitespace();
    match words.next() {
        Some(program) => {
            let mut c = std::process::Command::new(program);
            c.args(words).arg(bin);
            c
        }
        None => std::process::Command::new(bin),
    }
}

/// Starts the real server binary on `database_url`; returns it and its address.
#[allow(dead_code)] // not every bench starts servers this way
pub fn spawn_serve(database_url: &str) -> (ServerGuard, String) {
    spawn_serve_bin(std::path::Path::new(env!("CARGO_BIN_EXE_beraad")), database_url)
}

/// [`spawn_serve`] with another build of `beraad` (to compare two versions).
pub fn spawn_serve_bin(bin: &std::path::Path, database_url: &str) -> (ServerGuard, String) {
    spawn_serve_bin_with(bin, database_url, &[])
}

/// [`spawn_serve_bin`] with more arguments for `beraad serve`.
pub fn spawn_serve_bin_with(
    bin: &std::path::Path,
    database_url: &str,
    extra: &[String],
) -> (ServerGuard, String) {
    use std::io::{BufRead, BufReader};
    let mut child = wrapped(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .args(extra)
        .arg("--database-url")
        .arg(database_url)
        // Every bench client connects from 127.0.0.1: no connection caps (0).
        .env("BERAAD_MAX_CONNECTIONS", "0")
        .env("BERAAD_MAX_CONNECTIONS_PER_ADDRESS", "0")
        // BERAAD_BENCH_RUST_LOG: the server's log level (its lines go to BERAAD_BENCH_SERVER_LOG).
        .env(
            "RUST_LOG",
            std::env::var("BERAAD_BENCH_RUST_LOG").unwrap_or_else(|_| "warn,beraad::app=info".into()),
        )
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let server = ServerGuard(child);
    let addr = loop {
        let line = lines.next().expect("server logs its address").unwrap();
        if let Some(addr) =
            serde_json::from_str::<Value>(&line).ok().and_then(|j| j["addr"].as_str().map(str::to_owned))
        {
            break addr;
        }
    };
    // With BERAAD_BENCH_SERVER_LOG set, the server's log lines are kept in that file.
    let mut log = std::env::var_os("BERAAD_BENCH_SERVER_LOG").map(|path| {
        std::fs::OpenOptions::new().create(true).append(true).open(path).expect("the server log opens")
    });
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(log) = log.as_mut() {
                use std::io::Write;
                let _ = writeln!(log, "{line}");
            }
        }
    });
    (server, addr)
}

/// A bench against a fresh `beraad serve` on its own SQLite file (stopped when dropped).
pub struct Bench {
    pub server: ServerGuard,
    pub addr: String,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Bench {
    #[allow(dead_code)] // not every bench starts this build plainly
    pub fn start() -> Self {
        Self::start_bin(std::path::Path::new(env!("CARGO_BIN_EXE_beraad")))
    }

    /// [`Bench::start`] with another build of `beraad`.
    #[allow(dead_code)] // not every bench compares builds
    pub fn start_bin(bin: &std::path::Path) -> Self {
        Self::start_with(bin, &[])
    }

    /// [`Bench::start_bin`] with more arguments for `beraad serve`.
    pub fn start_with(bin: &std::path::Path, extra: &[String]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bench.db");
        let (server, addr) = spawn_serve_bin_with(bin, &format!("sqlite://{}", db.display()), extra);
        Bench { server, addr, db, _dir: dir }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.server.0.id()
    }

    /// Runs `f` on a multi-thread runtime with the server's base URL, its address and a
    /// signed-in moderator (only one creates sessions), made directly in the database.
    pub fn run<F, Fut, T>(&self, f: F) -> T
    where
        F: FnOnce(String, String, Moderator) -> Fut,
        Fut: std::future::Future<Output = T>,
    {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let addr = self.addr.clone();
        rt.block_on(async move {
            let moderator = crate::support::moderator(&self.db).await;
            f(format!("http://{addr}"), addr, moderator).await
        })
    }
}

/// The resident memory of process `pid` (VmRSS from /proc/PID/status), in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The load generator's websockets: a 4 KiB read buffer. tungstenite's default (128 KiB) is
/// zeroed before every read, and with a thousand clients that memset alone took about 7% of
/// the machine in a burst (`perf`), CPU the servers under test then lacked.
pub fn client_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default().read_buffer_size(4 * 1024)
}

/// A session participant's websocket, after `hello` was welcomed.
pub async fn connect(addr: &str, session: &str, token: &str) -> Ws {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{addr}/ws/sessions/{session}").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", format!("beraad.v1, token.{token}").parse().unwrap());
    let (mut ws, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(client_config()), false).await.unwrap();
    ws.send(Message::Text(json!({"type":"hello","protocol":1,"token":token}).to_string().into()))
        .await
        .unwrap();
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.contains("\"welcome\"") => return ws,
            Some(Ok(_)) => {}
            other => panic!("connection ended before the welcome: {other:?}"),
        }
    }
}

/// A session `moderator` creates with the body `create`, and its members connected: the
/// moderator first, then one guest per `(display name, role)` joined with the invite.
#[allow(dead_code)] // not every bench needs it
pub async fn open_session(
    base: &str,
    addr: &str,
    moderator: &Moderator,
    create: Value,
    guests: impl IntoIterator<Item = (String, &'static str)>,
) -> Vec<Ws> {
    open_session_with_tokens(base, addr, moderator, create, guests)
        .await
        .members
        .into_iter()
        .map(|(_, ws)| ws)
        .collect()
}

/// An open session: its id and each member's token beside their websocket.
#[allow(dead_code)] // not every bench reads the id
pub struct Opened {
    pub session: String,
    pub members: Vec<(String, Ws)>,
}

/// [`open_session`], keeping the session id and the members' tokens (to connect again).
pub async fn open_session_with_tokens(
    base: &str,
    addr: &str,
    moderator: &Moderator,
    create: Value,
    guests: impl IntoIterator<Item = (String, &'static str)>,
) -> Opened {
    let created = post(base, "/api/v1/sessions", create, Some(moderator)).await;
    let session = created["session_id"].as_str().unwrap().to_owned();
    let invite = created["invite_code"].as_str().unwrap().to_owned();
    let token = created["token"].as_str().unwrap().to_owned();
    let mut members = vec![(token.clone(), connect(addr, &session, &token).await)];
    for (name, role) in guests {
        let joined = post(
            base,
            &format!("/api/v1/sessions/{session}/join"),
            json!({"invite_code": invite, "display_name": name, "role": role}),
            None,
        )
        .await;
        let token = joined["token"].as_str().unwrap().to_owned();
        members.push((token.clone(), connect(addr, &session, &token).await));
    }
    Opened { session, members }
}
