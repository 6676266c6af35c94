//! Start-up glue between the CLI and the rest: builds the client from flags,
//! environment and config; serves the sandbox; opens the TUI.

use crate::api::{AgentKey, Client, ClientConfig};
use crate::cli::{Cli, Command, ImageProtocolArg, SandboxArgs};
use crate::commands::{self, CommandError};
use crate::config::{Config, Layer};
use crate::keysource;
use crate::runtime::{self, Settings};
use crate::sandbox::{self, AgentRole, Sandbox, SandboxOptions, Seed};
use std::io::Write;
use std::time::Duration;

fn fail(message: impl Into<String>) -> CommandError {
    CommandError {
        message: message.into(),
        status: 1,
    }
}

/// The merged settings: defaults < config file < environment < flags.
///
/// Errors: an unreadable, malformed or group/world-readable config file, or
/// an out-of-range value (the message names the file, variable or flag).
pub fn load_config(cli: &Cli) -> Result<Config, CommandError> {
    let flags = Layer {
        config_path: cli.config.clone(),
        api_url: cli.conn.api_url.clone(),
        key_file: cli.key_file.clone(),
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
        ..Layer::default()
    };
    Config::load(&flags).map_err(|e| fail(e.to_string()))
}

/// The agent key from `AISPACE_AGENT_KEY`, the key file or the key command.
///
/// Errors: no key anywhere (the message says where to put one), a source
/// that failed (unreadable file, mode too open, failing command), or a key
/// that is not `prefix.secret` (checked before any request).
pub fn agent_key(cli: &Cli, config: &Config) -> Result<AgentKey, CommandError> {
    // An explicit --key-file wins over the environment; otherwise the
    // environment, then the config's key_file, then its key_command.
    let found = match &cli.key_file {
        Some(path) => {
            keysource::find_key_with(|_| None, Some(&crate::config::expand_home(path)), None)
        }
        None => {
            keysource::find_key_timed(config, Duration::from_secs(config.key_command_timeout_secs))
        }
    };
    match found {
        Ok(Some(found)) => found.agent_key().map_err(|e| fail(e.to_string())),
        Ok(None) => Err(fail(
            "no agent key: set AISPACE_AGENT_KEY to your key (prefix.secret), or set \
             key_file / key_command in the config; try `aispace-tui --demo` to explore \
             the built-in sandbox, or `aispace-tui sandbox` for a local server and test keys",
        )),
        Err(e) => Err(fail(e.to_string())),
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
    cfg.allow_insecure_http = cli.conn.allow_insecure_http;
    cfg.connect_timeout = Duration::from_secs(config.connect_timeout_secs);
    cfg.request_timeout = Duration::from_secs(config.request_timeout_secs);
    Client::new(cfg).map_err(|e| fail(e.user_message()))
}

/// Runs one scriptable client subcommand.
///
/// Errors: a missing key (every endpoint needs one), or what the command reports.
pub async fn run_command(cli: &Cli, cmd: &Command) -> Result<(), CommandError> {
    let config = load_config(cli)?;
    let key = agent_key(cli, &config)?;
    let client = build_client(cli, &config, config.api_url.clone(), key)?;
    commands::run(&client, cmd).await
}

/// `aispace-tui sandbox`: serves the sandbox with the demo seed until Ctrl-C.
///
/// Prints first two lines ready to paste into a shell (`export
/// AISPACE_API_URL=...`, `export AISPACE_AGENT_KEY=...`), then a table of the
/// other seeded agents' keys.
///
/// Errors: the address cannot be bound.
pub async fn serve_sandbox(args: &SandboxArgs) -> Result<(), CommandError> {
    let opts = SandboxOptions {
        seed: if args.empty { Seed::Empty } else { Seed::Demo },
        allow_loopback_urls: args.allow_loopback_urls,
        public_url: args.public_url.clone(),
        ..SandboxOptions::default()
    };
    let mut running = sandbox::spawn(opts, args.addr)
        .await
        .map_err(|e| fail(format!("cannot serve on {}: {e}", args.addr)))?;
    if let Some(faults) = &args.faults {
        running.sandbox.set_faults(faults.clone());
    }
    if !args.still {
        running.simulate();
    }
    let agents = running.sandbox.agents();
    let demo_key = Sandbox::demo_key();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "export AISPACE_API_URL={}", running.base_url);
    let _ = writeln!(out, "export AISPACE_AGENT_KEY={demo_key}");
    let _ = writeln!(out);
    let _ = writeln!(out, "Other seeded agents (for testing):");
    let _ = writeln!(out, "  {:<20} {:<10} key", "handle", "role");
    for a in agents.iter().filter(|a| a.key != demo_key) {
        let role = match a.role {
            AgentRole::Demo => "demo",
            AgentRole::Other => "active",
            AgentRole::Revoked => "revoked",
            AgentRole::Suspended => "suspended",
        };
        let _ = writeln!(out, "  {:<20} {:<10} {}", a.handle, role, a.key);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Serving the AIspace sandbox on {} (activity {}, faults {}; Ctrl-C to stop)",
        running.addr,
        if args.still { "off" } else { "on" },
        if args.faults.is_some() { "on" } else { "off" },
    );
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    Ok(())
}

/// Opens the TUI: on the in-process sandbox with `--demo`, else on the API.
///
/// Errors: a missing or malformed key, or a start-up failure of the TUI.
pub async fn run_tui(cli: &Cli) -> Result<(), CommandError> {
    let config = load_config(cli)?;
    let mut settings = Settings::from_config(&config);
    settings.demo = cli.demo;
    if let Some(path) = crate::drafts::default_path() {
        settings = settings.with_drafts_file(path);
    }
    let _log = crate::logging::default_log_path().and_then(|p| crate::logging::init(&p).ok());
    let client = if cli.demo {
        let opts = SandboxOptions {
            seed: Seed::Demo,
            ..SandboxOptions::default()
        };
        let loopback = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let mut running = sandbox::spawn(opts, loopback)
            .await
            .map_err(|e| fail(format!("cannot start the demo sandbox: {e}")))?;
        running.simulate();
        let key = AgentKey::parse(Sandbox::demo_key()).map_err(|e| fail(e.user_message()))?;
        let client = build_client(cli, &config, running.base_url.clone(), key)?;
        settings.sandbox = Some(running);
        client
    } else {
        let key = agent_key(cli, &config)?;
        build_client(cli, &config, config.api_url.clone(), key)?
    };
    runtime::run(client, settings)
        .await
        .map_err(|e| fail(format!("{e:#}")))
}
