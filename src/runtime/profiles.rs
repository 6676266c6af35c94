//! The agents the loop holds (issue 16, profiles): each one its own
//! [`App`] (feed, selection, drafts, quotas), its own client in its own
//! [`Runner`], its own drafts snapshot. Only the active one is drawn and
//! gets keys; an answer is routed by the number of the profile whose
//! runner spawned it ([`tagged_sender`]), so it never lands in another
//! agent's app. A profile that is not drawn gets its answers through
//! [`Background`], which does nothing on the terminal.

use crate::api::Client;
use crate::app::Note;
use crate::app::{App, Msg, ProfileEntry, ProfileTag};
use crate::drafts::{Drafts, SharedDrafts};
use crate::effects::{Edited, Runner, TerminalEffects};
use crate::store::{Account, Recorder};
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

/// One agent to open: its client and, with profiles, its name and colour.
pub struct Agent {
    pub client: Client,
    /// `None`: the top-level settings alone (no profiles configured).
    pub tag: Option<ProfileTag>,
}

/// One running agent.
pub(super) struct Profile {
    pub app: App,
    pub runner: Runner,
    /// Its drafts snapshot (the exits save it); `None` = not persisted.
    pub shared: Option<SharedDrafts>,
    pub tag: Option<ProfileTag>,
    /// The account its records go to until the server names the agent.
    pub unsure: Option<Unsure>,
}

/// An account not confirmed by `connect` at start (the server was down).
pub(super) struct Unsure {
    /// The key's public prefix (the account is remembered under it).
    pub prefix: String,
    pub recorder: Recorder,
}

impl Profile {
    /// Once the server has named the agent (`me` after a start without
    /// `connect`), drafts and records go to its account from then on, and
    /// what was kept under a stand-in moves there.
    pub fn settle_account(&mut self) {
        let id = &self.app.session.agent_id;
        if id.is_empty() {
            return;
        }
        let Some(u) = self.unsure.take() else {
            return;
        };
        let guess = u.recorder.account();
        let real = Account::new(&guess.base_url, id);
        if real != guess {
            tracing::info!("the key's agent is now known; recording for it");
            if let Some(s) = &self.shared {
                s.adopt(&real, &u.prefix);
            }
            u.recorder.switch(&real);
        }
    }
}

/// A sender for profile `index`'s runner: every message sent on it reaches
/// `to` as `(index, msg)`, in order (a forwarding task per profile).
pub(super) fn tagged_sender(
    index: usize,
    to: UnboundedSender<(usize, Msg)>,
) -> UnboundedSender<Msg> {
    let (tx, mut rx) = unbounded_channel::<Msg>();
    tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            if to.send((index, m)).is_err() {
                break; // the loop is gone
            }
        }
    });
    tx
}

/// The switcher's list: every profile, `active` marked.
pub(super) fn entries(profiles: &[Profile], active: usize) -> Vec<ProfileEntry> {
    profiles
        .iter()
        .enumerate()
        .map(|(i, p)| ProfileEntry {
            tag: p.tag.clone().unwrap_or_else(|| ProfileTag {
                name: "default".into(),
                colour: "white".into(),
            }),
            handle: p.app.session.handle.clone(),
            base_url: p.app.options.base_url.clone(),
            connection: p.app.connection(),
            active: i == active,
        })
        .collect()
}

/// The terminal effects of a profile that is not drawn: its drafts are
/// saved as the screen's are; nothing reaches the terminal or the desktop
/// (no key of its own can have asked for that).
pub(super) struct Background<'a> {
    pub runner: &'a Runner,
    pub shared: Option<&'a SharedDrafts>,
}

impl TerminalEffects for Background<'_> {
    fn copy(&mut self, _text: &str) -> anyhow::Result<()> {
        Ok(())
    }

    fn graphics(&mut self, _sequence: &str) -> anyhow::Result<()> {
        Ok(())
    }

    fn save_drafts(&mut self, drafts: Drafts) {
        super::terminal::save_drafts_in_background(self.shared, self.runner, drafts);
    }

    fn open_url(&mut self, _url: &str) -> Option<Result<(), String>> {
        Some(Err("not the profile on screen".into()))
    }

    fn external_editor(&mut self, _text: &str, _what: &str) -> anyhow::Result<Edited> {
        Ok(Edited {
            result: Err("not the profile on screen".into()),
            size: None,
        })
    }

    fn redraw(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    /// The title and the alerts belong to the profile on screen.
    fn title(&mut self, _title: Option<&str>) -> anyhow::Result<()> {
        Ok(())
    }

    fn alert(&mut self, _bell: bool, _desktop: Option<&Note>) -> anyhow::Result<()> {
        Ok(())
    }
}
