//! Guards for the processes tests start, so none outlives its test: whether the test passes,
//! fails or panics, dropping the guard ends the process (and, for a process group, everything
//! in it). Tests run as threads of one process, and `Drop` runs while a panic unwinds, so a
//! guard held by a test's body is ended with it.
//!
//! What `Drop` cannot cover — the whole test process killed (Ctrl-C, SIGKILL) — is swept at the
//! start of the next run: every process started through [`ProcessGroup::spawn`] carries
//! [`OWNER_ENV`] with the test process's id (inherited by its children), and
//! [`sweep_orphans`] ends those whose test process is gone. `.ci/run` checks that nothing is
//! left after the tests.

use std::ops::{Deref, DerefMut};
use std::process::{Child, Command};
use std::sync::Once;
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

/// Environment variable naming the test process that started a process (and its children).
pub const OWNER_ENV: &str = "BERAAD_TEST_OWNER";

/// A child process that is killed (and reaped) when dropped, unless it has already exited.
/// For processes that start no children of their own, such as `beraad serve`.
pub struct KillOnDrop(pub Child);

impl Deref for KillOnDrop {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for KillOnDrop {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// A child started in a process group of its own (with every process it starts, unless they
/// leave the group), each marked with a unique tag in [`OWNER_ENV`]. Dropping the guard ends
/// them all: SIGTERM to the group, then SIGKILL to the group and to every process still
/// carrying the tag (children that made their own session, such as Chromium's crash handler).
pub struct ProcessGroup {
    child: Child,
    tag: String,
    ended: bool,
}

impl ProcessGroup {
    /// Starts `command` in a new process group; panics if it does not start.
    pub fn spawn(mut command: Command) -> ProcessGroup {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tag = format!("{}-{n}", std::process::id());
        command.env(OWNER_ENV, &tag).process_group(0);
        let child = command.spawn().unwrap_or_else(|e| panic!("{command:?} starts: {e}"));
        ProcessGroup { child, tag, ended: false }
    }

    /// The leader's standard output, when it was piped (once).
    pub fn take_stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    /// The process group id (the leader's pid).
    pub fn pgid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Live (not zombie) processes of this group or carrying its tag.
    pub fn members(&self) -> Vec<i32> {
        live_processes()
            .into_iter()
            .filter(|p| p.pgid == self.pgid() || p.owner.as_deref() == Some(self.tag.as_str()))
            .map(|p| p.pid)
            .collect()
    }

    /// Ends every member: SIGTERM to the group, up to `grace` for it to go, then SIGKILL to
    /// whatever is left. Returns once nothing is left (or after a few seconds more).
    pub fn end(&mut self, grace: Duration) {
        if std::mem::replace(&mut self.ended, true) {
            return;
        }
        unsafe { libc::killpg(self.pgid(), libc::SIGTERM) };
        let gone = wait_until(grace, || {
            let _ = self.child.try_wait();
            self.members().is_empty()
        });
        if !gone {
            unsafe { libc::killpg(self.pgid(), libc::SIGKILL) };
            for pid in self.members() {
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            wait_until(Duration::from_secs(5), || {
                let _ = self.child.try_wait();
                self.members().is_empty()
            });
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        self.end(Duration::from_secs(3));
    }
}

fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if done() {
            return true;
        }
        if started.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Whether `pid` is a live process (not a zombie waiting for its parent).
pub fn is_alive(pid: i32) -> bool {
    if unsafe { libc::kill(pid, 0) } != 0 {
        return false;
    }
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| stat_fields(&stat).0 != 'Z')
}

/// Live (not zombie) processes in process group `pgid`.
pub fn live_in_group(pgid: i32) -> Vec<i32> {
    live_processes().into_iter().filter(|p| p.pgid == pgid).map(|p| p.pid).collect()
}

struct Process {
    pid: i32,
    pgid: i32,
    /// The value of [`OWNER_ENV`] in its environment, if any (readable for our own processes).
    owner: Option<String>,
}

/// `(state, pgid)` from `/proc/PID/stat` (the command name in parentheses may hold spaces).
fn stat_fields(stat: &str) -> (char, i32) {
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let mut fields = rest.split_whitespace();
    let state = fields.next().and_then(|s| s.chars().next()).unwrap_or('?');
    let pgid = fields.nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    (state, pgid)
}

fn live_processes() -> Vec<Process> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let (state, pgid) = stat_fields(&stat);
        if state == 'Z' {
            continue;
        }
        let owner = std::fs::read(format!("/proc/{pid}/environ")).ok().and_then(|env| {
            env.split(|b| *b == 0)
                .filter_map(|var| std::str::from_utf8(var).ok())
                .find_map(|var| var.strip_prefix(OWNER_ENV)?.strip_prefix('=').map(str::to_owned))
        });
        out.push(Process { pid, pgid, owner });
    }
    out
}

/// Once per test run: kills processes left by earlier test processes that have ended (killed
/// before their guards could run), recognised by [`OWNER_ENV`].
pub fn sweep_orphans() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for p in live_processes() {
            let Some(owner) = p.owner.as_deref() else { continue };
            let owner_pid = owner.split('-').next().and_then(|o| o.parse::<i32>().ok());
            if owner_pid.is_some_and(|o| o != std::process::id() as i32 && !is_alive(o)) {
                unsafe { libc::kill(p.pid, libc::SIGKILL) };
            }
        }
    });
}

#[test]
fn a_child_is_killed_when_its_guard_is_dropped_during_a_panic() {
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        let child = KillOnDrop(Command::new("sleep").arg("600").spawn().unwrap());
        tx.send(child.id() as i32).unwrap();
        panic!("the test fails while its child runs");
    })
    .join();
    assert!(outcome.is_err(), "the thread panicked");
    let pid = rx.recv().unwrap();
    assert!(!is_alive(pid), "sleep ({pid}) outlived its guard");
}

#[test]
fn a_process_group_is_ended_with_its_grandchildren_when_its_guard_is_dropped_during_a_panic() {
    let (tx, rx) = std::sync::mpsc::channel();
    let outcome = std::thread::spawn(move || {
        // A shell that starts a grandchild and ignores SIGTERM, so the guard has to SIGKILL.
        let mut command = Command::new("sh");
        command.args(["-c", "trap '' TERM; sleep 600 & echo $!; wait"]).stdout(std::process::Stdio::piped());
        let mut group = ProcessGroup::spawn(command);
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(group.child.stdout.as_mut().unwrap()),
            &mut line,
        )
        .unwrap();
        tx.send((group.pgid(), line.trim().parse::<i32>().unwrap())).unwrap();
        panic!("the test fails while its processes run");
    })
    .join();
    assert!(outcome.is_err(), "the thread panicked");
    let (pgid, grandchild) = rx.recv().unwrap();
    assert!(!is_alive(pgid), "the leader ({pgid}) outlived its guard");
    assert!(!is_alive(grandchild), "the grandchild ({grandchild}) outlived its guard");
}
