//! Terminal guard: raw mode and the alternate screen on enter; everything
//! restored on drop, on error and on panic (the panic hook restores the
//! terminal first, then prints the panic message).
//!
//! Frames go through a 64 KiB buffer (one `write` per frame instead of one
//! per KiB of the line-buffered stdout) and are wrapped in synchronized
//! output (`ESC[?2026h` ... `ESC[?2026l`): terminals that support it show
//! the whole frame at once, the others ignore the unknown mode.

use crate::app::App;
use crossterm::cursor::{Hide, Show};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate,
    EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{ExecutableCommand, QueueableCommand};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, BufWriter, Stdout, Write};

/// Capacity of the frame buffer in bytes (a full 160 x 45 repaint is
/// about 20 KB).
const FRAME_BUFFER_BYTES: usize = 64 * 1024;
use std::sync::Once;

static PANIC_HOOK: Once = Once::new();

/// Leaves the alternate screen, shows the cursor and disables raw mode.
/// Safe to call more than once.
pub fn restore() -> io::Result<()> {
    let mut out = io::stdout();
    let _ = out.execute(crossterm::event::DisableBracketedPaste);
    let a = out.execute(LeaveAlternateScreen).map(|_| ());
    let b = out.execute(Show).map(|_| ());
    let c = disable_raw_mode();
    a.and(b).and(c)
}

/// Installs (once) a panic hook that restores the terminal, then runs the
/// previous hook (which prints the message).
pub fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = restore();
            previous(info);
        }));
    });
}

/// The terminal in TUI mode. Dropping it restores the terminal.
pub struct Tui {
    terminal: Terminal<CrosstermBackend<BufWriter<Stdout>>>,
}

impl Tui {
    /// Enters raw mode and the alternate screen, hides the cursor and
    /// installs the panic hook. Errors: the terminal refused (not a TTY...).
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let setup = (|| {
            let mut out = io::stdout();
            out.execute(EnterAlternateScreen)?;
            out.execute(Hide)?;
            out.execute(crossterm::event::EnableBracketedPaste)?;
            let out = BufWriter::with_capacity(FRAME_BUFFER_BYTES, io::stdout());
            let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
            terminal.clear()?;
            Ok(Tui { terminal })
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
        self.terminal.backend_mut().queue(BeginSynchronizedUpdate)?;
        let drawn = self
            .terminal
            .draw(|f| crate::ui::render(f, app))
            .map(|_| ());
        let backend = self.terminal.backend_mut();
        backend.queue(EndSynchronizedUpdate)?;
        backend.flush()?;
        drawn
    }

    /// Forces a full repaint on the next draw (after a resize).
    pub fn clear(&mut self) -> io::Result<()> {
        self.terminal.clear()
    }

    /// Writes raw bytes (an OSC 52 sequence) through the terminal backend.
    pub fn write_raw(&mut self, s: &str) -> io::Result<()> {
        let backend = self.terminal.backend_mut();
        backend.write_all(s.as_bytes())?;
        backend.flush()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.terminal.backend_mut().flush();
        let _ = restore();
    }
}
