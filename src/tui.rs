//! Terminal lifecycle: raw mode and the alternate screen on enter; every
//! mode restored on drop, on error, on panic, on SIGTERM/SIGHUP, and while
//! suspended (`Ctrl-Z`).
//!
//! - [`Tui::enter`] enables raw mode, the alternate screen and bracketed
//!   paste (and mouse capture when the `mouse` setting is on), hides the
//!   cursor and installs the panic hook (once per process).
//! - [`restore`] leaves the alternate screen, disables mouse capture,
//!   bracketed paste and focus reporting, shows the cursor, disables raw
//!   mode and puts tmux's `allow-passthrough` back as it was. It is safe
//!   to call any number of times.
//! - The panic hook ([`install_panic_hook`]): when the TUI is on screen and
//!   the panic is on the thread that runs it, restores the terminal, saves
//!   the registered drafts ([`set_rescue`]), prints the panic message and a
//!   sentence saying where the drafts are, then exits with status 101. A
//!   panic on another thread while the TUI is on screen (an effect task) is
//!   written to the log only, so it does not scribble over the screen; tokio
//!   keeps running. Without a TUI the previous hook runs unchanged.
//! - [`Tui::suspend`] restores the terminal, saves drafts, stops the process
//!   with `SIGTSTP` and, when the shell continues it (`fg`, `SIGCONT`),
//!   enters the TUI modes again and forces a full redraw.
//! - Mouse capture is on only while the TUI is: every way out ([`restore`]:
//!   quit, panic, signals, suspend, the external editor) turns it off and
//!   [`Tui::resume`] on again.
//! - [`hangup_watch`] notices a terminal that went away (SSH drop, window
//!   closed) without a `SIGHUP` reaching us: crossterm (0.29) then spins on
//!   EOF instead of reporting it (crossterm-rs/crossterm#793), so a thread
//!   waits for `POLLHUP` on the terminal and tells the runtime to leave.
//!
//! Frames go through a 64 KiB buffer (one `write` per frame instead of one
//! per KiB of the line-buffered stdout) and are wrapped in synchronized
//! output (`ESC[?2026h` ... `ESC[?2026l`): terminals that support it show
//! the whole frame at once, the others ignore the unknown mode. [`restore`]
//! also ends the synchronized update of a frame a panic cut short.

use crate::app::App;
use crate::drafts::SharedDrafts;
use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate,
    EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{ExecutableCommand, QueueableCommand};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use std::io::{self, BufWriter, Stdout, Write};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, OnceLock, PoisonError};
use std::thread::ThreadId;

static PANIC_HOOK: Once = Once::new();
/// The TUI modes are on (raw mode, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// A frame is being drawn (a synchronized update may be open).
static IN_FRAME: AtomicBool = AtomicBool::new(false);
/// The thread that draws the TUI (a panic there ends the program).
static UI_THREAD: Mutex<Option<ThreadId>> = Mutex::new(None);
/// The drafts the panic hook saves.
static RESCUE: OnceLock<Mutex<Option<SharedDrafts>>> = OnceLock::new();

/// Capacity of the frame buffer in bytes (a full 160 x 45 repaint is
/// about 20 KB).
const FRAME_BUFFER_BYTES: usize = 64 * 1024;

/// Exit status after a panic (the same as Rust's default for a panic).
pub const PANIC_EXIT_STATUS: i32 = 101;

fn rescue_slot() -> &'static Mutex<Option<SharedDrafts>> {
    RESCUE.get_or_init(|| Mutex::new(None))
}

/// Registers the drafts the panic hook saves (replacing an earlier one);
/// `None` unregisters.
pub fn set_rescue(drafts: Option<SharedDrafts>) {
    *rescue_slot().lock().unwrap_or_else(PoisonError::into_inner) = drafts;
}

/// Whether the TUI modes are currently on.
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Leaves the alternate screen, disables mouse capture, bracketed paste and
/// focus reporting, shows the cursor and disables raw mode. Safe to call
/// more than once and when the modes were never entered; the first error is
/// returned after every step was tried.
pub fn restore() -> io::Result<()> {
    ACTIVE.store(false, Ordering::SeqCst);
    let mut out = io::stdout();
    let queued = (|| {
        if IN_FRAME.swap(false, Ordering::SeqCst) {
            // A panic cut a frame short: close its synchronized update.
            out.queue(EndSynchronizedUpdate)?;
        }
        out.queue(DisableMouseCapture)?;
        out.queue(DisableBracketedPaste)?;
        out.queue(DisableFocusChange)?;
        // The terminal's own title back, when a watch rule changed it.
        out.write_all(crate::notify::restore_title().as_bytes())?;
        out.queue(LeaveAlternateScreen)?;
        out.queue(Show)?;
        out.flush()
    })();
    let raw = disable_raw_mode();
    // The tmux pane's passthrough option as it was before we started.
    crate::tmux::restore_passthrough();
    queued.and(raw)
}

