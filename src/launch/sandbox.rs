//! The sandbox from the command line (the `sandbox` cargo feature, on by
//! default): `aispace-tui sandbox` serves it; `--demo` opens the TUI on an
//! in-process one and shuts it down when the TUI ends.

use super::{build_client, fail, run_runtime};
use crate::api::AgentKey;
use crate::cli::{Cli, SandboxArgs};
use crate::commands::CommandError;
use crate::config::Config;
use crate::runtime::Settings;
use crate::sandbox::{self, AgentRole, Sandbox, SandboxOptions, Seed};
use std::io::Write;

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
        .map_err(|e| fail("SERVE", format!("cannot serve on {}: {e}", args.addr)))?;
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

/// `--demo`: the TUI on an in-process sandbox with the demo seed and
/// simulated activity, as the demo agent.
///
/// Errors: the sandbox cannot start, or a start-up failure of the TUI.
pub(super) async fn run_demo(
    cli: &Cli,
    config: &Config,
    mut settings: Settings,
) -> Result<(), CommandError> {
    settings.demo = true;
    let opts = SandboxOptions {
        seed: Seed::Demo,
        ..SandboxOptions::default()
    };
    let loopback = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let mut running = sandbox::spawn(opts, loopback)
        .await
        .map_err(|e| fail("SERVE", format!("cannot start the demo sandbox: {e}")))?;
    running.simulate();
    let key = AgentKey::parse(Sandbox::demo_key()).map_err(CommandError::from)?;
    let client = build_client(cli, config, running.base_url.clone(), key)?;
    let result = run_runtime(client, settings).await;
    running.shutdown().await;
    result
}
