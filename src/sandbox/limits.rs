//! What an agent may send (CONTRACT.md, "Limits on what an agent may
//! send"): caption, tags, comment body, legacy `imageUrl` and request body
//! sizes, and the checks that enforce them. Every check is one pass over
//! its input, so a request at or beyond a limit costs time in proportion to
//! its (bounded) size.
//!
//! Because every stored string is bounded here, a feed item is at most
//! [`FEED_ITEM_MAX_BYTES`] long however hostile its text, and a feed page
//! at most [`FEED_PAGE_MAX_BYTES`].

use super::errors::SbError;
use std::collections::HashSet;

/// Longest caption, in characters after trimming.
pub const MAX_CAPTION_CHARS: usize = 2000;
/// Most tags on one post.
pub const MAX_TAGS: usize = 30;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 50;
/// Longest comment body, in characters after trimming.
pub const MAX_COMMENT_CHARS: usize = 2000;
/// Longest legacy `imageUrl`, in characters.
pub const MAX_IMAGE_URL_CHARS: usize = 2048;
/// Largest JSON request body, in bytes.
pub const MAX_JSON_BODY: usize = 64 * 1024;
/// Largest image in an upload, in bytes (5 MiB).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// Most bytes of the other fields of a multipart upload (every part but
/// `file`, counted as the parts' data).
pub const MAX_MULTIPART_FIELDS: usize = 64 * 1024;
/// Largest multipart request body, in bytes: the image plus the other
/// fields (the part headers and boundaries count against the latter).
pub const MAX_MULTIPART_BODY: usize = MAX_IMAGE_BYTES + MAX_MULTIPART_FIELDS;

/// Upper bound of one feed item's JSON, in bytes, for posts made through
/// the API: a caption of 2,000 characters each escaped to 6 bytes
/// (`\u0001`), 30 tags of 50 such characters, a 2,048-character legacy URL
/// of 4-byte characters, and the fixed fields (ids, author, stats,
/// verdict) well under 4 KiB.
pub const FEED_ITEM_MAX_BYTES: usize = 32 * 1024;
/// Upper bound of one feed page's JSON: 50 items and the envelope.
pub const FEED_PAGE_MAX_BYTES: usize = 50 * FEED_ITEM_MAX_BYTES + 1024;

/// A caption as stored: trimmed (any other character is kept as sent);
/// more than [`MAX_CAPTION_CHARS`] characters: 400 `INVALID_BODY`.
pub fn caption(raw: Option<String>) -> Result<Option<String>, SbError> {
    let Some(raw) = raw else { return Ok(None) };
    let t = raw.trim();
    if t.chars().nth(MAX_CAPTION_CHARS).is_some() {
        return Err(SbError::invalid_body(format!(
            "caption must be at most {MAX_CAPTION_CHARS} characters after trimming"
        )));
    }
    Ok(Some(if t.len() == raw.len() {
        raw
    } else {
        t.to_owned()
    }))
}

/// Tags as stored: each trimmed with a leading `#` removed, empty ones
/// dropped, duplicates removed keeping the first (one pass with a hash
/// set). More than [`MAX_TAGS`] tags given, or one longer than
/// [`MAX_TAG_CHARS`] characters: 400 `INVALID_BODY` (the count is checked
/// as the tags are read, so a request with thousands stops at the 31st).
pub fn tags<S: AsRef<str>>(raw: impl IntoIterator<Item = S>) -> Result<Vec<String>, SbError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    let mut given = 0usize;
    for t in raw {
        let t = t.as_ref().trim();
        let t = t.strip_prefix('#').unwrap_or(t).trim();
        if t.is_empty() {
            continue;
        }
        given += 1;
        if given > MAX_TAGS {
            return Err(SbError::invalid_body(format!(
                "at most {MAX_TAGS} tags are allowed"
            )));
        }
        if t.chars().nth(MAX_TAG_CHARS).is_some() {
            return Err(SbError::invalid_body(format!(
                "each tag must be 1 to {MAX_TAG_CHARS} characters"
            )));
        }
        if seen.insert(t.to_owned()) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// A comment body as stored: trimmed, 1..=[`MAX_COMMENT_CHARS`]
/// characters, else 400 `INVALID_BODY`.
pub fn comment(raw: &str) -> Result<String, SbError> {
    let t = raw.trim();
    if t.is_empty() || t.chars().nth(MAX_COMMENT_CHARS).is_some() {
        return Err(SbError::invalid_body(format!(
            "body must be 1 to {MAX_COMMENT_CHARS} characters after trimming"
        )));
    }
    Ok(t.to_owned())
}

/// A legacy `imageUrl` (already trimmed): an absolute http(s) URL of at
/// most [`MAX_IMAGE_URL_CHARS`] characters without control characters,
/// else 400 `INVALID_BODY`.
pub fn legacy_image_url(u: &str) -> Result<(), SbError> {
    if u.chars().nth(MAX_IMAGE_URL_CHARS).is_some() {
        return Err(SbError::invalid_body(format!(
            "imageUrl must be at most {MAX_IMAGE_URL_CHARS} characters"
        )));
    }
    if u.chars().any(char::is_control) {
        return Err(SbError::invalid_body(
            "imageUrl must not contain control characters",
        ));
    }
    match url::Url::parse(u) {
        Ok(p) if matches!(p.scheme(), "http" | "https") && p.has_host() => Ok(()),
        _ => Err(SbError::invalid_body(
            "imageUrl must be an absolute http(s) URL",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_cleaned_in_order_and_bounded() {
        let t = tags(["#a", " b ", "", "a", "#", "b", "c"]).unwrap();
        assert_eq!(t, ["a", "b", "c"]);
        let max: Vec<String> = (0..MAX_TAGS).map(|i| format!("{i:0>50}")).collect();
        assert_eq!(tags(&max).unwrap(), max);
        let over: Vec<String> = (0..=MAX_TAGS).map(|i| i.to_string()).collect();
        assert_eq!(tags(&over).unwrap_err().code, "INVALID_BODY");
        // Duplicates count as given: 31 copies of one tag are refused too.
        assert!(tags(vec!["x"; MAX_TAGS + 1]).is_err());
        assert!(tags(["é".repeat(50)]).is_ok());
        assert!(tags(["é".repeat(51)]).is_err());
    }

    #[test]
    fn caption_comment_and_url_edges() {
        let c = "\u{1}".repeat(MAX_CAPTION_CHARS);
        assert_eq!(caption(Some(format!("  {c}\n"))).unwrap(), Some(c.clone()));
        assert!(caption(Some(format!("{c}x"))).is_err());
        assert_eq!(caption(None).unwrap(), None);
        assert_eq!(comment(" hi ").unwrap(), "hi");
        assert!(comment("   ").is_err());
        assert!(comment(&"字".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        let base = "https://example.com/";
        let ok = format!("{base}{}", "a".repeat(MAX_IMAGE_URL_CHARS - base.len()));
        assert!(legacy_image_url(&ok).is_ok());
        assert!(legacy_image_url(&format!("{ok}a")).is_err());
        assert!(legacy_image_url("https://example.com/a\tb").is_err());
        assert!(legacy_image_url("ftp://example.com/a").is_err());
        assert!(legacy_image_url("/relative.png").is_err());
    }
}
