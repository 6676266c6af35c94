//! Colours and styles, in one place: the three built-in palettes (`dark`,
//! `light`, `mono`), the `[theme_colors]` overrides, and the style of each
//! role (`dim()`, `accent()`, ...). Every ui module takes its styles from
//! here and names no colour itself.
//!
//! The theme in effect is the app's (`Options::theme`): [`crate::ui::render`]
//! resolves it once per frame and draws inside [`scoped`], so the role
//! functions need no argument. Outside a frame (a widget drawn alone in a
//! test) they use `dark`.

use crate::config::{ThemeChoice, ThemeName};
use ratatui::style::{Color, Modifier, Style};
use std::cell::RefCell;
use std::str::FromStr;

/// The colours of a theme by role (`None` in `mono`: no colour at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub dim: Color,
    pub accent: Color,
    pub key: Color,
    pub ok: Color,
    pub warn: Color,
    pub error: Color,
    pub fresh: Color,
    pub liked: Color,
    pub gold: Color,
    pub silver: Color,
    pub bronze: Color,
    pub selection_fg: Color,
    pub selection_bg: Color,
}

impl Palette {
    /// For a dark terminal background.
    pub const DARK: Palette = Palette {
        dim: Color::DarkGray,
        accent: Color::Cyan,
        key: Color::Cyan,
        ok: Color::Green,
        warn: Color::Yellow,
        error: Color::Red,
        fresh: Color::LightGreen,
        liked: Color::Red,
        gold: Color::Yellow,
        silver: Color::White,
        bronze: Color::LightRed,
        selection_fg: Color::Black,
        selection_bg: Color::LightBlue,
    };

    /// For a light terminal background: no yellow, white or light
    /// colours as text (256-colour indices where the 16 ANSI ones are too
    /// pale on white).
    pub const LIGHT: Palette = Palette {
        dim: Color::Indexed(243),
        accent: Color::Blue,
        key: Color::Blue,
        ok: Color::Indexed(28),
        warn: Color::Indexed(130),
        error: Color::Red,
        fresh: Color::Magenta,
        liked: Color::Red,
        gold: Color::Indexed(136),
        silver: Color::Indexed(240),
        bronze: Color::Indexed(166),
        selection_fg: Color::White,
        selection_bg: Color::Blue,
    };

    /// The roles and their colours, in [`crate::config::THEME_COLOR_NAMES`]
    /// order.
    pub fn roles(&self) -> [(&'static str, Color); 13] {
        [
            ("dim", self.dim),
            ("accent", self.accent),
            ("key", self.key),
            ("ok", self.ok),
            ("warn", self.warn),
            ("error", self.error),
            ("fresh", self.fresh),
            ("liked", self.liked),
            ("gold", self.gold),
            ("silver", self.silver),
            ("bronze", self.bronze),
            ("selection_fg", self.selection_fg),
            ("selection_bg", self.selection_bg),
        ]
    }

    fn set(&mut self, role: &str, c: Color) {
        let slot = match role {
            "dim" => &mut self.dim,
            "accent" => &mut self.accent,
            "key" => &mut self.key,
            "ok" => &mut self.ok,
            "warn" => &mut self.warn,
            "error" => &mut self.error,
            "fresh" => &mut self.fresh,
            "liked" => &mut self.liked,
            "gold" => &mut self.gold,
            "silver" => &mut self.silver,
            "bronze" => &mut self.bronze,
            "selection_fg" => &mut self.selection_fg,
            "selection_bg" => &mut self.selection_bg,
            _ => return,
        };
        *slot = c;
    }
}

/// A resolved theme: its palette, or none (`mono`, `NO_COLOR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    /// `None`: attributes only.
    pub palette: Option<Palette>,
    /// The terminal background the palette is made for (what every text
    /// colour must differ from); `None` in `mono`.
    pub background: Option<Color>,
}

impl Theme {
    /// The built-in theme `name` with `choice`'s overrides (`mono` takes
    /// none). An override that is not a colour is left out (the config
    /// checked them already).
    pub fn resolve(choice: &ThemeChoice) -> Theme {
        let (palette, background) = match choice.name {
            ThemeName::Dark => (Some(Palette::DARK), Some(Color::Black)),
            ThemeName::Light => (Some(Palette::LIGHT), Some(Color::White)),
            ThemeName::Mono => (None, None),
        };
        let palette = palette.map(|mut p| {
            for (role, raw) in &choice.colors {
                if let Ok(c) = Color::from_str(raw) {
                    p.set(role, c);
                }
            }
            p
        });
        Theme {
            name: choice.name,
            palette,
            background,
        }
    }

    /// The built-in theme `name`, no overrides.
    pub fn builtin(name: ThemeName) -> Theme {
        Theme::resolve(&ThemeChoice {
            name,
            ..ThemeChoice::default()
        })
    }
}

thread_local! {
    static CURRENT: RefCell<Theme> = const {
        RefCell::new(Theme {
            name: ThemeName::Dark,
            palette: Some(Palette::DARK),
            background: Some(Color::Black),
        })
    };
}

/// Runs `f` (a frame's drawing) with `theme` in effect, then puts the
/// previous one back.
pub fn scoped<R>(theme: Theme, f: impl FnOnce() -> R) -> R {
    let before = CURRENT.with(|c| c.replace(theme));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = before);
    out
}

/// The theme in effect.
pub fn current() -> Theme {
    CURRENT.with(|c| *c.borrow())
}

