//! The comment editor state for one post: ratatui-textarea keeps the text,
//! cursor and undo history; the text is shown soft-wrapped (ratatui-textarea
//! 0.7 has no wrapping), laid out by [`wrap_rows`].

use ratatui_textarea::TextArea;

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
    /// First soft-wrapped row shown (see [`Composer::fit`]).
    pub scroll: usize,
    /// The post is gone from the server (deleted, or the server was
    /// reset): the editor says so; the text stays (a draft when closed).
    pub gone: bool,
}

impl Composer {
    /// An editor for `post_id`, pre-filled with `draft` (may be empty; it
    /// is passed through `text::clean_block`, as it may come from a drafts
    /// file edited by hand).
    pub fn new(post_id: String, author: String, draft: &str) -> Self {
        Composer {
            post_id,
            author,
            textarea: text_area(draft),
            sending: None,
            scroll: 0,
            gone: false,
        }
    }

    /// Replaces the text (e.g. with what came back from the external
    /// editor; cleaned like a draft), the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        self.textarea = text_area(text);
        self.scroll = 0;
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

/// A comment text area holding `text` (passed through
/// `text::clean_input`), the cursor at its end.
fn text_area(text: &str) -> TextArea<'static> {
    let text = crate::text::clean_input(text);
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(str::to_string).collect()
    };
    let mut textarea = TextArea::new(lines);
    textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
    textarea.move_cursor(ratatui_textarea::CursorMove::End);
    textarea.set_placeholder_text("Write a comment (1-2000 characters)");
    textarea
}

/// One screen row of the soft-wrapped editor text: chars `start..end` of
/// logical line `line` (char indices, as ratatui-textarea counts its cursor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisualRow {
    /// Index of the logical line (the text split at `'\n'`).
    pub line: usize,
    /// First char of the row.
    pub start: usize,
    /// One past the last char of the row.
    pub end: usize,
}

/// Soft-wraps `lines` for `width` cells without changing the text: a row
/// breaks after a run of spaces when it can (the spaces may hang past the
/// edge), else between grapheme clusters. Every char belongs to exactly
/// one row; an empty line is one empty row; a line whose last row fills
/// the width gets an extra empty row (where the cursor goes when it is at
/// the end).
pub fn wrap_rows(lines: &[String], width: usize) -> Vec<VisualRow> {
    use unicode_segmentation::UnicodeSegmentation;
    let width = width.max(1);
    let mut rows = Vec::new();
    for (line, s) in lines.iter().enumerate() {
        let mut start = 0usize;
        let mut cur = 0usize;
        let mut used = 0usize;
        // (char index after a run of spaces, cells used up to there)
        let mut brk: Option<(usize, usize)> = None;
        for g in s.graphemes(true) {
            let n = g.chars().count();
            let w = crate::text::width(g);
            if g == " " {
                cur += n;
                used += w;
                brk = Some((cur, used));
                continue;
            }
            while used + w > width && cur > start {
                match brk.take().filter(|(b, _)| *b > start) {
                    Some((b, bw)) => {
                        rows.push(VisualRow {
                            line,
                            start,
                            end: b,
                        });
                        start = b;
                        used -= bw;
                    }
                    None => {
                        rows.push(VisualRow {
                            line,
                            start,
                            end: cur,
                        });
                        start = cur;
                        used = 0;
                    }
                }
            }
            cur += n;
            used += w;
        }
        rows.push(VisualRow {
            line,
            start,
            end: cur,
        });
        if used >= width && cur > start {
            rows.push(VisualRow {
                line,
                start: cur,
                end: cur,
            });
        }
    }
    rows
}

