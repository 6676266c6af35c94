//! The only loop: terminal events, effect results and wake-ups become
//! `Msg`s; `App::update` turns them into effects; the screen is drawn once
//! after each batch of messages (never at a fixed rate).
//!
//! Entry points for `main`: [`startup_check`] (optional, to print key
//! problems before the TUI) and [`run`]. Around the loop: `runtime/setup.rs`
//! (settings and start-up checks), `runtime/terminal.rs` (the real
//! terminal effects, drafts on disk), `runtime/keys.rs` (crossterm keys to
//! the app's), `runtime/signals.rs`. [`Harness`] runs the same dispatch
//! headless for tests.

mod harness;
pub mod keys;
mod profiles;
mod setup;
mod signals;
mod terminal;

pub use harness::{buffer_text, render_buffer, Harness, NowFn};
pub use profiles::Agent;
pub use setup::{startup_check, Settings, NO_TERMINAL};
pub use signals::{SignalEvent, Signals};

use crate::api::Client;
use crate::app::{describe, App, Msg};
use crate::app::{Key, KeyCode};
use crate::drafts::SharedDrafts;
use crate::effects::{self, Runner};
use crate::keymap::Keymap;
use crate::store::{Account, PostRow, Recorder, StoreHandle};
use crate::tui::Tui;
use anyhow::Context;
use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use profiles::{Background, Profile};
use setup::require_terminal;
use std::task::Poll;
use terminal::{save, snapshot, Screen};

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

/// Runs the TUI for one agent: [`run_agents`] with `client` alone.
pub async fn run(client: Client, settings: Settings) -> anyhow::Result<()> {
    run_agents(vec![Agent { client, tag: None }], 0, settings).await
}

