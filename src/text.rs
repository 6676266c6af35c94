//! The one place where untrusted text is made safe and measured.
//!
//! Every string that comes from the server (handles, names, tags, captions,
//! comments, verdict reasons, error bodies) is hostile. Before it is shown it
//! goes through [`clean_line`] (single-line fields) or [`clean_block`]
//! (multi-line fields); before it is logged it goes through [`clean_log`].
//! Display measuring and cutting ([`width`], [`truncate`], [`pad`], [`wrap`])
//! work in terminal cells over grapheme clusters, exactly as ratatui
//! puts graphemes into buffer cells.
//!
//! # What cleaning does (`clean_line`, `clean_block`)
//!
//! | input | output |
//! |---|---|
//! | C0 controls U+0000..U+001F (except TAB, LF, CR) | the visible control picture U+2400 + code (ESC becomes `␛`, BEL `␇`, BS `␈`) |
//! | DEL U+007F | `␡` (U+2421) |
//! | C1 controls U+0080..U+009F (8-bit CSI, OSC, ...) | `�` (U+FFFD) |
//! | TAB | one space |
//! | CRLF, CR, LF, NEL (U+0085), U+2028, U+2029 | `'\n'` in blocks; one space in lines |
//! | bidi embeddings/overrides/isolates/marks U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C | removed (text is shown in its logical order, never reordered) |
//! | zero-width and invisible characters U+200B, U+200C, U+2060..U+206F, U+FEFF, U+180E, U+00AD, U+FFF0..U+FFFB, U+1BCA0..U+1BCA3, U+1D173..U+1D17A, Hangul fillers U+115F, U+1160, U+3164, U+FFA0 | removed |
//! | ZERO WIDTH JOINER U+200D, VARIATION SELECTOR-16 U+FE0F, emoji skin-tone modifiers U+1F3FB..U+1F3FF | removed: each emoji of a ZWJ sequence then shows as itself (a family as its members), in the width every terminal agrees on (see below) |
//! | Unicode tag characters U+E0000..U+E00FF and unassigned U+E01F0..U+E0FFF | removed (a subdivision flag such as England shows as a plain black flag) |
//! | VARIATION SELECTOR-15 U+FE0E | removed (see below) |
//! | runs of zero-width characters (combining marks, variation selectors, joiners) | at most [`MAX_MARKS`] in a row; the rest of the run is dropped (defeats "zalgo") |
//! | a grapheme cluster longer than [`MAX_GRAPHEME_CHARS`] chars | its first char followed by `�` |
//! | regional indicators U+1F1E6..U+1F1FF (the halves of a country flag) | each the ASCII capital letter it stands for: the flag `🇯🇵` becomes `JP` (see below) |
//! | more than [`MAX_LINE_CHARS`] / [`MAX_BLOCK_CHARS`] chars | cut at a grapheme boundary and ended with `…` (total stays within the cap) |
//!
//! The result never contains a char a terminal would interpret: no C0 (except
//! `'\n'` in blocks), no DEL, no C1. Cleaning is idempotent:
//! `clean_line(&clean_line(s)) == clean_line(s)` (the same for the others).
//!
//! # Width and terminals
//!
//! [`width`] is the sum, over extended grapheme clusters, of ratatui's
//! `CellWidth::cell_width(grapheme)` (unicode-width, plus one cell for each
//! halfwidth katakana sound mark U+FF9E/U+FF9F) — the same value ratatui
//! uses when it writes a grapheme into buffer cells (`Buffer::set_stringn`, `Span::render`). Note that ratatui's
//! `Span::width`/`Line::width` measure the whole string at once, which differs
//! for a few cross-grapheme ligatures (Arabic lam-alef `لا` is 1 there but 2
//! cells on screen): use [`width`] for layout, not `Line::width`.
//!
//! Terminals disagree with unicode-width for some sequences. Graphemes that
//! ratatui thinks are *wider* than the terminal draws them are harmless to
//! borders (ratatui moves the cursor explicitly after every wide cell). The
//! dangerous direction is a grapheme ratatui counts as 0 or 1 cell that the
//! terminal advances over 2 cells: that shifts the rest of the row. Cleaning
//! removes the known cases: text-presentation sequences (`⌚` + VS15 is 1 for
//! unicode-width but 2 in terminals, so VS15 is dropped), regional
//! indicators, and Hangul fillers (0 for unicode-width, 2 in glibc's
//! `wcwidth`). A flag (a pair of regional indicators) is 2 cells for
//! ratatui, while terminals draw it as one or two glyphs of 1 or 2 cells
//! each (tmux draws each half on its own): scrolling then left stray flag
//! halves on screen. So every regional indicator becomes its letter, a
//! flag its two-letter country code, whose width no terminal disputes.
//!
//! The other direction is not harmless either: when ratatui counts a grapheme
//! as 2 cells and the terminal draws 1, the cell ratatui skips keeps whatever
//! was drawn there before (a stray character). Emoji ZWJ sequences, VS16
//! presentation sequences (`🛰️`) and skin-tone modifier sequences are drawn
//! as 1, 2, 4 or 8 cells depending on the terminal (tmux, xterm, kitty and
//! VTE all differ), so cleaning removes the joiner, the selector and the
//! modifier: what remains are single code points whose width all terminals
//! take from the same East Asian Width table.

