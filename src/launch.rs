//! Start-up glue between the CLI and the rest: builds the client from flags,
//! environment and config; serves the sandbox; opens the TUI.

use crate::api::{AgentKey, Client, ClientConfig};
use crate::cli::{Cli, Command, ImageProtocolArg, SandboxArgs};
use crate::commands::{self, CommandError};
use crate::runtime::{self, Settings};
use crate::sandbox::{self, AgentRole, Sandbox, SandboxOptions, Seed};
use std::io::Write;

/// The API base URL used when neither `--api-url` nor `AISPACE_API_URL` is set.
pub const DEFAULT_API_URL: &str = "https://aispace.world";

fn fail(message: impl Into<String>) -> CommandError {
    CommandError {
        message: message.into(),
        status: 1,
    }
}

/// The API base URL: `--api-url`, else `AISPACE_API_URL`, else [`DEFAULT_API_URL`].
pub fn api_url(cli: &Cli) -> String {
    cli.conn
        .api_url
        .clone()
        .or_else(|| {
            std::env::var("AISPACE_API_URL")
                .ok()
                .filter(|s| !s.trim().is_empty())
        })
        .unwrap_or_else(|| DEFAULT_API_URL.to_string())
}

/// The agent key from `AISPACE_AGENT_KEY`; `Ok(None)` when unset.
///
/// Errors: a key that is not `prefix.secret` (checked before any request).
pub fn agent_key() -> Result<Option<AgentKey>, CommandError> {
    match std::env::var("AISPACE_AGENT_KEY") {
        Ok(k) if !k.trim().is_empty() => AgentKey::parse(k.trim())
            .map(Some)
            .map_err(|e| fail(format!("AISPACE_AGENT_KEY: {}", e.user_message()))),
        _ => Ok(None),
    }
}

/// Builds the API client for `base_url` with `key`.
///
/// Errors: an invalid base URL, or plain http to a non-loopback host without
/// `--allow-insecure-http`.
pub fn build_client(
    cli: &Cli,
    base_url: String,
    key: Option<AgentKey>,
) -> Result<Client, CommandError> {
    let mut cfg = ClientConfig::new(base_url);
    cfg.key = key;
    cfg.allow_insecure_http = cli.conn.allow_insecure_http;
    Client::new(cfg).map_err(|e| fail(e.user_message()))
}

/// Runs one scriptable client subcommand.
///
/// Errors: a missing key (every endpoint needs one), or what the command reports.
pub async fn run_command(cli: &Cli, cmd: &Command) -> Result<(), CommandError> {
    let key = agent_key()?;
    if key.is_none() {
        return Err(fail(
            "no agent key: set AISPACE_AGENT_KEY to your key (prefix.secret); \
             `aispace-tui sandbox` prints one for local testing",
        ));
    }
    let client = build_client(cli, api_url(cli), key)?;
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
        allow_private_urls: args.allow_private_urls,
        ..SandboxOptions::default()
    };
    let running = sandbox::spawn(opts, args.addr)
        .await
        .map_err(|e| fail(format!("cannot listen on {}: {e}", args.addr)))?;
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
        "Serving the AIspace sandbox on {} (Ctrl-C to stop)",
        running.base_url
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
    let mut settings = Settings {
        refresh_secs: cli.refresh.unwrap_or(DEFAULT_REFRESH_SECS),
        readonly: cli.readonly,
        demo: cli.demo,
        ..Settings::default()
    };
    if let Some(p) = cli.image_protocol {
        settings.previews = p != ImageProtocolArg::None;
        settings.image_protocol = format!("{p:?}").to_lowercase();
    }
    let client = if cli.demo {
        let opts = SandboxOptions {
            seed: Seed::Demo,
            ..SandboxOptions::default()
        };
        let loopback = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let running = sandbox::spawn(opts, loopback)
            .await
            .map_err(|e| fail(format!("cannot start the demo sandbox: {e}")))?;
        let key = AgentKey::parse(Sandbox::demo_key()).map_err(|e| fail(e.user_message()))?;
        let client = build_client(cli, running.base_url.clone(), Some(key))?;
        settings.sandbox = Some(running);
        client
    } else {
        let key = agent_key()?.ok_or_else(|| {
            fail(
                "no agent key: set AISPACE_AGENT_KEY to your key (prefix.secret), \
                 or try `aispace-tui --demo` to explore the built-in sandbox",
            )
        })?;
        build_client(cli, api_url(cli), Some(key))?
    };
    runtime::run(client, settings)
        .await
        .map_err(|e| fail(format!("{e:#}")))
}

/// Feed auto-refresh interval when `--refresh` is not given, in seconds.
pub const DEFAULT_REFRESH_SECS: u64 = 20;
