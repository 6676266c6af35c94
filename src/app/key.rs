//! `Key`: a key press as the app sees it, independent of the terminal
//! library. The runtime converts terminal events into it
//! (`runtime::keys`); key releases never reach the app.

/// The key pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    /// A character (as typed: `?`, `G`).
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift-Tab.
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// A function key, `F(1)` to `F(12)` (or more, as the terminal says).
    F(u8),
    /// Any other key (media keys, caps lock...): never bound, typed as
    /// nothing.
    Null,
}

/// Modifier keys held with a key: any of CONTROL, ALT, SHIFT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyMods(u8);

impl KeyMods {
    pub const NONE: KeyMods = KeyMods(0);
    pub const SHIFT: KeyMods = KeyMods(1);
    pub const CONTROL: KeyMods = KeyMods(2);
    pub const ALT: KeyMods = KeyMods(4);

    /// All the modifiers of `other` are held.
    pub const fn contains(self, other: KeyMods) -> bool {
        self.0 & other.0 == other.0
    }

    /// Drops the modifiers of `other`.
    pub fn remove(&mut self, other: KeyMods) {
        self.0 &= !other.0;
    }

    /// Adds the modifiers of `other`.
    pub fn insert(&mut self, other: KeyMods) {
        self.0 |= other.0;
    }
}

impl std::ops::BitOr for KeyMods {
    type Output = KeyMods;
    fn bitor(self, rhs: KeyMods) -> KeyMods {
        KeyMods(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for KeyMods {
    fn bitor_assign(&mut self, rhs: KeyMods) {
        self.0 |= rhs.0;
    }
}

/// One key press with its modifiers, as delivered (not normalized: see
/// `keymap::KeyChord` for the form bindings are compared in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyMods,
}

impl Key {
    /// A key with these modifiers.
    pub const fn new(code: KeyCode, mods: KeyMods) -> Self {
        Key { code, mods }
    }

    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Self {
        Key::new(code, KeyMods::NONE)
    }
}

impl From<Key> for ratatui_textarea::Input {
    /// The editor buffer's own key type (the text inputs are
    /// `ratatui_textarea::TextArea` buffers).
    fn from(k: Key) -> Self {
        use ratatui_textarea::Key as T;
        let key = match k.code {
            KeyCode::Char(c) => T::Char(c),
            KeyCode::Backspace => T::Backspace,
            KeyCode::Enter => T::Enter,
            KeyCode::Left => T::Left,
            KeyCode::Right => T::Right,
            KeyCode::Up => T::Up,
            KeyCode::Down => T::Down,
            KeyCode::Tab => T::Tab,
            KeyCode::Delete => T::Delete,
            KeyCode::Home => T::Home,
            KeyCode::End => T::End,
            KeyCode::PageUp => T::PageUp,
            KeyCode::PageDown => T::PageDown,
            KeyCode::Esc => T::Esc,
            KeyCode::F(n) => T::F(n),
            KeyCode::BackTab | KeyCode::Insert | KeyCode::Null => T::Null,
        };
        ratatui_textarea::Input {
            key,
            ctrl: k.mods.contains(KeyMods::CONTROL),
            alt: k.mods.contains(KeyMods::ALT),
            shift: k.mods.contains(KeyMods::SHIFT),
        }
    }
}
