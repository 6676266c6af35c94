//! Bytes to picture: format sniffing from magic bytes, decoding with
//! limits, EXIF orientation, and normalisation to 8-bit RGB or RGBA.
//!
//! Pure and synchronous: callers run [`decode`] off the UI thread
//! (`tokio::task::spawn_blocking`).

use super::{
    short, PreviewError, MAX_ALLOC_BYTES, MAX_CACHED_SIDE_PX, MAX_DECODED_BYTES, MAX_SIDE_PX,
};
use image::error::{ImageError, LimitErrorKind};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::{BufRead, Cursor, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};

/// A picture format recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// `FF D8 FF`.
    Jpeg,
    /// `89 50 4E 47 0D 0A 1A 0A`.
    Png,
    /// `RIFF....WEBP`.
    Webp,
    /// `GIF87a` / `GIF89a` (first frame shown).
    Gif,
}

impl ImageFormat {
    fn to_image(self) -> image::ImageFormat {
        match self {
            ImageFormat::Jpeg => image::ImageFormat::Jpeg,
            ImageFormat::Png => image::ImageFormat::Png,
            ImageFormat::Webp => image::ImageFormat::WebP,
            ImageFormat::Gif => image::ImageFormat::Gif,
        }
    }
}

/// The format from the first bytes; `None` for anything else (HTML error
/// pages, SVG, BMP, empty bodies...).
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::Webp)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageFormat::Gif)
    } else {
        None
    }
}

/// The decoder limits: [`MAX_SIDE_PX`] a side, [`MAX_ALLOC_BYTES`] in all.
pub fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE_PX);
    l.max_image_height = Some(MAX_SIDE_PX);
    l.max_alloc = Some(MAX_ALLOC_BYTES);
    l
}

/// A flag that stops a decode early: raised when nobody wants the picture
/// any more. Checked on every read of the input and on every row.
pub type CancelFlag = AtomicBool;

/// Decodes `bytes` into an upright 8-bit RGB (or RGBA, when the source
/// has alpha) picture at most [`MAX_CACHED_SIDE_PX`] a side.
///
/// EXIF orientation is applied; grayscale, palette, 16-bit, CMYK and
/// progressive sources come out as plain RGB(A). No decoded buffer is
/// larger than [`MAX_DECODED_BYTES`]: larger JPEGs are decoded at a
/// reduced scale (1/2, 1/4, 1/8), larger PNGs are shrunk row by row, and
/// anything else that large is [`PreviewError::TooLarge`].
///
/// Errors: [`PreviewError::UnsupportedFormat`] (magic bytes),
/// [`PreviewError::TooLarge`] (limits), [`PreviewError::Truncated`] (data
/// ends early), [`PreviewError::Corrupt`] / [`PreviewError::Unsupported`]
/// (decoder detail). Never panics on any input.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, PreviewError> {
    decode_cancellable(bytes, &AtomicBool::new(false))
}

/// [`decode`] that gives up with [`PreviewError::Cancelled`] soon after
/// `cancel` is raised.
pub fn decode_cancellable(bytes: &[u8], cancel: &CancelFlag) -> Result<DynamicImage, PreviewError> {
    let img = decode_budgeted(bytes, cancel)?;
    check(cancel)?;
    Ok(shrink(normalize(img), MAX_CACHED_SIDE_PX))
}

/// Like [`decode`] without the final shrink: the upright picture, at its
/// own size when that fits [`MAX_DECODED_BYTES`], normalised to 8-bit
/// RGB(A).
pub fn decode_full(bytes: &[u8]) -> Result<DynamicImage, PreviewError> {
    decode_budgeted(bytes, &AtomicBool::new(false)).map(normalize)
}

fn check(cancel: &CancelFlag) -> Result<(), PreviewError> {
    if cancel.load(Ordering::Relaxed) {
        Err(PreviewError::Cancelled)
    } else {
        Ok(())
    }
}

