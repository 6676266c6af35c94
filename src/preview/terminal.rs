//! Who the terminal is: its `XTVERSION` answer (`CSI > q`, e.g.
//! `"kitty(0.26.5)"`, `"WezTerm 20240203-110809-5046fc22"`), or inside tmux
//! the outer terminal's answer as tmux saw it (`#{client_termtype}`), with
//! the environment as a second witness (`KONSOLE_VERSION`, `TERM_PROGRAM`,
//! `KITTY_WINDOW_ID`...).
//!
//! The graphics choice ([`super::protocol::choose`]) trusts a terminal's
//! "kitty graphics OK" only when it is known to draw kitty's Unicode
//! placeholders, which the previews use: kitty from 0.28 and Ghostty.

use std::fmt;

/// A version: up to three numbers, missing ones are 0 (`0.26.5`, `23.08`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// The first version-looking run of `s` ("0.26.5", "3.3a" -> 3.3.0);
    /// `None` when `s` holds no digit.
    pub fn parse(s: &str) -> Option<Version> {
        let start = s.find(|c: char| c.is_ascii_digit())?;
        let mut nums = s[start..]
            .split(|c: char| !c.is_ascii_digit())
            .take_while(|p| !p.is_empty())
            .map(|p| p.parse::<u32>().unwrap_or(u32::MAX));
        let major = nums.next()?;
        Some(Version(
            major,
            nums.next().unwrap_or(0),
            nums.next().unwrap_or(0),
        ))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The first kitty that draws Unicode placeholders (`U=1`); older ones
/// reject the whole picture ("Malformed GraphicsCommand control block").
pub const KITTY_PLACEHOLDERS: Version = Version(0, 28, 0);

/// A terminal the graphics choice knows by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Terminal {
    /// kitty, and its version when it said.
    Kitty(Option<Version>),
    /// Ghostty (kitty graphics with placeholders).
    Ghostty,
    /// WezTerm (kitty graphics without placeholders; iTerm2 images work).
    WezTerm,
    /// Konsole (answers the kitty query and lists sixel).
    Konsole,
    /// xterm (sixel with `-ti vt340`).
    Xterm,
    /// iTerm2.
    Iterm2,
    /// Another terminal that said its name (the name, cleaned and short).
    Other(String),
    /// The terminal did not say.
    Unknown,
}

impl Terminal {
    /// Reads an `XTVERSION` text (the part between `DCS >|` and `ST`), or
    /// tmux's `client_termtype`; `None` when it names nothing.
    pub fn from_xtversion(text: &str) -> Option<Terminal> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        let t = if lower.starts_with("kitty") {
            Terminal::Kitty(Version::parse(text))
        } else if lower.starts_with("ghostty") {
            Terminal::Ghostty
        } else if lower.starts_with("wezterm") {
            Terminal::WezTerm
        } else if lower.starts_with("konsole") {
            Terminal::Konsole
        } else if lower.starts_with("xterm(") {
            Terminal::Xterm
        } else if lower.starts_with("iterm2") {
            Terminal::Iterm2
        } else {
            let name: String = text
                .chars()
                .filter(|c| c.is_ascii_graphic() || *c == ' ')
                .take(40)
                .collect();
            Terminal::Other(name)
        };
        Some(t)
    }

    /// Who the terminal is: its own answer first (`xtversion`, `None` when
    /// it gave none; inside tmux tmux's view of the outer terminal), then
    /// the environment.
    pub fn identify(xtversion: Option<&str>, env: &EnvNames) -> Terminal {
        let said = xtversion.and_then(Terminal::from_xtversion);
        match said {
            // tmux answers for itself; the outer terminal is the one drawing.
            Some(Terminal::Other(n)) if n.to_ascii_lowercase().starts_with("tmux") => {
                Terminal::from_env(env)
            }
            Some(t) => t,
            None => Terminal::from_env(env),
        }
    }

    /// Who the environment says the terminal is.
    pub fn from_env(env: &EnvNames) -> Terminal {
        let program = env.term_program.to_ascii_lowercase();
        if env.konsole {
            Terminal::Konsole
        } else if env.kitty {
            Terminal::Kitty(None)
        } else if program == "ghostty" {
            Terminal::Ghostty
        } else if program == "wezterm" {
            Terminal::WezTerm
        } else if program.starts_with("iterm") {
            Terminal::Iterm2
        } else {
            Terminal::Unknown
        }
    }

    /// A short name for the picture title, e.g. `"kitty 0.26.5"`.
    pub fn name(&self) -> String {
        match self {
            Terminal::Kitty(Some(v)) => format!("kitty {v}"),
            Terminal::Kitty(None) => "kitty (version unknown)".into(),
            Terminal::Ghostty => "Ghostty".into(),
            Terminal::WezTerm => "WezTerm".into(),
            Terminal::Konsole => "Konsole".into(),
            Terminal::Xterm => "xterm".into(),
            Terminal::Iterm2 => "iTerm2".into(),
            Terminal::Other(n) => n.clone(),
            Terminal::Unknown => "this terminal".into(),
        }
    }
}

/// What the environment names: the terminal-identifying variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvNames {
    /// `KONSOLE_VERSION` is set.
    pub konsole: bool,
    /// `KITTY_WINDOW_ID` is set or `TERM` names kitty.
    pub kitty: bool,
    /// `TERM_PROGRAM` (as is).
    pub term_program: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_from_what_terminals_say() {
        assert_eq!(Version::parse("kitty(0.26.5)"), Some(Version(0, 26, 5)));
        assert_eq!(Version::parse("tmux 3.3a"), Some(Version(3, 3, 0)));
        assert_eq!(Version::parse("kitty"), None);
        assert!(Version(0, 26, 5) < KITTY_PLACEHOLDERS);
        assert!(Version(0, 32, 2) >= KITTY_PLACEHOLDERS);
        assert!(Version(1, 0, 0) > KITTY_PLACEHOLDERS);
    }

    #[test]
    fn terminals_are_named_by_their_answer_then_the_environment() {
        let none = EnvNames::default();
        assert_eq!(
            Terminal::identify(Some("kitty(0.26.5)"), &none),
            Terminal::Kitty(Some(Version(0, 26, 5)))
        );
        assert_eq!(
            Terminal::identify(Some("WezTerm 20240203-110809-5046fc22"), &none),
            Terminal::WezTerm
        );
        assert_eq!(
            Terminal::identify(Some("ghostty 1.1.3"), &none),
            Terminal::Ghostty
        );
        assert_eq!(
            Terminal::identify(Some("XTerm(379)"), &none),
            Terminal::Xterm
        );
        let konsole = EnvNames {
            konsole: true,
            ..EnvNames::default()
        };
        assert_eq!(Terminal::identify(None, &konsole), Terminal::Konsole);
        // tmux answering for itself says nothing about the outer terminal.
        assert_eq!(
            Terminal::identify(Some("tmux 3.3a"), &konsole),
            Terminal::Konsole
        );
        assert_eq!(Terminal::identify(Some(""), &none), Terminal::Unknown);
        let Some(Terminal::Other(n)) = Terminal::from_xtversion("foot(1.16.2)\x1b[31m") else {
            panic!("foot is another terminal");
        };
        assert!(!n.contains('\x1b'), "{n:?}");
    }
}