use std::borrow::Cow;

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[doc(hidden)]
pub mod testing;

/// Most chars kept by [`clean_line`] (handle, name, tag, author, judge
/// version), counted in Unicode scalar values, including the final `…`.
pub const MAX_LINE_CHARS: usize = 500;
/// Most chars kept by [`clean_block`] (caption, comment, verdict reason),
/// counted in Unicode scalar values, including the final `…`.
pub const MAX_BLOCK_CHARS: usize = 10_000;
/// Most chars kept by [`clean_log`], including the final `…`.
pub const MAX_LOG_CHARS: usize = 4_000;
/// Longest run of consecutive zero-width chars (combining marks, variation
/// selectors, joiners) kept by cleaning.
pub const MAX_MARKS: usize = 4;
/// Longest grapheme cluster, in chars, kept by cleaning (the longest emoji
/// ZWJ sequences have 10).
pub const MAX_GRAPHEME_CHARS: usize = 16;
/// The char appended by [`truncate`] and the caps when text is cut.
pub const ELLIPSIS: char = '…';

const REPLACEMENT: char = '\u{FFFD}';

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Line,
    Block,
}

/// Cleans a single-line field (handle, name, tag, author, judge version) for
/// display: controls become visible symbols, line breaks become one space,
/// invisible and reordering characters are removed, at most
/// [`MAX_LINE_CHARS`] chars. See the module documentation for the full table.
pub fn clean_line(s: &str) -> String {
    clean(s, Kind::Line)
}

/// Cleans a multi-line field (caption, comment, verdict reason) for display:
/// like [`clean_line`] but line breaks (CRLF, CR, LF, NEL, U+2028, U+2029)
/// are kept as `'\n'`, at most [`MAX_BLOCK_CHARS`] chars.
pub fn clean_block(s: &str) -> String {
    clean(s, Kind::Block)
}

/// [`clean_line`], then cut to at most `max_chars` chars (Unicode scalar
/// values, including the final `…` when cut) at a grapheme boundary. For
/// server text quoted inside a message (error bodies, server messages).
pub fn clean_line_max(s: &str, max_chars: usize) -> String {
    let clean = clean_line(s);
    if clean.chars().count() <= max_chars {
        return clean;
    }
    let graphemes: Vec<String> = clean.graphemes(true).map(str::to_string).collect();
    cap_length(&graphemes, max_chars)
}

/// Whether `c` is a char that [`clean_log`] escapes: a control char (C0,
/// DEL, C1), a bidi control, an invisible, joiner or tag char. Used to
/// escape such chars in machine output (JSON) that must keep the data.
pub fn is_escaped_in_logs(c: char) -> bool {
    c.is_control() || is_removed(c)
}

