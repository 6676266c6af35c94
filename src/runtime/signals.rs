//! The process signals the TUI loop reacts to: `SIGTERM`, `SIGINT` (sent
//! from outside; Ctrl-C in raw mode is a key) and `SIGHUP`
//! (restore the terminal, save drafts, leave), `SIGCONT` (the shell
//! continued us after a stop: enter the TUI modes again and redraw), and a
//! terminal hangup noticed by [`crate::tui::hangup_watch`].

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalEvent {
    /// `SIGTERM`: leave.
    Terminate,
    /// `SIGINT` from outside (`kill -INT`): leave, like `SIGTERM`.
    Interrupt,
    /// `SIGHUP`: the terminal closed; leave.
    Hangup,
    /// The terminal reported a hangup without a `SIGHUP` reaching us; leave.
    TerminalGone,
    /// `SIGCONT`: continued after a stop; redraw everything.
    Continue,
}

impl SignalEvent {
    /// A short name for the log (`SIGTERM`, ...).
    pub fn name(self) -> &'static str {
        match self {
            SignalEvent::Terminate => "SIGTERM",
            SignalEvent::Interrupt => "SIGINT",
            SignalEvent::Hangup => "SIGHUP",
            SignalEvent::TerminalGone => "terminal hangup",
            SignalEvent::Continue => "SIGCONT",
        }
    }
}

/// The registered signal streams. Create it before entering the TUI loop.
pub struct Signals {
    #[cfg(unix)]
    term: tokio::sync::mpsc::UnboundedReceiver<()>,
    #[cfg(unix)]
    streams: Option<UnixStreams>,
}

#[cfg(unix)]
struct UnixStreams {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    cont: tokio::signal::unix::Signal,
}

impl Signals {
    /// Registers the handlers (Unix) and starts the hangup watch. A signal
    /// that cannot be registered is logged and then ignored (its default
    /// action applies).
    pub fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let streams = (|| -> std::io::Result<UnixStreams> {
                Ok(UnixStreams {
                    term: signal(SignalKind::terminate())?,
                    int: signal(SignalKind::interrupt())?,
                    hup: signal(SignalKind::hangup())?,
                    cont: signal(SignalKind::from_raw(libc::SIGCONT))?,
                })
            })();
            let streams = match streams {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::warn!("cannot listen for signals: {e}");
                    None
                }
            };
            Signals {
                term: crate::tui::hangup_watch(),
                streams,
            }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// Waits for the next event (forever when there is none to wait for).
    pub async fn next(&mut self) -> SignalEvent {
        #[cfg(unix)]
        {
            let gone = &mut self.term;
            match self.streams.as_mut() {
                Some(s) => tokio::select! {
                    Some(()) = s.term.recv() => SignalEvent::Terminate,
                    Some(()) = s.int.recv() => SignalEvent::Interrupt,
                    Some(()) = s.hup.recv() => SignalEvent::Hangup,
                    Some(()) = s.cont.recv() => SignalEvent::Continue,
                    Some(()) = gone.recv() => SignalEvent::TerminalGone,
                    else => std::future::pending().await,
                },
                None => match gone.recv().await {
                    Some(()) => SignalEvent::TerminalGone,
                    None => std::future::pending().await,
                },
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

impl Default for Signals {
    fn default() -> Self {
        Signals::new()
    }
}
