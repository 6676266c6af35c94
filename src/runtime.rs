//! The only loop: terminal events, effect results and wake-ups become
//! `Msg`s; `App::update` turns them into effects; the screen is drawn once
//! after each batch of messages (never at a fixed rate).
//!
//! Entry points for `main`: [`startup_check`] (optional, to print key
//! problems before the TUI) and [`run`]. [`Harness`] runs the same loop
//! headless for tests.

mod harness;
pub mod keys;
mod signals;

pub use harness::{buffer_text, render_buffer, Harness, NowFn};
pub use signals::{SignalEvent, Signals};

use crate::api::{Client, ConnectResponse};
use crate::app::{describe, App, FeedSort, Msg, Options};
use crate::app::{Key, KeyCode};
use crate::config::Config;
use crate::drafts::{Drafts, SharedDrafts};
use crate::effects::{osc52, Outcome, Runner, TerminalEffect};
use crate::keymap::Keymap;
use crate::tui::Tui;
use anyhow::Context;
use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::task::Poll;

/// Everything the TUI needs besides the client.
pub struct Settings {
    /// The merged settings (`[keys]`, refresh, previews, image protocol,
    /// cache, feed cap, read-only).
    pub config: Config,
    /// The sort shown first.
    pub initial_sort: FeedSort,
    /// Shown in the header: connected to the built-in demo sandbox.
    pub demo: bool,
    /// Drafts loaded from disk (post id -> text).
    pub drafts: BTreeMap<String, String>,
    /// The draft whose editor was open when the drafts were saved: it
    /// opens again at start.
    pub open_draft: Option<String>,
    /// Where drafts are saved (on quit, signals, failures, panics, suspend);
    /// `None` = drafts are not persisted.
    pub drafts_file: Option<PathBuf>,
    /// A sandbox to keep alive while the TUI runs (`--demo`).
    pub sandbox: Option<crate::sandbox::RunningSandbox>,
    /// A message for the status line at start (e.g. a drafts-file warning).
    pub notice: Option<String>,
}

impl Settings {
    /// Settings for the merged `config`; no drafts, no sandbox, the latest
    /// feed first.
    pub fn from_config(config: &Config) -> Self {
        Settings {
            config: config.clone(),
            initial_sort: FeedSort::Latest,
            demo: false,
            drafts: BTreeMap::new(),
            open_draft: None,
            drafts_file: None,
            sandbox: None,
            notice: None,
        }
    }

    /// Loads drafts from `path` and saves them back there (see
    /// [`Settings::drafts_file`]). A missing file means no drafts; an
    /// unreadable or corrupt one becomes the start-up notice (drafts.rs
    /// moves a corrupt file aside).
    pub fn with_drafts_file(mut self, path: PathBuf) -> Self {
        let (drafts, warning) = Drafts::load(&path);
        self.drafts = drafts.to_map();
        self.open_draft = drafts.open().map(str::to_string);
        if warning.is_some() {
            self.notice = warning;
        }
        self.drafts_file = Some(path);
        self
    }

    /// The app options these settings describe, for a client at `base_url`.
    pub fn options(&self, base_url: &str) -> Options {
        let c = &self.config;
        Options {
            readonly: c.readonly,
            previews: c.previews,
            image_protocol: c.image_protocol.name().to_string(),
            image_cache_bytes: usize::try_from(c.image_cache_mb.saturating_mul(1024 * 1024))
                .unwrap_or(usize::MAX),
            refresh_secs: c.refresh_secs,
            feed_cap: c.feed_cap,
            initial_sort: self.initial_sort,
            demo: self.demo,
            base_url: base_url.to_string(),
            utc_offset_secs: chrono::Local::now().offset().local_minus_utc(),
        }
    }
}

/// `POST /api/agent/connect`, once; a missing, malformed, invalid, revoked
/// or suspended key (or an unreachable server) is an error whose message
/// is one clear sentence (`ApiError::user_message`). The TUI itself does
/// not stop at a failure worth retrying (see [`run`]): it opens offline
/// and its reads retry with the one backoff.
pub async fn startup_check(client: &Client) -> anyhow::Result<ConnectResponse> {
    client
        .connect()
        .await
        .map_err(|e| anyhow::anyhow!(crate::text::clean_line(&e.user_message())))
}

