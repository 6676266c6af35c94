//! The full-screen picture view, run by the runtime while the TUI's input
//! reader is stopped: clear the screen, print the picture as large as the
//! terminal allows, wait for one key (read synchronously), return. The
//! caller then forces a full redraw.
//!
//! Printing uses the pane's own protocol at full size: kitty, sixel and
//! iTerm2 pictures are encoded as in the pane (the same tmux passthrough
//! sizes, the same kitty placeholders) and written as ratatui would
//! draw them; half blocks go through viuer's block printer. viuer's
//! kitty, sixel and iTerm2 printers are not used: each asks the terminal
//! again (with no tmux wrapping, so inside tmux it found nothing and drew
//! half blocks) and kitty's is a placement that does not follow the text.

use super::encode::{encode, fit};
use super::protocol::{Graphics, GraphicsKind};
use crossterm::cursor::MoveTo;
use crossterm::event::{Event, KeyEventKind};
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{Clear, ClearType};
use crossterm::QueueableCommand;
use image::DynamicImage;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::io::{self, Write};

/// The hint on the last row.
const HINT: &str = "any key: back";

/// Shows `img` full screen with `g` until a key is pressed; reprints on
/// resize. Blocking: run it with the input reader stopped. Errors:
/// writing to or reading from the terminal failed.
pub fn show(img: &DynamicImage, g: &Graphics) -> io::Result<()> {
    // Its own kitty image, deleted on the way out (the pane's stays).
    let kitty_id = rand::random::<u32>().max(1);
    loop {
        let (cols, rows) = crossterm::terminal::size()?;
        print(&mut io::stdout(), img, g, (cols, rows), kitty_id)?;
        loop {
            match crossterm::event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    if g.kind == GraphicsKind::Kitty {
                        let mut out = io::stdout();
                        out.write_all(g.kitty_delete(kitty_id).as_bytes())?;
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

/// Clears the screen and prints the picture centered in `cols` x
/// `rows - 1` cells, the hint on the last row. Half blocks are printed by
/// viuer on stdout; every other protocol is written to `out`.
fn print(
    out: &mut impl Write,
    img: &DynamicImage,
    g: &Graphics,
    (cols, rows): (u16, u16),
    kitty_id: u32,
) -> io::Result<()> {
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
    if g.kind == GraphicsKind::Halfblocks {
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
            use_kitty: false,
            use_iterm: false,
        };
        return viuer::print(img, &config)
            .map(|_| ())
            .map_err(|e| io::Error::other(e.to_string()));
    }
    let enc = encode(img, room, g, kitty_id).map_err(|e| io::Error::other(e.reason()))?;
    let screen = Rect::new(0, 0, cols, rows);
    let mut buf = Buffer::empty(screen);
    let area = Rect::new(x, y, enc.cells.0, enc.cells.1).intersection(screen);
    ratatui_image::Image::new(&enc.protocol).render(area, &mut buf);
    let mut backend = CrosstermBackend::new(out);
    backend.draw(Buffer::empty(screen).diff(&buf).into_iter())?;
    Backend::flush(&mut backend)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::protocol::passthrough_sequences;

    fn photo() -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(1600, 900, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
        }))
    }

    /// Full screen draws with the pane's protocol, inside tmux too, in
    /// passthrough sequences tmux takes (kitty: at most 64 KiB each).
    #[test]
    fn full_screen_uses_the_panes_protocol_through_tmux() {
        for (kind, marker) in [
            (GraphicsKind::Kitty, "\x1b\x1b_Gq=2,i=9,a=T,U=1"),
            (GraphicsKind::Sixel, "\x1b\x1bP"),
            (GraphicsKind::Iterm2, "\x1b\x1b]1337;File="),
        ] {
            let g = Graphics {
                kind,
                cell_px: (10, 20),
                passthrough: true,
                truecolor: true,
            };
            let mut out = Vec::new();
            print(&mut out, &photo(), &g, (220, 60), 9).unwrap();
            let text = String::from_utf8_lossy(&out);
            assert!(
                text.contains(marker),
                "{kind:?}: drawn with its own protocol"
            );
            assert!(text.contains(HINT));
            let (longest, _) = passthrough_sequences(&out);
            let most = match kind {
                GraphicsKind::Kitty => 64 * 1024,
                _ => crate::preview::encode::MAX_WHOLE_PASSTHROUGH + 64,
            };
            assert!((1..=most).contains(&longest), "{kind:?}: {longest}");
        }
    }
}
