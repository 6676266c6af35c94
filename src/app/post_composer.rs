//! The composer of a new post (opened with `P`): four fields, "file or
//! URL", "caption", "tags" and "schedule", each a ratatui-textarea buffer;
//! the checked image of the file (read and checked by the runner, never
//! here); the upload's progress. Its text stays until the post is
//! accepted, whatever fails.

use crate::api::limits::{MAX_CAPTION_CHARS, MAX_TAGS, MAX_TAG_CHARS};
use crate::drafts::PostDraft;
use ratatui_textarea::TextArea;
use std::sync::Arc;

/// A field of the composer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostField {
    Source,
    Caption,
    Tags,
    Schedule,
}

impl PostField {
    /// Every field, top to bottom.
    pub const ALL: [PostField; 4] = [
        PostField::Source,
        PostField::Caption,
        PostField::Tags,
        PostField::Schedule,
    ];

    /// The field's label on screen.
    pub fn label(self) -> &'static str {
        match self {
            PostField::Source => "file or URL",
            PostField::Caption => "caption",
            PostField::Tags => "tags",
            PostField::Schedule => "schedule",
        }
    }

    /// The field below (the last wraps to the first).
    pub fn next(self) -> PostField {
        let i = PostField::ALL.iter().position(|f| *f == self).unwrap_or(0);
        PostField::ALL[(i + 1) % PostField::ALL.len()]
    }

    /// The field above (the first wraps to the last).
    pub fn prev(self) -> PostField {
        let i = PostField::ALL.iter().position(|f| *f == self).unwrap_or(0);
        PostField::ALL[(i + PostField::ALL.len() - 1) % PostField::ALL.len()]
    }
}

/// An image file read and checked by the runner (magic bytes, size).
#[derive(Debug, Clone, PartialEq)]
pub struct PickedImage {
    /// The path as typed (`~` not expanded), to know when it changed.
    pub typed: String,
    /// The file's path with `~` expanded (what the preview reads).
    pub path: String,
    /// The file name sent with the upload.
    pub name: String,
    /// The bytes to upload (re-encoded ones when [`PickedImage::reencoded_from`]).
    pub bytes: Arc<Vec<u8>>,
    /// `JPEG`, `PNG` or `WebP`.
    pub format: &'static str,
    /// The original size when the image was re-encoded as JPEG.
    pub reencoded_from: Option<u64>,
}

/// Why a file cannot be posted as it is (from the runner's check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageProblem {
    /// The path as typed.
    pub typed: String,
    /// A sentence saying what is wrong and what to do.
    pub text: String,
    /// The file is a picture over the size limit: re-encoding is offered.
    pub too_large: bool,
}

/// The open post composer.
#[derive(Debug, Clone)]
pub struct PostComposer {
    pub source: TextArea<'static>,
    pub caption: TextArea<'static>,
    pub tags: TextArea<'static>,
    pub schedule: TextArea<'static>,
    pub focus: PostField,
    /// The checked image of the file in the source field.
    pub image: Option<PickedImage>,
    /// Why the file in the source field cannot be posted as it is.
    pub problem: Option<ImageProblem>,
    /// Request number of the image check in flight, and whether the post
    /// is sent when it succeeds.
    pub checking: Option<(u64, bool)>,
    /// Request number of the upload in flight.
    pub sending: Option<u64>,
    /// Bytes sent of the total, while uploading a file.
    pub progress: Option<(u64, u64)>,
    /// The last path completion's candidates (shown when several).
    pub completions: Vec<String>,
    /// A path completion is awaited: keys typed meanwhile wait here and
    /// are applied, in order, after its answer (a burst or a paste of
    /// "path Tab caption Tab tags" lands in its fields).
    pub held_keys: Option<Vec<crate::app::Key>>,
}

/// A one-line text area with `placeholder`.
fn line_area(placeholder: &str) -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_placeholder_text(placeholder);
    t
}

