//! The colour theme settings: `theme = "dark" | "light" | "mono"`
//! (`AISPACE_THEME`, `--theme`), the `[theme_colors]` table overriding
//! single colours by name ([`THEME_COLOR_NAMES`]), and `NO_COLOR`
//! (<https://no-color.org>): when it is set and no theme was chosen in the
//! file, the environment or a flag, the theme is `mono` (attributes only:
//! bold, reverse, underline, dim; no colour at all). The palettes
//! themselves live in `ui::theme`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::text;

/// A built-in theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Colours for a dark terminal background (the default).
    #[default]
    Dark,
    /// Colours for a light terminal background.
    Light,
    /// No colours: bold, reverse, underline and dim only.
    Mono,
}

impl ThemeName {
    /// Every theme, as written in the config.
    pub const ALL: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::Mono];

    /// The name as written in the config.
    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::Mono => "mono",
        }
    }
}

impl fmt::Display for ThemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ThemeName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        ThemeName::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                format!(
                    "`{}` is not a theme (use dark, light or mono)",
                    text::clean_line(&s)
                )
            })
    }
}

/// The colours `[theme_colors]` may set, with what each colours.
pub const THEME_COLOR_NAMES: [(&str, &str); 13] = [
    (
        "dim",
        "secondary text: hints, counts, placeholders, borders' legends",
    ),
    ("accent", "titles' highlights, links, the upload's progress"),
    ("key", "key names in the help and the status line"),
    ("ok", "success messages, a live connection"),
    ("warn", "warnings, waiting, countdowns"),
    ("error", "errors (also bold)"),
    ("fresh", "posts new since the last look"),
    ("liked", "the like mark"),
    ("gold", "GOLD medals and verdicts"),
    ("silver", "SILVER medals and verdicts"),
    ("bronze", "BRONZE medals and verdicts"),
    ("selection_fg", "text selected in the editor"),
    (
        "selection_bg",
        "the background of text selected in the editor",
    ),
];

/// The theme in effect: the built-in one and the checked overrides (slot
/// name → colour name or `#rrggbb`, normalized; ignored by `mono`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThemeChoice {
    pub name: ThemeName,
    pub colors: BTreeMap<String, String>,
}

impl ThemeChoice {
    /// The theme for the setting `theme` (`None`: not set anywhere),
    /// `colors` and whether `NO_COLOR` is set: an explicit theme wins over
    /// `NO_COLOR` (as no-color.org asks), else `NO_COLOR` means `mono`.
    pub fn resolve(
        theme: Option<ThemeName>,
        colors: &BTreeMap<String, String>,
        no_color: bool,
    ) -> ThemeChoice {
        let name = match theme {
            Some(t) => t,
            None if no_color => ThemeName::Mono,
            None => ThemeName::Dark,
        };
        ThemeChoice {
            name,
            colors: colors.clone(),
        }
    }
}

/// Checks a `[theme_colors]` table: known names, colours as in
/// `[profiles]` (a name or `#rrggbb`). `Err((key, message))`.
pub fn check_theme_colors(
    raw: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, (String, String)> {
    let mut out = BTreeMap::new();
    for (k, v) in raw {
        let key = k.trim().to_ascii_lowercase().replace('-', "_");
        if !THEME_COLOR_NAMES.iter().any(|(n, _)| *n == key) {
            let names: Vec<&str> = THEME_COLOR_NAMES.iter().map(|(n, _)| *n).collect();
            return Err((
                format!("theme_colors.{}", text::clean_line(&k)),
                format!("unknown colour name (use one of: {})", names.join(", ")),
            ));
        }
        let colour =
            super::profiles::check_colour(&v).map_err(|m| (format!("theme_colors.{key}"), m))?;
        out.insert(key, colour);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_no_color_gives_way_to_an_explicit_theme() {
        assert_eq!(" Light ".parse::<ThemeName>(), Ok(ThemeName::Light));
        assert!("solarized"
            .parse::<ThemeName>()
            .unwrap_err()
            .contains("dark, light or mono"));
        let none = BTreeMap::new();
        assert_eq!(
            ThemeChoice::resolve(None, &none, false).name,
            ThemeName::Dark
        );
        assert_eq!(
            ThemeChoice::resolve(None, &none, true).name,
            ThemeName::Mono
        );
        assert_eq!(
            ThemeChoice::resolve(Some(ThemeName::Light), &none, true).name,
            ThemeName::Light
        );
    }

    #[test]
    fn the_theme_comes_from_env_and_flag_with_the_layer_named_in_errors() {
        use crate::config::{Config, Layer};
        let env = |k: &str| match k {
            "AISPACE_THEME" => Some("light".to_string()),
            "NO_COLOR" => Some("1".to_string()),
            _ => None,
        };
        let c = Config::load_with(&Layer::default(), env, None).unwrap();
        assert_eq!(c.theme_choice().name, ThemeName::Light);
        let flag = Layer {
            theme: Some("mono".into()),
            ..Layer::default()
        };
        let c = Config::load_with(&flag, env, None).unwrap();
        assert_eq!(c.theme_choice().name, ThemeName::Mono);
        let bad = |k: &str| (k == "AISPACE_THEME").then(|| "neon".to_string());
        let e = Config::load_with(&Layer::default(), bad, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("AISPACE_THEME") && e.contains("dark, light or mono"),
            "{e}"
        );
        // An empty NO_COLOR counts as unset.
        let empty = |k: &str| (k == "NO_COLOR").then(String::new);
        let c = Config::load_with(&Layer::default(), empty, None).unwrap();
        assert_eq!(c.theme_choice().name, ThemeName::Dark);
    }

    #[test]
    fn colour_overrides_are_checked() {
        let mut raw = BTreeMap::new();
        raw.insert("Accent".to_string(), "#FF8800".to_string());
        raw.insert("selection-bg".to_string(), "Light Blue".to_string());
        let ok = check_theme_colors(raw).unwrap();
        assert_eq!(ok.get("accent").map(String::as_str), Some("#ff8800"));
        assert_eq!(
            ok.get("selection_bg").map(String::as_str),
            Some("lightblue")
        );
        let mut bad = BTreeMap::new();
        bad.insert("acent".to_string(), "red".to_string());
        let (key, m) = check_theme_colors(bad).unwrap_err();
        assert_eq!(key, "theme_colors.acent");
        assert!(m.contains("accent"), "{m}");
        let mut bad = BTreeMap::new();
        bad.insert("accent".to_string(), "#12345".to_string());
        assert!(check_theme_colors(bad)
            .unwrap_err()
            .1
            .contains("not a colour"));
    }
}
