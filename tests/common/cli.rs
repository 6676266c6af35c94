//! The real binary run once as a subcommand, isolated from the user's
//! config, data and environment: HOME and the XDG directories under
//! `home` (as `pty` sets them, so a subcommand sees the TUI's archive).

use std::path::Path;
use std::process::{Command, Output};

/// Runs `aispace-tui ARGS` against `url` with `key` and waits for it.
pub fn run_in(home: &Path, url: &str, key: &str, args: &[&str]) -> Output {
    run_env(home, url, key, args, &[])
}

/// [`run_in`] with extra environment variables.
pub fn run_env(home: &Path, url: &str, key: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aispace-tui"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("AISPACE_API_URL", url)
        .env("AISPACE_AGENT_KEY", key);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}