impl Default for PostComposer {
    fn default() -> Self {
        let mut caption = TextArea::default();
        caption.set_placeholder_text(format!("optional, up to {MAX_CAPTION_CHARS} characters"));
        PostComposer {
            source: line_area(
                "a jpeg, png or webp file (Tab completes, ~ expands) or an http(s) URL",
            ),
            caption,
            tags: line_area(&format!(
                "optional: up to {MAX_TAGS}, comma-separated, e.g. aiart, scifi"
            )),
            schedule: line_area("optional: 18:00, tomorrow 09:00, in 2h, 2026-03-05T18:00Z"),
            focus: PostField::Source,
            image: None,
            problem: None,
            checking: None,
            sending: None,
            progress: None,
            completions: Vec::new(),
            held_keys: None,
        }
    }
}

impl PostComposer {
    /// The buffer of `field`.
    pub fn field(&self, field: PostField) -> &TextArea<'static> {
        match field {
            PostField::Source => &self.source,
            PostField::Caption => &self.caption,
            PostField::Tags => &self.tags,
            PostField::Schedule => &self.schedule,
        }
    }

    /// The buffer of the focused field.
    pub fn focused_mut(&mut self) -> &mut TextArea<'static> {
        match self.focus {
            PostField::Source => &mut self.source,
            PostField::Caption => &mut self.caption,
            PostField::Tags => &mut self.tags,
            PostField::Schedule => &mut self.schedule,
        }
    }

    /// The text of `field`, lines joined by `\n`.
    pub fn text(&self, field: PostField) -> String {
        self.field(field).lines().join("\n")
    }

    /// Replaces the text of `field`, the cursor at its end (one-line
    /// fields get line breaks as spaces).
    pub fn set_text(&mut self, field: PostField, text: &str) {
        let text = crate::text::clean_input(text);
        let lines: Vec<String> = if field == PostField::Caption {
            text.split('\n').map(str::to_string).collect()
        } else {
            vec![text.replace('\n', " ")]
        };
        let old = self.field(field).placeholder_text().to_string();
        let mut t = TextArea::new(lines);
        t.set_placeholder_text(old);
        t.move_cursor(ratatui_textarea::CursorMove::Bottom);
        t.move_cursor(ratatui_textarea::CursorMove::End);
        let prev = self.focus;
        self.focus = field;
        *self.focused_mut() = t;
        self.focus = prev;
    }

    /// The source field, trimmed.
    pub fn source_text(&self) -> String {
        self.text(PostField::Source).trim().to_string()
    }

    /// The source is an http(s) URL (the server fetches it).
    pub fn is_url(&self) -> bool {
        let s = self.source_text().to_ascii_lowercase();
        s.starts_with("http://") || s.starts_with("https://")
    }

    /// The checked image, while it is the file in the source field.
    pub fn current_image(&self) -> Option<&PickedImage> {
        let typed = self.source_text();
        self.image.as_ref().filter(|i| i.typed == typed)
    }

    /// The problem of the file in the source field, while it is that file.
    pub fn current_problem(&self) -> Option<&ImageProblem> {
        let typed = self.source_text();
        self.problem.as_ref().filter(|p| p.typed == typed)
    }

    /// The caption, trimmed; `None` when empty.
    pub fn caption_text(&self) -> Option<String> {
        let c = self.text(PostField::Caption).trim().to_string();
        (!c.is_empty()).then_some(c)
    }

    /// Nothing typed in any field.
    pub fn is_blank(&self) -> bool {
        PostField::ALL
            .iter()
            .all(|f| self.text(*f).trim().is_empty())
    }

    /// The fields as typed, to keep in the store.
    pub fn to_draft(&self) -> PostDraft {
        PostDraft {
            source: self.text(PostField::Source),
            caption: self.text(PostField::Caption),
            tags: self.text(PostField::Tags),
            schedule: self.text(PostField::Schedule),
        }
    }

    /// A composer with a kept draft's fields (its file is checked again
    /// when the composer opens); the focus on the first empty field.
    pub fn from_draft(d: &PostDraft) -> PostComposer {
        let mut c = PostComposer::default();
        c.set_text(PostField::Source, &d.source);
        c.set_text(PostField::Caption, &d.caption);
        c.set_text(PostField::Tags, &d.tags);
        c.set_text(PostField::Schedule, &d.schedule);
        c.focus = PostField::ALL
            .into_iter()
            .find(|f| c.text(*f).trim().is_empty())
            .unwrap_or(PostField::Caption);
        c
    }
}

