//! Several `beraad serve` processes on one PostgreSQL (issue 16), PostgreSQL only: skipped with
//! a message without `BERAAD_TEST_POSTGRES_URL`. The clients of one session are spread over
//! three processes started at once on a fresh schema (so their migrations race too); they must
//! see the same events with the same seqs, hidden rounds stay hidden on every instance, a
//! sign-out on one instance closes that user's websockets on the others, an archive import is
//! searchable on every instance without a restart, a killed instance's clients resume on
//! another with nothing lost or doubled, and a lost feed listener is reconnected and caught up.
//!
//! A real PostgreSQL restart is in `pg_restart.rs` (on a cluster of its own: the machine's
//! PostgreSQL is shared by every test and every engineer); here the listener's connection is
//! ended with `pg_terminate_backend`, which the server sees as a restart: its connection is gone.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::harness::{fresh_postgres, make_user, TempSchema, TestApp};
use crate::processes::KillOnDrop;
use crate::ws_client::{create_session, join, try_connect, WsClient};

const BIN: &str = env!("CARGO_BIN_EXE_beraad");

/// One `beraad serve` process and a [`TestApp`] that talks to it.
pub(crate) struct Instance {
    pub child: KillOnDrop,
    pub app: TestApp,
}

/// Three processes on one fresh schema, started at once; `None` (with a message) without
/// PostgreSQL. The URL names the application, so a test can find these processes' listeners.
async fn three_instances() -> Option<(Vec<Instance>, String, TempSchema)> {
    let (database, schema) = fresh_postgres().await?;
    let beraad::config::DatabaseConfig::Postgres { url } = &database else { unreachable!() };
    let app_name = format!("beraad-mp-{}-{}", std::process::id(), rand_suffix());
    let url = format!("{url}&application_name={app_name}");
    let database = beraad::config::DatabaseConfig::Postgres { url: url.clone() };
    // Start all three before waiting for any: they migrate the empty schema at the same time.
    let children: Vec<_> = (0..3).map(|_| start(&url)).collect();
    let mut instances = Vec::new();
    for child in children {
        let (child, addr) = listening(child);
        let app = TestApp::of_process(format!("http://{addr}"), database.clone()).await;
        instances.push(Instance { child, app });
    }
    Some((instances, app_name, schema))
}

