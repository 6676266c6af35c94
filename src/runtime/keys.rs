//! The terminal's key and mouse events (crossterm) as the app's own
//! [`Key`] and [`Mouse`]: the only place the two meet.

use crate::app::{Key, KeyCode, KeyMods, Mouse, MouseKind};
use crossterm::event::{
    KeyCode as CtCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

/// The app's mouse input for a terminal mouse event: a press of the left
/// button is a click, the wheel scrolls; `None` for everything else
/// (releases, drags, moves, other buttons, sideways wheels).
pub fn app_mouse(ev: &MouseEvent) -> Option<Mouse> {
    let kind = match ev.kind {
        MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
        MouseEventKind::ScrollUp => MouseKind::WheelUp,
        MouseEventKind::ScrollDown => MouseKind::WheelDown,
        _ => return None,
    };
    Some(Mouse {
        kind,
        column: ev.column,
        row: ev.row,
    })
}

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

    #[test]
    fn left_presses_and_wheels_convert_and_the_rest_is_dropped() {
        let ev = |kind| MouseEvent {
            kind,
            column: 7,
            row: 3,
            modifiers: KeyModifiers::NONE,
        };
        let at = |kind| {
            Some(Mouse {
                kind,
                column: 7,
                row: 3,
            })
        };
        assert_eq!(
            app_mouse(&ev(MouseEventKind::Down(MouseButton::Left))),
            at(MouseKind::Click)
        );
        assert_eq!(
            app_mouse(&ev(MouseEventKind::ScrollUp)),
            at(MouseKind::WheelUp)
        );
        assert_eq!(
            app_mouse(&ev(MouseEventKind::ScrollDown)),
            at(MouseKind::WheelDown)
        );
        for other in [
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Down(MouseButton::Middle),
            MouseEventKind::Drag(MouseButton::Left),
            MouseEventKind::Moved,
            MouseEventKind::ScrollLeft,
            MouseEventKind::ScrollRight,
        ] {
            assert_eq!(app_mouse(&ev(other)), None, "{other:?}");
        }
    }
}
