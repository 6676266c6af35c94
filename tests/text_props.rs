//! Property tests ("bounded fuzzing": a fixed number of cases, so the cost in
//! CI is fixed) for `aispace_tui::text`, plus the hostile corpus rendered into
//! a ratatui buffer next to a border.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use aispace_tui::text::{self, testing::hostile_corpus};
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

/// Chars that exercise every rule: controls, C1, line breaks, bidi,
/// invisibles, joiners, variation selectors, marks, tags, regional
/// indicators, Hangul jamo, Arabic, prepend chars, wide chars and emoji.
const SPECIAL: &[char] = &[
    '\u{0}',
    '\u{7}',
    '\u{8}',
    '\t',
    '\n',
    '\r',
    '\u{b}',
    '\u{c}',
    '\u{1b}',
    '[',
    ']',
    ';',
    '\u{7f}',
    '\u{85}',
    '\u{9b}',
    '\u{9c}',
    '\u{9d}',
    '\u{ad}',
    '\u{61c}',
    '\u{115f}',
    '\u{1160}',
    '\u{11a8}',
    '\u{1100}',
    '\u{1161}',
    '\u{180e}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200d}',
    '\u{200e}',
    '\u{2028}',
    '\u{2029}',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{2060}',
    '\u{3164}',
    '\u{fe0e}',
    '\u{fe0f}',
    '\u{fe0f}',
    '\u{feff}',
    '\u{301}',
    '\u{301}',
    '\u{36f}',
    '\u{20e3}',
    '\u{e0067}',
    '\u{e007f}',
    '\u{1f1fa}',
    '\u{1f1f8}',
    '\u{1f1e6}',
    '\u{1f3fb}',
    '\u{1f468}',
    '\u{1f469}',
    '\u{1f467}',
    '\u{2764}',
    '\u{231a}',
    '\u{1f3f4}',
    '\u{600}',
    '\u{644}',
    '\u{627}',
    '\u{93e}',
    '\u{915}',
    '\u{94d}',
    'a',
    'z',
    ' ',
    ' ',
    '1',
    '#',
    '中',
    '字',
    'ｈ',
    '…',
    '\u{fffd}',
    '\\',
];

fn hostile_string() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => prop::sample::select(SPECIAL),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 0..80).prop_map(|v| v.into_iter().collect())
}

fn has_control(s: &str, allow_newline: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newline && c == '\n'))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn clean_outputs_have_no_controls(s in hostile_string()) {
        let line = text::clean_line(&s);
        prop_assert!(!has_control(&line, false));
        prop_assert!(!line.contains('\n'));
        prop_assert!(!has_control(&text::clean_block(&s), true));
        prop_assert!(!has_control(&text::clean_log(&s), false));
    }

    #[test]
    fn clean_is_idempotent(s in hostile_string()) {
        let line = text::clean_line(&s);
        prop_assert_eq!(text::clean_line(&line), line);
        let block = text::clean_block(&s);
        prop_assert_eq!(text::clean_block(&block), block);
        let log = text::clean_log(&s);
        prop_assert_eq!(text::clean_log(&log), log);
    }

    #[test]
    fn cutting_respects_width(s in hostile_string(), cells in 0usize..40) {
        let line = text::clean_line(&s);
        let t = text::truncate(&line, cells);
        prop_assert!(text::width(&t) <= cells);
        prop_assert!(!has_control(&t, false));
        let p = text::pad(&line, cells);
        prop_assert_eq!(text::width(&p), cells);
        let lines = text::wrap(&text::clean_block(&s), cells);
        prop_assert!(!lines.is_empty());
        for l in &lines {
            prop_assert!(text::width(l) <= cells, "{:?} in {:?}", l, lines);
            prop_assert!(!has_control(l, false));
        }
        // Raw (uncleaned) input: no panic, bounds still hold.
        prop_assert!(text::width(&text::truncate(&s, cells)) <= cells);
        for l in text::wrap(&s, cells) {
            prop_assert!(text::width(&l) <= cells);
            prop_assert!(!has_control(&l, false));
        }
    }

    #[test]
    fn width_is_what_ratatui_fills(s in hostile_string()) {
        let line = text::clean_line(&s);
        let w = text::width(&line);
        let mut buf = Buffer::empty(Rect::new(0, 0, 1000, 1));
        let (x, _) = buf.set_stringn(0, 0, &line, 1000, Style::default());
        prop_assert_eq!(usize::from(x), w);
    }

    #[test]
    fn every_grapheme_is_as_wide_char_by_char(s in hostile_string()) {
        use unicode_segmentation::UnicodeSegmentation;
        use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
        for cleaned in [text::clean_line(&s), text::clean_block(&s)] {
            for g in cleaned.graphemes(true).filter(|g| *g != "\n") {
                let per_char: usize = g.chars().map(|c| c.width().unwrap_or(0)).sum();
                prop_assert_eq!(per_char, g.width(), "{:?} in {:?}", g, cleaned);
            }
        }
    }

    #[test]
    fn padded_span_never_touches_the_border(s in hostile_string(), cells in 1u16..30) {
        let padded = text::pad(&text::clean_line(&s), usize::from(cells));
        let mut buf = Buffer::empty(Rect::new(0, 0, cells + 1, 1));
        buf[(cells, 0)].set_symbol("│");
        Span::raw(padded.as_str()).render(Rect::new(0, 0, cells, 1), &mut buf);
        prop_assert_eq!(buf[(cells, 0)].symbol(), "│");
    }
}

#[test]
fn corpus_names_are_unique() {
    let corpus = hostile_corpus();
    let mut names: Vec<_> = corpus.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), corpus.len());
}

#[test]
fn corpus_renders_inside_a_bordered_pane() {
    for (name, s) in hostile_corpus() {
        for cells in [1u16, 2, 3, 10, 33] {
            let padded = text::pad(&text::clean_line(&s), usize::from(cells));
            let mut buf = Buffer::empty(Rect::new(0, 0, cells + 1, 1));
            buf[(cells, 0)].set_symbol("│");
            Span::raw(padded.as_str()).render(Rect::new(0, 0, cells, 1), &mut buf);
            assert_eq!(buf[(cells, 0)].symbol(), "│", "{name} at {cells}");
            // Walking the cells as a terminal would lands exactly on the border.
            let mut x = 0u16;
            while x < cells {
                let w = text::width(buf[(x, 0)].symbol()).max(1);
                x += u16::try_from(w).unwrap_or(u16::MAX);
            }
            assert_eq!(x, cells, "{name} at {cells}");
        }
    }
}
