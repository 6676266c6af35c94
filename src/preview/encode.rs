//! Fitting a picture into the preview box and encoding it for the chosen
//! protocol (ratatui-image's `Protocol`, drawn through ratatui's buffer).
//!
//! [`encode`] resizes and encodes; it is CPU work and runs in
//! `spawn_blocking`. The result is drawn by `ui::detail` with
//! `ratatui_image::Image`.

use super::protocol::{Graphics, GraphicsKind};
use super::PreviewError;
use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, Rgb, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::style::Color;
use ratatui_image::protocol::halfblocks::Halfblocks;
use ratatui_image::protocol::iterm2::Iterm2;
use ratatui_image::protocol::kitty::Kitty;
use ratatui_image::protocol::sixel::Sixel;
use ratatui_image::protocol::Protocol;
use std::fmt;

/// Transparent pixels are shown over this colour (a dark grey).
pub const BACKGROUND: [u8; 3] = [24, 24, 24];

/// Largest sixel or iTerm2 picture sent through tmux, in bytes: one
/// passthrough sequence, well under tmux's 1 MiB input limit (a longer
/// one is dropped whole).
pub const MAX_WHOLE_PASSTHROUGH: usize = 768 * 1024;

/// Largest sixel picture side, in pixels: xterm's default
/// `maxGraphicSize` (1000x1000); xterm shows nothing of a larger one.
pub const MAX_SIXEL_PX: u32 = 1000;

/// Where a picture goes: its size in cells and the pixel size it is
/// resized to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// Cells (columns, rows) the picture covers, within the available box.
    pub cells: (u16, u16),
    /// Pixels (width, height) the picture is resized to.
    pub px: (u32, u32),
}

/// Fits a `w` x `h` pixel picture into `avail` cells (columns, rows),
/// aspect kept, scaled up or down to touch the box.
///
/// Halfblocks have two square-ish "pixels" per cell (one column, two
/// rows); the pixel protocols use the cell size `g.cell_px`. `None` when
/// the box or the picture is empty.
pub fn fit(w: u32, h: u32, avail: (u16, u16), g: &Graphics) -> Option<Fit> {
    let (aw, ah) = (u32::from(avail.0), u32::from(avail.1));
    if w == 0 || h == 0 || aw == 0 || ah == 0 {
        return None;
    }
    let (cw, ch) = match g.kind {
        GraphicsKind::Halfblocks => (1u32, 2u32),
        _ => (u32::from(g.cell_px.0.max(1)), u32::from(g.cell_px.1.max(1))),
    };
    let (mut bw, mut bh) = (aw * cw, ah * ch);
    if g.kind == GraphicsKind::Sixel {
        bw = bw.min(MAX_SIXEL_PX);
        bh = bh.min(MAX_SIXEL_PX);
    }
    let s = f64::min(f64::from(bw) / f64::from(w), f64::from(bh) / f64::from(h));
    let pw = ((f64::from(w) * s).round() as u32).clamp(1, bw);
    let ph = ((f64::from(h) * s).round() as u32).clamp(1, bh);
    let cols = pw.div_ceil(cw).clamp(1, aw) as u16;
    let rows = ph.div_ceil(ch).clamp(1, ah) as u16;
    Some(Fit {
        cells: (cols, rows),
        px: (pw, ph),
    })
}

/// A picture encoded for the terminal, ready to draw.
#[derive(Clone)]
pub struct EncodedPreview {
    /// The ratatui-image protocol (draw with `ratatui_image::Image`).
    pub protocol: Protocol,
    /// Cells covered (columns, rows).
    pub cells: (u16, u16),
    /// The protocol used.
    pub kind: GraphicsKind,
    /// The kitty image id (delete it when the preview is replaced).
    pub kitty_id: Option<u32>,
    /// Halfblock colours are 24-bit; `false`: map them to 256 colours
    /// when drawing ([`to_256_colours`]).
    pub truecolor: bool,
}

