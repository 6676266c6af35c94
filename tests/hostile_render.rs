//! Hostile content through the whole path: the hostile corpus
//! (`text::testing::hostile_corpus()`) goes into the sandbox as captions,
//! tags, author handles and names, AI verdict reasons and judge versions,
//! and as the connected agent's own handle; the TUI loads it over real HTTP
//! and draws it with ratatui's real `CrosstermBackend` into a byte buffer.
//!
//! Checked on the bytes: no escape sequence but the renderer's own (cursor
//! moves, SGR, cursor show/hide), no C0 or C1 control chars. Checked on a
//! terminal emulator (`vt100`, which measures char by char like xterm)
//! fed those bytes frame after frame: every border cell is where ratatui
//! put it (the right border of each pane on every row in particular), no
//! row wraps, every non-blank cell matches, and each hostile string shows
//! visibly (`␛` for escape sequences). The post pane is also checked on a
//! `TestBackend` buffer.
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::api::{AgentKey, Client, ClientConfig};
use aispace_tui::app::{Mode, Options};
use aispace_tui::keymap::Keymap;
use aispace_tui::runtime::{render_buffer, Harness};
use aispace_tui::sandbox::{Clock, RunningSandbox, Seed};
use aispace_tui::text::{self, testing::hostile_corpus};
use chrono::Duration;
use common::t0;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use unicode_segmentation::UnicodeSegmentation;

const COLS: u16 = 160;
const ROWS: u16 = 45;

/// The corpus plus strings that put wide chars on every column parity at
/// the edges of the feed's handle and caption fields and the panes.
/// The edge strings come first, so their rows lie under the centered
/// overlays (help, questions) on the first screen.
fn strings() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for k in 0..4 {
        v.push((format!("cjk_edge_{k}"), "x".repeat(k) + &"漢".repeat(90)));
        v.push((
            format!("emoji_edge_{k}"),
            "y".repeat(k) + &"👨\u{200D}👩\u{200D}👧\u{200D}👦🇯🇵❤\u{FE0F}👍🏽".repeat(20),
        ));
    }
    v.extend(
        hostile_corpus()
            .into_iter()
            .map(|(n, s)| (n.to_string(), s)),
    );
    v
}

/// A sandbox holding one author and one post per string (newest first in
/// corpus order), each post with the string as caption, tag and verdict.
/// Returns the sandbox and each string's agent key.
async fn hostile_sandbox() -> (RunningSandbox, Vec<(String, String, String)>) {
    let clock = Clock::manual(t0());
    let run = common::sandbox(Seed::Empty, false, &clock).await;
    let mut out = Vec::new();
    for (i, (name, s)) in strings().into_iter().enumerate() {
        let key = run.sandbox.insert_agent(&s, &s).unwrap();
        let at = t0() - Duration::minutes(i as i64 + 1);
        let id = run
            .sandbox
            .insert_post(&s, Some(&s), &[s.as_str()], at, None)
            .unwrap();
        run.sandbox.set_verdict(&id, "GOLD", &s, &s).unwrap();
        out.push((name, s, key));
    }
    (run, out)
}

async fn harness(base: &str, key: &str, cols: u16, rows: u16) -> Harness {
    let key = AgentKey::parse(key).unwrap();
    let client = Client::new(ClientConfig::new(base.to_string()).with_key(key)).unwrap();
    Harness::start(
        client,
        Options::default(),
        Keymap::default(),
        Box::new(t0),
        (cols, rows),
    )
    .await
    .unwrap()
}

/// Bytes written by the backend, shared with the test.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct ByteTerminal {
    term: Terminal<CrosstermBackend<Sink>>,
    sink: Sink,
}

/// A ratatui terminal writing into memory, with a fixed viewport (no TTY).
fn byte_terminal(cols: u16, rows: u16) -> ByteTerminal {
    let sink = Sink::default();
    let term = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)),
        },
    )
    .unwrap();
    ByteTerminal { term, sink }
}

/// Draws the harness's app; returns the bytes written for this frame and
/// the frame's buffer as ratatui meant it (before diffing: a `TestBackend`
/// only holds what the diff sent, so it would hide a skipped cell).
fn draw(t: &mut ByteTerminal, h: &Harness) -> (Vec<u8>, Buffer) {
    let frame = t.term.draw(|f| aispace_tui::ui::render(f, &h.app)).unwrap();
    let intended = frame.buffer.clone();
    (std::mem::take(&mut *t.sink.0.lock().unwrap()), intended)
}

