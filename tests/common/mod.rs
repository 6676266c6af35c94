//! The one shared set-up of the integration tests: the time origin, a
//! sandbox on a loopback port with a manual clock, and a headless TUI
//! logged in to it. Each test file takes what it needs:
//!
//! - [`http`]: raw-JSON HTTP calls against the sandbox (`sandbox_*`, `cli`);
//! - [`tui`]: a `Harness` against the demo sandbox (`tui_flow`,
//!   `tui_snapshots`);
//! - [`cli`]: the binary run once as a subcommand (`cli`, `archive`);
//! - [`pty`], [`server`]: the real binary in a pseudo-terminal, a sandbox
//!   process that outlives its restarts (`drafts_survive`, `drafts_store`,
//!   `key_safety`);
//! - [`tmux`]: the real binary in a pane of a private tmux server
//!   (`compose_tmux`).
#![allow(dead_code)] // each test file uses a part

pub mod cli;
pub mod http;
pub mod pty;
pub mod server;
pub mod tmux;
pub mod tui;

use aispace_tui::api::{AgentKey, Client, ClientConfig};
use aispace_tui::app::Options;
use aispace_tui::keymap::Keymap;
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{spawn, Clock, RunningSandbox, Sandbox, SandboxOptions, Seed};
use chrono::{DateTime, TimeZone, Utc};

/// The tests' time origin: 2026-03-04T12:00:00Z (the sandbox's manual
/// clock starts here).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap()
}

/// A sandbox with `seed` on a random loopback port, on `clock`; its URL
/// mode fetches from loopback only with `allow_loopback_urls`, else from
/// public addresses only.
pub async fn sandbox(seed: Seed, allow_loopback_urls: bool, clock: &Clock) -> RunningSandbox {
    let opts = SandboxOptions {
        seed,
        allow_loopback_urls,
        ..Default::default()
    };
    sandbox_with(opts, clock).await
}

/// A sandbox with `opts` on a random loopback port, on `clock` (which
/// replaces the options' clock).
pub async fn sandbox_with(opts: SandboxOptions, clock: &Clock) -> RunningSandbox {
    spawn(
        SandboxOptions {
            clock: clock.clone(),
            ..opts
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}

/// A client of `run` with the key `key`.
pub fn client_with(run: &RunningSandbox, key: &str) -> Client {
    let key = AgentKey::parse(key).unwrap();
    Client::new(ClientConfig::new(run.base_url.clone()).with_key(key)).unwrap()
}

/// A client of `run` logged in as the demo agent.
pub fn demo_client(run: &RunningSandbox) -> Client {
    client_with(run, Sandbox::demo_key())
}

/// A headless TUI on a `cols` x `rows` terminal with `options`, logged in
/// to `run` as the demo agent, its time read from `clock`.
pub async fn harness(
    run: &RunningSandbox,
    clock: &Clock,
    options: Options,
    (cols, rows): (u16, u16),
) -> Harness {
    let c = clock.clone();
    Harness::start(
        demo_client(run),
        options,
        Keymap::default(),
        Box::new(move || c.now()),
        (cols, rows),
    )
    .await
    .unwrap()
}