impl fmt::Debug for EncodedPreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodedPreview")
            .field("kind", &self.kind)
            .field("cells", &self.cells)
            .field("kitty_id", &self.kitty_id)
            .finish()
    }
}

/// Resizes `img` to fit `avail` cells and encodes it with `g`'s protocol;
/// `kitty_id` names the kitty image (ignored by other protocols).
///
/// Transparent pixels are composed over [`BACKGROUND`]. Errors: an empty
/// box or picture, or the encoder failed (its message).
pub fn encode(
    img: &DynamicImage,
    avail: (u16, u16),
    g: &Graphics,
    kitty_id: u32,
) -> Result<EncodedPreview, PreviewError> {
    let f = fit(img.width(), img.height(), avail, g)
        .ok_or_else(|| PreviewError::Unsupported("no room for the picture".into()))?;
    let fail =
        |e: ratatui_image::errors::Errors| PreviewError::Unsupported(super::short(&e.to_string()));
    let (protocol, cells) = match g.kind {
        GraphicsKind::Halfblocks => {
            let small = flatten(resize(img, f.px));
            let area = Size::new(f.cells.0, f.cells.1);
            let p = Halfblocks::new(small, area).map_err(fail)?;
            (Protocol::Halfblocks(p), f.cells)
        }
        // Kitty's picture goes in 4 KiB chunks, each a whole sequence,
        // each wrapped for tmux on its own by ratatui-image.
        GraphicsKind::Kitty => {
            let small = flatten(resize(img, f.px));
            let area = Size::new(f.cells.0, f.cells.1);
            let p = Kitty::new(small, area, kitty_id, g.passthrough, false).map_err(fail)?;
            (Protocol::Kitty(p), f.cells)
        }
        // A sixel or iTerm2 picture is one sequence, and tmux cannot take
        // it in pieces (it resets the terminal after each passthrough
        // sequence, which ends the picture's); through tmux it is made
        // smaller until it fits in one sequence well under tmux's limit.
        GraphicsKind::Sixel | GraphicsKind::Iterm2 => {
            let mut px = f.px;
            loop {
                let cells = (
                    px.0.div_ceil(u32::from(g.cell_px.0.max(1)))
                        .clamp(1, u32::from(f.cells.0)) as u16,
                    px.1.div_ceil(u32::from(g.cell_px.1.max(1)))
                        .clamp(1, u32::from(f.cells.1)) as u16,
                );
                let small = flatten(resize(img, px));
                let area = Size::new(cells.0, cells.1);
                let (p, len) = if g.kind == GraphicsKind::Sixel {
                    let p = Sixel::new(small, area, g.passthrough).map_err(fail)?;
                    let len = p.data.len();
                    (Protocol::Sixel(p), len)
                } else {
                    let p = Iterm2::new(small, area, g.passthrough).map_err(fail)?;
                    let len = p.data.len();
                    (Protocol::ITerm2(p), len)
                };
                if !g.passthrough || len <= MAX_WHOLE_PASSTHROUGH || px.0.max(px.1) <= 16 {
                    break (p, cells);
                }
                // Bytes grow with the pixel count: shrink both sides.
                let scale = (MAX_WHOLE_PASSTHROUGH as f64 / len as f64).sqrt() * 0.9;
                px = (
                    ((f64::from(px.0) * scale) as u32).max(1),
                    ((f64::from(px.1) * scale) as u32).max(1),
                );
            }
        }
    };
    Ok(EncodedPreview {
        protocol,
        cells,
        kind: g.kind,
        kitty_id: (g.kind == GraphicsKind::Kitty).then_some(kitty_id),
        truecolor: g.truecolor,
    })
}

/// Resizes to exactly `px` (a box filter when shrinking, which is fast and
/// smooth for large reductions; triangle when enlarging).
pub fn resize(img: &DynamicImage, px: (u32, u32)) -> DynamicImage {
    let (w, h) = img.dimensions();
    if (w, h) == px {
        img.clone()
    } else if px.0 <= w && px.1 <= h {
        img.thumbnail_exact(px.0, px.1)
    } else {
        img.resize_exact(px.0, px.1, FilterType::Triangle)
    }
}

