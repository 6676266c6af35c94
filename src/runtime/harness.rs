//! `Harness`: the runtime loop without a terminal, for tests. It owns the
//! `App`, feeds it `Msg`s, runs effects through the real [`Runner`] (real
//! HTTP) and waits for their answers; terminal effects are recorded.
//! A test helper: a broken expectation (an effect that never answers, a
//! misspelt key name) panics so that the test fails where it went wrong.
#![allow(clippy::panic)]

use crate::api::{ApiError, Client, Timestamp};
use crate::app::{App, Effect, Key, KeyCode, Msg, Options};
use crate::effects::{Outcome, Runner, TerminalEffect};
use crate::keymap::{KeyChord, Keymap};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// Longest wait for one effect's answer before the harness panics (a
/// safety net against a hung test, not a timing assertion).
const EFFECT_DEADLINE: Duration = Duration::from_secs(30);

/// A clock for the harness: returns the "local" time of each update.
pub type NowFn = Box<dyn Fn() -> Timestamp + Send>;

/// Headless runtime: App + real effects runner + recorded terminal effects.
pub struct Harness {
    /// The application state (inspect freely).
    pub app: App,
    runner: Runner,
    rx: UnboundedReceiver<Msg>,
    in_flight: usize,
    now: NowFn,
    /// Texts copied with OSC 52.
    pub clipboard: Vec<String>,
    /// Drafts handed to "save" (on quit).
    pub saved_drafts: Vec<BTreeMap<String, String>>,
    /// Post URLs that `o` would have opened (no browser is started).
    pub opened: Vec<String>,
    /// Graphics sequences written (kitty deletes).
    pub graphics_writes: Vec<String>,
    /// Pictures shown full screen (the view closes at once).
    pub full_screens: Vec<crate::preview::SharedImage>,
}

impl Harness {
    /// Connects with `client` (errors as from `runtime::startup_check`),
    /// builds the App for a `viewport` (columns, rows) and runs the start
    /// effects to completion.
    pub async fn start(
        client: Client,
        options: Options,
        keymap: Keymap,
        now: NowFn,
        viewport: (u16, u16),
    ) -> Result<Harness, ApiError> {
        let connect = client.connect().await?;
        let (tx, rx) = unbounded_channel();
        let app = App::new(options, keymap, &connect, now(), viewport);
        let mut h = Harness {
            app,
            runner: Runner::new(client, tx),
            rx,
            in_flight: 0,
            now,
            clipboard: Vec::new(),
            saved_drafts: Vec::new(),
            opened: Vec::new(),
            graphics_writes: Vec::new(),
            full_screens: Vec::new(),
        };
        let fx = h.app.start();
        h.dispatch(fx);
        h.settle().await;
        Ok(h)
    }

    fn dispatch(&mut self, fx: Vec<Effect>) {
        for effect in fx {
            if let Effect::OpenPost { post_id } = &effect {
                // Never start a browser from tests: record and answer.
                self.opened.push(self.runner.post_url(post_id));
                let fx = self.app.update(Msg::Opened(Ok(())), (self.now)());
                self.dispatch(fx);
                continue;
            }
            match self.runner.run(effect) {
                Outcome::Spawned => self.in_flight += 1,
                Outcome::Terminal(TerminalEffect::Copy(t)) => {
                    self.clipboard.push(t);
                    let msg = Msg::Copied(Ok(crate::app::CopyVia::Osc52));
                    let fx = self.app.update(msg, (self.now)());
                    self.dispatch(fx);
                }
                Outcome::Terminal(TerminalEffect::SaveDrafts(d)) => self.saved_drafts.push(d),
                Outcome::Terminal(TerminalEffect::Quit) | Outcome::Done => {}
                Outcome::Terminal(TerminalEffect::Graphics(s)) => self.graphics_writes.push(s),
                Outcome::Terminal(TerminalEffect::FullScreen(img)) => {
                    self.full_screens.push(img);
                    let msg = Msg::Preview(crate::preview::PreviewMsg::FullScreenClosed);
                    let fx = self.app.update(msg, (self.now)());
                    self.dispatch(fx);
                }
            }
        }
    }

    /// Encodes image previews for `graphics` from now on (default: half
    /// blocks), as the runtime does after its terminal probe.
    pub fn set_graphics(&mut self, graphics: crate::preview::Graphics) {
        self.runner = self.runner.clone().with_graphics(graphics);
    }

    /// Applies one message now and runs its effects to completion.
    pub async fn send(&mut self, msg: Msg) {
        let fx = self.app.update(msg, (self.now)());
        self.dispatch(fx);
        self.settle().await;
    }

    /// Waits until every spawned effect has answered (answers may spawn
    /// more effects, which are awaited too).
    pub async fn settle(&mut self) {
        while self.in_flight > 0 {
            let msg = tokio::time::timeout(EFFECT_DEADLINE, self.rx.recv())
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| panic!("an effect did not answer within {EFFECT_DEADLINE:?}"));
            self.in_flight -= 1;
            let fx = self.app.update(msg, (self.now)());
            self.dispatch(fx);
        }
    }

    /// Presses one key given by name (`"j"`, `"ctrl-s"`, `"alt-enter"`, `"tab"`).
    /// Panics on an unknown name (a test typo).
    pub async fn key(&mut self, name: &str) {
        let chord = KeyChord::parse(name).unwrap_or_else(|e| panic!("{e}"));
        self.send(Msg::Key(Key::new(chord.code, chord.mods))).await;
    }

    /// Presses several keys in order.
    pub async fn keys(&mut self, names: &[&str]) {
        for n in names {
            self.key(n).await;
        }
    }

    /// Types text character by character (newlines as Enter).
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            self.send(Msg::Key(Key::plain(code))).await;
        }
    }

    /// Pastes `text` as the terminal does with bracketed paste: one
    /// [`Msg::Paste`] for the whole text.
    pub async fn paste(&mut self, text: &str) {
        self.send(Msg::Paste(text.to_string())).await;
    }

    /// Sends a clock tick (after moving the test clock).
    pub async fn tick(&mut self) {
        self.send(Msg::Tick).await;
    }

    /// Resizes the app's viewport.
    pub async fn resize(&mut self, cols: u16, rows: u16) {
        self.send(Msg::Resize(cols, rows)).await;
    }

    /// Renders the app into a `TestBackend` of the app's viewport size.
    pub fn buffer(&self) -> Buffer {
        let (w, h) = self.app.viewport;
        render_buffer(&self.app, w, h)
    }

    /// The rendered screen as text, one line per row (trailing spaces kept).
    pub fn screen(&self) -> String {
        buffer_text(&self.buffer())
    }
}

/// Renders `app` into a fresh `TestBackend` of `w` x `h` cells.
pub fn render_buffer(app: &App, w: u16, h: u16) -> Buffer {
    let backend = TestBackend::new(w, h);
    let mut term = match Terminal::new(backend) {
        Ok(t) => t,
        Err(e) => panic!("TestBackend terminal: {e}"),
    };
    if let Err(e) = term.draw(|f| crate::ui::render(f, app)) {
        panic!("drawing into TestBackend failed: {e}");
    }
    term.backend().buffer().clone()
}

/// The text of a buffer, one line per row (wide characters once).
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0usize;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            skip = crate::text::width(sym).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}