/// Enters raw mode and the alternate screen, hides the cursor and, with
/// `mouse`, captures the mouse.
fn enter_modes(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    out.execute(EnterAlternateScreen)?;
    out.execute(Hide)?;
    out.execute(EnableBracketedPaste)?;
    if mouse {
        out.execute(EnableMouseCapture)?;
    }
    ACTIVE.store(true, Ordering::SeqCst);
    Ok(())
}

/// The panic message without the location, one line, sanitized.
fn panic_text(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string());
    let location = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    crate::text::clean_log(&format!("{msg}{location}"))
}

/// Installs (once) the panic hook described in the module documentation.
pub fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !is_active() {
                previous(info);
                return;
            }
            let ui_thread = *UI_THREAD.lock().unwrap_or_else(PoisonError::into_inner);
            if ui_thread.is_some_and(|t| t != std::thread::current().id()) {
                // A background task: tokio catches it; keep the screen clean.
                tracing::error!("a background task panicked: {}", panic_text(info));
                return;
            }
            let _ = restore();
            tracing::error!("panic: {}", panic_text(info));
            // try_lock: the panicking thread may hold a lock; never deadlock.
            let rescue = rescue_slot().try_lock().ok().and_then(|g| g.clone());
            let saved = rescue.map(|d| (d.path(), d.save_now()));
            previous(info);
            let mut err = io::stderr();
            let _ = writeln!(err, "aispace-tui crashed; the terminal was restored.");
            match saved {
                Some((Some(path), Some(Ok(())))) => {
                    let _ = writeln!(
                        err,
                        "Unsent drafts were saved to {} (comments and a new post); they come back on the next start.",
                        crate::config::shown_path(&path)
                    );
                }
                Some((None, Some(Ok(())))) => {
                    let _ = writeln!(
                        err,
                        "Unsent drafts were kept in memory only (no store file) and are lost."
                    );
                }
                Some((_, Some(Err(e)))) => {
                    let _ = writeln!(err, "Could not save unsent drafts: {e}");
                }
                Some((_, None)) => {
                    let _ = writeln!(err, "Could not save unsent drafts (they were in use).");
                }
                None => {}
            }
            if let Some(log) = crate::logging::default_log_path() {
                let _ = writeln!(
                    err,
                    "Details are in the log: {}",
                    crate::config::shown_path(&log)
                );
            }
            let _ = err.flush();
            std::process::exit(PANIC_EXIT_STATUS);
        }));
    });
}

/// The terminal in TUI mode. Dropping it restores the terminal.
pub struct Tui {
    /// Never dropped: ratatui's `Terminal` shows the cursor in its `Drop`
    /// and reports a failure with `eprintln!`, which panics when the
    /// terminal is gone (a hangup). [`restore`] shows the cursor instead;
    /// the few buffers are left to the process exit.
    terminal: ManuallyDrop<Terminal<CrosstermBackend<BufWriter<Stdout>>>>,
    /// Mouse capture is wanted (the `mouse` setting).
    mouse: bool,
}

impl Tui {
    /// Enters raw mode and the alternate screen, hides the cursor,
    /// captures the mouse when `mouse` is set and installs the panic hook;
    /// the calling thread becomes the UI thread. Errors: the terminal
    /// refused (not a TTY...); the terminal is then restored.
    pub fn enter(mouse: bool) -> io::Result<Self> {
        install_panic_hook();
        *UI_THREAD.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(std::thread::current().id());
        let setup = (|| {
            enter_modes(mouse)?;
            let out = BufWriter::with_capacity(FRAME_BUFFER_BYTES, io::stdout());
            let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
            clear_all(&mut terminal)?;
            Ok(Tui {
                terminal: ManuallyDrop::new(terminal),
                mouse,
            })
        })();
        if setup.is_err() {
            let _ = restore();
        }
        setup
    }

    /// Terminal size (columns, rows).
    pub fn size(&self) -> io::Result<(u16, u16)> {
        let s = self.terminal.size()?;
        Ok((s.width, s.height))
    }

    /// Draws one frame of `app` (ratatui diffs against the last frame and
    /// resizes its buffers when the terminal size changed), as one
    /// synchronized update.
    pub fn draw(&mut self, app: &App) -> io::Result<()> {
        IN_FRAME.store(true, Ordering::SeqCst);
        self.terminal.backend_mut().queue(BeginSynchronizedUpdate)?;
        let drawn = self
            .terminal
            .draw(|f| crate::ui::render(f, app))
            .map(|_| ());
        let backend = self.terminal.backend_mut();
        backend.queue(EndSynchronizedUpdate)?;
        backend.flush()?;
        IN_FRAME.store(false, Ordering::SeqCst);
        drawn
    }

