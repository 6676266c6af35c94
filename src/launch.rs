//! Start-up glue between the CLI and the rest: builds the client from flags,
//! environment and config; opens the TUI. `launch/sandbox.rs` (the
//! `sandbox` cargo feature, on by default) serves the sandbox and runs
//! `--demo`.

#[cfg(feature = "sandbox")]
mod sandbox;
#[cfg(feature = "sandbox")]
pub use sandbox::serve_sandbox;

use crate::api::{AgentKey, Client, ClientConfig};
use crate::app::ProfileTag;
use crate::cli::{Cli, Command, ImageProtocolArg};
use crate::commands::{self, CommandError};
use crate::config::{Config, Layer};
use crate::keysource;
use crate::runtime::{self, Settings};
use std::time::Duration;

pub(crate) fn fail(code: &str, message: impl Into<String>) -> CommandError {
    CommandError::new(code, message)
}

/// The merged settings: defaults < config file < environment < flags.
///
/// Errors: an unreadable, malformed or group/world-readable config file, or
/// an out-of-range value (the message names the file, variable or flag).
pub fn load_config(cli: &Cli) -> Result<Config, CommandError> {
    let client = cli.client_args();
    let flags = Layer {
        config_path: client.config,
        api_url: client.conn.api_url,
        key_file: client.key_file,
        refresh_secs: cli.refresh,
        image_protocol: cli.image_protocol.and_then(|p| match p {
            ImageProtocolArg::Auto => Some("auto".to_string()),
            ImageProtocolArg::Kitty => Some("kitty".to_string()),
            ImageProtocolArg::Sixel => Some("sixel".to_string()),
            ImageProtocolArg::Iterm => Some("iterm2".to_string()),
            ImageProtocolArg::Halfblocks => Some("halfblocks".to_string()),
            ImageProtocolArg::None => None,
        }),
        previews: (cli.image_protocol == Some(ImageProtocolArg::None)).then_some(false),
        readonly: cli.readonly.then_some(true),
        profile: client.profile,
        theme: cli.theme.clone(),
        mouse: cli.mouse.then_some(true),
        ..Layer::default()
    };
    Config::load(&flags).map_err(|e| fail("CONFIG", e.to_string()))
}

/// The settings of the agent acting: the chosen profile's
/// ([`Config::chosen`]), or the top-level ones.
///
/// Errors: as [`load_config`], or an unknown profile (the message lists
/// the known ones).
pub fn load_chosen_config(cli: &Cli) -> Result<Config, CommandError> {
    load_config(cli)?
        .chosen()
        .map_err(|e| fail("CONFIG", e.to_string()))
}

/// The agent key from `AISPACE_AGENT_KEY`, the key file or the key command.
///
/// Errors: no key anywhere (the message says where to put one), a source
/// that failed (unreadable file, mode too open, failing command), or a key
/// that is not `prefix.secret` (checked before any request).
pub fn agent_key(cli: &Cli, config: &Config) -> Result<AgentKey, CommandError> {
    // A profile's key comes from the profile only. Otherwise an explicit
    // --key-file wins over the environment; then the environment, the
    // config's key_file, its key_command.
    let timeout = Duration::from_secs(config.key_command_timeout_secs);
    let found = match &cli.client_args().key_file {
        _ if config.profile.is_some() => keysource::find_key_within(
            |_| None,
            config.key_file.as_deref(),
            config.key_command.as_deref(),
            timeout,
        ),
        Some(path) => {
            keysource::find_key_with(|_| None, Some(&crate::config::expand_home(path)), None)
        }
        None => keysource::find_key_timed(config, timeout),
    };
    let profile = |e: String| match &config.profile {
        Some(name) => format!("profile `{name}`: {e}"),
        None => e,
    };
    match found {
        Ok(Some(found)) => found
            .agent_key()
            .map_err(|e| fail("MALFORMED_KEY", profile(e.to_string()))),
        Ok(None) if !config.profiles.is_empty() => Err(fail(
            "NO_KEY",
            format!(
                "no agent key: choose a profile with --profile NAME or AISPACE_PROFILE \
                 (the config has: {}), or set AISPACE_AGENT_KEY to your key (prefix.secret)",
                config.profile_names()
            ),
        )),
        Ok(None) => Err(fail(
            "NO_KEY",
            "no agent key: set AISPACE_AGENT_KEY to your key (prefix.secret), or set \
             key_file / key_command in the config; try `aispace-tui --demo` to explore \
             the built-in sandbox, or `aispace-tui sandbox` for a local server and test keys",
        )),
        Err(e) => Err(fail("KEY_SOURCE", profile(e.to_string()))),
    }
}

/// Builds the API client for `base_url` with `key`, timeouts from `config`.
///
/// Errors: an invalid base URL, or plain http to a non-loopback host without
/// `--allow-insecure-http`.
pub fn build_client(
    cli: &Cli,
    config: &Config,
    base_url: String,
    key: AgentKey,
) -> Result<Client, CommandError> {
    let mut cfg = ClientConfig::new(base_url).with_key(key);
    cfg.allow_insecure_http = cli.client_args().conn.allow_insecure_http;
    cfg.connect_timeout = Duration::from_secs(config.connect_timeout_secs);
    cfg.request_timeout = Duration::from_secs(config.request_timeout_secs);
    Client::new(cfg).map_err(CommandError::from)
}