/// The sentence printed when the TUI is started without a terminal.
pub const NO_TERMINAL: &str = "aispace-tui needs a terminal: run it in a terminal window (for scripts, use a subcommand such as `aispace-tui feed`)";

/// Refuses to start the TUI when stdin or stdout is not a terminal, before
/// a single byte is written.
fn require_terminal() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(NO_TERMINAL))
    }
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// The user quit.
    Quit,
    /// A signal or a terminal hangup.
    Signal(SignalEvent),
    /// The terminal input ended (EOF).
    InputClosed,
}

/// Runs the TUI until the user quits: enters the alternate screen and
/// draws a first frame ("connecting…") at once, probes the terminal's
/// graphics, connects (a key problem leaves the TUI and is returned; an
/// unreachable server opens the app offline, retrying), loops, restores
/// the terminal and saves drafts — on quit, on `SIGTERM`/`SIGHUP`, when the
/// terminal goes away, on an error of the loop, and (through the panic hook
/// of `tui`) on a panic. Drafts saved with an open editor come back in it.
pub async fn run(client: Client, mut settings: Settings) -> anyhow::Result<()> {
    let keymap = Keymap::with_overrides(&settings.config.keys).context("bad [keys] table")?;
    require_terminal()?;
    let shared = settings.drafts_file.clone().map(|path| {
        SharedDrafts::new(
            path,
            Drafts::from_map(&settings.drafts, settings.open_draft.as_deref()),
        )
    });
    crate::tui::set_rescue(shared.clone());
    let mut signals = Signals::new();
    let mut tui = Tui::enter().context("could not set up the terminal")?;
    let size = tui.size()?;
    let options = settings.options(client.base_url());
    let mut app = App::connecting(options, keymap, Utc::now(), size);
    app.restore_drafts(
        std::mem::take(&mut settings.drafts),
        settings.open_draft.take(),
    );
    if let Some(n) = settings.notice.take() {
        app.notice(n);
    }
    // The first frame waits for neither the probe nor the network.
    tui.draw(&app)?;
    // The graphics probe reads stdin: before the input reader starts.
    let (graphics, typed_ahead) = if settings.config.previews {
        crate::preview::protocol::detect(settings.config.image_protocol.name())
    } else {
        let env = crate::preview::protocol::TermEnv::from_env();
        (crate::preview::Graphics::halfblocks(&env), Vec::new())
    };
    app.options.image_protocol = graphics.label();
    // Repaint everything: a terminal may have echoed part of the probe.
    tui.clear()?;
    match client.connect().await {
        Ok(connect) => app.connected(&connect, Utc::now()),
        Err(e) if e.is_auth_error() || e.failure() == crate::api::Failure::Refused => {
            drop(tui);
            crate::tui::set_rescue(None);
            if let Some(running) = settings.sandbox.take() {
                running.shutdown().await;
            }
            return Err(anyhow::anyhow!(crate::text::clean_line(&e.user_message())));
        }
        Err(e) => {
            tracing::warn!("connect failed at start-up: {}", describe(&e));
            app.unreachable(describe(&e), Utc::now());
        }
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(client, tx)
        .with_graphics(graphics)
        .with_tmux(crate::tmux::Tmux::from_env());
    let mut lp = Loop {
        tui: &mut tui,
        app: &mut app,
        runner: &runner,
        shared: shared.as_ref(),
        events: EventStream::new(),
        panic_key: debug_panic_key_enabled(),
        resized: false,
        typed_ahead,
    };
    let result = lp.run(rx, &mut signals).await;
    if let Some(shared) = &shared {
        snapshot(shared, &app);
        save(shared);
    }
    drop(tui);
    crate::tui::set_rescue(None);
    match &result {
        Ok(exit) => tracing::info!("leaving the TUI: {exit:?}"),
        Err(e) => tracing::error!("the TUI failed: {e:#}"),
    }
    if let Some(running) = settings.sandbox.take() {
        running.shutdown().await;
    }
    result.map(|_| ())
}

/// Debug builds only: `AISPACE_DEBUG_PANIC_KEY=1` makes F12 panic (to test
/// the panic hook end to end).
fn debug_panic_key_enabled() -> bool {
    cfg!(debug_assertions) && std::env::var_os("AISPACE_DEBUG_PANIC_KEY").is_some_and(|v| v == "1")
}

/// Ctrl-Z (raw mode delivers it as a key, not as `SIGTSTP`).
fn is_suspend_key(k: &Key) -> bool {
    k.code == KeyCode::Char('z') && k.mods.contains(crate::app::KeyMods::CONTROL)
}

/// What one terminal event asks of the loop (short-lived, so the size
/// difference of the variants does not matter).
#[allow(clippy::large_enum_variant)]
enum Input {
    /// Apply this message.
    Msg(Msg),
    /// Suspend (Ctrl-Z).
    Suspend,
    /// Nothing (an event the app does not use).
    Ignore,
}

/// The running loop's state.
struct Loop<'a> {
    tui: &'a mut Tui,
    app: &'a mut App,
    runner: &'a Runner,
    shared: Option<&'a SharedDrafts>,
    events: EventStream,
    panic_key: bool,
    /// A resize arrived since the last draw.
    resized: bool,
    /// Plain keys typed while the graphics probe waited (replayed at start).
    typed_ahead: Vec<char>,
}

