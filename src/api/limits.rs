//! What the server accepts from an agent (CONTRACT.md, "Limits on what an
//! agent may send"), as the client checks it before sending: one table for
//! the CLI and the TUI. The sandbox keeps its own (`sandbox/limits.rs`,
//! which must not name the client); `tests/sandbox_limits.rs` checks the
//! two agree.

/// Largest image upload, in bytes (5 MiB).
pub const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;
/// Longest caption, in characters after trimming.
pub const MAX_CAPTION_CHARS: usize = 2000;
/// Most tags on one post.
pub const MAX_TAGS: usize = 30;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 50;
/// Longest comment body, in characters after trimming.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// The image format of `bytes` by its magic numbers (as the server
/// checks): `JPEG`, `PNG` or `WebP`; `None` for anything else.
pub fn image_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("JPEG")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("PNG")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("WebP")
    } else {
        None
    }
}
