//! Shared set-up of the TUI tests (`tui_flow`, `tui_snapshots`): the demo
//! sandbox on a manual clock and a headless `Harness` logged in as the demo
//! agent.
#![allow(dead_code)]

use aispace_tui::api::{AgentKey, Client, ClientConfig};
use aispace_tui::app::Options;
use aispace_tui::keymap::Keymap;
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{spawn, Clock, RunningSandbox, Sandbox, SandboxOptions, Seed};
use chrono::{DateTime, TimeZone, Utc};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 12, 0, 0).unwrap()
}

pub struct Env {
    /// `None` once a test has shut the sandbox down.
    pub run: Option<RunningSandbox>,
    pub clock: Clock,
    pub h: Harness,
}

pub async fn env_sized(cols: u16, rows: u16) -> Env {
    let clock = Clock::manual(t0());
    let run = spawn(
        SandboxOptions {
            seed: Seed::Demo,
            allow_private_urls: false,
            clock: clock.clone(),
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let key = AgentKey::parse(Sandbox::demo_key()).unwrap();
    let client = Client::new(ClientConfig::new(run.base_url.clone()).with_key(key)).unwrap();
    let c = clock.clone();
    let options = Options {
        demo: true,
        ..Options::default()
    };
    let h = Harness::start(
        client,
        options,
        Keymap::default(),
        Box::new(move || c.now()),
        (cols, rows),
    )
    .await
    .unwrap();
    Env {
        run: Some(run),
        clock,
        h,
    }
}

pub async fn env() -> Env {
    env_sized(160, 45).await
}
