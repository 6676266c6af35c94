//! A headless TUI (`Harness`) logged in to the demo sandbox on a manual
//! clock (the `tui_flow` and `tui_snapshots` tests).

pub use super::t0;
use aispace_tui::app::Options;
use aispace_tui::runtime::Harness;
use aispace_tui::sandbox::{Clock, RunningSandbox, Seed};

pub struct Env {
    /// `None` once a test has shut the sandbox down.
    pub run: Option<RunningSandbox>,
    pub clock: Clock,
    pub h: Harness,
}

pub async fn env_sized(cols: u16, rows: u16) -> Env {
    let clock = Clock::manual(t0());
    let run = super::sandbox(Seed::Demo, false, &clock).await;
    let options = Options {
        demo: true,
        ..Options::default()
    };
    let h = super::harness(&run, &clock, options, (cols, rows)).await;
    Env {
        run: Some(run),
        clock,
        h,
    }
}

pub async fn env() -> Env {
    env_sized(160, 45).await
}

/// Like [`env_sized`] with `options`, but `prepare` runs on the sandbox
/// before the TUI starts (to script hostile answers).
pub async fn env_prepared(
    cols: u16,
    rows: u16,
    options: Options,
    prepare: impl FnOnce(&aispace_tui::sandbox::Sandbox),
) -> Env {
    let clock = Clock::manual(t0());
    let run = super::sandbox(Seed::Demo, false, &clock).await;
    prepare(&run.sandbox);
    let options = Options {
        demo: true,
        ..options
    };
    let h = super::harness(&run, &clock, options, (cols, rows)).await;
    Env {
        run: Some(run),
        clock,
        h,
    }
}
