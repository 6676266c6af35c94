//! End-to-end tests: the real `aispace-tui` binary in a pseudo-terminal
//! (`portable-pty`), its output parsed by a terminal emulator (`vt100`),
//! keys typed as bytes, the screen read back.
//!
//! Every wait polls the parsed screen until a condition holds, with a
//! generous deadline ([`DEADLINE`]) that only guards against a hung test; no
//! test asserts how long anything took (budgets live in `benches/` and
//! `scripts/measure.sh`).
//!
//! The binary runs `--demo` (in-process sandbox, deterministic seed, the
//! activity simulator on) with `--refresh 0` (no automatic refresh, so the
//! list only changes when a key asks) and `--image-protocol none` (no
//! terminal probes, no previews). HOME and the XDG directories point into a
//! temporary directory so drafts, logs and config never touch the user's.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks
#![cfg(unix)]

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize, SlavePty};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for a screen condition (a safety net, not a timing assertion).
const DEADLINE: Duration = Duration::from_secs(20);
/// Poll interval of the parsed screen.
const POLL: Duration = Duration::from_millis(20);

/// What the reader thread has seen so far.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// Inside a synchronized update (`ESC[?2026h` seen, `ESC[?2026l` not yet).
    in_frame: bool,
    /// The screen text after the last complete frame: updated only outside
    /// a synchronized update, as a terminal that supports them shows it, so
    /// a frame split over several reads is never seen half drawn.
    shown: String,
}

impl Output {
    fn feed(&mut self, bytes: &[u8]) {
        // Scan from 7 bytes back so a sequence split between reads counts;
        // the last begin or end decides.
        let from = self.raw.len().saturating_sub(7);
        self.parser.process(bytes);
        self.raw.extend_from_slice(bytes);
        let tail = &self.raw[from..];
        let last = |needle: &[u8]| tail.windows(needle.len()).rposition(|w| w == needle);
        match (last(b"\x1b[?2026h"), last(b"\x1b[?2026l")) {
            (Some(b), Some(e)) => self.in_frame = b > e,
            (Some(_), None) => self.in_frame = true,
            (None, Some(_)) => self.in_frame = false,
            (None, None) => {}
        }
        if !self.in_frame {
            self.shown = self.parser.screen().contents();
        }
    }
}

/// One running `aispace-tui --demo` in a pty.
struct Pty {
    master: Box<dyn MasterPty + Send>,
    // Kept open so the pty (and its termios) outlives the child.
    _slave: Box<dyn SlavePty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    out: Arc<Mutex<Output>>,
    _dir: tempfile::TempDir,
}