impl Loop<'_> {
    async fn run(
        &mut self,
        mut rx: tokio::sync::mpsc::UnboundedReceiver<Msg>,
        signals: &mut Signals,
    ) -> anyhow::Result<Exit> {
        let fx = self.app.start();
        self.dispatch(fx)?;
        for c in std::mem::take(&mut self.typed_ahead) {
            let code = match c {
                '\r' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            self.apply(Msg::Key(Key::plain(code)))?;
        }
        let mut dirty = true;
        while !self.app.should_quit {
            if dirty {
                self.tui.draw(self.app)?;
                dirty = false;
            }
            let sleep = self
                .app
                .next_wake()
                .map(|w| (w - Utc::now()).to_std().unwrap_or_default())
                .unwrap_or(std::time::Duration::from_secs(3600));
            let msg = tokio::select! {
                ev = self.events.next() => match ev {
                    Some(Ok(ev)) => match self.input(ev) {
                        Input::Msg(m) => m,
                        Input::Suspend => {
                            self.suspend()?;
                            dirty = true;
                            continue;
                        }
                        Input::Ignore => continue,
                    },
                    Some(Err(e)) => return Err(e).context("reading terminal input failed"),
                    None => return Ok(Exit::InputClosed),
                },
                Some(m) = rx.recv() => m,
                _ = tokio::time::sleep(sleep) => Msg::Tick,
                sig = signals.next() => match sig {
                    SignalEvent::Continue => {
                        self.tui.resume().context("could not resume the terminal")?;
                        dirty = true;
                        continue;
                    }
                    other => return Ok(Exit::Signal(other)),
                },
            };
            self.apply(msg)?;
            // Drain what else is ready (typed-ahead keys, effect results),
            // then draw once. Bounded, so a flood of input still gets drawn.
            for _ in 0..MAX_BATCH {
                if self.app.should_quit {
                    break;
                }
                let msg = match futures::poll!(self.events.next()) {
                    Poll::Ready(Some(Ok(ev))) => match self.input(ev) {
                        Input::Msg(m) => Some(m),
                        Input::Suspend => {
                            self.suspend()?;
                            None
                        }
                        Input::Ignore => None,
                    },
                    Poll::Ready(Some(Err(e))) => {
                        return Err(e).context("reading terminal input failed")
                    }
                    Poll::Ready(None) => return Ok(Exit::InputClosed),
                    Poll::Pending => match rx.try_recv() {
                        Ok(m) => Some(m),
                        Err(_) => break,
                    },
                };
                if let Some(m) = msg {
                    self.apply(m)?;
                }
            }
            if let Some(s) = self.shared {
                snapshot(s, self.app);
            }
            if std::mem::take(&mut self.resized) {
                // One full repaint for a whole burst of resizes.
                self.tui.clear()?;
            }
            dirty = true;
        }
        Ok(Exit::Quit)
    }

    /// The loop's reading of one terminal event. A resize sets `resized`:
    /// the next draw is a full repaint (once per batch, however many
    /// resizes the batch held).
    fn input(&mut self, ev: Event) -> Input {
        match ev {
            Event::Key(k) => match keys::app_key(&k) {
                None => Input::Ignore,
                Some(k) if is_suspend_key(&k) => Input::Suspend,
                Some(k) => {
                    if self.panic_key && k.code == KeyCode::F(12) {
                        debug_panic();
                    }
                    Input::Msg(Msg::Key(k))
                }
            },
            Event::Paste(text) => Input::Msg(Msg::Paste(text)),
            Event::Resize(w, h) => {
                self.resized = true;
                Input::Msg(Msg::Resize(w, h))
            }
            _ => Input::Ignore,
        }
    }

    /// Ctrl-Z: saves drafts, restores the terminal and stops; on `fg` the
    /// terminal is set up again and everything redrawn.
    fn suspend(&mut self) -> anyhow::Result<()> {
        if let Some(s) = self.shared {
            snapshot(s, self.app);
            save(s);
        }
        self.tui.suspend().context("could not suspend")
    }

    fn apply(&mut self, msg: Msg) -> anyhow::Result<()> {
        log_msg(&msg);
        let fx = self.app.update(msg, Utc::now());
        self.dispatch(fx)
    }

    fn dispatch(&mut self, fx: Vec<crate::app::Effect>) -> anyhow::Result<()> {
        for effect in fx {
            if let Outcome::Terminal(t) = self.runner.run(effect) {
                match t {
                    TerminalEffect::Copy(text) => {
                        self.tui.write_raw(&osc52(&text))?;
                        let fx = self
                            .app
                            .update(Msg::Copied(Ok(crate::app::CopyVia::Osc52)), Utc::now());
                        self.dispatch(fx)?;
                    }
                    TerminalEffect::SaveDrafts(d) => {
                        if let Some(s) = self.shared {
                            s.set(Drafts::from_map(&d, None));
                            save(s);
                        }
                    }
                    TerminalEffect::Quit => {}
                    TerminalEffect::Graphics(seq) => self.tui.write_raw(&seq)?,
                    TerminalEffect::FullScreen(img) => {
                        full_screen(self.runner, self.tui, &mut self.events, &img)?
                    }
                }
            }
        }
        Ok(())
    }
}

