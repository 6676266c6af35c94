use super::testing::hostile_corpus;
use super::*;

fn has_terminal_control(s: &str, allow_newline: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newline && c == '\n'))
}

#[test]
fn escape_becomes_visible_picture() {
    assert_eq!(clean_line("a\u{1b}[2Jb"), "a\u{241b}[2Jb");
    assert_eq!(clean_line("\u{7}"), "\u{2407}");
    assert_eq!(clean_line("\u{0}"), "\u{2400}");
    assert_eq!(clean_line("\u{7f}"), "\u{2421}");
}

#[test]
fn c1_controls_become_replacement_char() {
    assert_eq!(clean_line("x\u{9b}2J"), "x\u{FFFD}2J");
    assert_eq!(clean_block("\u{9d}0;t\u{9c}"), "\u{FFFD}0;t\u{FFFD}");
}

#[test]
fn tabs_become_one_space() {
    assert_eq!(clean_line("a\tb"), "a b");
    assert_eq!(clean_block("a\tb"), "a b");
}

#[test]
fn line_breaks_in_lines_become_spaces() {
    assert_eq!(clean_line("a\r\nb\rc\nd\u{2028}e\u{85}f"), "a b c d e f");
}

#[test]
fn line_breaks_in_blocks_become_newlines() {
    assert_eq!(
        clean_block("a\r\nb\rc\nd\u{2029}e\u{85}f"),
        "a\nb\nc\nd\ne\nf"
    );
    assert_eq!(clean_block("a\r\r\nb"), "a\n\nb");
}

#[test]
fn bidi_and_invisibles_are_removed() {
    assert_eq!(clean_line("user\u{202E}gnp.exe"), "usergnp.exe");
    assert_eq!(
        clean_line("\u{2066}a\u{2069}\u{200E}b\u{200F}\u{61C}"),
        "ab"
    );
    assert_eq!(
        clean_line("a\u{200B}d\u{2060}m\u{FEFF}i\u{AD}n\u{180E}"),
        "admin"
    );
    assert_eq!(clean_line("\u{3164}\u{115F}x\u{FFA0}"), "x");
}

#[test]
fn emoji_sequences_become_their_parts() {
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    assert_eq!(clean_line(family), "👨👩👧👦");
    assert_eq!(width(&clean_line(family)), 8);
    assert_eq!(clean_line("a\u{200D}b"), "ab");
    let kiss = "👩🏻\u{200D}❤\u{FE0F}\u{200D}💋\u{200D}👨🏼";
    assert_eq!(clean_line(kiss), "👩❤💋👨");
    assert_eq!(clean_line("👍🏽"), "👍");
    assert_eq!(width(&clean_line("🛰\u{FE0F}")), 1);
}

#[test]
fn tag_characters_are_removed() {
    let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
    assert_eq!(clean_line(england), "🏴");
    assert_eq!(clean_line("hi\u{E0001}\u{E0041}"), "hi");
}

#[test]
fn flags_become_their_country_letters() {
    // Terminals and ratatui disagree on the width of regional indicators
    // (tmux left stray flag halves after scrolling): none is ever shown.
    assert_eq!(clean_line("🇺🇸🇯🇵"), "USJP");
    assert_eq!(clean_block("Tokyo 🇯🇵\nhi"), "Tokyo JP\nhi");
    assert_eq!(clean_line("🇺🇸🇦"), "USA");
    assert_eq!(clean_line("x🇦y"), "xAy");
    assert_eq!(clean_line("\u{1F1FF}"), "Z");
    assert_eq!(width(&clean_line("🇯🇵")), 2);
}

#[test]
fn variation_selectors_removed() {
    assert_eq!(clean_line("❤\u{FE0F}"), "❤");
    assert_eq!(width(&clean_line("❤\u{FE0F}")), 1);
    assert_eq!(clean_line("⌚\u{FE0E}"), "⌚");
    assert_eq!(width(&clean_line("⌚\u{FE0E}")), 2);
}

#[test]
fn zalgo_is_capped() {
    let mut z = String::from("Z");
    z.extend(std::iter::repeat_n('\u{301}', 10_000));
    let out = clean_block(&z);
    assert_eq!(out.chars().count(), 1 + MAX_MARKS);
    assert_eq!(width(&out), 1);
}

#[test]
fn long_grapheme_is_capped() {
    // Hangul leading jamo chain into one grapheme cluster.
    let chain = "\u{1100}".repeat(40);
    let out = clean_line(&chain);
    assert_eq!(out, "\u{1100}\u{FFFD}");
}

#[test]
fn field_lengths_are_capped() {
    let out = clean_line(&"x".repeat(50_000));
    assert_eq!(out.chars().count(), MAX_LINE_CHARS);
    assert!(out.ends_with(ELLIPSIS));
    let out = clean_block(&"y".repeat(50_000));
    assert_eq!(out.chars().count(), MAX_BLOCK_CHARS);
    let short = "z".repeat(MAX_LINE_CHARS);
    assert_eq!(clean_line(&short), short);
}

#[test]
fn length_cap_cuts_between_graphemes() {
    let s = "中".repeat(MAX_LINE_CHARS - 2) + "e\u{301}\u{302}";
    let out = clean_line(&s);
    assert!(out.ends_with(&format!("中{ELLIPSIS}")), "{out:?}");
}