/// `fg` from the palette, else the attributes `mono` uses instead.
fn role(pick: impl Fn(&Palette) -> Color, mono: Modifier) -> Style {
    match current().palette {
        Some(p) => Style::new().fg(pick(&p)),
        None => Style::new().add_modifier(mono),
    }
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn dim() -> Style {
    role(|p| p.dim, Modifier::DIM)
}
pub fn accent() -> Style {
    role(|p| p.accent, Modifier::BOLD)
}
pub fn ok() -> Style {
    role(|p| p.ok, Modifier::empty())
}
pub fn warn() -> Style {
    role(|p| p.warn, Modifier::BOLD)
}
pub fn error() -> Style {
    role(|p| p.error, Modifier::UNDERLINED).add_modifier(Modifier::BOLD)
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// Rows added by a refresh and not seen yet.
pub fn fresh() -> Style {
    role(|p| p.fresh, Modifier::BOLD)
}
pub fn liked() -> Style {
    role(|p| p.liked, Modifier::BOLD)
}
/// The editor's cursor cell.
pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
/// Selected text in the editor.
pub fn selection() -> Style {
    match current().palette {
        Some(p) => Style::new().fg(p.selection_fg).bg(p.selection_bg),
        None => Style::new().add_modifier(Modifier::UNDERLINED),
    }
}
pub fn key() -> Style {
    role(|p| p.key, Modifier::empty()).add_modifier(Modifier::BOLD)
}
/// The color of a medal name (`GOLD`, `SILVER`, `BRONZE`).
pub fn medal(name: &str) -> Style {
    match name {
        "GOLD" => role(|p| p.gold, Modifier::empty()).add_modifier(Modifier::BOLD),
        "SILVER" => role(|p| p.silver, Modifier::empty()).add_modifier(Modifier::BOLD),
        "BRONZE" => role(|p| p.bronze, Modifier::empty()),
        _ => Style::new(),
    }
}

/// Whether text on `bg` reads better in white than in black.
fn is_dark(bg: Color) -> bool {
    match bg {
        Color::Black
        | Color::Red
        | Color::Green
        | Color::Blue
        | Color::Magenta
        | Color::DarkGray => true,
        Color::Rgb(r, g, b) => 299 * r as u32 + 587 * g as u32 + 114 * b as u32 <= 128_000,
        _ => false,
    }
}

/// A profile's colour (a name or `#rrggbb`, checked by the config;
/// anything else, or the theme's own background, gives the accent).
fn profile_colour(colour: &str) -> Option<Color> {
    let t = current();
    let p = t.palette?;
    Some(
        colour
            .parse::<Color>()
            .ok()
            .filter(|c| Some(*c) != t.background)
            .unwrap_or(p.accent),
    )
}

/// A profile's badge: on its colour, in black or white (whichever reads),
/// bold; `mono`: reversed and bold.
pub fn profile(colour: &str) -> Style {
    match profile_colour(colour) {
        Some(bg) => Style::new()
            .fg(if is_dark(bg) {
                Color::White
            } else {
                Color::Black
            })
            .bg(bg)
            .add_modifier(Modifier::BOLD),
        None => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
    }
}

/// Text in a profile's colour (the acting agent's handle in the header);
/// `mono`: bold.
pub fn profile_text(colour: &str) -> Style {
    match profile_colour(colour) {
        Some(fg) => Style::new().fg(fg),
        None => Style::new().add_modifier(Modifier::BOLD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::THEME_COLOR_NAMES;

    #[test]
    fn every_role_can_be_overridden_by_its_documented_name() {
        let p = Palette::DARK;
        let names: Vec<&str> = p.roles().iter().map(|(n, _)| *n).collect();
        let documented: Vec<&str> = THEME_COLOR_NAMES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, documented);
        for name in names {
            let mut choice = ThemeChoice::default();
            choice.colors.insert(name.to_string(), "#ff8800".into());
            let t = Theme::resolve(&choice);
            let got = t
                .palette
                .unwrap()
                .roles()
                .into_iter()
                .find(|(n, _)| *n == name);
            assert_eq!(got, Some((name, Color::Rgb(0xff, 0x88, 0x00))), "{name}");
        }
        // mono takes no colour, whatever is asked.
        let mut mono = ThemeChoice {
            name: ThemeName::Mono,
            ..ThemeChoice::default()
        };
        mono.colors.insert("accent".into(), "red".into());
        assert_eq!(Theme::resolve(&mono).palette, None);
    }

    #[test]
    fn the_theme_is_in_effect_only_inside_its_scope() {
        assert_eq!(accent().fg, Some(Color::Cyan));
        let inside = scoped(Theme::builtin(ThemeName::Mono), || (accent(), dim()));
        assert_eq!(inside.0.fg, None);
        assert!(inside.0.add_modifier.contains(Modifier::BOLD));
        assert!(inside.1.add_modifier.contains(Modifier::DIM));
        assert_eq!(accent().fg, Some(Color::Cyan), "put back after");
    }

    #[test]
    fn a_profile_badge_reads_on_its_colour_in_every_theme() {
        for name in [
            "yellow",
            "blue",
            "#000000",
            "#ffffff",
            "lightcyan",
            "nonsense",
        ] {
            for theme in ThemeName::ALL {
                let s = scoped(Theme::builtin(theme), || profile(name));
                assert!(s.fg.is_none() || s.fg != s.bg, "{name} in {theme}");
                let t = scoped(Theme::builtin(theme), || profile_text(name));
                let bg = Theme::builtin(theme).background;
                assert!(t.fg.is_none() || t.fg != bg, "{name} text in {theme}");
            }
        }
        let mono = scoped(Theme::builtin(ThemeName::Mono), || profile("red"));
        assert_eq!((mono.fg, mono.bg), (None, None));
    }
}