/// Runs the TUI until the user quits, holding one app per agent (the
/// profiles of the config; `active` is drawn first): enters the alternate
/// screen and draws a first frame ("connecting…") at once, probes the
/// terminal's graphics, connects every agent (a key problem of the first
/// one drawn leaves the TUI and is returned; of another one, or an
/// unreachable server, opens that app offline, retrying), loops, restores
/// the terminal and saves every agent's drafts — on quit, on
/// `SIGTERM`/`SIGHUP`, when the terminal goes away, on an error of the
/// loop, and (through the panic hook of `tui`, the drawn agent's) on a
/// panic. Drafts saved with an open editor come back in it.
pub async fn run_agents(
    agents: Vec<Agent>,
    active: usize,
    settings: Settings,
) -> anyhow::Result<()> {
    anyhow::ensure!(active < agents.len(), "no agent to open");
    let keymap = Keymap::with_overrides(&settings.config.keys).context("bad [keys] table")?;
    require_terminal()?;
    let mut signals = Signals::new();
    let mut tui = Tui::enter(settings.config.mouse).context("could not set up the terminal")?;
    let size = tui.size()?;
    let mut apps: Vec<App> = agents
        .iter()
        .map(|a| {
            let mut options = settings.options(a.client.base_url());
            options.profile = a.tag.clone();
            App::connecting(options, keymap.clone(), Utc::now(), size)
        })
        .collect();
    if let Some(n) = settings.notice.clone() {
        apps[active].notice(n);
    }
    // The first frame waits for neither the probe nor the network.
    tui.draw(&apps[active])?;
    // Instant start: each account's last feed from the store, at once.
    if let Some(store) = &settings.store {
        for (i, (app, a)) in apps.iter_mut().zip(&agents).enumerate() {
            if show_cached_feed(app, store, &a.client) && i == active {
                tui.draw(app)?;
            }
        }
    }
    // The graphics probe reads stdin: before the input reader starts.
    let (choice, typed_ahead) = if settings.config.previews {
        crate::preview::protocol::detect(settings.config.image_protocol.name())
    } else {
        let env = crate::preview::protocol::TermEnv::from_env();
        (
            crate::preview::protocol::choose("halfblocks", &env, None),
            Vec::new(),
        )
    };
    for app in &mut apps {
        app.options.image_protocol = choice.label();
    }
    let graphics = choice.graphics;
    // Repaint everything: a terminal may have echoed part of the probe;
    // the cached feed stays on screen while `connect` waits.
    tui.clear()?;
    tui.draw(&apps[active])?;
    // Keys wait while `connect` does: at most START_WAIT, then the app
    // runs unconnected (cached feed, retrying) and the first answer that
    // names the agent settles its account (`Profile::settle_account`).
    let connects = futures::future::join_all(agents.iter().map(|a| async {
        tokio::time::timeout(START_WAIT, a.client.connect())
            .await
            .unwrap_or(Err(crate::api::ApiError::Timeout(START_WAIT)))
    }))
    .await;
    if let Err(e) = &connects[active] {
        if e.is_auth_error() || e.failure() == crate::api::Failure::Refused {
            drop(tui);
            return Err(anyhow::anyhow!(crate::text::clean_line(&e.user_message())));
        }
    }
    // Desktop notifications inside tmux go through its passthrough.
    let tmux = crate::tmux::Tmux::from_env();
    if let Some(t) = tmux.as_ref() {
        if settings.config.watch.iter().any(|r| r.desktop) {
            crate::tmux::enable_passthrough(t);
        }
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut profiles = Vec::with_capacity(agents.len());
    for (i, ((mut app, agent), connected)) in apps.into_iter().zip(agents).zip(connects).enumerate()
    {
        // The drafts of this account (before the connect result, whose
        // status line message wins).
        let opened = settings.store.clone().map(|store| {
            let agent_id = connected.as_ref().ok().map(|c| c.agent.id.as_str());
            let (shared, account) =
                open_drafts(&mut app, &store, &agent.client, agent_id, &settings);
            let recorder = Recorder::new(store, account, settings.config.archive);
            (shared, recorder)
        });
        let (shared, recorder) = match opened {
            Some((s, r)) => (Some(s), Some(r)),
            None => (None, None),
        };
        // Without a `connect` answer the account is a guess (remembered
        // for the key, or a stand-in): the first answer that names the
        // agent settles it (`Loop::settle_account`).
        let unsure = recorder
            .clone()
            .filter(|_| connected.is_err())
            .map(|recorder| profiles::Unsure {
                prefix: agent.client.key_prefix().unwrap_or_default().to_string(),
                recorder,
            });
        match connected {
            Ok(connect) => app.connected(&connect, Utc::now()),
            Err(e) => {
                tracing::warn!("connect failed at start-up: {}", describe(&e));
                app.unreachable(e.headline(), Utc::now());
            }
        }
        let runner = Runner::new(agent.client, profiles::tagged_sender(i, tx.clone()))
            .with_recorder(recorder)
            .with_graphics(graphics)
            .with_tmux(tmux.clone());
        profiles.push(Profile {
            app,
            runner,
            shared,
            tag: agent.tag,
            unsure,
        });
    }
    drop(tx);
    crate::tui::set_rescue(profiles[active].shared.clone());
    let mut lp = Loop {
        tui: &mut tui,
        profiles: &mut profiles,
        active,
        events: EventStream::new(),
        panic_key: debug_panic_key_enabled(),
        resized: false,
        typed_ahead,
    };
    let result = lp.run(rx, &mut signals).await;
    let saved: Vec<Option<Result<(), String>>> = profiles
        .iter()
        .map(|p| {
            p.shared.as_ref().map(|shared| {
                snapshot(shared, &p.app);
                save(shared)
            })
        })
        .collect();
    if let Some(store) = &settings.store {
        store.close();
    }
    drop(tui);
    crate::tui::set_rescue(None);
    // A store that fell back to memory (unusable data directory) keeps
    // nothing after the process: the screen is gone, say the drafts here.
    let in_memory = !settings.demo && settings.store.as_ref().is_some_and(|s| s.path().is_none());
    for (p, saved) in profiles.iter().zip(saved) {
        let unsaved = match saved {
            Some(Err(e)) => Some(format!("could not save unsent drafts: {e}")),
            Some(Ok(())) if in_memory => Some(
                "the archive could not be used, so unsent drafts were kept in memory only"
                    .to_string(),
            ),
            _ => None,
        };
        let drafts = p.app.drafts_to_save();
        if let Some(why) = unsaved.filter(|_| !drafts.is_empty()) {
            // The screen is gone: the last chance to say it.
            let whose = p
                .tag
                .as_ref()
                .map(|t| format!(" (profile {})", t.name))
                .unwrap_or_default();
            eprintln!("aispace-tui: {why}{whose}; here they are:");
            for (post, text) in drafts {
                if post == crate::drafts::NEW_POST_KEY {
                    let d = crate::drafts::PostDraft::from_body(&text);
                    eprintln!(
                        "--- the unsent new post ---\n{}",
                        crate::text::clean_block(&d.describe())
                    );
                } else {
                    eprintln!(
                        "--- draft for post {post} ---\n{}",
                        crate::text::clean_block(&text)
                    );
                }
            }
        }
    }
    match &result {
        Ok(exit) => tracing::info!("leaving the TUI: {exit:?}"),
        Err(e) => tracing::error!("the TUI failed: {e:#}"),
    }
    result.map(|_| ())
}

/// Hands `app` the mutes of `account` from `store` (waiting for it, as
/// for the drafts); when they cannot be read, the status line says so.
pub(crate) fn load_mutes(app: &mut App, store: &StoreHandle, account: &Account) {
    match store.mutes_wait(account, crate::store::WAIT) {
        Ok(mutes) => app.set_mutes(mutes),
        Err(e) => app.notice(format!(
            "Could not read your mutes ({}); muted posts show until they can be read.",
            crate::text::clean_line(&e)
        )),
    }
}

/// Finds the account (the agent `connect` answered, else the one remembered
/// for this key at this server, else a stand-in named by the key's public
/// prefix), reads its drafts and mutes from `store` (importing the old drafts file
/// once, for a connected account) and restores them into `app`. Returns
/// the snapshot the exits save, and the account (the archive records
/// under it).
fn open_drafts(
    app: &mut App,
    store: &StoreHandle,
    client: &Client,
    agent_id: Option<&str>,
    settings: &Settings,
) -> (SharedDrafts, Account) {
    let base = client.base_url();
    let prefix = client.key_prefix().unwrap_or_default();
    let (account, legacy) = match agent_id {
        Some(id) => {
            let account = Account::new(base, id);
            store.remember_account(&account, prefix);
            (account, settings.legacy_drafts.clone())
        }
        None => (
            store
                .find_account(base, prefix)
                .unwrap_or_else(|| Account::unconnected(base, prefix)),
            None,
        ),
    };
    let (drafts, warning) = store.load_drafts(&account, legacy);
    app.restore_drafts(drafts.to_map(), drafts.open().map(str::to_string));
    setup::restore_outbox(app, store, &account);
    load_mutes(app, store, &account);
    if let Some(w) = warning {
        app.notice(w);
    }
    (
        SharedDrafts::new(store.clone(), account.clone(), drafts),
        account,
    )
}

/// Longest wait for `connect` before the loop takes keys (a hung server
/// would otherwise hold them for the whole request timeout).
const START_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Most stored rows shown at start (the feed pages in more once live).
const CACHED_ROWS: usize = 100;
/// Longest wait for the store at start (it answers in milliseconds).
const CACHED_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Shows the last feed stored for this key's account at this server (the
/// account remembered at its last successful `connect`), before any
/// network answer. Returns whether there was one.
fn show_cached_feed(app: &mut App, store: &StoreHandle, client: &Client) -> bool {
    let prefix = client.key_prefix().unwrap_or_default();
    let Some(account) = store.find_account(client.base_url(), prefix) else {
        return false;
    };
    // Mutes first: a muted post never shows, not even for a moment.
    load_mutes(app, store, &account);
    let sort = app.sort;
    match store.last_feed_wait(&account, sort.to_api().as_str(), CACHED_ROWS, CACHED_WAIT) {
        Ok(rows) if !rows.is_empty() => {
            let saved = rows
                .iter()
                .map(|r| r.last_seen)
                .max()
                .and_then(chrono::DateTime::from_timestamp_millis)
                .unwrap_or_else(Utc::now);
            app.show_cached(sort, PostRow::page(&rows), saved);
            true
        }
        Ok(_) => false,
        Err(e) => {
            tracing::warn!("could not read the cached feed: {e}");
            false
        }
    }
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
    /// Every agent; `active` is drawn and gets the keys.
    profiles: &'a mut Vec<Profile>,
    active: usize,
    events: EventStream,
    panic_key: bool,
    /// A resize arrived since the last draw.
    resized: bool,
    /// Plain keys typed while the graphics probe waited (replayed at start).
    typed_ahead: Vec<char>,
}

impl Loop<'_> {
    /// The app drawn.
    fn app(&self) -> &App {
        &self.profiles[self.active].app
    }

    async fn run(
        &mut self,
        mut rx: tokio::sync::mpsc::UnboundedReceiver<(usize, Msg)>,
        signals: &mut Signals,
    ) -> anyhow::Result<Exit> {
        // Every agent starts (its feed is there when it is switched to).
        for i in 0..self.profiles.len() {
            let fx = self.profiles[i].app.start();
            self.dispatch(i, fx)?;
        }
        for c in std::mem::take(&mut self.typed_ahead) {
            let code = match c {
                '\r' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            self.apply(self.active, Msg::Key(Key::plain(code)))?;
        }
        let mut dirty = true;
        while !self.app().should_quit {
            if dirty {
                let list = profiles::entries(self.profiles, self.active);
                let app = &mut self.profiles[self.active].app;
                app.set_profiles(list);
                self.tui.draw(app)?;
                dirty = false;
            }
            let (wake, sleep) = self.next_wake();
            let (to, msg) = tokio::select! {
                ev = self.events.next() => match ev {
                    Some(Ok(ev)) => match self.input(ev) {
                        Input::Msg(m) => (self.active, m),
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
                _ = tokio::time::sleep(sleep) => (wake, Msg::Tick),
                sig = signals.next() => match sig {
                    SignalEvent::Continue => {
                        self.tui.resume().context("could not resume the terminal")?;
                        dirty = true;
                        continue;
                    }
                    other => {
                        self.send_held_writes(&mut rx).await;
                        return Ok(Exit::Signal(other));
                    }
                },
            };
            self.apply(to, msg)?;
            // Drain what else is ready (typed-ahead keys, effect results),
            // then draw once. Bounded, so a flood of input still gets drawn.
            for _ in 0..MAX_BATCH {
                if self.app().should_quit {
                    break;
                }
                let msg = match futures::poll!(self.events.next()) {
                    Poll::Ready(Some(Ok(ev))) => match self.input(ev) {
                        Input::Msg(m) => Some((self.active, m)),
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
                if let Some((to, m)) = msg {
                    self.apply(to, m)?;
                }
            }
            for p in self.profiles.iter() {
                if let Some(s) = &p.shared {
                    snapshot(s, &p.app);
                }
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
            Event::Mouse(m) => match keys::app_mouse(&m) {
                Some(m) => Input::Msg(Msg::Mouse(m)),
                None => Input::Ignore,
            },
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
        for p in self.profiles.iter() {
            if let Some(s) = &p.shared {
                snapshot(s, &p.app);
                let _ = save(s);
            }
        }
        self.tui.suspend().context("could not suspend")
    }

    /// Applies `msg` to profile `to`'s app (the drawn one for keys, ticks
    /// and resizes; the one whose runner spawned the task for an answer)
    /// and runs the effects; a profile chosen in the switcher becomes the
    /// drawn one.
    /// Ended by a signal (`SIGTERM`, `SIGHUP`: a closed window): the likes
    /// and medals still in their undo window are sent, as the quit key
    /// sends them, and their answers awaited at most
    /// [`crate::app::QUIT_WAIT_SECS`] (nothing is drawn meanwhile: the
    /// terminal may be gone).
    async fn send_held_writes(
        &mut self,
        rx: &mut tokio::sync::mpsc::UnboundedReceiver<(usize, Msg)>,
    ) {
        for i in 0..self.profiles.len() {
            let fx = self.profiles[i].app.send_held_now();
            if let Err(e) = self.dispatch(i, fx) {
                tracing::warn!("could not send the writes held for undo: {e:#}");
            }
        }
        let wait = std::time::Duration::from_secs(crate::app::QUIT_WAIT_SECS.unsigned_abs());
        let deadline = tokio::time::Instant::now() + wait;
        while self.profiles.iter().any(|p| p.app.writes_unanswered()) {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((to, msg))) => {
                    if let Err(e) = self.apply(to, msg) {
                        tracing::warn!("while sending the held writes: {e:#}");
                    }
                }
                _ => break,
            }
        }
    }

    /// The profile that wants the next tick and how long until then (an
    /// hour when none asks): every profile's app is woken when it asks,
    /// drawn or not, so a hidden one keeps refreshing, resyncing and
    /// sending its outbox.
    fn next_wake(&self) -> (usize, std::time::Duration) {
        let now = Utc::now();
        self.profiles
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.app.next_wake().map(|w| (i, w)))
            .min_by_key(|(_, w)| *w)
            .map(|(i, w)| (i, (w - now).to_std().unwrap_or_default()))
            .unwrap_or((self.active, std::time::Duration::from_secs(3600)))
    }

    fn apply(&mut self, to: usize, msg: Msg) -> anyhow::Result<()> {
        log_msg(&msg);
        let Some(p) = self.profiles.get_mut(to) else {
            return Ok(());
        };
        let fx = p.app.update(msg, Utc::now());
        p.settle_account();
        self.dispatch(to, fx)?;
        if to == self.active {
            if let Some(next) = self.profiles[to].app.take_switch() {
                self.switch(next)?;
            }
        }
        Ok(())
    }

    /// Draws profile `next` from now on. The one left keeps its state (and
    /// its ticks); its drafts are saved now.
    fn switch(&mut self, next: usize) -> anyhow::Result<()> {
        if next == self.active || next >= self.profiles.len() {
            return Ok(());
        }
        let left = &self.profiles[self.active];
        if let Some(s) = &left.shared {
            snapshot(s, &left.app);
            let _ = save(s);
        }
        self.active = next;
        crate::tui::set_rescue(self.profiles[next].shared.clone());
        // Its layout follows the terminal's size now; one full repaint.
        let (w, h) = self.tui.size()?;
        self.resized = true;
        self.apply(next, Msg::Resize(w, h))
    }

    /// Runs the effects of one update of profile `i` through the one
    /// dispatcher (`effects::dispatch`): the drawn profile's with this
    /// terminal as its [`Screen`], another's through [`Background`].
    fn dispatch(&mut self, i: usize, fx: Vec<crate::app::Effect>) -> anyhow::Result<()> {
        let Some(p) = self.profiles.get_mut(i) else {
            return Ok(());
        };
        if i == self.active {
            let mut screen = Screen {
                tui: self.tui,
                events: &mut self.events,
                runner: &p.runner,
                shared: p.shared.as_ref(),
            };
            effects::dispatch(&mut p.app, &p.runner, &mut screen, fx, &Utc::now)?;
        } else {
            let mut background = Background {
                runner: &p.runner,
                shared: p.shared.as_ref(),
            };
            effects::dispatch(&mut p.app, &p.runner, &mut background, fx, &Utc::now)?;
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

/// Most messages applied between two draws.
const MAX_BATCH: usize = 1000;

/// The one deliberate panic (AISPACE_DEBUG_PANIC_KEY=1, then F12): proves
/// that the panic hook restores the terminal (tests/startup_pty.rs).
#[allow(clippy::panic)]
fn debug_panic() -> ! {
    panic!("debug panic trigger (AISPACE_DEBUG_PANIC_KEY=1, F12)");
}
