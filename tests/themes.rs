//! Themes (`theme = "dark" | "light" | "mono"`, `[theme_colors]`,
//! `NO_COLOR`): every theme readable, and a snapshot of each that records
//! styles as well as text. Drawn by the headless TUI against the demo
//! sandbox (manual clock, previews off so only the theme colours cells).
//!
//! Readable means: no cell's text colour equals its background colour
//! when both are set; no text colour equals the background the theme is
//! made for (dark: black, light: white) where the cell sets none; and the
//! theme table itself keeps every text colour off that background and the
//! selection's text off the selection's background. `mono` and `NO_COLOR`
//! set no colour at all (attributes only).
#![cfg(feature = "sandbox")] // talks to the built-in sandbox
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

mod common;

use aispace_tui::app::{Mode, Options};
use aispace_tui::config::{Config, Layer, ThemeChoice, ThemeName};
use aispace_tui::ui::theme::{Palette, Theme};
use common::tui::{env_prepared, Env};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The app themed `choice`, `cols` x `rows`, previews off.
async fn themed(choice: ThemeChoice, cols: u16, rows: u16) -> Env {
    let options = Options {
        previews: false,
        theme: choice,
        ..Options::default()
    };
    env_prepared(cols, rows, options, |_| {}).await
}

fn builtin(name: ThemeName) -> ThemeChoice {
    ThemeChoice {
        name,
        ..ThemeChoice::default()
    }
}

/// The theme `NO_COLOR=1` gives through the config (no theme set anywhere).
fn no_color() -> ThemeChoice {
    let env = |k: &str| (k == "NO_COLOR").then(|| "1".to_string());
    Config::load_with(&Layer::default(), env, None)
        .unwrap()
        .theme_choice()
}

/// The screen's text, then a map of its styles: one character per cell
/// (`.` unstyled, else a letter per distinct style) and the legend.
fn style_dump(buf: &Buffer) -> String {
    let text = aispace_tui::runtime::buffer_text(buf);
    let mut styles: Vec<String> = Vec::new();
    let mut map = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            let mut s = String::new();
            if c.fg != Color::Reset {
                write!(s, "fg={} ", c.fg).unwrap();
            }
            if c.bg != Color::Reset {
                write!(s, "bg={} ", c.bg).unwrap();
            }
            if !c.modifier.is_empty() {
                write!(s, "{:?}", c.modifier).unwrap();
            }
            let s = s.trim().to_string();
            if s.is_empty() {
                map.push('.');
                continue;
            }
            let i = styles.iter().position(|o| *o == s).unwrap_or_else(|| {
                styles.push(s);
                styles.len() - 1
            });
            let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
            map.push(*letters.get(i).unwrap_or(&'?'));
        }
        map.push('\n');
    }
    let mut legend = String::new();
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    for (i, s) in styles.iter().enumerate() {
        writeln!(legend, "{} {s}", letters.get(i).unwrap_or(&'?')).unwrap();
    }
    format!("{text}\n--- styles ---\n{map}\n--- legend ---\n{legend}")
}

/// The unreadable cells of `buf` drawn in `theme` (`what` names the
/// screen), as messages.
fn unreadable(buf: &Buffer, theme: &Theme, what: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            let at = format!("{what} ({x}, {y}) {:?}", c.symbol());
            if theme.palette.is_none() && (c.fg != Color::Reset || c.bg != Color::Reset) {
                bad.push(format!("{at}: a colour in {:?}", theme.name));
            }
            if c.fg != Color::Reset && c.bg != Color::Reset && c.fg == c.bg {
                bad.push(format!("{at}: text {} on {}", c.fg, c.bg));
            }
            if c.fg != Color::Reset
                && c.bg == Color::Reset
                && !c.modifier.contains(Modifier::REVERSED)
                && Some(c.fg) == theme.background
            {
                bad.push(format!("{at}: text {} on the terminal background", c.fg));
            }
        }
    }
    bad
}

/// The screens walked for each theme: the feed, the help, the comment
/// editor with text selected, the post composer, an error in the status
/// line.
async fn screens(choice: &ThemeChoice) -> Vec<(&'static str, Buffer)> {
    let mut e = themed(choice.clone(), 160, 45).await;
    let mut out = Vec::new();
    e.h.keys(&["j", "j"]).await;
    out.push(("feed", e.h.buffer()));
    e.h.key("?").await;
    out.push(("help", e.h.buffer()));
    e.h.key("esc").await;
    e.h.key("c").await;
    e.h.type_text("some words to select").await;
    e.h.keys(&["shift-left", "shift-left", "shift-left"]).await;
    assert_eq!(e.h.app.mode, Mode::Editor);
    out.push(("editor", e.h.buffer()));
    e.h.key("esc").await;
    e.h.key("d").await; // discard
    e.h.key("P").await;
    e.h.paste("/nowhere/at/all.png").await;
    e.h.key("ctrl-s").await;
    assert_eq!(e.h.app.mode, Mode::Post);
    out.push(("composer with an error", e.h.buffer()));
    out
}

