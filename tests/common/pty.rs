//! The pty tests' set-up (`drafts_survive`, `key_safety`): the real
//! `aispace-tui` binary in a pseudo-terminal (`portable-pty`), its output
//! parsed by `vt100`. Waits poll with a generous deadline that only guards
//! against a hung test; nothing asserts how long anything took.

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize, SlavePty};
use std::io::Write;
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for a condition (a safety net, not a timing assertion).
pub const DEADLINE: Duration = Duration::from_secs(60);
/// Poll interval.
pub const POLL: Duration = Duration::from_millis(25);
pub const COLS: u16 = 160;
pub const ROWS: u16 = 45;
pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";

struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

/// How to start the binary.
#[derive(Default)]
pub struct Spawn {
    /// Arguments after the binary.
    pub args: Vec<String>,
    /// Extra environment (on top of HOME, XDG dirs, PATH, TERM, LANG).
    pub env: Vec<(String, String)>,
    /// Run it as a job of `bash -m` (its own process group, as from an
    /// interactive shell); after it stops, bash waits for a line, then `fg`.
    pub job_control: bool,
    /// Start it with `SIGHUP` blocked (through `perl`, as a signal mask
    /// survives `exec`): a hangup then only shows as `POLLHUP`.
    pub block_sighup: bool,
}

impl Spawn {
    /// `--demo --refresh 0 --image-protocol none`.
    pub fn demo() -> Spawn {
        Spawn {
            args: ["--demo", "--refresh", "0", "--image-protocol", "none"]
                .map(String::from)
                .to_vec(),
            ..Spawn::default()
        }
    }

    /// Adds an environment variable.
    pub fn env(mut self, k: &str, v: &str) -> Spawn {
        self.env.push((k.to_string(), v.to_string()));
        self
    }
}