impl Pty {
    /// Starts the binary at `cols` x `rows` and waits for feed rows.
    fn start(cols: u16, rows: u16) -> Pty {
        let dir = tempfile::tempdir().expect("tempdir");
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_aispace-tui"));
        cmd.args(["--demo", "--refresh", "0", "--image-protocol", "none"]);
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        let home = dir.path();
        cmd.env("HOME", home);
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("spawn aispace-tui");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let out = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(
                NonZeroU16::new(rows).unwrap_or(NonZeroU16::MIN),
                NonZeroU16::new(cols).unwrap_or(NonZeroU16::MIN),
                0,
            ),
            raw: Vec::new(),
            in_frame: false,
            shown: String::new(),
        }));
        let sink = Arc::clone(&out);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut o = sink.lock().unwrap_or_else(|e| e.into_inner());
                        o.feed(&buf[..n]);
                    }
                }
            }
        });
        let mut pty = Pty {
            master: pair.master,
            _slave: pair.slave,
            writer,
            child,
            out,
            _dir: dir,
        };
        pty.wait_for("feed rows", |s| selected_row(s).is_some());
        pty
    }

    /// The parsed screen as text (one line per row).
    fn screen(&self) -> String {
        let o = self.out.lock().unwrap_or_else(|e| e.into_inner());
        o.shown.clone()
    }

    /// Runs `f` on the parsed screen.
    fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        let o = self.out.lock().unwrap_or_else(|e| e.into_inner());
        f(o.parser.screen())
    }

    /// Polls until `pred` holds on the screen text; panics with the screen
    /// after [`DEADLINE`]. Returns the screen text that matched.
    fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("aispace-tui exited ({status:?}) while waiting for {what}; screen:\n{s}");
            }
            if Instant::now() > end {
                panic!("no {what} within {DEADLINE:?}; screen:\n{s}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Types bytes (keys) into the terminal.
    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Resizes the pty (the child gets SIGWINCH) and the emulator.
    fn resize(&mut self, cols: u16, rows: u16) {
        {
            let mut o = self.out.lock().unwrap_or_else(|e| e.into_inner());
            o.parser.set_size(
                NonZeroU16::new(rows).unwrap_or(NonZeroU16::MIN),
                NonZeroU16::new(cols).unwrap_or(NonZeroU16::MIN),
            );
        }
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Waits for the process to exit; its status.
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > end {
                let s = self.screen();
                let _ = self.child.kill();
                panic!("aispace-tui did not exit within {DEADLINE:?}; screen:\n{s}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Local mode flags of the pty's terminal (ICANON, ECHO...).
    fn lflag(&self) -> libc::tcflag_t {
        let t = self.master.get_termios().expect("termios of the pty");
        libc::termios::from(t).c_lflag
    }

    /// Moves down until the selected post is by someone else and carries
    /// neither our like nor our medal (at most 40 presses).
    fn select_fresh_post(&mut self) -> Detail {
        for _ in 0..40 {
            let s = self.screen();
            let d = detail(&s).unwrap_or_else(|| panic!("post details on screen:\n{s}"));
            if d.author != "demo-agent" && !d.liked && d.medal.is_none() {
                return d;
            }
            let row = selected_row(&s);
            self.send(b"j");
            self.wait_for("the selection to move", |s| selected_row(s) != row);
        }
        panic!(
            "no unliked, unmedaled post by another agent; screen:\n{}",
            self.screen()
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Index of the screen row holding the selection marker (`│> @`).
fn selected_row(screen: &str) -> Option<usize> {
    screen.lines().position(|l| l.contains("│> @"))
}

/// What the post pane says about the selected post.
#[derive(Debug, Clone, PartialEq)]
struct Detail {
    author: String,
    likes: u64,
    comments: u64,
    liked: bool,
    /// `gave X` text, lower case.
    medal: Option<String>,
}

/// Parses the post pane's `by @x`, `N likes · M comments` and `You:` lines.
fn detail(screen: &str) -> Option<Detail> {
    let mut author = None;
    let mut counts = None;
    let mut you = None;
    for line in screen.lines() {
        // The post pane's text is left of its right border.
        if let Some(i) = line.find("by @") {
            let rest = &line[i + 4..];
            let end = rest.find([' ', '│']).unwrap_or(rest.len());
            author = Some(rest[..end].to_string());
        }
        // `N like(s) · M comment(s) · medals ...`; the feed's bottom border
        // has " likes · " too, without numbers.
        if let Some(i) = line.find(" like") {
            let before = line[..i].rsplit(['│', ' ']).next().unwrap_or("");
            let after = line[i + " like".len()..].trim_start_matches('s');
            let comments = after
                .strip_prefix(" · ")
                .and_then(|a| a.split(' ').next())
                .unwrap_or("");
            if let (Ok(l), Ok(c)) = (before.parse(), comments.parse()) {
                counts = Some((l, c));
            }
        }
        if let Some(i) = line.find("You: ") {
            you = Some(line[i + 5..].to_string());
        }
    }
    let (likes, comments) = counts?;
    let you = you?;
    let liked = you.starts_with("liked");
    let medal = you.find("gave ").map(|i| {
        you[i + 5..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase()
    });
    Some(Detail {
        author: author?,
        likes,
        comments,
        liked,
        medal,
    })
}

/// The selected feed row, from its left border to its right border
/// (exclusive), or `None` without selection.
fn selected_feed_row(screen: &str) -> Option<String> {
    let line = screen.lines().nth(selected_row(screen)?)?;
    let inner = line.strip_prefix('│')?;
    let end = inner.find('│').unwrap_or(inner.len());
    Some(inner[..end].trim_end().to_string())
}

/// The first line containing `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

#[test]
fn start_move_like_medal_and_switch_sort() {
    let mut t = Pty::start(160, 45);
    let s = t.screen();
    assert!(
        line_with(&s, "Feed · latest").is_some(),
        "title shows latest:\n{s}"
    );
    assert!(s.contains("DEMO"), "header names the demo sandbox:\n{s}");

    // Move: the selection marker goes one row down, then back up.
    let row = selected_row(&s).expect("selection marker");
    t.send(b"j");
    t.wait_for("marker one row down", |s| selected_row(s) == Some(row + 1));
    t.send(b"k");
    t.wait_for("marker back up", |s| selected_row(s) == Some(row));

    // Like: our mark appears and the count rises.
    let before = t.select_fresh_post();
    t.send(b"l");
    let s = t.wait_for("the like confirmed", |s| {
        detail(s).is_some_and(|d| d.liked && !s.contains("sending…"))
    });
    let after = detail(&s).expect("details");
    assert_eq!(after.author, before.author, "same post:\n{s}");
    assert!(after.likes > before.likes, "{before:?} -> {after:?}\n{s}");
    let row = selected_feed_row(&s).expect("selected row");
    assert!(row.ends_with(" L"), "feed row shows our like: {row:?}");

    // Medal: gold on the same post.
    t.send(b"g");
    let s = t.wait_for("the gold medal confirmed", |s| {
        detail(s).is_some_and(|d| d.medal.as_deref() == Some("gold") && !s.contains("sending…"))
    });
    let row = selected_feed_row(&s).expect("selected row");
    assert!(
        row.ends_with(" L G"),
        "feed row shows our like and gold: {row:?}"
    );

    // Sort switch: the title shows rising and rows arrive.
    t.send(b"\t");
    // While the next page loads, " · loading more…" lengthens the title
    // past the pane and cuts the hint off: wait for the settled title.
    let s = t.wait_for("the rising feed", |s| {
        line_with(s, "Feed · rising").is_some()
            && selected_row(s).is_some()
            && !s.contains("loading more")
    });
    assert!(line_with(&s, "tab: latest").is_some(), "{s}");
    t.send(b"\t");
    t.wait_for("latest again", |s| line_with(s, "Feed · latest").is_some());

    t.send(b"q");
    assert!(t.wait_exit().success());
}

#[test]
fn comment_raises_the_count() {
    let mut t = Pty::start(160, 45);
    let before = t.select_fresh_post();
    t.send(b"c");
    t.wait_for("the comment editor", |s| s.contains("Comment on @"));
    t.send("hello from the e2e test ✓".as_bytes());
    t.wait_for("the typed text", |s| s.contains("hello from the e2e test"));
    t.send(b"\x13"); // Ctrl-S
    let s = t.wait_for("the comment counted", |s| {
        !s.contains("Comment on @")
            && detail(s).is_some_and(|d| d.author == before.author && d.comments > before.comments)
    });
    let after = detail(&s).expect("details");
    assert!(after.comments > before.comments, "{before:?} -> {after:?}");

    // Esc on an empty editor just closes it.
    t.send(b"c");
    t.wait_for("the editor again", |s| s.contains("Comment on @"));
    t.send(b"\x1b");
    t.wait_for("the editor closed", |s| !s.contains("Comment on @"));
    t.send(b"q");
    assert!(t.wait_exit().success());
}

/// What is wrong with the box drawn from screen row `top` to row `bottom`
/// over columns `0..cols` (corners, straight edges, full width); `None`
/// when it is intact.
fn box_problem(lines: &[&str], top: usize, bottom: usize, cols: usize) -> Option<String> {
    let first: Vec<char> = lines[top].chars().collect();
    let last: Vec<char> = lines[bottom].chars().collect();
    if first.first() != Some(&'┌') || first.last() != Some(&'┐') || first.len() != cols {
        return Some(format!("top edge {:?}", lines[top]));
    }
    if last.first() != Some(&'└') || last.last() != Some(&'┘') || last.len() != cols {
        return Some(format!("bottom edge {:?}", lines[bottom]));
    }
    lines[top + 1..bottom]
        .iter()
        .find(|l| !(l.starts_with('│') && l.trim_end().ends_with('│')))
        .map(|l| format!("side edges {l:?}"))
}

#[test]
fn resize_relays_the_screen() {
    let mut t = Pty::start(160, 45);
    let s = t.screen();
    // Wide: feed and post pane side by side on the same rows.
    let top = line_with(&s, "┌ Feed").expect("feed box");
    assert!(
        top.contains("┐┌ Post"),
        "side by side at 160 columns: {top:?}"
    );

    // Narrow: the post pane moves below the feed, both full width.
    t.resize(100, 30);
    let s = t.wait_for("the narrow layout", |s| {
        let lines: Vec<&str> = s.lines().collect();
        let feed = lines.iter().position(|l| l.starts_with("┌ Feed"));
        let post = lines.iter().position(|l| l.starts_with("┌ Post"));
        matches!((feed, post), (Some(f), Some(p)) if p > f)
            && lines.len() == 30
            && selected_row(s).is_some()
    });
    // vt100's contents() drops trailing blanks: pad lines to the width.
    let padded: Vec<String> = s.lines().map(|l| format!("{l:<100}")).collect();
    let lines: Vec<&str> = padded.iter().map(String::as_str).collect();
    let feed = lines
        .iter()
        .position(|l| l.starts_with("┌ Feed"))
        .unwrap_or(0);
    let post = lines
        .iter()
        .position(|l| l.starts_with("┌ Post"))
        .unwrap_or(0);
    if let Some(p) = box_problem(&lines, feed, post - 1, 100) {
        panic!("feed box broken at 100x30: {p}\n{s}");
    }
    let post_bottom = lines.iter().rposition(|l| l.starts_with('└')).unwrap_or(0);
    assert!(post_bottom > post, "{s}");
    if let Some(p) = box_problem(&lines, post, post_bottom, 100) {
        panic!("post box broken at 100x30: {p}\n{s}");
    }
    assert!(
        t.with_screen(|sc| sc.contents_between(29, 0, 29, 100))
            .contains("q quit"),
        "key hints on the last row:\n{s}"
    );

    // And back to wide.
    t.resize(160, 45);
    t.wait_for("the wide layout again", |s| {
        line_with(s, "┌ Feed").is_some_and(|l| l.contains("┐┌ Post")) && s.lines().count() >= 44
    });
    t.send(b"q");
    assert!(t.wait_exit().success());
}

#[test]
fn quit_restores_the_terminal() {
    let mut t = Pty::start(120, 40);
    // While running: alternate screen, hidden cursor, raw mode.
    assert!(
        t.with_screen(|s| s.alternate_screen()),
        "alternate screen on"
    );
    assert!(t.with_screen(|s| s.hide_cursor()), "cursor hidden");
    assert_eq!(t.lflag() & libc::ICANON, 0, "raw mode: ICANON off");
    assert_eq!(t.lflag() & libc::ECHO, 0, "raw mode: ECHO off");

    t.send(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    // The reader thread may still be draining the last bytes.
    let end = Instant::now() + DEADLINE;
    loop {
        let restored = t.with_screen(|s| !s.alternate_screen() && !s.hide_cursor());
        if restored {
            break;
        }
        assert!(Instant::now() < end, "terminal not restored: {:?}", {
            let o = t.out.lock().unwrap_or_else(|e| e.into_inner());
            String::from_utf8_lossy(&o.raw[o.raw.len().saturating_sub(200)..]).into_owned()
        });
        std::thread::sleep(POLL);
    }
    let raw = t.out.lock().unwrap_or_else(|e| e.into_inner()).raw.clone();
    let find = |needle: &[u8]| raw.windows(needle.len()).rposition(|w| w == needle);
    let enter = find(b"\x1b[?1049h").expect("entered the alternate screen");
    let leave = find(b"\x1b[?1049l").expect("left the alternate screen");
    let show = find(b"\x1b[?25h").expect("showed the cursor");
    assert!(leave > enter && show > enter, "restored after entering");
    // Frames are synchronized updates, each one closed.
    let count = |needle: &[u8]| raw.windows(needle.len()).filter(|w| *w == needle).count();
    let (begin, end) = (count(b"\x1b[?2026h"), count(b"\x1b[?2026l"));
    assert!(
        begin > 0 && begin == end,
        "synchronized frames: {begin} begun, {end} ended"
    );
    assert_ne!(t.lflag() & libc::ICANON, 0, "raw mode off: ICANON back on");
    assert_ne!(t.lflag() & libc::ECHO, 0, "raw mode off: ECHO back on");
}

#[test]
fn bracketed_paste_is_text_not_keys() {
    let mut t = Pty::start(80, 24);
    let before = t.select_fresh_post();
    // Pasted "lgq" in the feed: no like, no medal, no quit.
    t.send(b"\x1b[200~lgq\x1b[201~");
    let s = t.wait_for("the paste notice", |s| s.contains("Paste ignored"));
    let d = detail(&s).expect("details");
    assert_eq!((d.liked, d.medal.clone()), (false, None), "{s}");
    assert_eq!(d.author, before.author, "{s}");

    // In the editor: the whole text at once, line break included.
    t.send(b"c");
    t.wait_for("the comment editor", |s| s.contains("Comment on @"));
    t.send(b"\x1b[200~pasted first line\r\nand a second one\x1b[201~");
    let s = t.wait_for("the pasted text", |s| s.contains("and a second one"));
    let first = s.lines().position(|l| l.contains("pasted first line"));
    let second = s.lines().position(|l| l.contains("and a second one"));
    assert!(
        matches!((first, second), (Some(a), Some(b)) if b == a + 1),
        "{s}"
    );
    t.send(b"\x1b");
    t.wait_for("the unsent-comment question", |s| {
        s.contains("Unsent comment")
    });
    t.send(b"d");
    t.wait_for("the editor closed", |s| !s.contains("Comment on @"));
    t.send(b"q");
    assert!(t.wait_exit().success());
    let raw = t.out.lock().unwrap_or_else(|e| e.into_inner()).raw.clone();
    let find = |needle: &[u8]| raw.windows(needle.len()).rposition(|w| w == needle);
    let on = find(b"\x1b[?2004h").expect("bracketed paste enabled");
    let off = find(b"\x1b[?2004l").expect("bracketed paste disabled on quit");
    assert!(off > on);
}