    /// Forces a full repaint on the next draw (after a resize or resume).
    pub fn clear(&mut self) -> io::Result<()> {
        clear_all(&mut self.terminal)
    }

    /// Writes raw bytes (an OSC 52 sequence) through the terminal backend.
    pub fn write_raw(&mut self, s: &str) -> io::Result<()> {
        let backend = self.terminal.backend_mut();
        backend.write_all(s.as_bytes())?;
        backend.flush()
    }

    /// `Ctrl-Z`: restores the terminal, stops the process with `SIGTSTP`
    /// (the shell shows it as a stopped job) and, once continued, enters
    /// the TUI modes again and forces a full redraw. Where job control is
    /// unavailable (not Unix) it only redraws.
    pub fn suspend(&mut self) -> io::Result<()> {
        #[cfg(unix)]
        {
            let _ = self.terminal.backend_mut().flush();
            restore()?;
            // SAFETY: raise(3) has no memory-safety preconditions; with the
            // default disposition of SIGTSTP it stops the process here until
            // SIGCONT, then returns.
            let rc = unsafe { libc::raise(libc::SIGTSTP) };
            if rc != 0 {
                let e = io::Error::last_os_error();
                let _ = self.resume();
                return Err(e);
            }
        }
        self.resume()
    }

    /// Hands the terminal to another program for the time of `f` (the
    /// external editor): restores it (main screen, raw mode off, cursor
    /// shown), runs `f`, then enters the TUI modes again and forces a full
    /// redraw, also when `f` failed. The caller stops its input reader
    /// first, so the program gets every key.
    pub fn hand_over<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        let _ = self.terminal.backend_mut().flush();
        restore()?;
        let out = f();
        self.resume()?;
        Ok(out)
    }

    /// Enters the TUI modes again (after `SIGCONT`) and forces a full
    /// redraw on the next draw. Idempotent.
    pub fn resume(&mut self) -> io::Result<()> {
        enter_modes(self.mouse)?;
        crate::tmux::reenable_passthrough();
        let title = crate::notify::resume_title();
        if !title.is_empty() {
            self.write_raw(&title)?;
        }
        clear_all(&mut self.terminal)
    }
}

/// Clears the whole screen and forgets the last frame, so that the next
/// draw repaints everything. Not ratatui's `Terminal::clear`: since 0.30
/// that first asks the terminal where the cursor is and waits for the
/// answer (a round trip, and an error where the terminal never answers);
/// `resize` to the current size clears the full-screen viewport without
/// asking.
fn clear_all<B: ratatui::backend::Backend>(terminal: &mut Terminal<B>) -> Result<(), B::Error> {
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.terminal.backend_mut().flush();
        let _ = restore();
        *UI_THREAD.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

/// Starts a thread that waits until the controlling terminal hangs up
/// (`POLLHUP`/`POLLERR`/`POLLNVAL` on it, without reading it) and then
/// sends one `()` on the returned channel. On other platforms, or when no
/// terminal can be watched, the channel never receives anything.
pub fn hangup_watch() -> tokio::sync::mpsc::UnboundedReceiver<()> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    #[cfg(unix)]
    {
        let spawned = std::thread::Builder::new()
            .name("tty-hangup-watch".into())
            .spawn(move || {
                if hangup::wait() {
                    let _ = tx.send(());
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot watch the terminal for hangups: {e}");
        }
    }
    #[cfg(not(unix))]
    drop(tx);
    rx
}

#[cfg(unix)]
mod hangup {
    use std::os::fd::AsRawFd;

    /// Blocks until the terminal (stdin when it is one, else `/dev/tty`)
    /// reports a hangup; `false` when there is no terminal to watch.
    pub fn wait() -> bool {
        // Keep the file open while polling its descriptor.
        let tty_file;
        // SAFETY: isatty only inspects the descriptor.
        let fd = if unsafe { libc::isatty(0) } == 1 {
            0
        } else {
            match std::fs::File::open("/dev/tty") {
                Ok(f) => {
                    tty_file = f;
                    tty_file.as_raw_fd()
                }
                Err(_) => return false,
            }
        };
        loop {
            // events = 0: only hangup/error conditions (always reported)
            // wake the poll; typed input does not.
            let mut pfd = libc::pollfd {
                fd,
                events: 0,
                revents: 0,
            };
            // SAFETY: pfd is a valid pollfd array of length 1 for the call.
            let rc = unsafe { libc::poll(&mut pfd, 1, -1) };
            if rc < 0 {
                if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return false;
            }
            if pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return true;
            }
        }
    }
}