/// Escapes, in JSON text made by `serde_json`, every char that
/// [`is_escaped_in_logs`] as `\uXXXX` (a surrogate pair above U+FFFF),
/// except the `'\n'` of pretty-printing. The result is valid JSON that
/// decodes to the same values, and prints safely on a terminal (serde_json
/// itself leaves C1 controls, DEL and bidi overrides raw).
pub fn escape_json_output(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && is_escaped_in_logs(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Makes any string safe for one log line: everything on one line, every
/// control, bidi, invisible or tag char written as a visible escape
/// (`\n`, `\r`, `\t`, `\u{1b}`, `\u{202e}`, ...), at most [`MAX_LOG_CHARS`]
/// chars. Backslashes are kept as they are. Idempotent.
pub fn clean_log(s: &str) -> String {
    escape_log(s, MAX_LOG_CHARS)
}

/// [`clean_log`] with a caller-chosen cap (in chars, including the final `…`).
pub(crate) fn escape_log(s: &str, cap: usize) -> String {
    let mut out = String::with_capacity(s.len().min(cap * 4));
    let mut count = 0usize;
    for c in s.chars() {
        let piece: Option<String> = match c {
            '\n' => Some("\\n".into()),
            '\r' => Some("\\r".into()),
            '\t' => Some("\\t".into()),
            c if c.is_control() || is_removed(c) => Some(format!("\\u{{{:x}}}", u32::from(c))),
            _ => None,
        };
        match piece {
            Some(p) => {
                count += p.len();
                out.push_str(&p);
            }
            None => {
                count += 1;
                out.push(c);
            }
        }
        if count > cap {
            break;
        }
    }
    if count > cap {
        let mut cut: String = out.chars().take(cap.saturating_sub(1)).collect();
        if cap > 0 {
            cut.push(ELLIPSIS);
        }
        return cut;
    }
    out
}

/// Display width of `s` in terminal cells: the sum of the unicode-width of
/// each extended grapheme cluster, which is what ratatui fills in its
/// buffer. Graphemes containing a control char (including `'\n'`) count 0,
/// as ratatui skips them. Meant for one line of cleaned text.
pub fn width(s: &str) -> usize {
    if is_plain_ascii(s) {
        return s.len();
    }
    s.graphemes(true).map(grapheme_width).sum()
}

/// Printable ASCII only (`' '..='~'`): every byte is one grapheme cluster
/// of one cell, so widths and cuts need no Unicode segmentation (the fast
/// path for handles, numbers and most captions; see `benches/frame.rs`).
fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        cells(g)
    }
}

/// Cells ratatui gives one grapheme cluster (its `CellWidth`). Graphemes
/// with a control char never reach ratatui's measure (it skips them): they
/// keep unicode-width's value.
fn cells(g: &str) -> usize {
    if g.contains(char::is_control) {
        g.width()
    } else {
        usize::from(g.cell_width())
    }
}