/// The input, failing every read once the flag is raised (decoders that
/// read as they go stop there).
struct CancelReader<'a> {
    inner: Cursor<&'a [u8]>,
    cancel: &'a CancelFlag,
}

const CANCELLED: &str = "preview decode cancelled";

impl Read for CancelReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(CANCELLED));
        }
        self.inner.read(buf)
    }
}

impl BufRead for CancelReader<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(CANCELLED));
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt)
    }
}

impl Seek for CancelReader<'_> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

fn reader<'a>(bytes: &'a [u8], cancel: &'a CancelFlag) -> CancelReader<'a> {
    CancelReader {
        inner: Cursor::new(bytes),
        cancel,
    }
}

/// The decode under the [`MAX_DECODED_BYTES`] budget (not yet normalised).
fn decode_budgeted(bytes: &[u8], cancel: &CancelFlag) -> Result<DynamicImage, PreviewError> {
    let format = sniff(bytes).ok_or(PreviewError::UnsupportedFormat)?;
    check(cancel)?;
    let mut reader = ImageReader::with_format(reader(bytes, cancel), format.to_image());
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|e| classify(e, cancel))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(PreviewError::Corrupt("zero-sized image".into()));
    }
    if w > MAX_SIDE_PX || h > MAX_SIDE_PX {
        return Err(PreviewError::TooLarge);
    }
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        drop(decoder);
        return match format {
            ImageFormat::Jpeg => jpeg_scaled(bytes, cancel),
            ImageFormat::Png => png_shrunk(bytes, cancel),
            _ => Err(PreviewError::TooLarge),
        };
    }
    let mut budget = limits();
    budget
        .reserve(decoder.total_bytes())
        .map_err(|e| classify(e, cancel))?;
    // A broken EXIF block only loses the rotation, never the picture.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, cancel))?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// A JPEG too large for the budget, decoded by its DCT at 1/2, 1/4 or 1/8
