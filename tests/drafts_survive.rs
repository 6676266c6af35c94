//! Nothing lost: the real binary (`--demo`) in a pseudo-terminal; the comment
//! editor is opened and half a comment typed, then the process is ended by
//! `SIGTERM`, `SIGHUP` or a panic (the debug-only F12 trigger enabled by
//! `AISPACE_DEBUG_PANIC_KEY=1`). Each time: the process ends by itself, the
//! last thing written to the terminal restores it (`ESC[?1049l` after the
//! last `ESC[?1049h`), raw mode is off again, and the next start in the same
//! state directory opens the editor with the draft ("Draft restored").
//! `Ctrl-Z` suspends (terminal restored, process stopped) and `SIGCONT`
//! redraws everything.
//!
//! Waits poll the parsed screen with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize, SlavePty};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(25);
const COLS: u16 = 160;
const ROWS: u16 = 45;
const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";

struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

/// One running `aispace-tui --demo` in a pty.
struct Pty {
    master: Box<dyn MasterPty + Send>,
    _slave: Box<dyn SlavePty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    out: Arc<Mutex<Output>>,
}

impl Pty {
    /// Starts the binary with HOME and the XDG directories under `home`.
    fn start(home: &Path, panic_key: bool) -> Pty {
        Pty::start_with(home, panic_key, false)
    }

    /// Like [`Pty::start`]; with `job_control` the binary runs as a job of
    /// `bash -m` (its own process group, as from an interactive shell), and
    /// after it stops bash waits for a line before `fg` continues it.
    fn start_with(home: &Path, panic_key: bool, job_control: bool) -> Pty {
        let size = PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("openpty");
        let bin = env!("CARGO_BIN_EXE_aispace-tui");
        let args = ["--demo", "--refresh", "0", "--image-protocol", "none"];
        let mut cmd = if job_control {
            let mut c = CommandBuilder::new("bash");
            let script = format!("\"$0\" {}; read -r _; fg", args.join(" "));
            c.args(["-m", "-c", &script, bin]);
            c
        } else {
            let mut c = CommandBuilder::new(bin);
            c.args(args);
            c
        };
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", home);
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("AISPACE_LOG", "debug");
        if panic_key {
            cmd.env("AISPACE_DEBUG_PANIC_KEY", "1");
        }
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("spawn aispace-tui");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let out = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(ROWS, COLS, 0),
            raw: Vec::new(),
            eof: false,
        }));
        let sink = Arc::clone(&out);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        sink.lock().unwrap().eof = true;
                        break;
                    }
                    Ok(n) => {
                        let mut o = sink.lock().unwrap();
                        o.parser.process(&buf[..n]);
                        o.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Pty {
            master: pair.master,
            _slave: pair.slave,
            writer,
            child,
            out,
        }
    }

    fn screen(&self) -> String {
        self.out.lock().unwrap().parser.screen().contents()
    }

    fn raw(&self) -> Vec<u8> {
        self.out.lock().unwrap().raw.clone()
    }

    /// Waits until the screen satisfies `cond`; panics with the screen if
    /// the deadline passes.
    fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if cond(&s) {
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(POLL);
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut b = [0u8; 4];
            self.send(c.encode_utf8(&mut b).as_bytes());
        }
    }

    fn pid(&self) -> i32 {
        self.child.process_id().expect("child pid") as i32
    }

    fn signal(&self, sig: i32) {
        // SAFETY: kill(2) with a pid we spawned and a valid signal number.
        let rc = unsafe { libc::kill(self.pid(), sig) };
        assert_eq!(rc, 0, "kill failed");
    }

    /// Waits for the process to exit on its own (it must not hang or spin);
    /// returns its exit code.
    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.exit_code();
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("the process did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Raw mode is off: the pty is back in canonical mode with echo.
    fn assert_cooked(&self) {
        let fd = self.master.as_raw_fd().expect("master fd");
        // SAFETY: tcgetattr fills a termios struct for a valid pty fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr");
        assert!(
            t.c_lflag & libc::ICANON != 0,
            "still in raw mode (ICANON off)"
        );
        assert!(t.c_lflag & libc::ECHO != 0, "still in raw mode (ECHO off)");
    }

    /// Waits until the reader saw EOF (all output is in).
    fn wait_eof(&self) {
        let start = Instant::now();
        while !self.out.lock().unwrap().eof && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(POLL);
        }
    }
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The alternate screen was entered and the last switch left it.
fn assert_restored(raw: &[u8], what: &str) {
    let enter = rfind(raw, ENTER_ALT).unwrap_or_else(|| panic!("{what}: never entered"));
    let leave = rfind(raw, LEAVE_ALT).unwrap_or_else(|| panic!("{what}: never left"));
    assert!(
        leave > enter,
        "{what}: the alternate screen was not left at the end"
    );
    let tail = String::from_utf8_lossy(&raw[leave..]);
    assert!(
        tail.contains("\x1b[?25h"),
        "{what}: cursor not shown again: {tail:?}"
    );
}

const DRAFT: &str = "half a thought about";