/// RGB, with alpha composed over [`BACKGROUND`].
pub fn flatten(img: DynamicImage) -> DynamicImage {
    if !img.color().has_alpha() {
        return DynamicImage::ImageRgb8(img.to_rgb8());
    }
    let rgba = img.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        let mix = |c: u8, bg: u8| ((u16::from(c) * a + u16::from(bg) * (255 - a)) / 255) as u8;
        *o = Rgb([
            mix(p[0], BACKGROUND[0]),
            mix(p[1], BACKGROUND[1]),
            mix(p[2], BACKGROUND[2]),
        ]);
    }
    DynamicImage::ImageRgb8(out)
}

/// Maps 24-bit colours of the cells in `area` to the nearest of the 256
/// ANSI colours (for terminals without truecolor).
pub fn to_256_colours(buf: &mut Buffer, area: Rect) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                if let Color::Rgb(r, g, b) = cell.fg {
                    cell.fg = Color::Indexed(ansi_colours::ansi256_from_rgb((r, g, b)));
                }
                if let Color::Rgb(r, g, b) = cell.bg {
                    cell.bg = Color::Indexed(ansi_colours::ansi256_from_rgb((r, g, b)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfblocks_fit_uses_two_pixels_per_row() {
        let g = Graphics::default();
        // 1000x872 into 60x30 cells: grid 60x60, limited by width.
        let f = fit(1000, 872, (60, 30), &g).unwrap();
        assert_eq!(f.px, (60, 52));
        assert_eq!(f.cells, (60, 26));
        // Tall picture: limited by height.
        let f = fit(50, 8000, (60, 30), &g).unwrap();
        assert_eq!(f.cells.1, 30);
        assert!(f.cells.0 >= 1);
        assert_eq!(fit(0, 10, (60, 30), &g), None);
        assert_eq!(fit(10, 10, (0, 30), &g), None);
    }

    #[test]
    fn pixel_fit_uses_cell_size() {
        let g = Graphics {
            kind: GraphicsKind::Sixel,
            cell_px: (10, 20),
            ..Graphics::default()
        };
        let f = fit(1000, 1000, (60, 30), &g).unwrap();
        assert_eq!(f.px, (600, 600));
        assert_eq!(f.cells, (60, 30));
    }

    #[test]
    fn encodes_halfblocks_of_the_fitted_size() {
        let img = DynamicImage::new_rgba8(300, 100);
        let e = encode(&img, (40, 20), &Graphics::default(), 1).unwrap();
        assert_eq!(e.cells, (40, 7));
        assert_eq!(e.protocol.size(), Size::new(40, 7));
        assert_eq!(e.kitty_id, None);
    }

    #[test]
    fn sixel_pictures_stay_within_what_xterm_shows() {
        let g = Graphics {
            kind: GraphicsKind::Sixel,
            cell_px: (10, 20),
            ..Graphics::default()
        };
        let f = fit(4000, 2000, (220, 60), &g).unwrap();
        assert_eq!(f.px, (MAX_SIXEL_PX, 500));
        assert_eq!(f.cells, (100, 25));
        let kitty = Graphics {
            kind: GraphicsKind::Kitty,
            ..g
        };
        assert_eq!(fit(4000, 2000, (220, 60), &kitty).unwrap().px, (2200, 1100));
    }

    /// What the terminal receives when `p` is drawn into a `cols` x `rows`
    /// screen: the bytes of ratatui's diff from an empty screen, as the
    /// runtime's terminal writes them.
    pub(crate) fn written(p: &Protocol, cols: u16, rows: u16) -> Vec<u8> {
        use ratatui::backend::{Backend, CrosstermBackend};
        use ratatui::widgets::Widget;
        let area = Rect::new(0, 0, cols, rows);
        let mut buf = Buffer::empty(area);
        ratatui_image::Image::new(p).render(area, &mut buf);
        let empty = Buffer::empty(area);
        let mut out = Vec::new();
        {
            let mut backend = CrosstermBackend::new(&mut out);
            backend.draw(empty.diff(&buf).into_iter()).unwrap();
            Backend::flush(&mut backend).unwrap();
        }
        out
    }

    /// A photo-like picture that does not compress: pseudo-random pixels.
    fn noise(w: u32, h: u32) -> DynamicImage {
        let mut x: u32 = 0x1234_5678;
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |_, _| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let [r, g, b, _] = x.to_le_bytes();
            Rgb([r, g, b])
        }))
    }

    /// tmux drops any passthrough sequence over its 1 MiB input buffer:
    /// a full-pane picture at 220x60 cells reaches the terminal through
    /// tmux in kitty sequences of at most 64 KiB; a sixel or iTerm2
    /// picture, which cannot be cut, in one sequence well under the limit.
    /// Nothing of a picture is outside tmux's wrapping.
    #[test]
    fn a_full_pane_picture_goes_through_tmux_in_small_sequences() {
        let img = noise(2200, 1200);
        for (kind, most) in [
            (GraphicsKind::Kitty, 64 * 1024),
            (GraphicsKind::Sixel, MAX_WHOLE_PASSTHROUGH + 64),
            (GraphicsKind::Iterm2, MAX_WHOLE_PASSTHROUGH + 64),
        ] {
            let g = Graphics {
                kind,
                cell_px: (10, 20),
                passthrough: true,
                truecolor: true,
            };
            let e = encode(&img, (220, 60), &g, 7).unwrap();
            let bytes = written(&e.protocol, 220, 60);
            let (longest, outside) = super::super::protocol::passthrough_sequences(&bytes);
            let count = String::from_utf8_lossy(&bytes)
                .matches("\x1bPtmux;")
                .count();
            eprintln!(
                "{}: {} bytes written in {count} passthrough sequences, longest {longest} bytes, {:?} cells",
                kind.name(),
                bytes.len(),
                e.cells
            );
            assert!(bytes.len() > 300_000, "{kind:?}: a big picture was written");
            assert!(longest <= most, "{kind:?}: {longest} bytes in one sequence");
            assert!(longest > 0, "{kind:?}: wrapped for tmux");
            if kind != GraphicsKind::Kitty {
                assert_eq!(count, 1, "{kind:?}: one sequence, never cut");
            }
            let outside = String::from_utf8_lossy(&outside);
            for graphics in ["\x1bP", "\x1b_G", "\x1b]1337"] {
                assert!(
                    !outside.contains(graphics),
                    "{kind:?}: {graphics:?} outside tmux's wrapping"
                );
            }
        }
        // Outside tmux nothing is made smaller.
        let g = Graphics {
            kind: GraphicsKind::Iterm2,
            cell_px: (10, 20),
            ..Graphics::default()
        };
        assert_eq!(encode(&img, (220, 60), &g, 7).unwrap().cells, (220, 60));
    }

    #[test]
    fn flatten_composes_alpha_over_background() {
        let mut img = image::RgbaImage::new(2, 1);
        img.put_pixel(0, 0, image::Rgba([255, 0, 0, 255]));
        img.put_pixel(1, 0, image::Rgba([255, 255, 255, 0]));
        let f = flatten(DynamicImage::ImageRgba8(img)).to_rgb8();
        assert_eq!(f.get_pixel(0, 0).0, [255, 0, 0]);
        assert_eq!(f.get_pixel(1, 0).0, BACKGROUND);
    }

    #[test]
    fn maps_to_256_colours() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf[(0, 0)]
            .set_fg(Color::Rgb(255, 0, 0))
            .set_bg(Color::Rgb(0, 0, 0));
        to_256_colours(&mut buf, Rect::new(0, 0, 2, 1));
        assert!(matches!(buf[(0, 0)].fg, Color::Indexed(_)));
        assert!(matches!(buf[(0, 0)].bg, Color::Indexed(_)));
    }
}