/// of its size (the largest that fits). Progressive JPEGs keep every
/// coefficient in memory while decoding: refused when those do not fit.
fn jpeg_scaled(bytes: &[u8], cancel: &CancelFlag) -> Result<DynamicImage, PreviewError> {
    let corrupt = |e: jpeg_decoder::Error| match e {
        jpeg_decoder::Error::Io(io) if io.to_string() == CANCELLED => PreviewError::Cancelled,
        jpeg_decoder::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            PreviewError::Truncated
        }
        jpeg_decoder::Error::Unsupported(u) => PreviewError::Unsupported(short(&format!("{u:?}"))),
        other => classify_text(&other.to_string()),
    };
    let mut dec = jpeg_decoder::Decoder::new(reader(bytes, cancel));
    dec.read_info().map_err(corrupt)?;
    let info = dec.info().ok_or(PreviewError::TooLarge)?;
    let (w, h) = (u64::from(info.width), u64::from(info.height));
    let px = info.pixel_format.pixel_bytes() as u64;
    if info.coding_process != jpeg_decoder::CodingProcess::DctSequential
        && w * h * px * 2 > MAX_DECODED_BYTES
    {
        return Err(PreviewError::TooLarge);
    }
    // The smallest power-of-two reduction that fits the budget and brings
    // the long side near the cached size (the picture is shrunk to
    // MAX_CACHED_SIDE_PX anyway; decoding more only costs memory).
    let near = u64::from(MAX_CACHED_SIDE_PX) * 5 / 4;
    let mut div = 2u64;
    while div < 8 && ((w / div) * (h / div) * px > MAX_DECODED_BYTES || w.max(h) / div > near) {
        div *= 2;
    }
    let want = |side: u64| u16::try_from(side.div_ceil(div)).unwrap_or(u16::MAX);
    let (sw, sh) = dec.scale(want(w), want(h)).map_err(corrupt)?;
    let (sw, sh) = (u64::from(sw), u64::from(sh));
    if sw * sh * px > MAX_DECODED_BYTES {
        return Err(PreviewError::TooLarge);
    }
    dec.set_max_decoding_buffer_size(MAX_DECODED_BYTES as usize);
    let pixels = dec.decode().map_err(corrupt)?;
    check(cancel)?;
    let (sw, sh) = (sw as u32, sh as u32);
    let img = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(sw, sh, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(sw, sh, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 => {
            let wide: Vec<u16> = pixels
                .chunks_exact(2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .collect();
            image::ImageBuffer::from_raw(sw, sh, wide).map(DynamicImage::ImageLuma16)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [0, 1, 2].map(|i| ((u16::from(p[i]) * k) / 255) as u8)
                })
                .collect();
            image::RgbImage::from_raw(sw, sh, rgb).map(DynamicImage::ImageRgb8)
        }
    }
    .ok_or_else(|| PreviewError::Corrupt("short pixel data".into()))?;
    let mut img = img;
    if let Some(o) = dec.exif_data().and_then(Orientation::from_exif_chunk) {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// A PNG too large for the budget, shrunk while it is read, row by row,
/// into at most [`MAX_CACHED_SIDE_PX`] a side (a box filter; interlaced
/// pictures use their last pass, every other row). Never holds more than
/// one source row.
fn png_shrunk(bytes: &[u8], cancel: &CancelFlag) -> Result<DynamicImage, PreviewError> {
    let fail = |e: png::DecodingError| match e {
        png::DecodingError::IoError(io) if io.to_string() == CANCELLED => PreviewError::Cancelled,
        png::DecodingError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            PreviewError::Truncated
        }
        png::DecodingError::LimitsExceeded => PreviewError::TooLarge,
        other => classify_text(&other.to_string()),
    };
    let mut dec = png::Decoder::new(reader(bytes, cancel));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut rd = dec.read_info().map_err(fail)?;
    let (w, h) = (rd.info().width, rd.info().height);
    let interlaced = rd.info().interlaced;
    let (color, _) = rd.output_color_type();
    let ch = color.samples();
    let (tw, th) = fit_within(w, h, MAX_CACHED_SIDE_PX);
    let mut out = vec![0u8; tw as usize * th as usize * ch];
    let mut sums = vec![0u32; tw as usize * ch];
    let mut counts = vec![0u32; tw as usize];
    let col: Vec<usize> = (0..w as usize)
        .map(|x| x * tw as usize / w as usize)
        .collect();
    let mut current: Option<usize> = None;
    let mut full_rows = 0usize;
    let mut filled = vec![false; th as usize];
    let flush = |ty: usize, sums: &mut [u32], counts: &mut [u32], out: &mut [u8]| {
        for (tx, n) in counts.iter_mut().enumerate() {
            for c in 0..ch {
                let i = tx * ch + c;
                out[ty * tw as usize * ch + i] = (sums[i] / (*n).max(1)) as u8;
                sums[i] = 0;
            }
            *n = 0;
        }
    };
    while let Some(row) = rd.next_row().map_err(fail)? {
        check(cancel)?;
        let data = row.data();
        if data.len() < w as usize * ch {
            if interlaced {
                continue; // an early Adam7 pass: its pixels come again later
            }
            return Err(PreviewError::Truncated);
        }
        let y = if interlaced {
            1 + 2 * full_rows
        } else {
            full_rows
        };
        full_rows += 1;
        let ty = (y * th as usize / h as usize).min(th as usize - 1);
        if current.is_some_and(|c| c != ty) {
            if let Some(c) = current {
                flush(c, &mut sums, &mut counts, &mut out);
                filled[c] = true;
            }
        }
        current = Some(ty);
        for (x, px) in data.chunks_exact(ch).take(w as usize).enumerate() {
            let tx = col[x];
            counts[tx] += 1;
            for (c, v) in px.iter().enumerate() {
                sums[tx * ch + c] += u32::from(*v);
            }
        }
    }
    if let Some(c) = current {
        flush(c, &mut sums, &mut counts, &mut out);
        filled[c] = true;
    }
    // Rows that no source row reached (interlaced: every other row) copy the row above.
    let stride = tw as usize * ch;
    for (ty, done) in filled.iter().enumerate().skip(1) {
        if !done {
            out.copy_within((ty - 1) * stride..ty * stride, ty * stride);
        }
    }
    let img = match color {
        png::ColorType::Grayscale => {
            image::GrayImage::from_raw(tw, th, out).map(DynamicImage::ImageLuma8)
        }
        png::ColorType::GrayscaleAlpha => {
            image::GrayAlphaImage::from_raw(tw, th, out).map(DynamicImage::ImageLumaA8)
        }
        png::ColorType::Rgba => {
            image::RgbaImage::from_raw(tw, th, out).map(DynamicImage::ImageRgba8)
        }
        _ => image::RgbImage::from_raw(tw, th, out).map(DynamicImage::ImageRgb8),
    };
    img.ok_or_else(|| PreviewError::Corrupt("short pixel data".into()))
}

