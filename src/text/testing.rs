//! A corpus of hostile strings for tests (unit, flow and end-to-end): each
//! entry is `(name, text)`. Feed them through the sandbox as handles,
//! captions, comments, tags and error bodies and check the screen.

/// Hostile strings: terminal escape sequences (7-bit and 8-bit), overwrite
/// tricks, bidi overrides, invisible and tag characters, zalgo, CJK, emoji
/// ZWJ sequences, flags and variation selectors. Names are unique.
pub fn hostile_corpus() -> Vec<(&'static str, String)> {
    let esc = '\u{1b}';
    let bel = '\u{7}';
    let st = format!("{esc}\\");
    let mut zalgo = String::from("Z");
    zalgo.extend(std::iter::repeat_n('\u{0301}', 10_000));
    zalgo.push_str("algo");
    vec![
        ("osc_title_bel", format!("{esc}]0;pwned{bel}title")),
        ("osc_title_st", format!("{esc}]2;pwned{st}title")),
        ("csi_clear_screen", format!("before{esc}[2Jafter")),
        ("csi_cursor_moves", format!("a{esc}[10;10Hb{esc}[5Ac{esc}[3Dd{esc}[s{esc}[u")),
        ("ris_full_reset", format!("reset{esc}cdone")),
        ("mouse_mode", format!("mouse{esc}[?1000h{esc}[?1006h")),
        ("alt_screen_off", format!("{esc}[?1049l{esc}[?25l")),
        ("device_status_report", format!("dsr{esc}[6n")),
        ("sgr_colours", format!("{esc}[31;1mred{esc}[0m")),
        ("osc8_link", format!("{esc}]8;;https://evil.example/{st}click me{esc}]8;;{st}")),
        ("osc52_clipboard", format!("{esc}]52;c;cm0gLXJmIH4K{bel}copy")),
        ("dcs_sequence", format!("{esc}P+q544e{st}")),
        ("c1_csi_8bit", "x\u{9b}2Jy\u{9b}?1000h".to_string()),
        ("c1_osc_8bit", "\u{9d}0;pwned\u{9c}t".to_string()),
        ("c1_all", (0x80u32..=0x9f).filter_map(char::from_u32).collect()),
        ("c0_all", (0x00u32..0x20).filter_map(char::from_u32).chain(['\u{7f}']).collect()),
        ("cr_overwrite", "safe text\rEVIL".to_string()),
        ("bs_overwrite", "rm -rf /\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}ls     ".to_string()),
        ("crlf_lines", "one\r\ntwo\rthree\nfour\u{85}five\u{2028}six\u{2029}seven".to_string()),
        ("tabs", "a\tb\t\tc".to_string()),
        ("bidi_override", "user\u{202E}gnp.exe".to_string()),
        ("bidi_isolates", "\u{2066}a\u{2067}b\u{2068}c\u{2069}\u{200E}\u{200F}\u{61C}d\u{202A}\u{202B}\u{202C}\u{202D}".to_string()),
        ("zero_width", "ad\u{200B}m\u{200C}i\u{200D}n\u{2060}\u{2061}\u{2062}\u{2063}\u{2064}\u{FEFF}\u{180E}\u{AD}".to_string()),
        ("tag_chars", "hi\u{E0001}\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}\u{E007F}".to_string()),
        ("hangul_fillers", "\u{3164}\u{3164}\u{115F}\u{1160}\u{FFA0}".to_string()),
        ("zalgo_10000", zalgo),
        ("cjk", "漢字かなカナ한국어 ＦＵＬＬ".to_string()),
        ("zwj_family", "👨\u{200D}👩\u{200D}👧\u{200D}👦 family".to_string()),
        ("zwj_kiss_skin", "👩🏻\u{200D}❤\u{FE0F}\u{200D}💋\u{200D}👨🏼".to_string()),
        ("flags", "🇺🇸🇯🇵🇩🇪 🇦".to_string()),
        ("england_flag", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}".to_string()),
        ("vs16", "❤\u{FE0F} ☺\u{FE0F} 1\u{FE0F}\u{20E3}".to_string()),
        ("vs15_text_presentation", "⌚\u{FE0E}⌛\u{FE0E}".to_string()),
        ("lam_alef", "لا".to_string()),
        ("long_zwj_chain", "😀\u{200D}".repeat(40)),
        ("nul_bytes", "a\u{0}b\u{0}".to_string()),
        ("very_long", "x".repeat(50_000)),
    ]
}
