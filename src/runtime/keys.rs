//! The terminal's key events (crossterm) as the app's own [`Key`]: the
//! only place the two meet.

use crate::app::{Key, KeyCode, KeyMods};
use crossterm::event::{KeyCode as CtCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The app's key for a terminal key event; `None` for a key release
/// (terminals with enhanced keyboard reporting send those).
pub fn app_key(ev: &KeyEvent) -> Option<Key> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let code = match ev.code {
        CtCode::Char(c) => KeyCode::Char(c),
        CtCode::Enter => KeyCode::Enter,
        CtCode::Esc => KeyCode::Esc,
        CtCode::Tab => KeyCode::Tab,
        CtCode::BackTab => KeyCode::BackTab,
        CtCode::Backspace => KeyCode::Backspace,
        CtCode::Delete => KeyCode::Delete,
        CtCode::Insert => KeyCode::Insert,
        CtCode::Up => KeyCode::Up,
        CtCode::Down => KeyCode::Down,
        CtCode::Left => KeyCode::Left,
        CtCode::Right => KeyCode::Right,
        CtCode::Home => KeyCode::Home,
        CtCode::End => KeyCode::End,
        CtCode::PageUp => KeyCode::PageUp,
        CtCode::PageDown => KeyCode::PageDown,
        CtCode::F(n) => KeyCode::F(n),
        _ => KeyCode::Null,
    };
    let mut mods = KeyMods::NONE;
    for (ct, m) in [
        (KeyModifiers::CONTROL, KeyMods::CONTROL),
        (KeyModifiers::ALT, KeyMods::ALT),
        (KeyModifiers::SHIFT, KeyMods::SHIFT),
    ] {
        if ev.modifiers.contains(ct) {
            mods.insert(m);
        }
    }
    Some(Key::new(code, mods))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    #[test]
    fn presses_convert_and_releases_are_dropped() {
        let ev = KeyEvent::new(
            CtCode::Char('s'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(
            app_key(&ev),
            Some(Key::new(
                KeyCode::Char('s'),
                KeyMods::CONTROL | KeyMods::SHIFT
            ))
        );
        let ev = KeyEvent::new(CtCode::F(12), KeyModifiers::SUPER);
        assert_eq!(app_key(&ev), Some(Key::plain(KeyCode::F(12))));
        let ev = KeyEvent::new(CtCode::CapsLock, KeyModifiers::NONE);
        assert_eq!(app_key(&ev), Some(Key::plain(KeyCode::Null)));
        let release = KeyEvent {
            code: CtCode::Char('j'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        };
        assert_eq!(app_key(&release), None);
    }
}