/// Where the cursor `(line, char)` is drawn in `rows` (from [`wrap_rows`]
/// for `width`): (visual row, column in cells, clamped to the width).
pub fn cursor_cell(
    lines: &[String],
    rows: &[VisualRow],
    cursor: (usize, usize),
    width: usize,
) -> (usize, usize) {
    let (line, col) = cursor;
    let row = rows
        .iter()
        .rposition(|r| r.line == line && r.start <= col)
        .or_else(|| rows.iter().rposition(|r| r.line <= line))
        .unwrap_or(0);
    let r = rows.get(row).copied().unwrap_or(VisualRow {
        line,
        start: 0,
        end: 0,
    });
    let text = lines.get(r.line).map(String::as_str).unwrap_or("");
    let before: String = text
        .chars()
        .skip(r.start)
        .take(col.saturating_sub(r.start))
        .collect();
    let cells = crate::text::width(&before);
    (row, cells.min(width.max(1) - 1))
}

impl Composer {
    /// The soft-wrapped rows of the text for `width` cells.
    pub fn rows(&self, width: usize) -> Vec<VisualRow> {
        wrap_rows(self.textarea.lines(), width)
    }

    /// The cursor's (visual row, column in cells) for `width` cells.
    pub fn cursor_cell(&self, width: usize) -> (usize, usize) {
        let rows = self.rows(width);
        let c = self.textarea.cursor();
        cursor_cell(self.textarea.lines(), &rows, (c.0, c.1), width)
    }

    /// Keeps the cursor's row inside a view of `height` rows of `width`
    /// cells by moving [`Composer::scroll`] as little as possible.
    pub fn fit(&mut self, width: usize, height: usize) {
        let height = height.max(1);
        let rows = self.rows(width).len();
        let (row, _) = self.cursor_cell(width);
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + height {
            self.scroll = row + 1 - height;
        }
        self.scroll = self.scroll.min(rows.saturating_sub(height));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[&str], width: usize) -> Vec<String> {
        let owned: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        wrap_rows(&owned, width)
            .into_iter()
            .map(|r| {
                owned[r.line]
                    .chars()
                    .skip(r.start)
                    .take(r.end - r.start)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_keeps_every_char() {
        assert_eq!(
            texts(&["the quick brown fox jumps"], 10),
            ["the quick ", "brown fox ", "jumps"]
        );
        assert_eq!(texts(&["abcdefghijkl"], 5), ["abcde", "fghij", "kl"]);
        assert_eq!(texts(&["", "a b"], 5), ["", "a b"]);
        // Hanging spaces stay on their row; CJK breaks between graphemes.
        assert_eq!(texts(&["aaaa    bb"], 5), ["aaaa    ", "bb"]);
        assert_eq!(
            texts(&["日本語のテキスト"], 6),
            ["日本語", "のテキ", "スト"]
        );
        let long = "word ".repeat(100);
        let joined: String = texts(&[long.as_str()], 17).concat();
        assert_eq!(joined, long);
    }

    #[test]
    fn cursor_follows_the_wrapped_rows() {
        let lines = vec!["the quick brown fox".to_string(), "x".to_string()];
        let rows = wrap_rows(&lines, 10);
        assert_eq!(cursor_cell(&lines, &rows, (0, 0), 10), (0, 0));
        assert_eq!(cursor_cell(&lines, &rows, (0, 12), 10), (1, 2));
        assert_eq!(cursor_cell(&lines, &rows, (0, 19), 10), (1, 9));
        assert_eq!(cursor_cell(&lines, &rows, (1, 1), 10), (2, 1));
        // A full last row: the cursor at its end goes to a fresh row.
        let full = vec!["abcde".to_string()];
        let rows = wrap_rows(&full, 5);
        assert_eq!(rows.len(), 2);
        assert_eq!(cursor_cell(&full, &rows, (0, 5), 5), (1, 0));
        assert_eq!(cursor_cell(&full, &rows, (0, 4), 5), (0, 4));
    }

    #[test]
    fn fit_scrolls_just_enough() {
        let mut c = Composer::new("p".into(), "a".into(), &"word ".repeat(40));
        c.fit(20, 3);
        let (row, _) = c.cursor_cell(20);
        assert_eq!(c.scroll, row + 1 - 3);
        c.textarea.move_cursor(ratatui_textarea::CursorMove::Top);
        c.textarea.move_cursor(ratatui_textarea::CursorMove::Head);
        c.fit(20, 3);
        assert_eq!(c.scroll, 0);
    }
}