/// Every escape sequence in `bytes` is one the renderer itself emits:
/// `CSI params H` (cursor position), `CSI params m` (SGR), `CSI ?25l/h`
/// (cursor hide/show), `CSI 2J` (clear). No other ESC, no C0/C1 control.
fn assert_only_renderer_sequences(bytes: &[u8], what: &str) {
    let s = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\u{1b}' {
            assert_eq!(
                chars.get(i + 1),
                Some(&'['),
                "{what}: ESC not followed by [ at {i}"
            );
            let mut j = i + 2;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || matches!(chars[j], ';' | ':' | '?'))
            {
                j += 1;
            }
            let params: String = chars[i + 2..j].iter().collect();
            let fin = chars.get(j).copied();
            let ok = match fin {
                Some('H') | Some('m') => !params.contains('?'),
                Some('l') | Some('h') => params == "?25",
                Some('J') => params == "2",
                _ => false,
            };
            assert!(ok, "{what}: unexpected sequence ESC[{params}{fin:?}");
            i = j + 1;
            continue;
        }
        assert!(
            !c.is_control(),
            "{what}: control char U+{:04X} in the output",
            u32::from(c)
        );
        i += 1;
    }
}

fn is_box(sym: &str) -> bool {
    sym.chars()
        .next()
        .is_some_and(|c| ('\u{2500}'..='\u{257F}').contains(&c))
}

/// The emulator's screen matches the buffer ratatui meant to show: every
/// box-drawing cell exactly, every other non-blank cell as a prefix (a
/// char-by-char terminal may hold only the first char of a grapheme), no
/// row wrapped, and the right border column of each pane intact.
fn assert_screen_matches(screen: &vt100::Screen, buf: &Buffer, borders: &[u16], what: &str) {
    let area = buf.area;
    for y in 0..area.height {
        assert!(!screen.row_wrapped(y), "{what}: row {y} wrapped");
        // Every border cell, wherever it is (also right after a wide char).
        for x in 0..area.width {
            let sym = buf[(x, y)].symbol();
            if is_box(sym) {
                let got = screen
                    .cell(y, x)
                    .map(|c| c.contents().to_owned())
                    .unwrap_or_default();
                assert_eq!(got, sym, "{what}: border cell ({x},{y})");
            }
        }
        let mut x = 0;
        while x < area.width {
            let sym = as_emulated(buf[(x, y)].symbol());
            let sym = sym.as_str();
            let w = text::width(sym).max(1) as u16;
            let got = screen
                .cell(y, x)
                .map(|c| c.contents().to_owned())
                .unwrap_or_default();
            if is_box(sym) {
                assert_eq!(got, sym, "{what}: border cell ({x},{y})");
            } else if !sym.trim().is_empty() {
                assert!(
                    !got.is_empty() && sym.starts_with(got.as_str()),
                    "{what}: cell ({x},{y}) shows {got:?}, ratatui drew {sym:?}"
                );
            }
            x += w;
        }
        for &bx in borders {
            if y >= 2 && y < area.height - 2 {
                let got = screen
                    .cell(y, bx)
                    .map(|c| c.contents().to_owned())
                    .unwrap_or_default();
                assert!(
                    matches!(got.as_str(), "│" | "┐" | "┘"),
                    "{what}: right border at ({bx},{y}) is {got:?}"
                );
            }
        }
    }
}

/// What xterm shows as one `�` cell (U+FFFD, which `text.rs` puts for C1
/// controls and broken clusters) vt100 counts as an error and does not
/// draw at all (since 0.16). The emulator is fed this stand-in of the same
/// width instead, and expectations go through the same substitution.
const FFFD_STAND_IN: char = '¿';

/// Feeds a frame's bytes to the emulator, U+FFFD as [`FFFD_STAND_IN`].
fn emulate(vt: &mut vt100::Parser, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => vt.process(as_emulated(s).as_bytes()),
        Err(_) => vt.process(bytes),
    }
}

/// `s` as the emulator shows it (U+FFFD as [`FFFD_STAND_IN`]).
fn as_emulated(s: &str) -> String {
    s.replace('\u{FFFD}', &FFFD_STAND_IN.to_string())
}

/// Spaces collapsed, for comparing visible text with the screen.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first graphemes of the first non-empty line of the cleaned string,
/// as the post pane shows them (`None` when cleaning leaves nothing).
fn visible_start(s: &str) -> Option<String> {
    let clean = text::clean_block(s);
    let line = clean.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(squeeze(&line.graphemes(true).take(6).collect::<String>()))
}

/// Right border columns of the panes at `cols` x `rows` (wide layout: feed
/// and post pane side by side).
fn right_borders(cols: u16, rows: u16, zoom: bool) -> Vec<u16> {
    let a = aispace_tui::app::layout::areas(Rect::new(0, 0, cols, rows), zoom);
    let mut v = vec![a.post.x + a.post.width - 1];
    if let Some(f) = a.feed {
        if f.y == a.post.y {
            v.push(f.x + f.width - 1);
        }
    }
    v
}