/// (w, h) shrunk, aspect kept, to at most `max_side` a side (at least 1).
fn fit_within(w: u32, h: u32, max_side: u32) -> (u32, u32) {
    if w <= max_side && h <= max_side {
        return (w, h);
    }
    let (w64, h64, m) = (u64::from(w), u64::from(h), u64::from(max_side));
    if w >= h {
        (max_side, ((h64 * m) / w64).max(1) as u32)
    } else {
        (((w64 * m) / h64).max(1) as u32, max_side)
    }
}

/// 8-bit RGB, or 8-bit RGBA when the picture has an alpha channel.
pub fn normalize(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => img,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// The picture shrunk (aspect kept) to at most `max_side` pixels a side;
/// smaller pictures are returned as they are.
pub fn shrink(img: DynamicImage, max_side: u32) -> DynamicImage {
    if img.width() <= max_side && img.height() <= max_side {
        return img;
    }
    // `thumbnail` is a fast box filter, good for large reductions.
    img.thumbnail(max_side, max_side)
}

/// Sorts a decoder error into the reasons shown to the user.
fn classify(e: ImageError, cancel: &CancelFlag) -> PreviewError {
    if cancel.load(Ordering::Relaxed) {
        return PreviewError::Cancelled;
    }
    match &e {
        ImageError::Limits(l) => match l.kind() {
            LimitErrorKind::DimensionError | LimitErrorKind::InsufficientMemory => {
                PreviewError::TooLarge
            }
            _ => PreviewError::Unsupported(short(&e.to_string())),
        },
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            PreviewError::Truncated
        }
        ImageError::Unsupported(_) => PreviewError::Unsupported(short(&e.to_string())),
        ImageError::Decoding(_) | ImageError::IoError(_) => classify_text(&e.to_string()),
        _ => PreviewError::Corrupt(short(&e.to_string())),
    }
}

/// A decoder's error text: truncated data or damage.
fn classify_text(text: &str) -> PreviewError {
    let lower = text.to_ascii_lowercase();
    let eof = [
        "eof",
        "end of file",
        "unexpected end",
        "no more bytes",
        "truncated",
        "not enough data",
        "insufficient data",
        "exhausted",
    ];
    if eof.iter().any(|k| lower.contains(k)) {
        PreviewError::Truncated
    } else {
        PreviewError::Corrupt(short(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageFormat::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageFormat::Webp));
        assert_eq!(sniff(b"GIF89a"), Some(ImageFormat::Gif));
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"RIFF"), None);
    }

    #[test]
    fn shrink_keeps_aspect() {
        let img = DynamicImage::new_rgb8(4000, 1000);
        let s = shrink(img, 2048);
        assert_eq!((s.width(), s.height()), (2048, 512));
        let small = shrink(DynamicImage::new_rgb8(10, 10), 2048);
        assert_eq!((small.width(), small.height()), (10, 10));
    }
}
