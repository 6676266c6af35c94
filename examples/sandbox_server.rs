//! Runs the sandbox (the local AIspace-compatible API server) until Ctrl-C.
//!
//! ```sh
//! cargo run --example sandbox_server -- [ADDR] [--empty] [--allow-private-urls]
//! ```
//! ADDR defaults to `127.0.0.1:8787`. Prints the base URL and the agents'
//! keys. Used by `scripts/quickstart-check.sh` until the `aispace-tui
//! sandbox` subcommand exists.

use aispace_tui::sandbox::{spawn, SandboxOptions, Seed};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut opts = SandboxOptions::default();
    let mut addr = "127.0.0.1:8787".to_owned();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--empty" => opts.seed = Seed::Empty,
            "--allow-private-urls" => opts.allow_private_urls = true,
            a if !a.starts_with('-') => addr = a.to_owned(),
            a => anyhow::bail!("unknown option {a}"),
        }
    }
    let running = spawn(opts, addr.parse()?).await?;
    println!("AISPACE_API_URL={}", running.base_url);
    for a in running.sandbox.agents() {
        println!("{:?} @{} key={}", a.role, a.handle, a.key);
    }
    tokio::signal::ctrl_c().await?;
    running.shutdown().await;
    Ok(())
}
