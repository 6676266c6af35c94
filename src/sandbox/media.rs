//! Image bytes: the embedded stock images (`assets/images/`, licenses in
//! `assets/LICENSES.md`), magic-byte sniffing, header-only dimensions, and
//! the routes that serve media, generated avatars and the tiny HTML pages
//! `/p/{id}` and `/a/{handle}`.

use super::errors::SbError;
use super::extract::BaseUrl;
use super::store::{MediaRef, MediaSource, Store};
use super::Sandbox;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use bytes::Bytes;
use std::io::Cursor;
use std::sync::OnceLock;

/// One embedded image: bytes and MIME type.
pub struct StockImage {
    pub bytes: &'static [u8],
    pub mime: &'static str,
}

macro_rules! stock {
    ($name:literal, $mime:literal) => {
        StockImage {
            bytes: include_bytes!(concat!("../../assets/images/", $name)),
            mime: $mime,
        }
    };
}

/// The embedded images (jpeg, png and webp all represented).
pub static STOCK: [StockImage; 10] = [
    stock!("astronaut.png", "image/png"),
    stock!("coffee.png", "image/png"),
    stock!("coffee.webp", "image/webp"),
    stock!("chelsea.png", "image/png"),
    stock!("chelsea-progressive.jpg", "image/jpeg"),
    stock!("rocket.jpg", "image/jpeg"),
    stock!("hubble_deep_field.jpg", "image/jpeg"),
    stock!("retina.jpg", "image/jpeg"),
    stock!("camera.png", "image/png"),
    stock!("horse.png", "image/png"),
];

use super::limits::MAX_IMAGE_BYTES;

/// The MIME type from the magic bytes: jpeg (`FF D8 FF`), png
/// (`89 50 4E 47 0D 0A 1A 0A`) or webp (`RIFF....WEBP`); `None` otherwise.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Width and height in pixels read from the image header only; `None` if
/// the header cannot be read.
pub fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Checks an upload: size first (413 `UPLOAD_TOO_LARGE` above
/// [`MAX_IMAGE_BYTES`]), then magic bytes (415 `UNSUPPORTED_MEDIA_TYPE`).
pub fn validate_image(bytes: &[u8]) -> Result<&'static str, SbError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(SbError::too_large());
    }
    sniff(bytes).ok_or_else(|| {
        SbError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Image must be jpeg, png, or webp",
        )
    })
}

/// Stores uploaded bytes (already validated) and returns their media item.
pub fn store_upload(store: &mut Store, bytes: Bytes) -> MediaRef {
    let mime = sniff(&bytes).unwrap_or("application/octet-stream");
    let dims = dimensions(&bytes);
    let id = store.add_media(bytes, mime);
    MediaRef {
        id,
        source: MediaSource::Stored,
        width: dims.map(|d| d.0),
        height: dims.map(|d| d.1),
    }
}

fn stock_dims() -> &'static [Option<(u32, u32)>] {
    static DIMS: OnceLock<Vec<Option<(u32, u32)>>> = OnceLock::new();
    DIMS.get_or_init(|| STOCK.iter().map(|s| dimensions(s.bytes)).collect())
}

/// A new media item holding stock image `i` (modulo the number of images).
pub fn stock_media(store: &mut Store, i: usize) -> MediaRef {
    let i = i % STOCK.len();
    let img = &STOCK[i];
    let dims = stock_dims()[i];
    let id = store.add_media(Bytes::from_static(img.bytes), img.mime);
    MediaRef {
        id,
        source: MediaSource::Stored,
        width: dims.map(|d| d.0),
        height: dims.map(|d| d.1),
    }
}

/// The public URL of a media item.
pub fn media_url(m: &MediaRef, base: &str) -> String {
    match &m.source {
        MediaSource::Stored => format!("{base}/media/{}", m.id),
        MediaSource::External(url) => url.clone(),
    }
}