/// Cuts `s` to at most `max_cells` terminal cells, by whole grapheme
/// clusters, and appends `…` (1 cell) when anything was cut. Line breaks
/// become one space and other control chars are dropped, so the result is
/// one line. `width(&truncate(s, n)) <= n` always; `truncate(s, 0)` is empty.
pub fn truncate(s: &str, max_cells: usize) -> String {
    if is_plain_ascii(s) {
        if s.len() <= max_cells {
            return s.to_string();
        }
        let mut out = String::with_capacity(max_cells + ELLIPSIS.len_utf8());
        if max_cells > 0 {
            out.push_str(&s[..max_cells - 1]);
            out.push(ELLIPSIS);
        }
        return out;
    }
    let line = without_controls(s, Some(' '));
    let pieces: Vec<(&str, usize)> = line.graphemes(true).map(|g| (g, cells(g))).collect();
    let total: usize = pieces.iter().map(|(_, w)| w).sum();
    let mut out = String::new();
    if total <= max_cells {
        for (g, _) in pieces {
            out.push_str(g);
        }
        return out;
    }
    if max_cells == 0 {
        return out;
    }
    let budget = max_cells - 1; // room for the ellipsis
    let mut used = 0;
    for (g, w) in pieces {
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push(ELLIPSIS);
    out
}

/// `s` without control chars; `'\n'` becomes `newline` (or is dropped when
/// `None`). Borrowed when there is nothing to change.
fn without_controls(s: &str, newline: Option<char>) -> Cow<'_, str> {
    if !s.contains(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' => newline,
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// [`truncate`]s `s` to `cells`, then right-pads with spaces so the result is
/// exactly `cells` terminal cells wide.
pub fn pad(s: &str, cells: usize) -> String {
    let mut out = truncate(s, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Word-wraps `s` into lines of at most `width` cells each. `'\n'` starts a
/// new line (empty lines are kept); words longer than a line are broken
/// between grapheme clusters; spaces where a line breaks are dropped; a
/// grapheme wider than `width` itself (a 2-cell char in a 1-cell column)
/// becomes `…`. Control chars other than `'\n'` are dropped.
/// Always returns at least one line; with `width == 0` that is one empty line.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    if width == 0 {
        return vec![String::new()];
    }
    let mut lines = Vec::new();
    let text = without_controls(s, Some('\n'));
    for para in text.split('\n') {
        wrap_paragraph(para, width, &mut lines);
    }
    lines
}

fn wrap_paragraph(para: &str, max: usize, lines: &mut Vec<String>) {
    let mut line = String::new();
    let mut used = 0usize;
    let mut first_line = true;
    // Split into runs of spaces and runs of non-spaces (words).
    let mut words: Vec<(bool, Vec<(&str, usize)>)> = Vec::new();
    for g in para.graphemes(true) {
        let w = cells(g);
        let is_space = g == " ";
        match words.last_mut() {
            Some((sp, run)) if *sp == is_space => run.push((g, w)),
            _ => words.push((is_space, vec![(g, w)])),
        }
    }
    // A soft break: the line ends here, without its trailing spaces.
    let flush = |line: &mut String, used: &mut usize, first: &mut bool, lines: &mut Vec<String>| {
        let kept = line.trim_end_matches(' ').len();
        line.truncate(kept);
        lines.push(std::mem::take(line));
        *used = 0;
        *first = false;
    };
    for (is_space, run) in words {
        let run_width: usize = run.iter().map(|(_, w)| w).sum();
        if is_space {
            if used == 0 && !first_line {
                continue; // no leading spaces on continuation lines
            }
            for (g, w) in run {
                if used + w > max {
                    flush(&mut line, &mut used, &mut first_line, lines);
                    break;
                }
                line.push_str(g);
                used += w;
            }
            continue;
        }
        if used + run_width <= max {
            for (g, _) in &run {
                line.push_str(g);
            }
            used += run_width;
            continue;
        }
        if run_width <= max && used > 0 {
            flush(&mut line, &mut used, &mut first_line, lines);
            for (g, _) in &run {
                line.push_str(g);
            }
            used = run_width;
            continue;
        }
        // The word does not fit on a line of its own: start a fresh line and
        // break it by grapheme.
        if used > 0 {
            flush(&mut line, &mut used, &mut first_line, lines);
        }
        for (g, w) in run {
            let (g, w) = if w > max { ("…", 1) } else { (g, w) };
            if used + w > max {
                flush(&mut line, &mut used, &mut first_line, lines);
            }
            line.push_str(g);
            used += w;
        }
    }
    lines.push(line);
}

fn clean(s: &str, kind: Kind) -> String {
    let mut out = clean_pass(s, kind);
    // Each pass only removes chars or replaces over-long clusters, so
    // this reaches a fixed point quickly; the fixed point makes cleaning
    // idempotent by construction.
    loop {
        let next = clean_pass(&out, kind);
        if next == out {
            return out;
        }
        out = next;
    }
}

fn clean_pass(s: &str, kind: Kind) -> String {
    let cap = match kind {
        Kind::Line => MAX_LINE_CHARS,
        Kind::Block => MAX_BLOCK_CHARS,
    };
    // Bound the work on huge inputs: only a prefix can survive the cap, but
    // removed chars do not count, so keep a generous margin of raw chars.
    let mapped = map_chars(s, kind, cap.saturating_mul(64));
    let capped = cap_mark_runs(&mapped);
    let text: String = capped.into_iter().collect();
    let graphemes = fix_graphemes(&text);
    cap_length(&graphemes, cap)
}

/// Chars removed from displayed text (bidi controls, invisibles, tags, VS15).
fn is_removed(c: char) -> bool {
    matches!(
        u32::from(c),
        0x061C
            | 0x00AD
            | 0x115F
            | 0x1160
            | 0x180E
            | 0x200B
            | 0x200C
            | 0x200E
            | 0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE0E
            | 0xFE0F
            | 0x200D
            | 0x1F3FB..=0x1F3FF
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFFB
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE00FF
            | 0xE01F0..=0xE0FFF
    )
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn map_chars(s: &str, kind: Kind, limit: usize) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len().min(limit));
    let mut chars = s.chars().take(limit).peekable();
    while let Some(c) = chars.next() {
        if is_line_break(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push(match kind {
                Kind::Block => '\n',
                Kind::Line => ' ',
            });
            continue;
        }
        let code = u32::from(c);
        match c {
            '\t' => out.push(' '),
            _ if code < 0x20 => out.push(char::from_u32(0x2400 + code).unwrap_or(REPLACEMENT)),
            '\u{7F}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9F}' => out.push(REPLACEMENT),
            _ if is_removed(c) => {}
            _ if is_regional_indicator(c) => out.push(regional_letter(c)),
            _ => out.push(c),
        }
    }
    out
}

/// The user's own text (a pasted or restored comment draft) made safe to
/// edit and send, changing as little as possible: CRLF and CR become `'\n'`,
/// TAB a space, and every other control char becomes visible as in
/// [`clean_block`] (C0 as its control picture, DEL `␡`, C1 `�`).
/// Emoji sequences (ZWJ, VS16, skin tones) and all other text are kept
/// exactly as typed, so what is sent is what the user wrote.
pub fn clean_input(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32),
            '\u{7f}' => Some('\u{2421}'),
            c if c.is_control() => Some(REPLACEMENT),
            c => Some(c),
        })
        .collect()
}

