//! The only loop: terminal events, effect results and wake-ups become
//! `Msg`s; `App::update` turns them into effects; the screen is drawn once
//! after each batch of messages (never at a fixed rate).
//!
//! Entry points for `main`: [`startup_check`] (optional, to print key
//! problems before the TUI) and [`run`]. [`Harness`] runs the same loop
//! headless for tests.

mod harness;

pub use harness::{buffer_text, render_buffer, Harness, NowFn};

use crate::api::{Client, ConnectResponse};
use crate::app::{App, FeedSort, Msg, Options};
use crate::effects::{osc52, Outcome, Runner, TerminalEffect};
use crate::keymap::Keymap;
use crate::tui::Tui;
use anyhow::Context;
use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::task::Poll;

/// Saves the drafts (post id -> text) when the TUI quits.
pub type SaveDrafts = Box<dyn FnMut(&BTreeMap<String, String>) -> anyhow::Result<()> + Send>;

/// Everything the TUI needs besides the client.
pub struct Settings {
    /// The config file's `[keys]` table: action name -> key names (see
    /// `keymap::Keymap::with_overrides`).
    pub key_overrides: BTreeMap<String, Vec<String>>,
    /// Auto-refresh the visible feed every N seconds; 0 = never.
    pub refresh_secs: u64,
    /// Refuse like / medal / comment.
    pub readonly: bool,
    /// Image previews on/off.
    pub previews: bool,
    /// Image protocol choice (e.g. `auto`, `kitty`, `sixel`, `halfblocks`).
    pub image_protocol: String,
    /// Decoded-image cache budget in MiB (0 = no cache).
    pub image_cache_mb: u64,
    /// Most posts kept per feed list; 0 = no cap.
    pub feed_cap: usize,
    /// The sort shown first.
    pub initial_sort: FeedSort,
    /// Shown in the header: connected to the built-in demo sandbox.
    pub demo: bool,
    /// Drafts loaded from disk (post id -> text).
    pub drafts: BTreeMap<String, String>,
    /// Called with the drafts on quit; `None` = drafts are not persisted.
    pub save_drafts: Option<SaveDrafts>,
    /// A sandbox to keep alive while the TUI runs (`--demo`).
    pub sandbox: Option<crate::sandbox::RunningSandbox>,
    /// A message for the status line at start (e.g. a drafts-file warning).
    pub notice: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            key_overrides: BTreeMap::new(),
            refresh_secs: 0,
            feed_cap: 2000,
            readonly: false,
            previews: true,
            image_protocol: "auto".into(),
            image_cache_mb: 64,
            initial_sort: FeedSort::Latest,
            demo: false,
            drafts: BTreeMap::new(),
            save_drafts: None,
            sandbox: None,
            notice: None,
        }
    }
}

impl Settings {
    /// Settings from the merged config (`[keys]`, refresh, previews, image
    /// protocol, feed cap, read-only); the rest keeps its default.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Settings {
            key_overrides: config.keys.clone(),
            refresh_secs: config.refresh_secs,
            readonly: config.readonly,
            previews: config.previews,
            image_protocol: config.image_protocol.name().to_string(),
            image_cache_mb: config.image_cache_mb,
            feed_cap: config.feed_cap,
            ..Settings::default()
        }
    }

    /// Loads drafts from `path` and saves them back there on quit. A
    /// missing file means no drafts; an unreadable or corrupt one becomes
    /// the start-up notice (drafts.rs moves a corrupt file aside).
    pub fn with_drafts_file(mut self, path: std::path::PathBuf) -> Self {
        let (drafts, warning) = crate::drafts::Drafts::load(&path);
        self.drafts = drafts
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if warning.is_some() {
            self.notice = warning;
        }
        self.save_drafts = Some(Box::new(move |map| {
            let mut d = crate::drafts::Drafts::new();
            for (k, v) in map {
                d.set(k, v.clone());
            }
            d.save(&path).map_err(|e| anyhow::anyhow!("{e}"))
        }));
        self
    }

    /// The app options these settings describe, for a client at `base_url`.
    pub fn options(&self, base_url: &str) -> Options {
        Options {
            readonly: self.readonly,
            previews: self.previews,
            image_protocol: self.image_protocol.clone(),
            image_cache_bytes: usize::try_from(self.image_cache_mb.saturating_mul(1024 * 1024))
                .unwrap_or(usize::MAX),
            refresh_secs: self.refresh_secs,
            feed_cap: self.feed_cap,
            initial_sort: self.initial_sort,
            demo: self.demo,
            base_url: base_url.to_string(),
            utc_offset_secs: chrono::Local::now().offset().local_minus_utc(),
        }
    }
}