/// Opens the editor on the selected post and types half a comment.
fn start_and_type(home: &Path, panic_key: bool) -> Pty {
    let mut p = Pty::start(home, panic_key);
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"c");
    p.wait_for("the editor", |s| s.contains("Comment on @"));
    p.type_text(DRAFT);
    p.wait_for("the typed text", |s| s.contains(DRAFT));
    p
}

/// A new start in the same home offers the draft back in the editor.
fn assert_draft_restored(home: &Path) {
    let mut p = Pty::start(home, false);
    p.wait_for("the restored draft", |s| {
        s.contains("Draft restored") && s.contains(DRAFT) && s.contains("Comment on @")
    });
    // Leave cleanly: discard nothing, keep the draft, quit.
    p.send(b"\x1b");
    p.wait_for("the keep/discard question", |s| s.contains("keep"));
    p.send(b"k");
    p.wait_for("the feed again", |s| !s.contains("Comment on @"));
    p.send(b"q");
    assert_eq!(p.wait_exit(), 0);
    p.wait_eof();
    assert_restored(&p.raw(), "quit");
    p.assert_cooked();
    let saved = std::fs::read_to_string(home.join("state/aispace-tui/drafts.json")).unwrap();
    assert!(saved.contains(DRAFT), "the kept draft is saved: {saved}");
}

fn drafts_file(home: &Path) -> String {
    std::fs::read_to_string(home.join("state/aispace-tui/drafts.json"))
        .expect("drafts.json written")
}

#[test]
fn draft_survives_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = start_and_type(dir.path(), false);
    p.signal(libc::SIGTERM);
    p.wait_exit();
    p.wait_eof();
    assert_restored(&p.raw(), "SIGTERM");
    p.assert_cooked();
    let saved = drafts_file(dir.path());
    assert!(saved.contains(DRAFT), "{saved}");
    assert!(
        saved.contains("\"open\""),
        "the open editor is recorded: {saved}"
    );
    assert_draft_restored(dir.path());
}

#[test]
fn draft_survives_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = start_and_type(dir.path(), false);
    p.signal(libc::SIGHUP);
    p.wait_exit();
    p.wait_eof();
    assert_restored(&p.raw(), "SIGHUP");
    assert!(drafts_file(dir.path()).contains(DRAFT));
    assert_draft_restored(dir.path());
}

#[test]
fn draft_survives_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = start_and_type(dir.path(), true);
    p.send(b"\x1b[24~"); // F12: the debug panic trigger
    let code = p.wait_exit();
    assert_eq!(code, 101, "panic exit status");
    p.wait_eof();
    let raw = p.raw();
    assert_restored(&raw, "panic");
    p.assert_cooked();
    let tail = String::from_utf8_lossy(&raw[rfind(&raw, LEAVE_ALT).unwrap()..]).to_string();
    assert!(
        tail.contains("debug panic trigger"),
        "panic message shown: {tail}"
    );
    assert!(
        tail.contains("drafts were saved"),
        "drafts mentioned: {tail}"
    );
    assert!(drafts_file(dir.path()).contains(DRAFT));
    assert_draft_restored(dir.path());
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Pty::start_with(dir.path(), false, true);
    p.wait_for("the feed", |s| s.contains("> @"));
    p.send(b"c");
    p.wait_for("the editor", |s| s.contains("Comment on @"));
    p.type_text(DRAFT);
    p.wait_for("the typed text", |s| s.contains(DRAFT));
    let app = child_of(p.pid());
    let before = p.raw().len();
    p.send(b"\x1a"); // Ctrl-Z
                     // Stopped, after restoring the terminal; bash reports the stopped job.
    let start = Instant::now();
    loop {
        let raw = p.raw();
        if rfind(&raw[before..], LEAVE_ALT).is_some() && is_stopped(app) {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "not suspended");
        std::thread::sleep(POLL);
    }
    p.wait_for("the shell's job report", |s| s.contains("Stopped"));
    p.assert_cooked();
    assert!(
        drafts_file(dir.path()).contains(DRAFT),
        "saved before stopping"
    );
    let before = p.raw().len();
    p.send(b"\r"); // bash's `read` returns, then `fg` continues the job
                   // Resumed: alternate screen again and the whole screen redrawn.
    let start = Instant::now();
    loop {
        let raw = p.raw();
        let new = &raw[before..];
        if rfind(new, ENTER_ALT).is_some() && String::from_utf8_lossy(new).contains(DRAFT) {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "not redrawn after SIGCONT");
        std::thread::sleep(POLL);
    }
    p.wait_for("the editor after resume", |s| s.contains(DRAFT));
    // SAFETY: kill(2) on the app's pid.
    assert_eq!(unsafe { libc::kill(app, libc::SIGTERM) }, 0);
    p.wait_exit();
    p.wait_eof();
    assert_restored(&p.raw(), "SIGTERM after resume");
}

/// The (first) child process of `pid`.
fn child_of(pid: i32) -> i32 {
    let start = Instant::now();
    loop {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        if let Some(c) = children.split_whitespace().next() {
            return c.parse().expect("a pid");
        }
        assert!(start.elapsed() < DEADLINE, "no child of {pid}");
        std::thread::sleep(POLL);
    }
}

/// `T` (stopped) in /proc/PID/stat.
fn is_stopped(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(") ")
        .is_some_and(|(_, rest)| rest.starts_with('T'))
}
