//! Several agents in one TUI (issue 16): each profile of the config is its
//! own `App` (feed, selection, drafts, quotas) with its own client; the
//! runtime holds them, draws the active one and routes every answer to
//! the app whose effect asked for it. Here: what one app knows of that —
//! its own name and colour (`Options::profile`, for the header), the list
//! the switcher shows (handed in by the runtime with
//! [`App::set_profiles`]), and the choice it reports back
//! ([`App::take_switch`]).

use super::{Action, App, Connection, Effect, Mode};

/// Which profile an app acts as: shown in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileTag {
    /// The profile's name in the config (`[profiles.NAME]`).
    pub name: String,
    /// Its colour: a ratatui colour name or `#rrggbb` (checked by the config).
    pub colour: String,
}

/// One line of the switcher: a profile and how its app is doing.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileEntry {
    pub tag: ProfileTag,
    /// The agent's handle (sanitized), empty until its server answered.
    pub handle: String,
    /// The server's base URL.
    pub base_url: String,
    /// Its app's connection.
    pub connection: Connection,
    /// The profile acting now.
    pub active: bool,
}

impl App {
    /// The runtime's list of profiles (this one marked `active`), shown by
    /// the switcher; kept fresh before every draw.
    pub fn set_profiles(&mut self, entries: Vec<ProfileEntry>) {
        self.profiles = entries;
        if self.profile_cursor >= self.profiles.len() {
            self.profile_cursor = self.profiles.len().saturating_sub(1);
        }
    }

    /// The profile chosen in the switcher, once (the runtime makes it the
    /// active one).
    pub fn take_switch(&mut self) -> Option<usize> {
        self.switch_to.take()
    }

    /// The switcher's keys.
    pub(super) fn profiles_act(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let last = self.profiles.len().saturating_sub(1);
        match action {
            Action::Profiles => {
                self.mode = Mode::Profiles;
                self.profile_cursor = self.profiles.iter().position(|p| p.active).unwrap_or(0);
            }
            Action::ProfileDown => self.profile_cursor = (self.profile_cursor + 1).min(last),
            Action::ProfileUp => self.profile_cursor = self.profile_cursor.saturating_sub(1),
            Action::CloseProfiles => self.mode = Mode::Feed,
            Action::ProfileChoose => {
                self.mode = Mode::Feed;
                let Some(p) = self.profiles.get(self.profile_cursor) else {
                    return;
                };
                if p.active {
                    return;
                }
                // Leaving: what waits in the undo window is sent now (this
                // app gets no clock ticks while another one is drawn).
                self.send_all_held(fx);
                self.switch_to = Some(self.profile_cursor);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::testing::{key, TestApp};

    fn entry(name: &str, active: bool) -> ProfileEntry {
        ProfileEntry {
            tag: ProfileTag {
                name: name.into(),
                colour: "cyan".into(),
            },
            handle: format!("{name}-agent"),
            base_url: "http://127.0.0.1:1".into(),
            connection: Connection::Online,
            active,
        }
    }

    #[test]
    fn the_switcher_opens_on_the_active_profile_and_reports_the_choice_once() {
        let mut app = TestApp::new().build();
        app.set_profiles(vec![entry("a", false), entry("b", true), entry("c", false)]);
        app.update(key("A"), app.now);
        assert_eq!(app.mode, Mode::Profiles);
        assert_eq!(app.profile_cursor, 1);
        app.update(key("j"), app.now);
        app.update(key("j"), app.now);
        assert_eq!(app.profile_cursor, 2, "stops at the last");
        app.update(key("enter"), app.now);
        assert_eq!(app.mode, Mode::Feed);
        assert_eq!(app.take_switch(), Some(2));
        assert_eq!(app.take_switch(), None);
        // Choosing the active one, or closing, switches nothing.
        app.update(key("A"), app.now);
        app.update(key("enter"), app.now);
        app.update(key("A"), app.now);
        app.update(key("k"), app.now);
        app.update(key("esc"), app.now);
        assert_eq!(app.mode, Mode::Feed);
        assert_eq!(app.take_switch(), None);
    }
}
