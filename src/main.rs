//! aispace-tui: parse the CLI, set up, hand off. No logic here.

use aispace_tui::cli::{Cli, Command};
use aispace_tui::launch;
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
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
            let text = if cli.json() {
                e.to_json_text()
            } else {
                e.to_text()
            };
            // The terminal may be gone (hangup): never panic writing to it.
            let _ = writeln!(std::io::stderr(), "{text}");
            ExitCode::from(u8::try_from(e.status).unwrap_or(1))
        }
    }
}

/// A command line clap refused (or `--help` / `--version`): as clap prints
/// it, except that with `--json` anywhere on the line the error is the
/// JSON envelope (code `USAGE`), with clap's exit status either way.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let json = std::env::args_os().skip(1).any(|a| a == "--json");
    let informative = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !json || informative {
        e.exit();
    }
    let rendered = e.render().to_string();
    let first = rendered
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid command line");
    let message = first.strip_prefix("error: ").unwrap_or(first);
    let err = aispace_tui::commands::CommandError {
        status: e.exit_code(),
        ..aispace_tui::commands::CommandError::new(
            "USAGE",
            format!("{}: see --help", aispace_tui::text::clean_line(message)),
        )
    };
    let _ = writeln!(std::io::stderr(), "{}", err.to_json_text());
    ExitCode::from(u8::try_from(err.status).unwrap_or(2))
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