#[test]
fn corpus_is_made_safe_and_idempotent() {
    for (name, s) in hostile_corpus() {
        let line = clean_line(&s);
        let block = clean_block(&s);
        let log = clean_log(&s);
        assert!(!has_terminal_control(&line, false), "{name}: {line:?}");
        assert!(!has_terminal_control(&block, true), "{name}: {block:?}");
        assert!(!has_terminal_control(&log, false), "{name}: {log:?}");
        assert_eq!(clean_line(&line), line, "{name}");
        assert_eq!(clean_block(&block), block, "{name}");
        assert_eq!(clean_log(&log), log, "{name}");
        for bad in ['\u{202E}', '\u{200B}', '\u{E0067}', '\u{FEFF}', '\u{FE0E}'] {
            assert!(!line.contains(bad), "{name}: {line:?}");
        }
        for cells in [0, 1, 2, 5, 17, 80] {
            assert!(width(&truncate(&line, cells)) <= cells, "{name}");
            assert_eq!(width(&pad(&line, cells)), cells, "{name}");
            for l in wrap(&block, cells) {
                assert!(width(&l) <= cells, "{name}: {l:?}");
            }
        }
    }
}

#[test]
fn clean_log_escapes_everything_on_one_line() {
    assert_eq!(clean_log("a\nb\r\tc"), "a\\nb\\r\\tc");
    assert_eq!(clean_log("\u{1b}[2J"), "\\u{1b}[2J");
    assert_eq!(clean_log("\u{9b}x\u{202e}"), "\\u{9b}x\\u{202e}");
    let long = clean_log(&"\u{1b}".repeat(10_000));
    assert_eq!(long.chars().count(), MAX_LOG_CHARS);
}

#[test]
fn width_matches_ratatui_cells() {
    assert_eq!(width("abc"), 3);
    assert_eq!(width("漢字"), 4);
    assert_eq!(width("a\u{301}"), 1);
    assert_eq!(width("لا"), 2); // two cells on screen, unlike Line::width
    assert_eq!(width("a\nb"), 2);
    assert_eq!(width(""), 0);
    // Where ratatui's buffer puts the next grapheme (ratatui adds a cell
    // for each halfwidth katakana sound mark U+FF9E/U+FF9F).
    for s in [
        "abc",
        "漢字",
        "a\u{301}b",
        "لا",
        "\u{FF76}\u{FF9E}x",
        "é漢\u{FF9F}",
    ] {
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 20, 1));
        let (x, _) = buf.set_stringn(0, 0, s, 20, ratatui::style::Style::default());
        assert_eq!(width(s), usize::from(x), "{s:?}");
    }
}

#[test]
fn truncate_appends_ellipsis_only_when_cut() {
    assert_eq!(truncate("hello", 5), "hello");
    assert_eq!(truncate("hello", 4), "hel…");
    assert_eq!(truncate("hello", 1), "…");
    assert_eq!(truncate("hello", 0), "");
    assert_eq!(truncate("漢字漢字", 5), "漢字…");
    assert_eq!(truncate("漢字漢字", 4), "漢…");
    assert_eq!(truncate("👨\u{200D}👩\u{200D}👧x", 2), "…");
    assert_eq!(truncate("a\nb", 3), "a b");
}

#[test]
fn pad_is_exact() {
    assert_eq!(pad("ab", 4), "ab  ");
    assert_eq!(pad("漢字漢", 5), "漢字…");
    assert_eq!(pad("漢字漢", 4), "漢… ");
    assert_eq!(pad("", 0), "");
}

#[test]
fn wrap_breaks_on_words_and_newlines() {
    assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
    assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
    assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    assert_eq!(wrap("", 5), [""]);
    assert_eq!(wrap("abc", 0), [""]);
    assert_eq!(wrap("漢字漢字", 3), ["漢", "字", "漢", "字"]);
    assert_eq!(wrap("漢", 1), ["…"]);
    assert_eq!(wrap("  indented text", 20), ["  indented text"]);
    assert_eq!(wrap("aa bb", 2), ["aa", "bb"]);
    assert_eq!(wrap("hi verylongword", 6), ["hi", "verylo", "ngword"]);
}

#[test]
fn clean_line_max_cuts_by_chars_with_ellipsis() {
    assert_eq!(
        clean_line_max("a\u{1b}[31mb\u{7}c\u{202E}d", 100),
        "a␛[31mb␇cd"
    );
    assert_eq!(clean_line_max("abcdef", 3), "ab…");
    assert_eq!(clean_line_max("abc", 3), "abc");
    assert_eq!(clean_line_max("漢字漢字", 3), "漢字…");
}

#[test]
fn json_output_escapes_hostile_chars_and_keeps_the_data() {
    let v = serde_json::json!({"s": "a\u{9b}2J\u{202E}b\u{7f}\u{E0067}\u{1b}"});
    let raw = serde_json::to_string_pretty(&v).unwrap();
    let safe = escape_json_output(&raw);
    assert!(
        !safe.chars().any(|c| c != '\n' && is_escaped_in_logs(c)),
        "{safe}"
    );
    assert!(
        safe.contains("\\u009b") && safe.contains("\\udb40\\udc67"),
        "{safe}"
    );
    let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
    assert_eq!(back, v);
}

#[test]
fn user_input_keeps_emoji_sequences_and_drops_controls() {
    let typed = "hi 👩\u{200D}🚀 👍🏽 ❤\u{FE0F}\r\nnext\tline\u{1b}[2J\u{9b}x";
    assert_eq!(
        clean_input(typed),
        "hi 👩\u{200D}🚀 👍🏽 ❤\u{FE0F}\nnext line␛[2J\u{FFFD}x"
    );
}