/// Regional indicators (the halves of country flags).
fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// The ASCII capital a regional indicator stands for (U+1F1E6 is `A`).
fn regional_letter(c: char) -> char {
    u32::from(c)
        .checked_sub(0x1F1E6)
        .and_then(|i| char::from_u32(u32::from(b'A') + i))
        .filter(char::is_ascii_uppercase)
        .unwrap_or(REPLACEMENT)
}

fn is_zero_width(c: char) -> bool {
    c.width() == Some(0)
}

/// Keeps at most [`MAX_MARKS`] consecutive zero-width chars.
fn cap_mark_runs(chars: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut run = 0usize;
    for &c in chars {
        if is_zero_width(c) {
            run += 1;
            if run > MAX_MARKS {
                continue;
            }
        } else {
            run = 0;
        }
        out.push(c);
    }
    out
}

/// Replaces over-long grapheme clusters by their first char and `�`.
fn fix_graphemes(text: &str) -> Vec<String> {
    text.graphemes(true)
        .map(|g| match g.chars().next() {
            Some(first) if g.chars().count() > MAX_GRAPHEME_CHARS => {
                let mut s = String::with_capacity(8);
                s.push(first);
                s.push(REPLACEMENT);
                s
            }
            _ => g.to_string(),
        })
        .collect()
}

/// Joins graphemes, keeping at most `cap` chars: when cut, ends at a grapheme
/// boundary followed by `…`.
fn cap_length(graphemes: &[String], cap: usize) -> String {
    let total: usize = graphemes.iter().map(|g| g.chars().count()).sum();
    if total <= cap {
        return graphemes.concat();
    }
    let mut out = String::new();
    let mut count = 0usize;
    for g in graphemes {
        let n = g.chars().count();
        if count + n > cap.saturating_sub(1) {
            break;
        }
        count += n;
        out.push_str(g);
    }
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests;
