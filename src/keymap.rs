//! The keymap: (mode, key) to [`Action`].
//!
//! Keys are written as names such as `j`, `?`, `G`, `ctrl-s`, `alt-enter`,
//! `pgdown`, `shift-tab` (see [`KeyChord::parse`]). The help overlay and the
//! hint bar are generated from [`Keymap::bindings`], so a binding is written
//! exactly once (here, or in the config file's `[keys]` table).

use crate::app::{Action, Key, KeyCode, KeyMods, Mode, ACTIONS};
use std::collections::BTreeMap;
use std::fmt;

/// One key with its modifiers, normalized so that a typed character never
/// carries SHIFT (`?` is `Char('?')`, `shift-g` is `Char('G')`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    /// The key.
    pub code: KeyCode,
    /// CONTROL / ALT / SHIFT (SHIFT only for non-character keys).
    pub mods: KeyMods,
}

/// A key name that could not be parsed, or an unknown action name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// The key name is not understood.
    #[error(
        "unknown key name {0:?} (examples: \"j\", \"ctrl-s\", \"alt-enter\", \"pgdown\", \"f1\")"
    )]
    BadKey(String),
    /// The `[keys]` table names an action that does not exist.
    #[error("unknown action {0:?} in [keys] (known: {1})")]
    BadAction(String, String),
}

impl KeyChord {
    /// A chord without modifiers.
    pub const fn plain(code: KeyCode) -> Self {
        KeyChord {
            code,
            mods: KeyMods::NONE,
        }
    }

    /// Normalizes a key press (SHIFT folded into characters).
    pub fn from_key(ev: &Key) -> Self {
        let mut mods = ev.mods;
        let code = match ev.code {
            KeyCode::Char(c) => {
                mods.remove(KeyMods::SHIFT);
                if ev.mods.contains(KeyMods::CONTROL) {
                    // Terminals report ctrl-S as 's' or 'S' depending on shift.
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyMods::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyChord { code, mods }
    }

    /// Parses a key name: optional `ctrl-`, `alt-`, `shift-` prefixes (any
    /// case, any order) and a key: one character, `enter`, `esc`, `tab`,
    /// `backtab`, `space`, `backspace`, `delete`, `insert`, `up`, `down`,
    /// `left`, `right`, `home`, `end`, `pgup`/`pageup`, `pgdown`/`pagedown`,
    /// `f1`..`f12`.
    pub fn parse(name: &str) -> Result<Self, KeymapError> {
        let bad = || KeymapError::BadKey(name.to_string());
        let mut rest = name.trim();
        let mut mods = KeyMods::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") && rest.len() > 5 {
                (KeyMods::CONTROL, 5)
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                (KeyMods::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyMods::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        if rest.is_empty() {
            return Err(bad());
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let mut c = c;
                if mods.contains(KeyMods::SHIFT) {
                    mods.remove(KeyMods::SHIFT);
                    c = c.to_ascii_uppercase();
                }
                if mods.contains(KeyMods::CONTROL) {
                    c = c.to_ascii_lowercase();
                }
                KeyCode::Char(c)
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => {
                    if mods.contains(KeyMods::SHIFT) {
                        mods.remove(KeyMods::SHIFT);
                        KeyCode::BackTab
                    } else {
                        KeyCode::Tab
                    }
                }
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdown" | "pgdn" | "pagedown" => KeyCode::PageDown,
                f if f.starts_with('f') => {
                    let n: u8 = f[1..].parse().map_err(|_| bad())?;
                    if !(1..=12).contains(&n) {
                        return Err(bad());
                    }
                    KeyCode::F(n)
                }
                _ => return Err(bad()),
            },
        };
        Ok(KeyChord { code, mods })
    }
}

impl fmt::Display for KeyChord {
    /// The canonical name, parseable by [`KeyChord::parse`] (e.g. `ctrl-s`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyMods::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyMods::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyMods::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdown"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Null => f.write_str("Null"),
        }
    }
}

/// The key tables of every mode. Several keys may map to one action; one
/// key maps to at most one action per mode.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// Ordered (mode, action) -> keys, so listings are stable.
    bindings: BTreeMap<(Mode, Action), Vec<KeyChord>>,
}