#[tokio::test]
async fn every_theme_is_readable() {
    let mut orange = builtin(ThemeName::Dark);
    orange.colors.insert("accent".into(), "#ff8800".into());
    let choices = [
        builtin(ThemeName::Dark),
        builtin(ThemeName::Light),
        builtin(ThemeName::Mono),
        no_color(),
        orange,
    ];
    for choice in &choices {
        let theme = Theme::resolve(choice);
        // The table.
        if let Some(p) = theme.palette {
            for (role, c) in p.roles() {
                // The selection's colours are checked against each other.
                if !role.starts_with("selection_") {
                    assert_ne!(
                        Some(c),
                        theme.background,
                        "{:?}: {role} is the background",
                        theme.name
                    );
                }
            }
            assert_ne!(p.selection_fg, p.selection_bg, "{:?}", theme.name);
        }
        // The screens.
        let mut bad = Vec::new();
        let mut coloured = 0;
        for (what, buf) in screens(choice).await {
            bad.extend(unreadable(&buf, &theme, what));
            coloured += buf.content.iter().filter(|c| c.fg != Color::Reset).count();
        }
        assert!(bad.is_empty(), "{:?}: {bad:#?}", theme.name);
        if theme.palette.is_some() {
            assert!(coloured > 0, "{:?} draws in colour", theme.name);
        }
    }
}

#[test]
fn the_check_finds_unreadable_text() {
    // The check can fail: a buffer with text coloured as its background.
    let theme = Theme::builtin(ThemeName::Dark);
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 3, 1));
    buf[(0, 0)].set_fg(Color::Blue).set_bg(Color::Blue);
    buf[(1, 0)].set_fg(Color::Black);
    buf[(2, 0)].set_fg(Color::Black).set_bg(Color::White);
    assert_eq!(unreadable(&buf, &theme, "t").len(), 2);
    let mono = Theme::builtin(ThemeName::Mono);
    assert_eq!(unreadable(&buf, &mono, "t").len(), 4);
    // And the built-in palettes differ where they must.
    assert_ne!(Palette::DARK, Palette::LIGHT);
}

/// The main screen at 80x24 in `choice`, text and styles.
async fn snapshot_of(choice: ThemeChoice) -> String {
    let mut e = themed(choice, 80, 24).await;
    e.h.keys(&["j", "j"]).await;
    style_dump(&e.h.buffer())
}

#[tokio::test]
async fn theme_dark_snapshot() {
    insta::assert_snapshot!(
        "theme_dark_80x24",
        snapshot_of(builtin(ThemeName::Dark)).await
    );
}

#[tokio::test]
async fn theme_light_snapshot() {
    insta::assert_snapshot!(
        "theme_light_80x24",
        snapshot_of(builtin(ThemeName::Light)).await
    );
}

#[tokio::test]
async fn theme_mono_snapshot() {
    insta::assert_snapshot!(
        "theme_mono_80x24",
        snapshot_of(builtin(ThemeName::Mono)).await
    );
}

#[tokio::test]
async fn no_color_snapshot() {
    let choice = no_color();
    assert_eq!(choice.name, ThemeName::Mono);
    let dump = snapshot_of(choice).await;
    assert!(!dump.contains("fg=") && !dump.contains("bg="), "{dump}");
    insta::assert_snapshot!("no_color_80x24", dump);
}

#[tokio::test]
async fn colour_overrides_from_the_config_reach_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "theme = \"light\"\n[theme_colors]\naccent = \"#ff8800\"\nkey = \"magenta\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    // NO_COLOR gives way to a theme chosen in the file.
    let env = |k: &str| (k == "NO_COLOR").then(|| "1".to_string());
    let config = Config::load_with(&Layer::default(), env, Some(path)).unwrap();
    let choice = config.theme_choice();
    assert_eq!(choice.name, ThemeName::Light);
    let mut expect = BTreeMap::new();
    expect.insert("accent".to_string(), "#ff8800".to_string());
    expect.insert("key".to_string(), "magenta".to_string());
    assert_eq!(choice.colors, expect);
    let mut e = themed(choice, 160, 45).await;
    e.h.key("?").await;
    let buf = e.h.buffer();
    assert!(
        buf.content.iter().any(|c| c.fg == Color::Magenta),
        "the key colour is used"
    );
}