#[tokio::test]
async fn hostile_strings_render_safely_frame_after_frame() {
    let (run, agents) = hostile_sandbox().await;
    // Connected as the agent whose handle sets the window title.
    let me = &agents
        .iter()
        .find(|(n, _, _)| n == "osc_title_bel")
        .expect("in the corpus")
        .2;
    let mut h = harness(&run.base_url, me, COLS, ROWS).await;
    let mut term = byte_terminal(COLS, ROWS);
    let mut vt = vt100::Parser::new(
        NonZeroU16::new(ROWS).unwrap_or(NonZeroU16::MIN),
        NonZeroU16::new(COLS).unwrap_or(NonZeroU16::MIN),
        0,
    );
    let borders = right_borders(COLS, ROWS, false);
    assert_eq!(borders.len(), 2, "wide layout expected");

    for (i, (name, s, _)) in agents.iter().enumerate() {
        let selected = h.app.selected().expect("a selected post").clone();
        assert_eq!(
            selected.caption.as_deref(),
            Some(text::clean_block(s).as_str()),
            "{name}"
        );
        let (bytes, intended) = draw(&mut term, &h);
        assert_only_renderer_sequences(&bytes, name);
        emulate(&mut vt, &bytes);
        assert_screen_matches(vt.screen(), &intended, &borders, name);
        let buf = render_buffer(&h.app, COLS, ROWS);
        let shown = squeeze(&vt.screen().contents());
        if let Some(start) = visible_start(s).as_deref().map(as_emulated) {
            assert!(
                shown.contains(&start),
                "{name}: {start:?} not on screen:\n{shown}"
            );
        }
        if s.contains('\u{1b}') {
            assert!(shown.contains('␛'), "{name}: no visible ␛");
        }
        // TestBackend: the post pane's right border is intact on every row.
        for y in 2..ROWS - 2 {
            let sym = buf[(COLS - 1, y)].symbol();
            assert!(
                matches!(sym, "│" | "┐" | "┘"),
                "{name}: post pane border row {y}: {sym:?}"
            );
        }
        if i + 1 < agents.len() {
            h.key("j").await;
        }
    }

    // The help overlay, centered over hostile feed rows, at every selection.
    h.key("home").await;
    for _ in 0..agents.len() {
        h.key("?").await;
        let (bytes, intended) = draw(&mut term, &h);
        assert_only_renderer_sequences(&bytes, "help");
        emulate(&mut vt, &bytes);
        // The overlay covers the panes' borders: its own are checked.
        assert_screen_matches(vt.screen(), &intended, &[], "help");
        h.key("esc").await;
        h.key("j").await;
    }

    // The editor over a hostile author's post, then the zoomed post pane.
    h.key("home").await;
    h.key("c").await;
    assert_eq!(h.app.mode, Mode::Editor);
    h.type_text("hi \u{1b}]0;x\u{7}").await;
    let (bytes, intended) = draw(&mut term, &h);
    assert_only_renderer_sequences(&bytes, "editor");
    emulate(&mut vt, &bytes);
    assert_screen_matches(vt.screen(), &intended, &borders, "editor");
    h.key("esc").await; // the keep/discard question box over hostile rows
    let (bytes, intended) = draw(&mut term, &h);
    assert_only_renderer_sequences(&bytes, "question");
    emulate(&mut vt, &bytes);
    assert_screen_matches(vt.screen(), &intended, &[], "question");
    h.key("esc").await;
    h.key("ctrl-s").await; // sent: the comment echo is not displayed raw either
    h.key("esc").await;
    h.key("esc").await;
    h.key("z").await;
    let zoom = right_borders(COLS, ROWS, true);
    for _ in 0..agents.len() {
        let (bytes, intended) = draw(&mut term, &h);
        assert_only_renderer_sequences(&bytes, "zoomed");
        emulate(&mut vt, &bytes);
        assert_screen_matches(vt.screen(), &intended, &zoom, "zoomed");
        h.key("j").await;
    }
}

#[tokio::test]
async fn hostile_own_handle_in_the_header_and_narrow_layout() {
    let (run, agents) = hostile_sandbox().await;
    for (name, _, key) in agents.iter().filter(|(n, _, _)| {
        matches!(
            n.as_str(),
            "osc_title_bel" | "cjk" | "zwj_family" | "zalgo_10000" | "very_long" | "flags"
        ) || n.starts_with("cjk_edge")
            || n.starts_with("emoji_edge")
    }) {
        for (cols, rows) in [(COLS, ROWS), (80, 24), (119, 30)] {
            let h = harness(&run.base_url, key, cols, rows).await;
            let mut term = byte_terminal(cols, rows);
            let (bytes, intended) = draw(&mut term, &h);
            let what = format!("{name} at {cols}x{rows}");
            assert_only_renderer_sequences(&bytes, &what);
            let mut vt = vt100::Parser::new(
                NonZeroU16::new(rows).unwrap_or(NonZeroU16::MIN),
                NonZeroU16::new(cols).unwrap_or(NonZeroU16::MIN),
                0,
            );
            emulate(&mut vt, &bytes);
            assert_screen_matches(
                vt.screen(),
                &intended,
                &right_borders(cols, rows, false),
                &what,
            );
            let header = vt.screen().contents_between(0, 0, 0, cols);
            assert!(header.contains('@'), "{what}: header {header:?}");
            if name == "osc_title_bel" {
                assert!(
                    header.contains("@␛]0;pwned␇title"),
                    "{what}: header {header:?}"
                );
            }
        }
    }
}