/// `GET /media/{id}`: the bytes with their Content-Type, or 404 `NOT_FOUND`.
pub async fn get_media(State(sb): State<Sandbox>, Path(id): Path<String>) -> Response {
    match sb.with_store(|s| s.media.get(&id).cloned()) {
        Some(m) => (
            [
                (header::CONTENT_TYPE, m.mime),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            m.bytes,
        )
            .into_response(),
        None => SbError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No such media").into_response(),
    }
}

/// `GET /avatars/{handle}.png`: a generated 64x64 PNG (two colours derived
/// from the handle), or 404 for an agent without avatar.
pub async fn get_avatar(State(sb): State<Sandbox>, Path(file): Path<String>) -> Response {
    let handle = file.strip_suffix(".png").unwrap_or(&file).to_owned();
    let exists = sb.with_store(|s| {
        s.by_handle
            .get(&handle)
            .is_some_and(|ix| s.agents[*ix].has_avatar)
    });
    if !exists {
        return SbError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No such avatar").into_response();
    }
    match avatar_png(&handle) {
        Some(png) => ([(header::CONTENT_TYPE, "image/png")], png).into_response(),
        None => SbError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Could not draw the avatar",
        )
        .into_response(),
    }
}

fn avatar_png(handle: &str) -> Option<Vec<u8>> {
    use image::ImageEncoder;
    let h = super::auth::hash_key(handle);
    let (a, b) = ([h[0], h[1], h[2]], [h[3] / 2, h[4] / 2, h[5] / 2]);
    let mut px = Vec::with_capacity(64 * 64 * 3);
    for y in 0..64u32 {
        for x in 0..64u32 {
            // A symmetric 8x8 identicon from the hash bits.
            let (cx, cy) = ((x / 8).min(7 - x / 8), y / 8);
            let bit = (h[6 + (cy as usize % 8)] >> cx) & 1;
            px.extend_from_slice(if bit == 1 { &a } else { &b });
        }
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&px, 64, 64, image::ExtendedColorType::Rgb8)
        .ok()?;
    Some(out)
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{} - AIspace sandbox</title></head><body>{}</body></html>",
        esc(title),
        body
    ))
}

/// `GET /p/{id}`: a tiny HTML page of a published post, or 404.
pub async fn post_page(
    State(sb): State<Sandbox>,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
) -> Response {
    let now = sb.now();
    let html = sb.with_store(|s| {
        let p = s.published_post_mut(&id, now)?.clone();
        let a = &s.agents[p.author];
        let imgs: String = p
            .media
            .iter()
            .map(|m| format!("<img src=\"{}\" alt=\"\">", esc(&media_url(m, &base))))
            .collect();
        Some(page(
            &format!("Post {}", p.id),
            &format!(
                "<h1>{}</h1><p>by <a href=\"{}/a/{}\">@{}</a></p>{}<p>{} likes, {} comments</p>",
                esc(p.caption.as_deref().unwrap_or("(no caption)")),
                esc(&base),
                esc(&a.handle),
                esc(&a.handle),
                imgs,
                p.likes.len(),
                p.comments.len()
            ),
        ))
    });
    match html {
        Some(h) => h.into_response(),
        None => SbError::post_not_found().into_response(),
    }
}

/// `GET /developers`: where `connect`'s `api.docs` link points; names the
/// published page and the sandbox's own docs.
pub async fn developers_page() -> Html<String> {
    page(
        "Developers",
        "<h1>AIspace Agent API (sandbox)</h1><p>This sandbox follows the Agent API v0.2 \
         (<code>/api/agent/...</code> with a Bearer key). See the published API page and \
         <code>docs/sandbox.md</code> of aispace-tui.</p>",
    )
}

/// `GET /a/{handle}`: a tiny HTML profile page, or 404.
pub async fn agent_page(State(sb): State<Sandbox>, Path(handle): Path<String>) -> Response {
    let html = sb.with_store(|s| {
        let a = &s.agents[*s.by_handle.get(&handle)?];
        Some(page(
            &format!("@{}", a.handle),
            &format!(
                "<h1>{}</h1><p>@{}</p><p>{}</p>",
                esc(&a.name),
                esc(&a.handle),
                esc(a.bio.as_deref().unwrap_or(""))
            ),
        ))
    });
    match html {
        Some(h) => h.into_response(),
        None => SbError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No such agent").into_response(),
    }
}
