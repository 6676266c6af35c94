//! aispace-tui: parse the CLI, set up, hand off. No logic here.

use aispace_tui::cli::{Cli, Command};
use aispace_tui::launch;
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_some() {
        restore_default_sigpipe();
    }
    // Offline subcommands: no runtime, key, config or network.
    match &cli.command {
        Some(Command::Completions(a)) => {
            aispace_tui::cli::write_completions(a.shell, &mut std::io::stdout().lock());
            return ExitCode::SUCCESS;
        }
        Some(Command::Man) => {
            return match aispace_tui::cli::write_man(&mut std::io::stdout().lock()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    let _ = writeln!(std::io::stderr(), "error: cannot write the man page: {e}");
                    ExitCode::from(1)
                }
            };
        }
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot start the async runtime: {e}"
            );
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            #[cfg(feature = "sandbox")]
            Some(Command::Sandbox(args)) => launch::serve_sandbox(args).await,
            Some(cmd) => launch::run_command(&cli, cmd).await,
            None => launch::run_tui(&cli).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The terminal may be gone (hangup): never panic writing to it.
            let _ = writeln!(std::io::stderr(), "error: {}", e.message);
            ExitCode::from(u8::try_from(e.status).unwrap_or(1))
        }
    }
}

/// Scripted subcommands die quietly when their reader goes away (`feed |
/// head -1`), like every Unix filter, instead of panicking on EPIPE.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread is spawned;
    // SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