impl Default for Keymap {
    /// The default bindings: the `keys` column of the action table
    /// ([`crate::app::ACTIONS`]; README "Keys").
    fn default() -> Self {
        let bindings = ACTIONS
            .iter()
            .map(|row| {
                // The table's key names are literals that the action table
                // test parses; an unparsable one would bind nothing.
                let keys = row
                    .keys
                    .iter()
                    .filter_map(|n| KeyChord::parse(n).ok())
                    .collect();
                ((row.mode, row.action), keys)
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the config file's `[keys]` table applied: each
    /// entry (action name -> key names) replaces that action's keys; a key
    /// taken from another action of the same mode is removed there.
    ///
    /// Errors: an unknown action name or an unparsable key name.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Self, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = ACTIONS.iter().map(|r| r.name).collect();
                KeymapError::BadAction(name.clone(), known.join(", "))
            })?;
            let chords = keys
                .iter()
                .map(|n| KeyChord::parse(n))
                .collect::<Result<Vec<_>, _>>()?;
            map.bind(action, chords);
        }
        Ok(map)
    }

    /// Replaces the keys of `action`; removes those keys from other actions
    /// of the same mode.
    pub fn bind(&mut self, action: Action, keys: Vec<KeyChord>) {
        let mode = action.mode();
        for ((m, a), existing) in self.bindings.iter_mut() {
            if *m == mode && *a != action {
                existing.retain(|c| !keys.contains(c));
            }
        }
        self.bindings.insert((mode, action), keys);
    }

    /// The action bound to a key press in `mode`, if any.
    pub fn resolve(&self, mode: Mode, ev: &Key) -> Option<Action> {
        let chord = KeyChord::from_key(ev);
        self.bindings
            .iter()
            .find(|((m, _), keys)| *m == mode && keys.contains(&chord))
            .map(|((_, a), _)| *a)
    }

    /// The keys of one action (empty when unbound).
    pub fn keys(&self, action: Action) -> &[KeyChord] {
        self.bindings
            .get(&(action.mode(), action))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The name of the first key of one action (`""` when unbound): what
    /// hints and notes show.
    pub fn first_key(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map(|k| k.to_string())
            .unwrap_or_default()
    }

    /// The key names of one action joined by `/`, e.g. `"j/down"`.
    pub fn keys_label(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Every bound action of `mode` with its keys, in help order.
    pub fn bindings(&self, mode: Mode) -> Vec<(Action, &[KeyChord])> {
        ACTIONS
            .iter()
            .filter(|r| r.mode == mode)
            .filter_map(|r| {
                let keys = self.keys(r.action);
                (!keys.is_empty()).then_some((r.action, keys))
            })
            .collect()
    }

    /// Hint-bar entries of `mode`, in help order. Adjacent actions with the
    /// same hint label are merged (`j/k move`, `g/s/b medal`), each showing
    /// its first key.
    pub fn hints(&self, mode: Mode) -> Vec<Hint> {
        let mut out: Vec<Hint> = Vec::new();
        for (action, keys) in self.bindings(mode) {
            let (Some(label), Some(first)) = (action.hint(), keys.first()) else {
                continue;
            };
            match out.last_mut() {
                Some(h) if h.label == label => {
                    h.keys.push('/');
                    h.keys.push_str(&first.to_string());
                }
                _ => out.push(Hint {
                    keys: first.to_string(),
                    label,
                    action,
                }),
            }
        }
        out
    }
}

/// One entry of the hint bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// Key names joined by `/`, e.g. `g/s/b`.
    pub keys: String,
    /// Short label, e.g. `medal`.
    pub label: &'static str,
    /// The (first) action of the entry.
    pub action: Action,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyMods) -> Key {
        Key::new(code, mods)
    }

    #[test]
    fn parses_names() {
        let c = KeyChord::parse("ctrl-s").unwrap();
        assert_eq!(c.code, KeyCode::Char('s'));
        assert_eq!(c.mods, KeyMods::CONTROL);
        let c = KeyChord::parse("Alt-Enter").unwrap();
        assert_eq!((c.code, c.mods), (KeyCode::Enter, KeyMods::ALT));
        assert_eq!(KeyChord::parse("pgdown").unwrap().code, KeyCode::PageDown);
        assert_eq!(KeyChord::parse("shift-g").unwrap().code, KeyCode::Char('G'));
        assert_eq!(KeyChord::parse("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(KeyChord::parse("-").unwrap().code, KeyCode::Char('-'));
        assert_eq!(KeyChord::parse("f5").unwrap().code, KeyCode::F(5));
        assert!(KeyChord::parse("ctrl-").is_err());
        assert!(KeyChord::parse("hyper-x").is_err());
        assert!(KeyChord::parse("f13").is_err());
    }

    #[test]
    fn display_roundtrips() {
        for name in [
            "j",
            "ctrl-s",
            "alt-enter",
            "pgdown",
            "shift-tab",
            "space",
            "?",
            "f1",
        ] {
            let c = KeyChord::parse(name).unwrap();
            assert_eq!(c.to_string(), name);
            assert_eq!(KeyChord::parse(&c.to_string()).unwrap(), c);
        }
    }

    #[test]
    fn defaults_resolve_per_mode() {
        let km = Keymap::default();
        let j = ev(KeyCode::Char('j'), KeyMods::NONE);
        assert_eq!(km.resolve(Mode::Feed, &j), Some(Action::MoveDown));
        assert_eq!(km.resolve(Mode::Editor, &j), None);
        let q = ev(KeyCode::Char('?'), KeyMods::SHIFT);
        assert_eq!(km.resolve(Mode::Feed, &q), Some(Action::Help));
        let cs = ev(KeyCode::Char('s'), KeyMods::CONTROL);
        assert_eq!(km.resolve(Mode::Editor, &cs), Some(Action::Send));
        let ae = ev(KeyCode::Enter, KeyMods::ALT);
        assert_eq!(km.resolve(Mode::Editor, &ae), Some(Action::Send));
        let esc = ev(KeyCode::Esc, KeyMods::NONE);
        assert_eq!(km.resolve(Mode::Confirm, &esc), Some(Action::BackToEditor));
        // Every default parsed (no Null placeholders).
        for mode in Mode::ALL {
            for (_, keys) in km.bindings(mode) {
                assert!(keys.iter().all(|c| c.code != KeyCode::Null));
            }
        }
    }

    #[test]
    fn overrides_replace_and_steal() {
        let mut o = BTreeMap::new();
        o.insert("like".to_string(), vec!["f".to_string()]);
        o.insert("down".to_string(), vec!["n".to_string(), "l".to_string()]);
        let km = Keymap::with_overrides(&o).unwrap();
        let f = ev(KeyCode::Char('f'), KeyMods::NONE);
        let l = ev(KeyCode::Char('l'), KeyMods::NONE);
        let j = ev(KeyCode::Char('j'), KeyMods::NONE);
        assert_eq!(km.resolve(Mode::Feed, &f), Some(Action::ToggleLike));
        assert_eq!(km.resolve(Mode::Feed, &l), Some(Action::MoveDown));
        assert_eq!(km.resolve(Mode::Feed, &j), None);
        assert_eq!(km.keys_label(Action::MoveDown), "n/l");
    }

    #[test]
    fn override_errors_are_clear() {
        let mut o = BTreeMap::new();
        o.insert("jump".to_string(), vec!["x".to_string()]);
        let e = Keymap::with_overrides(&o).unwrap_err().to_string();
        assert!(e.contains("unknown action \"jump\""), "{e}");
        let mut o = BTreeMap::new();
        o.insert("like".to_string(), vec!["meta-x".to_string()]);
        let e = Keymap::with_overrides(&o).unwrap_err().to_string();
        assert!(e.contains("unknown key name \"meta-x\""), "{e}");
    }

    #[test]
    fn hints_come_from_bindings() {
        let km = Keymap::default();
        let hints: Vec<(String, &str)> = km
            .hints(Mode::Feed)
            .into_iter()
            .map(|h| (h.keys, h.label))
            .collect();
        assert!(hints.contains(&("l".to_string(), "like")));
        assert!(hints.contains(&("j/k".to_string(), "move")));
        assert!(hints.contains(&("g/s/b".to_string(), "medal")));
        assert!(hints.contains(&("?".to_string(), "help")));
        assert!(!hints.iter().any(|(_, l)| *l == "page down"));
    }
}
