//! The comment editor state (tui-textarea) for one post.

use tui_textarea::TextArea;

/// The open comment editor.
#[derive(Debug, Clone)]
pub struct Composer {
    /// The post being commented on.
    pub post_id: String,
    /// Its author's handle (sanitized), for the editor title.
    pub author: String,
    /// The text being edited.
    pub textarea: TextArea<'static>,
    /// Request number of the comment in flight, if sending.
    pub sending: Option<u64>,
}

impl Composer {
    /// An editor for `post_id`, pre-filled with `draft` (may be empty).
    pub fn new(post_id: String, author: String, draft: &str) -> Self {
        let lines: Vec<String> = if draft.is_empty() {
            vec![String::new()]
        } else {
            draft.split('\n').map(str::to_string).collect()
        };
        let mut textarea = TextArea::new(lines);
        textarea.move_cursor(tui_textarea::CursorMove::Bottom);
        textarea.move_cursor(tui_textarea::CursorMove::End);
        textarea.set_placeholder_text("Write a comment (1-2000 characters)");
        Composer {
            post_id,
            author,
            textarea,
            sending: None,
        }
    }

    /// The text, lines joined by `\n`.
    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// The text is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.text().trim().is_empty()
    }
}
