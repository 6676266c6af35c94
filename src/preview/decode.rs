//! Bytes to picture: format sniffing from magic bytes, decoding with
//! limits, EXIF orientation, and normalisation to 8-bit RGB or RGBA.
//!
//! Pure and synchronous: callers run [`decode`] off the UI thread
//! (`tokio::task::spawn_blocking`).

use super::{short, PreviewError, MAX_ALLOC_BYTES, MAX_CACHED_SIDE_PX, MAX_SIDE_PX};
use image::error::{ImageError, LimitErrorKind};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;

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

/// Decodes `bytes` into an upright 8-bit RGB (or RGBA, when the source
/// has alpha) picture at most [`MAX_CACHED_SIDE_PX`] a side.
///
/// EXIF orientation is applied; grayscale, palette, 16-bit, CMYK and
/// progressive sources come out as plain RGB(A).
///
/// Errors: [`PreviewError::UnsupportedFormat`] (magic bytes),
/// [`PreviewError::TooLarge`] (limits), [`PreviewError::Truncated`] (data
/// ends early), [`PreviewError::Corrupt`] / [`PreviewError::Unsupported`]
/// (decoder detail). Never panics on any input.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, PreviewError> {
    let img = decode_full(bytes)?;
    Ok(shrink(normalize(img), MAX_CACHED_SIDE_PX))
}

/// Like [`decode`] without the final shrink: the upright picture at its
/// own size, normalised to 8-bit RGB(A).
pub fn decode_full(bytes: &[u8]) -> Result<DynamicImage, PreviewError> {
    let format = sniff(bytes).ok_or(PreviewError::UnsupportedFormat)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.to_image());
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(PreviewError::Corrupt("zero-sized image".into()));
    }
    if w > MAX_SIDE_PX || h > MAX_SIDE_PX {
        return Err(PreviewError::TooLarge);
    }
    let mut budget = limits();
    budget.reserve(decoder.total_bytes()).map_err(classify)?;
    // A broken EXIF block only loses the rotation, never the picture.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    img.apply_orientation(orientation);
    Ok(img)
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
fn classify(e: ImageError) -> PreviewError {
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
        ImageError::Decoding(_) | ImageError::IoError(_) => {
            let text = e.to_string();
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
                PreviewError::Corrupt(short(&text))
            }
        }
        _ => PreviewError::Corrupt(short(&e.to_string())),
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