fn rand_suffix() -> u32 {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub(crate) fn start(url: &str) -> KillOnDrop {
    let dir = std::env::temp_dir();
    let child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json", "--database-url", url])
        .current_dir(dir)
        .env_remove("BERAAD_DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    KillOnDrop(child)
}

/// Waits until the process logs its address (it has migrated and listens).
pub(crate) fn listening(mut child: KillOnDrop) -> (KillOnDrop, String) {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve logs its address before exiting").unwrap();
        let json: Value = serde_json::from_str(&line).expect("json log lines");
        if let Some(addr) = json["addr"].as_str() {
            break addr.to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn text(t: &str) -> Value {
    json!({ "type": "contribute", "content": { "type": "text", "text": t } })
}

pub(crate) fn cmd(t: &str) -> Value {
    json!({ "type": t })
}

pub(crate) fn row(marker: &str) -> Value {
    json!({"type":"contribute","content":{"type":"matrix_row","stakeholder":"buurman",
        "perspective":marker,"value":"zorg","norm":"helpen"}})
}

fn choice(option: &str, marker: &str) -> Value {
    json!({ "type": "contribute", "content": {
        "type": "choice", "option": option, "supporting_value": marker,
        "harmed_value": "rechtszekerheid", "damage_limitation": "uitleggen waarom", "needs": "steun"
    }})
}

/// The seqs of the event frames a client received after `after`.
pub(crate) fn event_seqs(c: &WsClient, after: u64) -> Vec<u64> {
    c.frames
        .iter()
        .filter(|f| f["type"] == "event")
        .filter_map(|f| f["event"]["seq"].as_u64())
        .filter(|&s| s > after)
        .collect()
}

pub(crate) fn welcome_seq(c: &WsClient) -> u64 {
    c.frames.iter().find(|f| f["type"] == "welcome").and_then(|f| f["seq"].as_u64()).expect("a welcome")
}

/// A moderator on instance 0, a presenter on 1, six participants over all three, an observer
/// on 2; each joined (over HTTP) on the instance it then connects to.
struct Spread {
    session: String,
    moderator: WsClient,
    presenter: WsClient,
    participants: Vec<WsClient>,
    observer: WsClient,
}

async fn spread(i: &[Instance]) -> Spread {
    let (session, token, invite) = create_session(&i[0].app, "dilemma", Some("question_first")).await;
    let moderator = WsClient::connect(&i[0].app, &session, "mod", &token, None).await;
    let (_, t) = join(&i[1].app, &session, &invite, "Inbrenger", "presenter").await;
    let presenter = WsClient::connect(&i[1].app, &session, "pres", &t, None).await;
    let mut participants = Vec::new();
    for n in 0..6 {
        let at = &i[n % 3].app;
        let (_, t) = join(at, &session, &invite, &format!("Deelnemer {n}"), "participant").await;
        participants.push(WsClient::connect(at, &session, &format!("p{n}"), &t, None).await);
    }
    let (_, t) = join(&i[2].app, &session, &invite, "Toehoorder", "observer").await;
    let observer = WsClient::connect(&i[2].app, &session, "obs", &t, None).await;
    Spread { session, moderator, presenter, participants, observer }
}

impl Spread {
    fn everyone(&mut self) -> Vec<&mut WsClient> {
        let mut all = vec![&mut self.moderator, &mut self.presenter, &mut self.observer];
        all.extend(self.participants.iter_mut());
        all
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_deliver_one_session_in_one_order_and_keep_hidden_rounds_hidden() {
    let Some((instances, _, _schema)) = three_instances().await else { return };
    let mut g = spread(&instances).await;
    let connected = g.everyone().iter().map(|c| welcome_seq(c)).max().unwrap();

    g.moderator.ok(cmd("start")).await;
    g.moderator.ok(text("Doel en spelregels.")).await;
    g.moderator.ok(cmd("next_round")).await;
    g.presenter.ok(text("Maandag afspraak gemist.")).await;
    for _ in 0..3 {
        g.moderator.ok(cmd("next_round")).await;
    }
    // Round 5: everyone writes at once, from three instances.
    let mut cids = Vec::new();
    for p in g.participants.iter_mut() {
        let marker = format!("RIJ-{}", p.name);
        cids.push(p.send_command(row(&marker)).await);
    }
    for (p, cid) in g.participants.iter_mut().zip(&cids) {
        let answer = p.answer(cid).await;
        assert_eq!(answer["type"], "ack", "{}: {answer}", p.name);
    }
    g.moderator.ok(cmd("next_round")).await;
    g.moderator.ok(cmd("next_round")).await;
    // Round 7: silent writing, revealed when everyone has written.
    let marks: Vec<String> = (0..7).map(|n| format!("GEHEIM{n}X")).collect();
    g.presenter.ok(choice("A", &marks[0])).await;
    for n in 0..6 {
        g.participants[n].ok(choice(if n % 2 == 0 { "A" } else { "B" }, &marks[n + 1])).await;
    }
    for c in g.everyone() {
        c.until(|f| f["type"] == "event" && f["event"]["type"] == "round_revealed").await;
    }
    let writers = ["pres", "p0", "p1", "p2", "p3", "p4", "p5"];
    for c in g.everyone() {
        let reveal = c
            .frames
            .iter()
            .position(|f| f["type"] == "event" && f["event"]["type"] == "round_revealed")
            .unwrap();
        for (w, mark) in writers.iter().zip(&marks) {
            if *w != c.name {
                for f in &c.frames[..reveal] {
                    assert!(
                        !f.to_string().contains(mark.as_str()),
                        "{} saw {w}'s hidden text early: {f}",
                        c.name
                    );
                }
            }
            assert!(
                c.frames[reveal].to_string().contains(mark.as_str()),
                "{} sees {w}'s text at the reveal",
                c.name
            );
        }
    }
    g.moderator.ok(cmd("next_round")).await;
    let end = g.moderator.ok(cmd("end")).await;
    let last = end["seq"].as_u64().unwrap();
    for c in g.everyone() {
        c.until(|f| f["type"] == "event" && f["event"]["type"] == "session_ended").await;
    }

    // Every client, on whichever instance, saw the same events in the same order: gap-free.
    let expected: Vec<u64> = (connected + 1..=last).collect();
    for c in g.everyone() {
        assert_eq!(event_seqs(c, connected), expected, "{} saw another sequence", c.name);
    }
    let stored = instances[0].app.store().events_since(&g.session, 0, 10_000).await.unwrap();
    assert_eq!(stored.len() as u64, last, "the log is gap-free");
    for p in &g.participants {
        let marker = format!("RIJ-{}", p.name);
        let copies = stored.iter().filter(|e| e.payload.to_string().contains(&marker)).count();
        assert_eq!(copies, 1, "{marker} stored once");
    }
}

/// Opens a websocket with `cookie` on `app` and says hello with `token`; waits for the welcome.
async fn cookie_socket(
    app: &TestApp,
    session: &str,
    cookie: &str,
    token: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut ws = try_connect(app, session, &[("cookie", cookie)]).await.expect("opens");
    let hello = json!({"type":"hello","protocol":1,"token":token}).to_string();
    ws.send(Message::Text(hello.into())).await.unwrap();
    loop {
        let msg =
            tokio::time::timeout(std::time::Duration::from_secs(10), ws.next()).await.expect("a welcome");
        if let Some(Ok(Message::Text(t))) = msg {
            if serde_json::from_str::<Value>(&t).unwrap()["type"] == "welcome" {
                return ws;
            }
        }
    }
}

async fn close_code(
    ws: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
) -> Option<u16> {
    let wait = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Close(frame) = msg {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    });
    wait.await.expect("closes in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_instance_closes_that_users_websockets_on_the_others() {
    let Some((instances, _, _schema)) = three_instances().await else { return };
    let (session, _, _) = create_session(&instances[0].app, "dilemma", None).await;
    let member = make_user(&instances[0].app.store(), "member", "Team A").await;
    let res = member
        .http
        .post(instances[1].app.url(&format!("/api/v1/sessions/{session}/join")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let cookie = member.cookie_header();
    let mut on_b = cookie_socket(&instances[1].app, &session, &cookie, &token).await;
    let mut on_c = cookie_socket(&instances[2].app, &session, &cookie, &token).await;

    let res = member
        .http
        .post(instances[0].app.url("/uitloggen"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={}", member.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    assert_eq!(close_code(&mut on_b).await, Some(4001), "closed on instance B");
    assert_eq!(close_code(&mut on_c).await, Some(4001), "closed on instance C");
}

/// The import refs an archive reader finds for `q` on `app`.
async fn found(app: &TestApp, reader: &crate::harness::TestUser, q: &str) -> Vec<String> {
    let res = reader.http.get(app.url(&format!("/api/v1/precedents?q={q}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["results"].as_array().unwrap().iter().map(|r| r["ref"].as_str().unwrap_or("").to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_is_searchable_on_every_instance_without_a_restart() {
    let Some((instances, _, _schema)) = three_instances().await else { return };
    let store = instances[0].app.store();
    let reader = make_user(&store, "archive_reader", "Team A").await;
    for i in &instances {
        assert!(found(&i.app, &reader, "zonnepanelen").await.is_empty(), "nothing yet");
    }
    // Imported by another process (as `beraad import` does), while the servers run.
    let line = json!({
        "ref": "MP1", "title": "Zonnepanelen als vermogen", "date": "2025-06-10", "method": "dilemma",
        "case": "Een cliënt bezit zonnepanelen op het dak van zijn huurwoning.",
        "outcome": "Niet meegeteld.", "law_articles": ["Participatiewet art. 34"], "team": "Team Werk"
    });
    let report = beraad::archive::import_file(
        &store,
        beraad::config::DEFAULT_ORG_CODE,
        &format!("{line}\n"),
        beraad::clock::now_ms(),
    )
    .await
    .expect("imports");
    assert_eq!(report.imported, 1);
    // The feed's notice reaches every instance shortly after the commit; wait for it (a
    // search does not read the archive's generation while the feed is up).
    for i in &instances {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if found(&i.app, &reader, "zonnepanelen").await == ["MP1"] {
                break;
            }
            if tokio::time::Instant::now() >= deadline {
                let res =
                    reader.http.get(i.app.url("/api/v1/precedents?q=zonnepanelen")).send().await.unwrap();
                panic!("{} never found the import: {}", i.app.base, res.text().await.unwrap());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instances_clients_resume_on_another_with_nothing_lost_or_doubled() {
    let Some((mut instances, _, _schema)) = three_instances().await else { return };
    let mut g = spread(&instances).await;
    g.moderator.ok(cmd("start")).await;
    for _ in 0..4 {
        g.moderator.ok(cmd("next_round")).await; // to round 5: everyone writes
    }
    // p2 and p5 are on instance 2. p2 sends and the instance dies before p2 reads the ack.
    let mut p2 = g.participants.remove(2);
    assert_eq!(p2.name, "p2");
    p2.send_command_with("mid-round", row("TIJDENS-KILL")).await;
    let seen = p2.frames.iter().filter_map(|f| f["seq"].as_u64().or(f["event"]["seq"].as_u64())).max();
    instances[2].child.kill().expect("kill -9");
    instances[2].child.wait().unwrap();
    let token = p2.token.clone();
    drop(p2);
    // Meanwhile the session moves on elsewhere.
    g.participants[0].ok(row("INTUSSEN")).await;

    // p2 reconnects to instance 0 and resends what was not acknowledged.
    let mut again = WsClient::connect(&instances[0].app, &g.session, "p2", &token, seen).await;
    let welcome = again.frames.last().unwrap().clone();
    assert!(welcome["view"].to_string().contains("INTUSSEN"), "the welcome shows what happened meanwhile");
    again.send_command_with("mid-round", row("TIJDENS-KILL")).await;
    let ack = again.answer("mid-round").await;
    assert_eq!(ack["type"], "ack", "{ack}");
    // The others still see everything, once.
    g.moderator.ok(cmd("next_round")).await;
    let stored = instances[0].app.store().events_since(&g.session, 0, 10_000).await.unwrap();
    let copies = stored.iter().filter(|e| e.payload.to_string().contains("TIJDENS-KILL")).count();
    assert_eq!(copies, 1, "exactly one copy, whether or not the killed instance had committed it");
    let last = stored.len() as u64;
    assert!(stored.iter().enumerate().all(|(n, e)| e.seq == n as i64 + 1), "gap-free");
    again.until(|f| f["type"] == "event" && f["event"]["seq"] == last).await;
    let after = welcome_seq(&again);
    let seqs = event_seqs(&again, after);
    assert_eq!(seqs, (after + 1..=last).collect::<Vec<_>>(), "the resumed client misses nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_feed_listener_reconnects_and_its_rooms_catch_up() {
    let Some((instances, app_name, _schema)) = three_instances().await else { return };
    let mut g = spread(&instances).await;
    g.moderator.ok(cmd("start")).await;
    for _ in 0..4 {
        g.moderator.ok(cmd("next_round")).await;
    }
    // End every listening connection of these three processes, as a database restart would.
    let admin = beraad::store::PostgresStore::connect(&std::env::var(crate::harness::POSTGRES_ENV).unwrap())
        .await
        .unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
    )
    .bind(&app_name)
    .fetch_all(admin.pool())
    .await
    .unwrap();
    assert_eq!(ended, [true, true, true], "one listener per instance");
    // Written at once on instance 0 (its notices may find the others' listeners gone) and then
    // after: every client on every instance gets both, in order.
    let first = g.participants[0].ok(row("NA-HERSTART-1")).await["seq"].as_u64().unwrap();
    let second = g.participants[3].ok(row("NA-HERSTART-2")).await["seq"].as_u64().unwrap();
    for c in g.everyone() {
        c.until(|f| f["type"] == "event" && f["event"]["seq"] == second).await;
        let seqs = event_seqs(c, first - 1);
        assert_eq!(seqs[..2], [first, second], "{} got both, in order", c.name);
    }
    // And every instance listens again (instance 0's clients got their events without it).
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let listening: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
        )
        .bind(&app_name)
        .fetch_one(admin.pool())
        .await
        .unwrap();
        if listening == 3 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{listening} of 3 listeners came back");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