/// `POST /api/agent/connect`; a missing, malformed, invalid, revoked or
/// suspended key (or an unreachable server) is an error whose message is
/// one clear sentence (`ApiError::user_message`), to print before the TUI.
///
/// Transient failures (network, timeout, 5xx, 429) are retried up to
/// [`STARTUP_ATTEMPTS`] times with a short back-off (0.5 s, 1 s, ...);
/// an auth refusal is final at once.
pub async fn startup_check(client: &Client) -> anyhow::Result<ConnectResponse> {
    let mut delay = std::time::Duration::from_millis(500);
    let mut attempt = 1;
    loop {
        match client.connect().await {
            Ok(r) => return Ok(r),
            Err(e) if e.is_retryable() && attempt < STARTUP_ATTEMPTS => {
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            Err(e) => return Err(anyhow::anyhow!(crate::text::clean_line(&e.user_message()))),
        }
    }
}

/// How many times [`startup_check`] tries `connect` before giving up.
pub const STARTUP_ATTEMPTS: u32 = 4;

/// Runs the TUI until the user quits: connects (errors are returned before
/// the terminal is touched), enters the alternate screen, loops, restores
/// the terminal (also on error and panic) and saves drafts.
pub async fn run(client: Client, mut settings: Settings) -> anyhow::Result<()> {
    let keymap = Keymap::with_overrides(&settings.key_overrides).context("bad [keys] table")?;
    let connect = startup_check(&client).await?;
    let mut tui = Tui::enter().context("could not set up the terminal")?;
    // The graphics probe reads stdin: before the input reader starts.
    let graphics = if settings.previews {
        crate::preview::protocol::detect(&settings.image_protocol)
    } else {
        crate::preview::Graphics::halfblocks(&crate::preview::protocol::TermEnv::from_env())
    };
    // Repaint everything: a terminal may have echoed part of the probe.
    tui.clear()?;
    let size = tui.size()?;
    let mut options = settings.options(client.base_url());
    options.image_protocol = graphics.label();
    let mut app = App::new(options, keymap, &connect, Utc::now(), size);
    app.drafts = std::mem::take(&mut settings.drafts);
    if let Some(n) = settings.notice.take() {
        app.notice(n);
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(client, tx).with_graphics(graphics);
    let mut events = EventStream::new();
    let fx = app.start();
    dispatch(&runner, &mut tui, &mut settings, &mut events, fx)?;
    let mut dirty = true;
    // A resize arrived since the last draw.
    let mut resized = false;

    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;

    while !app.should_quit {
        if dirty {
            tui.draw(&app)?;
            dirty = false;
        }
        let sleep = app
            .next_wake()
            .map(|w| (w - Utc::now()).to_std().unwrap_or_default())
            .unwrap_or(std::time::Duration::from_secs(3600));
        #[cfg(unix)]
        let signal = async {
            tokio::select! {
                _ = term.recv() => {},
                _ = hup.recv() => {},
            }
        };
        #[cfg(not(unix))]
        let signal = std::future::pending::<()>();
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => match input_msg(ev, &mut resized) {
                    Some(m) => m,
                    None => continue,
                },
                Some(Err(e)) => return Err(e).context("reading terminal input failed"),
                None => break,
            },
            Some(m) = rx.recv() => m,
            _ = tokio::time::sleep(sleep) => Msg::Tick,
            _ = signal => {
                save(&mut settings, &app.drafts_to_save());
                break;
            }
        };
        let fx = app.update(msg, Utc::now());
        dispatch(&runner, &mut tui, &mut settings, &mut events, fx)?;
        // Drain what else is ready (typed-ahead keys, effect results), then
        // draw once. Bounded, so a flood of input still gets drawn.
        let mut input_closed = false;
        for _ in 0..MAX_BATCH {
            if app.should_quit {
                break;
            }
            let msg = match futures::poll!(events.next()) {
                Poll::Ready(Some(Ok(ev))) => input_msg(ev, &mut resized),
                Poll::Ready(Some(Err(e))) => {
                    return Err(e).context("reading terminal input failed")
                }
                Poll::Ready(None) => {
                    input_closed = true;
                    None
                }
                Poll::Pending => match rx.try_recv() {
                    Ok(m) => Some(m),
                    Err(_) => break,
                },
            };
            if let Some(m) = msg {
                let fx = app.update(m, Utc::now());
                dispatch(&runner, &mut tui, &mut settings, &mut events, fx)?;
            }
            if input_closed {
                break;
            }
        }
        if input_closed {
            break;
        }
        if std::mem::take(&mut resized) {
            // One full repaint for a whole burst of resizes.
            tui.clear()?;
        }
        dirty = true;
    }
    drop(tui);
    if let Some(running) = settings.sandbox.take() {
        running.shutdown().await;
    }
    Ok(())
}

/// Most messages applied between two draws.
const MAX_BATCH: usize = 1000;

/// The message for one terminal event (`None`: not one the app uses). A
/// resize sets `resized`: the next draw is a full repaint (once per batch,
/// however many resizes the batch held).
fn input_msg(ev: Event, resized: &mut bool) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => {
            *resized = true;
            Some(Msg::Resize(w, h))
        }
        _ => None,
    }
}

fn save(settings: &mut Settings, drafts: &BTreeMap<String, String>) {
    if let Some(f) = settings.save_drafts.as_mut() {
        if let Err(e) = f(drafts) {
            tracing::warn!("could not save drafts: {e:#}");
        }
    }
}

fn dispatch(
    runner: &Runner,
    tui: &mut Tui,
    settings: &mut Settings,
    events: &mut EventStream,
    fx: Vec<crate::app::Effect>,
) -> anyhow::Result<()> {
    for effect in fx {
        if let Outcome::Terminal(t) = runner.run(effect) {
            match t {
                TerminalEffect::Copy(text) => tui.write_raw(&osc52(&text))?,
                TerminalEffect::SaveDrafts(d) => save(settings, &d),
                TerminalEffect::Quit => {}
                TerminalEffect::Graphics(seq) => tui.write_raw(&seq)?,
                TerminalEffect::FullScreen(img) => full_screen(runner, tui, events, &img)?,
            }
        }
    }
    Ok(())
}

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