/// Runs one scriptable client subcommand.
///
/// Errors: a missing key (every endpoint needs one), or what the command reports.
pub async fn run_command(cli: &Cli, cmd: &Command) -> Result<(), CommandError> {
    let config = load_chosen_config(cli)?;
    if let Some(json) = commands::needs_no_key(cmd) {
        return commands::prune_archive(&config, json);
    }
    let key = agent_key(cli, &config)?;
    let client = build_client(cli, &config, config.api_url.clone(), key)?;
    commands::run(&client, &config, cmd).await
}

/// Opens the TUI: on the in-process sandbox with `--demo`, else on the API.
///
/// Errors: a missing or malformed key, or a start-up failure of the TUI.
pub async fn run_tui(cli: &Cli) -> Result<(), CommandError> {
    let base = load_config(cli)?;
    let config = base.chosen().map_err(|e| fail("CONFIG", e.to_string()))?;
    let settings = Settings::from_config(&config);
    let _log = crate::logging::default_log_path().and_then(|p| crate::logging::init(&p).ok());
    #[cfg(feature = "sandbox")]
    if cli.demo {
        // The demo never touches the user's store: its drafts live only as
        // long as the process.
        let settings = settings.with_store(crate::store::StoreHandle::memory(), None);
        return sandbox::run_demo(cli, &config, settings).await;
    }
    let settings = match crate::store::default_path() {
        Some(path) => {
            let (store, notice) = crate::store::StoreHandle::open(&path);
            store.prune_in_background(
                config.archive_max_mb.saturating_mul(1024 * 1024),
                config.archive_days,
            );
            let mut s = settings.with_store(store, notice);
            s.legacy_drafts = crate::drafts::default_path();
            s
        }
        None => settings,
    };
    if base.profiles.is_empty() {
        let key = agent_key(cli, &config)?;
        let client = build_client(cli, &config, config.api_url.clone(), key)?;
        return run_runtime(client, settings).await;
    }
    let (agents, active, left_out) = tui_agents(cli, &base)?;
    let mut settings = settings;
    if !left_out.is_empty() {
        let mut notice = left_out.join(" ");
        if let Some(n) = settings.notice.take() {
            notice = format!("{n} {notice}");
        }
        settings.notice = Some(notice);
    }
    runtime::run_agents(agents, active, settings)
        .await
        .map_err(|e| fail("TUI", format!("{e:#}")))
}

/// The agents the TUI holds when the config has profiles: the top-level
/// one as `default` (when no profile is chosen and it has a key), then
/// every profile by name; and the one drawn first (the chosen profile,
/// else the first). A profile whose key cannot be had is left out, with a
/// sentence for the status line; the chosen one's failure is the error.
///
/// Errors: the chosen profile's key, or no agent with a key at all.
fn tui_agents(
    cli: &Cli,
    base: &Config,
) -> Result<(Vec<runtime::Agent>, usize, Vec<String>), CommandError> {
    let mut agents = Vec::new();
    let mut left_out = Vec::new();
    let mut active = 0;
    if base.profile.is_none() && !base.profiles.contains_key("default") {
        match agent_key(cli, base) {
            Ok(key) => agents.push(runtime::Agent {
                client: build_client(cli, base, base.api_url.clone(), key)?,
                tag: Some(ProfileTag {
                    name: "default".into(),
                    colour: "white".into(),
                }),
            }),
            Err(e) if e.code == "NO_KEY" => {}
            Err(e) => return Err(e),
        }
    }
    for name in base.profiles.keys() {
        let config = base
            .for_profile(name)
            .map_err(|e| fail("CONFIG", e.to_string()))?;
        let chosen = base.profile.as_deref() == Some(name.as_str());
        let key = match agent_key(cli, &config) {
            Ok(key) => key,
            Err(e) if chosen => return Err(e),
            Err(e) => {
                left_out.push(format!("Profile {name} left out: {}.", e.message));
                continue;
            }
        };
        if chosen {
            active = agents.len();
        }
        agents.push(runtime::Agent {
            client: build_client(cli, &config, config.api_url.clone(), key)?,
            tag: Some(ProfileTag {
                name: name.clone(),
                colour: base.profile_colour(name),
            }),
        });
    }
    if agents.is_empty() {
        return Err(fail(
            "NO_KEY",
            format!("no profile has a usable key: {}", left_out.join(" ")),
        ));
    }
    Ok((agents, active, left_out))
}

/// Runs the TUI loop; its failure becomes one line for the user.
async fn run_runtime(client: Client, settings: Settings) -> Result<(), CommandError> {
    runtime::run(client, settings)
        .await
        .map_err(|e| fail("TUI", format!("{e:#}")))
}