/// The tags as the server stores them: split at commas and spaces, a
/// leading `#` dropped, empty ones and repeats left out. `Err`: more than
/// [`MAX_TAGS`] or one over [`MAX_TAG_CHARS`] characters, saying what to do.
pub fn parse_tags(text: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for t in text.split(|c: char| c == ',' || c.is_whitespace()) {
        let t = t.strip_prefix('#').unwrap_or(t).trim();
        if t.is_empty() || out.iter().any(|o| o == t) {
            continue;
        }
        let n = t.chars().count();
        if n > MAX_TAG_CHARS {
            return Err(format!(
                "Tag \"{}…\" has {n} characters; the limit is {MAX_TAG_CHARS}: shorten it.",
                crate::text::truncate(t, 20)
            ));
        }
        out.push(t.to_string());
        if out.len() > MAX_TAGS {
            return Err(format!(
                "More than {MAX_TAGS} tags; remove some (at most {MAX_TAGS})."
            ));
        }
    }
    Ok(out)
}

/// A checked caption: `Err` when over [`MAX_CAPTION_CHARS`] after trimming.
pub fn check_caption(caption: Option<&str>) -> Result<(), String> {
    let n = caption.map_or(0, |c| c.trim().chars().count());
    if n > MAX_CAPTION_CHARS {
        return Err(format!(
            "The caption has {n} characters; the limit is {MAX_CAPTION_CHARS}: shorten it (Ctrl-E opens your editor)."
        ));
    }
    Ok(())
}

/// Bytes as `1.2 MiB` / `340 KiB`.
pub fn size_label(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if n >= 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / MIB)
    } else {
        format!("{} KiB", n.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_servers_rules() {
        assert_eq!(
            parse_tags("#aiart, scifi  aiart,,#space").unwrap(),
            ["aiart", "scifi", "space"]
        );
        let many: Vec<String> = (0..31).map(|i| format!("t{i}")).collect();
        let e = parse_tags(&many.join(",")).unwrap_err();
        assert!(e.contains("at most 30"), "{e}");
        assert_eq!(parse_tags(&many[..30].join(",")).unwrap().len(), 30);
        let e = parse_tags(&"x".repeat(51)).unwrap_err();
        assert!(e.contains("limit is 50"), "{e}");
        assert!(parse_tags(&"x".repeat(50)).is_ok());
    }

    #[test]
    fn caption_limit_counts_characters_after_trimming() {
        let ok = format!("  {}  ", "é".repeat(2000));
        assert!(check_caption(Some(&ok)).is_ok());
        let e = check_caption(Some(&"é".repeat(2001))).unwrap_err();
        assert!(e.contains("2001") && e.contains("2000"), "{e}");
    }

    #[test]
    fn fields_cycle_and_keep_their_text() {
        let mut c = PostComposer::default();
        assert_eq!(c.focus, PostField::Source);
        assert_eq!(c.focus.next().next().next().next(), PostField::Source);
        assert_eq!(c.focus.prev(), PostField::Schedule);
        c.set_text(PostField::Tags, "a,\nb");
        assert_eq!(c.text(PostField::Tags), "a, b");
        c.set_text(PostField::Caption, "one\ntwo");
        assert_eq!(c.text(PostField::Caption), "one\ntwo");
        assert_eq!(c.focus, PostField::Source);
        assert!(!c.is_blank());
    }

    #[test]
    fn a_draft_gives_the_same_fields_back() {
        let mut c = PostComposer::default();
        c.set_text(PostField::Source, "~/a.png");
        c.set_text(PostField::Caption, "one\ntwo");
        let d = c.to_draft();
        let back = PostComposer::from_draft(&d);
        assert_eq!(back.to_draft(), d);
        assert_eq!(back.focus, PostField::Tags, "the first empty field");
        assert!(PostComposer::from_draft(&PostDraft::default()).is_blank());
    }
}
