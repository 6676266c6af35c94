//! Image previews: fetch (without the API key), decode off the UI thread,
//! cache, encode for the terminal's graphics protocol.
//!
//! Pure parts: [`decode`] (bytes to picture or a one-line reason),
//! [`cache`] (byte-bounded LRU), [`protocol`] (protocol choice and the
//! start-up probe), [`terminal`] (who the terminal is: XTVERSION, environment),
//! [`encode`] (fit a picture into a pane, build the
//! ratatui-image protocol), [`state`] (the preview state machine `App`
//! embeds: debounce, cancel, prefetch, stale results; the post pane and the
//! full-screen view draw what it holds). Effects: [`tasks`] (tokio /
//! `spawn_blocking` jobs).

pub mod cache;
pub mod decode;
pub mod encode;
pub mod protocol;
pub mod state;
pub mod tasks;
pub mod terminal;

pub use cache::ImageCache;
pub use decode::{decode, sniff, ImageFormat};
pub use encode::{encode, fit, EncodedPreview};
pub use protocol::{Graphics, GraphicsKind};
pub use state::{PreviewEffect, PreviewMsg, PreviewState, PreviewView, Target};

use image::DynamicImage;
use std::fmt;
use std::sync::Arc;

/// Largest media body read, in bytes: the API's 5 MiB upload limit plus
/// 64 KiB of slack (a larger body is [`PreviewError::TooLarge`]).
pub const MAX_MEDIA_BYTES: usize = 5 * 1024 * 1024 + 64 * 1024;

/// Largest side, in pixels, of a decodable image (a larger header is
/// [`PreviewError::TooLarge`]).
pub const MAX_SIDE_PX: u32 = 8192;

/// Largest decoder allocation, in bytes (128 MiB; what is decoded in one
/// piece is further bounded by [`MAX_DECODED_BYTES`]).
pub const MAX_ALLOC_BYTES: u64 = 128 * 1024 * 1024;

/// Largest decoded picture held at once, in bytes: 4096 x 4096 RGBA
/// (64 MiB). Larger JPEGs are decoded at a reduced scale, larger PNGs
/// shrunk row by row, anything else is [`PreviewError::TooLarge`].
pub const MAX_DECODED_BYTES: u64 = 4096 * 4096 * 4;

/// Decoded pictures are shrunk to fit this many pixels a side before they
/// are cached (enough for a full-screen view, bounded memory).
pub const MAX_CACHED_SIDE_PX: u32 = 2048;

/// A decoded picture shared between the cache and the effects. Equality is identity (same allocation); `Debug` shows the size only.
#[derive(Clone)]
pub struct SharedImage(pub Arc<DynamicImage>);

impl SharedImage {
    /// Wraps a decoded picture.
    pub fn new(img: DynamicImage) -> Self {
        SharedImage(Arc::new(img))
    }

    /// The picture.
    pub fn image(&self) -> &DynamicImage {
        &self.0
    }

    /// Bytes of pixel data held (what the cache budget counts).
    pub fn byte_size(&self) -> usize {
        self.0.as_bytes().len()
    }
}

impl PartialEq for SharedImage {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for SharedImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SharedImage({}x{} {:?})",
            self.0.width(),
            self.0.height(),
            self.0.color()
        )
    }
}

/// Why a preview cannot be shown. [`PreviewError::reason`] is the one line
/// shown in the post pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewError {
    /// The bytes are not a jpeg, png, webp or gif picture (magic bytes).
    UnsupportedFormat,
    /// The format is known but this variant cannot be decoded (e.g. an
    /// unusual colour type); the text is the decoder's (sanitized) detail.
    Unsupported(String),
    /// Larger than [`MAX_MEDIA_BYTES`] bytes, [`MAX_SIDE_PX`] pixels a side
    /// or [`MAX_ALLOC_BYTES`] of decoder memory.
    TooLarge,
    /// The server answered with this HTTP status.
    Http(u16),
    /// The data ends before the picture does.
    Truncated,
    /// The data is damaged (decoder detail, sanitized, short).
    Corrupt(String),
    /// The request failed before an answer (timeout, connection refused...);
    /// the text names the image host.
    Network(String),
    /// The picture's host is a local or private address (and the API is
    /// not): it was not contacted. The host.
    Refused(String),
    /// The load was cancelled (a newer selection won); never shown.
    Cancelled,
}

impl PreviewError {
    /// The one-line reason shown in the post pane, e.g. `"HTTP 404"`,
    /// `"too large"`, `"unsupported format"`, `"truncated image"`.
    pub fn reason(&self) -> String {
        match self {
            PreviewError::UnsupportedFormat => "unsupported format".into(),
            PreviewError::Unsupported(d) => format!("unsupported format ({d})"),
            PreviewError::TooLarge => "too large".into(),
            PreviewError::Http(s) => format!("HTTP {s}"),
            PreviewError::Truncated => "truncated image".into(),
            PreviewError::Corrupt(d) => format!("damaged image ({d})"),
            PreviewError::Network(d) => format!("network error ({d})"),
            PreviewError::Refused(h) => format!("not fetched: {h} is a private address"),
            PreviewError::Cancelled => "cancelled".into(),
        }
    }

    /// A transient failure worth retrying when the post is selected again.
    pub fn is_transient(&self) -> bool {
        matches!(self, PreviewError::Network(_) | PreviewError::Cancelled)
            || matches!(self, PreviewError::Http(s) if *s == 429 || *s >= 500)
    }

    /// Maps a media fetch error of the API client for the picture at
    /// `url`: network failures name the image host (not AIspace, which
    /// may have nothing to do with it).
    pub fn from_media(e: &crate::api::ApiError, url: &str) -> Self {
        use crate::api::ApiError;
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .map_or_else(|| "the image host".to_string(), |h| short(&h));
        match e {
            ApiError::Timeout(_) => PreviewError::Network(format!("{host} timed out")),
            ApiError::Network(detail) => PreviewError::Network(short(&format!("{host}: {detail}"))),
            ApiError::InvalidUrl(m) if m.contains("only from public addresses") => {
                PreviewError::Refused(host)
            }
            other => PreviewError::from_api(other),
        }
    }

    /// Maps a media fetch error of the API client.
    pub fn from_api(e: &crate::api::ApiError) -> Self {
        use crate::api::ApiError;
        match e {
            ApiError::MediaTooLarge { .. } => PreviewError::TooLarge,
            ApiError::Http { status, .. } | ApiError::Redirect { status, .. } => {
                PreviewError::Http(*status)
            }
            ApiError::Timeout(_) => PreviewError::Network("timed out".into()),
            other => PreviewError::Network(short(&other.user_message())),
        }
    }
}

impl fmt::Display for PreviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason())
    }
}

impl std::error::Error for PreviewError {}

/// A detail text made safe and short for one line (at most 60 columns).
pub(crate) fn short(s: &str) -> String {
    crate::text::truncate(&crate::text::clean_line(s), 60)
}
