//! The full-screen picture view, run by the runtime while the TUI's input
//! reader is stopped: clear the screen, print the picture as large as the
//! terminal allows, wait for one key (read synchronously), return. The
//! caller then forces a full redraw.
//!
//! Printing: sixel terminals get a sixel made here; kitty and iTerm2 go
//! through viuer's printers; everything else gets viuer's half blocks.
//! viuer's own terminal probes are avoided (its kitty check runs only when
//! kitty was already detected, and no reader races it then).

use super::encode::{fit, flatten, resize};
use super::protocol::{Graphics, GraphicsKind};
use crossterm::cursor::MoveTo;
use crossterm::event::{Event, KeyEventKind};
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{Clear, ClearType};
use crossterm::QueueableCommand;
use image::DynamicImage;
use std::io::{self, Write};

/// The hint on the last row.
const HINT: &str = "any key: back";

/// Shows `img` full screen with `g` until a key is pressed; reprints on
/// resize. Blocking: run it with the input reader stopped. Errors:
/// writing to or reading from the terminal failed.
pub fn show(img: &DynamicImage, g: &Graphics) -> io::Result<()> {
    loop {
        let (cols, rows) = crossterm::terminal::size()?;
        print(img, g, cols, rows)?;
        loop {
            match crossterm::event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if g.kind == GraphicsKind::Kitty {
                        let mut out = io::stdout();
                        out.write_all(g.kitty_delete_all().as_bytes())?;
                        out.flush()?;
                    }
                    return Ok(());
                }
                Event::Resize(..) => break,
                _ => {}
            }
        }
    }
}

/// Clears the screen and prints the picture centered in `cols` x `rows - 1`
/// cells, the hint on the last row.
fn print(img: &DynamicImage, g: &Graphics, cols: u16, rows: u16) -> io::Result<()> {
    let mut out = io::stdout();
    out.queue(Clear(ClearType::All))?;
    let room = (cols, rows.saturating_sub(1));
    let Some(f) = fit(img.width(), img.height(), room, g) else {
        return out.flush();
    };
    let x = (room.0 - f.cells.0) / 2;
    let y = (room.1 - f.cells.1) / 2;
    let hint_col = cols.saturating_sub(HINT.len() as u16) / 2;
    out.queue(MoveTo(hint_col, rows.saturating_sub(1)))?
        .queue(SetAttribute(Attribute::Dim))?
        .queue(Print(HINT))?
        .queue(SetAttribute(Attribute::Reset))?;
    out.flush()?;
    match g.kind {
        GraphicsKind::Sixel => {
            let small = flatten(resize(img, f.px));
            let area = ratatui::layout::Size::new(f.cells.0, f.cells.1);
            let sixel = ratatui_image::protocol::sixel::Sixel::new(small, area, g.passthrough)
                .map_err(|e| io::Error::other(e.to_string()))?;
            out.queue(MoveTo(x, y))?;
            out.write_all(sixel.data.as_bytes())?;
            out.flush()
        }
        _ => {
            let config = viuer::Config {
                transparent: false,
                premultiplied_alpha: false,
                absolute_offset: true,
                x,
                y: y as i16,
                restore_cursor: true,
                width: Some(u32::from(f.cells.0)),
                height: Some(u32::from(f.cells.1)),
                truecolor: g.truecolor,
                use_kitty: g.kind == GraphicsKind::Kitty,
                use_iterm: g.kind == GraphicsKind::Iterm2,
            };
            viuer::print(img, &config)
                .map(|_| ())
                .map_err(|e| io::Error::other(e.to_string()))?;
            out.flush()
        }
    }
}