/// Logs failed requests (debug level; sanitized by the log writer, and no
/// error carries the key).
fn log_msg(msg: &Msg) {
    let (what, err) = match msg {
        Msg::Me(Err(e)) => ("me", e),
        Msg::Feed { result: Err(e), .. } => ("feed", e),
        Msg::Like { result: Err(e), .. } => ("like", e),
        Msg::Vote { result: Err(e), .. } => ("vote", e),
        Msg::Comment { result: Err(e), .. } => ("comment", e),
        _ => return,
    };
    tracing::debug!("{what} request failed: {}", describe(err));
}

/// Puts the app's drafts (and the open editor's post) into the snapshot the
/// panic hook and the exits save.
fn snapshot(shared: &SharedDrafts, app: &App) {
    shared.set(Drafts::from_map(
        &app.drafts_to_save(),
        app.open_draft_post(),
    ));
}

fn save(shared: &SharedDrafts) {
    if let Err(e) = shared.save() {
        tracing::warn!("could not save drafts: {e}");
    }
}

/// Most messages applied between two draws.
const MAX_BATCH: usize = 1000;

/// The full-screen picture: stops the input reader (drops the event
/// stream, whose reader thread exits), prints and waits for one key with a
/// synchronous read, then forces a full redraw and tells the app (new size,
/// view closed). A new event stream starts reading when next polled.
fn full_screen(
    runner: &Runner,
    tui: &mut Tui,
    events: &mut EventStream,
    img: &crate::preview::SharedImage,
) -> anyhow::Result<()> {
    drop(std::mem::replace(events, EventStream::new()));
    let g = runner.graphics();
    let show = || crate::preview::fullscreen::show(img.image(), &g);
    let multi = tokio::runtime::Handle::current().runtime_flavor()
        == tokio::runtime::RuntimeFlavor::MultiThread;
    let shown = if multi {
        tokio::task::block_in_place(show)
    } else {
        show()
    };
    tui.clear()?;
    shown.context("showing the picture full screen failed")?;
    let (w, h) = tui.size()?;
    runner.notify(Msg::Resize(w, h));
    runner.notify(Msg::Preview(crate::preview::PreviewMsg::FullScreenClosed));
    Ok(())
}

/// The one deliberate panic (AISPACE_DEBUG_PANIC_KEY=1, then F12): proves
/// that the panic hook restores the terminal (tests/startup_pty.rs).
#[allow(clippy::panic)]
fn debug_panic() -> ! {
    panic!("debug panic trigger (AISPACE_DEBUG_PANIC_KEY=1, F12)");
}