/// One running binary in a pty.
pub struct Pty {
    master: Option<Box<dyn MasterPty + Send>>,
    _slave: Box<dyn SlavePty + Send>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    out: Arc<Mutex<Output>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Pty {
    /// Starts the binary with HOME and the XDG directories under `home`
    /// and an otherwise empty environment.
    pub fn start(home: &Path, spawn: Spawn) -> Pty {
        let size = PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("openpty");
        let bin = env!("CARGO_BIN_EXE_aispace-tui");
        let mut cmd = if spawn.job_control {
            let mut c = CommandBuilder::new("bash");
            let script = format!("\"$0\" {}; read -r _; fg", spawn.args.join(" "));
            c.args(["-m", "-c", &script, bin]);
            c
        } else if spawn.block_sighup {
            let mut c = CommandBuilder::new("perl");
            c.args([
                "-MPOSIX",
                "-e",
                "sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGHUP)) or die; exec @ARGV or die",
                bin,
            ]);
            c.args(&spawn.args);
            c
        } else {
            let mut c = CommandBuilder::new(bin);
            c.args(&spawn.args);
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
        for (k, v) in &spawn.env {
            cmd.env(k, v);
        }
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("spawn aispace-tui");
        // Our own descriptor for reading, so the reader can let go of it
        // (all master descriptors closed = the terminal hangs up).
        let master_fd = pair.master.as_raw_fd().expect("master fd");
        // SAFETY: dup(2) of a descriptor we own.
        let fd = unsafe { libc::dup(master_fd) };
        assert!(fd >= 0, "dup");
        let writer = pair.master.take_writer().expect("pty writer");
        let stop = Arc::new(AtomicBool::new(false));
        let stop_reader = Arc::clone(&stop);
        let out = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(
                NonZeroU16::new(ROWS).unwrap_or(NonZeroU16::MIN),
                NonZeroU16::new(COLS).unwrap_or(NonZeroU16::MIN),
                0,
            ),
            raw: Vec::new(),
            eof: false,
        }));
        let sink = Arc::clone(&out);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop_reader.load(Ordering::SeqCst) {
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd.
                let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
                if ready <= 0 {
                    continue;
                }
                // SAFETY: reading into a buffer we own, at most its length.
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    sink.lock().unwrap().eof = true;
                    break;
                }
                let n = n as usize;
                let mut o = sink.lock().unwrap();
                o.parser.process(&buf[..n]);
                o.raw.extend_from_slice(&buf[..n]);
            }
            // SAFETY: closing the descriptor this thread owns.
            unsafe { libc::close(fd) };
        });
        Pty {
            master: Some(pair.master),
            _slave: pair.slave,
            writer: Some(writer),
            child,
            out,
            stop,
            reader: Some(reader),
        }
    }

    /// The parsed screen's text.
    pub fn screen(&self) -> String {
        self.out.lock().unwrap().parser.screen().contents()
    }

    /// Every byte the program wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.out.lock().unwrap().raw.clone()
    }

    /// Waits until the screen satisfies `cond`; panics with the screen if
    /// the deadline passes.
    pub fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) {
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

    /// Writes bytes as typed keys.
    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("the terminal is open");
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    /// Closes the terminal as a closed window or a dropped SSH link does:
    /// every master descriptor of this side is closed.
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            r.join().expect("reader thread");
        }
        // portable-pty's writer types "\n" and the EOF character when
        // dropped (for a shell in canonical mode); a TUI in raw mode would
        // read them as Enter and Ctrl-D, and a real terminal that goes away
        // types nothing. With VEOF unset the writer drops silently.
        if let Some(fd) = self.master.as_ref().and_then(|m| m.as_raw_fd()) {
            // SAFETY: tcgetattr/tcsetattr on the open master fd with a
            // termios struct that tcgetattr filled.
            unsafe {
                let mut t: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(fd, &mut t) == 0 {
                    t.c_cc[libc::VEOF] = 0;
                    libc::tcsetattr(fd, libc::TCSANOW, &t);
                }
            }
        }
        self.writer = None;
        self.master = None;
    }

    /// Types text one char at a time.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut b = [0u8; 4];
            self.send(c.encode_utf8(&mut b).as_bytes());
        }
    }

    /// Waits for the feed, presses `j` `moves` times, opens the comment
    /// editor on the selected post and types `text` (seen on screen).
    pub fn open_editor_and_type(&mut self, moves: usize, text: &str) {
        self.wait_for("the feed", |s| s.contains("> @"));
        for _ in 0..moves {
            self.send(b"j");
        }
        self.send(b"c");
        self.wait_for("the editor", |s| s.contains("Comment on @"));
        self.type_text(text);
        self.wait_for("the typed text", |s| s.contains(text));
    }

    /// Closes the open editor keeping its text as a draft, quits, and
    /// waits for a clean exit and all output.
    pub fn keep_draft_and_quit(&mut self) {
        self.send(b"\x1b");
        self.wait_for("the keep/discard question", |s| s.contains("discard"));
        self.send(b"k");
        self.wait_for("the feed again", |s| !s.contains("Comment on @"));
        self.send(b"q");
        assert_eq!(self.wait_exit(), 0);
        self.wait_eof();
    }

    /// The pid of the process started in the pty (bash with job control).
    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("child pid") as i32
    }

    /// Sends `sig` to the process started in the pty.
    pub fn signal(&self, sig: i32) {
        kill(self.pid(), sig);
    }

    /// Waits for the process to exit on its own (it must not hang or spin);
    /// returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
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
    pub fn assert_cooked(&self) {
        let fd = self
            .master
            .as_ref()
            .expect("the terminal is open")
            .as_raw_fd()
            .expect("master fd");
        // SAFETY: tcgetattr fills a zeroed termios struct for a valid fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr");
        assert!(
            t.c_lflag & libc::ICANON != 0,
            "still in raw mode (ICANON off)"
        );
        assert!(t.c_lflag & libc::ECHO != 0, "still in raw mode (ECHO off)");
    }

    /// Waits (briefly) until the reader saw EOF, so all output is in.
    pub fn wait_eof(&self) {
        let start = Instant::now();
        while !self.out.lock().unwrap().eof && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(POLL);
        }
    }
}

/// Sends `sig` to `pid`.
pub fn kill(pid: i32, sig: i32) {
    // SAFETY: kill(2) has no memory-safety preconditions.
    let rc = unsafe { libc::kill(pid, sig) };
    assert_eq!(rc, 0, "kill({pid}, {sig}) failed");
}

/// Last position of `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The alternate screen was entered and the last switch left it, then
/// the cursor was shown again.
pub fn assert_restored(raw: &[u8], what: &str) {
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
