//! `Harness`: the runtime loop without a terminal, for tests. It owns the
//! `App`, feeds it `Msg`s, runs effects through the one dispatcher
//! (`effects::dispatch`) and the real [`Runner`] (real HTTP) and waits for
//! their answers; terminal effects are recorded ([`Recorder`]).
//! A test helper: a broken expectation (an effect that never answers, a
//! misspelt key name) panics so that the test fails where it went wrong.
#![allow(clippy::panic)]

use crate::api::{ApiError, Client, Timestamp};
use crate::app::{App, Effect, Key, KeyCode, Msg, Options};
use crate::effects::{Runner, TerminalEffects};
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
    /// Texts handed to the external editor (given back unchanged).
    pub edited: Vec<String>,
    /// How many full repaints were asked for (Ctrl-L).
    pub redraws: usize,
    /// Terminal titles set (`None`: the terminal's own put back).
    pub titles: Vec<Option<String>>,
    /// Alerts: (bell, desktop notification).
    pub alerts: Vec<(bool, Option<crate::app::Note>)>,
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
        // An archive in memory, as `--demo` has: pages and actions are
        // recorded and the archive views read them.
        let store = crate::store::StoreHandle::memory();
        Harness::start_with_store(client, options, keymap, now, viewport, store).await
    }

    /// [`Harness::start`] keeping the archive in `store` (e.g. a file, to
    /// start again where a previous harness left): what the runtime
    /// restores from it at start (the outbox, the mutes) is restored the
    /// same way.
    pub async fn start_with_store(
        client: Client,
        options: Options,
        keymap: Keymap,
        now: NowFn,
        viewport: (u16, u16),
        store: crate::store::StoreHandle,
    ) -> Result<Harness, ApiError> {
        let connect = client.connect().await?;
        let (tx, rx) = unbounded_channel();
        let account = crate::store::Account::new(client.base_url(), &connect.agent.id);
        let mut app = App::new(options.clone(), keymap, &connect, now(), viewport);
        super::setup::restore_outbox(&mut app, &store, &account);
        super::load_mutes(&mut app, &store, &account);
        let recorder = crate::store::Recorder::new(store, account, options.archive);
        let mut h = Harness {
            app,
            runner: Runner::new(client, tx).with_recorder(Some(recorder)),
            rx,
            in_flight: 0,
            now,
            clipboard: Vec::new(),
            saved_drafts: Vec::new(),
            opened: Vec::new(),
            graphics_writes: Vec::new(),
            edited: Vec::new(),
            redraws: 0,
            titles: Vec::new(),
            alerts: Vec::new(),
        };
        let fx = h.app.start();
        h.dispatch(fx);
        h.settle().await;
        Ok(h)
    }

    /// Runs effects through the one dispatcher, terminal effects
    /// recorded; counts the spawned tasks for [`Harness::settle`].
    fn dispatch(&mut self, fx: Vec<Effect>) {
        let mut rec = Recorder {
            clipboard: &mut self.clipboard,
            saved_drafts: &mut self.saved_drafts,
            opened: &mut self.opened,
            graphics_writes: &mut self.graphics_writes,
            edited: &mut self.edited,
            redraws: &mut self.redraws,
            titles: &mut self.titles,
            alerts: &mut self.alerts,
        };
        let now = &self.now;
        let spawned =
            crate::effects::dispatch(&mut self.app, &self.runner, &mut rec, fx, &|| now());
        // Only a terminal can fail; the recorder never does.
        self.in_flight += spawned.unwrap_or_default();
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
            // Upload progress rides along before its task's one answer.
            if !matches!(msg, Msg::PostProgress { .. }) {
                self.in_flight -= 1;
            }
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

/// The harness's [`TerminalEffects`]: records what would touch the
/// terminal or the desktop and answers at once (a browser "opens").
struct Recorder<'a> {
    clipboard: &'a mut Vec<String>,
    saved_drafts: &'a mut Vec<BTreeMap<String, String>>,
    opened: &'a mut Vec<String>,
    graphics_writes: &'a mut Vec<String>,
    edited: &'a mut Vec<String>,
    redraws: &'a mut usize,
    titles: &'a mut Vec<Option<String>>,
    alerts: &'a mut Vec<(bool, Option<crate::app::Note>)>,
}

impl TerminalEffects for Recorder<'_> {
    fn copy(&mut self, text: &str) -> anyhow::Result<()> {
        self.clipboard.push(text.to_string());
        Ok(())
    }

    fn graphics(&mut self, sequence: &str) -> anyhow::Result<()> {
        self.graphics_writes.push(sequence.to_string());
        Ok(())
    }

    fn save_drafts(&mut self, drafts: crate::drafts::Drafts) {
        self.saved_drafts.push(drafts.to_map());
    }

    fn open_url(&mut self, url: &str) -> Option<Result<(), String>> {
        // Never start a browser from tests: record and answer.
        self.opened.push(url.to_string());
        Some(Ok(()))
    }

    fn external_editor(
        &mut self,
        text: &str,
        _what: &str,
    ) -> anyhow::Result<crate::effects::Edited> {
        // Never start an editor from tests: record and give the text back.
        self.edited.push(text.to_string());
        Ok(crate::effects::Edited {
            result: Ok(text.to_string()),
            size: None,
        })
    }

    fn redraw(&mut self) -> anyhow::Result<()> {
        *self.redraws += 1;
        Ok(())
    }

    fn title(&mut self, title: Option<&str>) -> anyhow::Result<()> {
        self.titles.push(title.map(str::to_string));
        Ok(())
    }

    fn alert(&mut self, bell: bool, desktop: Option<&crate::app::Note>) -> anyhow::Result<()> {
        self.alerts.push((bell, desktop.cloned()));
        Ok(())
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
